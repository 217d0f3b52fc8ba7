/**
 * The work tree kept as a commit by one `git fast-import`: what a mark records. It builds the tree
 * work_capture.ts would (HEAD's with the dirty paths as on disk), commits it on the session's ref
 * and names both. Where config makes the disk a poor guide, the capture goes through the index.
 */
import { configTexts, findGitDirs, type GitDirs } from "../run/root.ts";
import { gitMissing } from "../../kernel/errors.ts";
import { gitFailure, gitVars, runGit } from "../run/run.ts";
import type { GitStatus } from "../tree/porcelain.ts";
import { lookAtFiles, type OnDisk } from "./blobs.ts";
import { notUtf8 } from "./git_paths.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import {
  captureWorkTree,
  hasSubmodules,
  knownDirtyCountOver,
  knownDirtyPaths,
  MAX_CAPTURED_PATHS,
  MPM_IDENTITY,
  readDirtyPaths,
  type WorkCapture,
} from "./work_capture.ts";

/** Who commits a mark (never the user, who may have no identity set). */
const COMMITTER = `${MPM_IDENTITY.GIT_COMMITTER_NAME} <${MPM_IDENTITY.GIT_COMMITTER_EMAIL}>`;

/** A capture for a mark: its tree made already, or the dirty paths it is made of when kept. */
export type MarkCapture =
  | { made: WorkCapture }
  | { looked: LookedWorkTree };

export interface LookedWorkTree {
  /** HEAD's commit then; null in a repository without commits. */
  head: string | null;
  /** Each dirty path as it is on disk. */
  files: Map<string, OnDisk>;
  /** Dirty paths the tree cannot hold as they are (folders, files too large): HEAD's entry. */
  leftOut: string[];
  dirty: number;
  /** HEAD and each dirty path's kind, mode and blob, hashed: same fingerprint, same tree. */
  fingerprint: string;
}

/** The work tree at `root` for a mark (as captureWorkTree; `looked`: blobs already written). */
export async function captureForMark(
  root: string,
  known?: GitStatus,
  headTree?: string | null,
  looked?: ReadonlyMap<string, OnDisk>,
): Promise<MarkCapture | null> {
  const dirs = await findGitDirs(root);
  if (!dirs) return null;
  if (configMisleads(dirs)) {
    const made = await captureWorkTree(root, known, headTree);
    return made && { made };
  }
  const over = known ? knownDirtyCountOver(root, known) : undefined;
  if (over !== undefined) {
    return { made: { head: known!.head, tree: null, leftOut: [], dirty: over } };
  }
  const listed = (known ? knownDirtyPaths(root, known) : null) ?? await readDirtyPaths(root);
  if (listed === null) return null;
  const { head, paths } = listed;
  if (paths.length > MAX_CAPTURED_PATHS) {
    return { made: { head, tree: null, leftOut: [], dirty: paths.length } };
  }
  // A name that is not UTF-8 cannot be looked at from here (git_paths.ts); git adds it.
  if (paths.some(notUtf8)) {
    const made = await captureWorkTree(root, known, headTree);
    return made && { made };
  }
  // Clean: the index holds HEAD's tree, unless a submodule's change is hidden from status.
  if (paths.length === 0 && headTree && head !== null && !(await hasSubmodules(root))) {
    return { made: { head, tree: headTree, leftOut: [], dirty: 0 } };
  }
  const files = looked && paths.every((path) => looked.has(path))
    ? looked
    : await lookAtFiles(root, paths, { write: true });
  if (files === null) return null;
  const leftOut = paths.filter((path) => files.get(path)?.kind === "other");
  const mine = new Map(paths.map((path) => [path, files.get(path) ?? { kind: "other" as const }]));
  return {
    looked: {
      head,
      files: mine,
      leftOut,
      dirty: paths.length,
      fingerprint: fingerprint(head, mine),
    },
  };
}

/** The fingerprint of a look (LookedWorkTree). Pure. */
export function fingerprint(head: string | null, files: ReadonlyMap<string, OnDisk>): string {
  const lines = [head ?? "unborn"];
  for (const [path, found] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const what = found.kind === "file"
      ? `${found.executable ? "100755" : "100644"} ${found.blob}`
      : found.kind === "link"
      ? `120000 ${found.target}`
      : found.kind;
    lines.push(`${what}\t${path}`);
  }
  return sha256Hex(lines.join("\0"));
}

/** Whether git's config makes the disk a poor guide to the tree, or may hide untracked files. */
function configMisleads(dirs: GitDirs): boolean {
  const vars = gitVars();
  if (vars.GIT_CONFIG_COUNT || vars.GIT_CONFIG_PARAMETERS) return true;
  return configTexts(dirs).some((text) =>
    /showuntrackedfiles|\[include|(filemode|symlinks)\s*=\s*(false|no|off|0)\b/i.test(text)
  );
}

/** Commits a looked-at work tree on `ref` by one `git fast-import`; returns the tree and commit. */
export async function keepLooked(
  root: string,
  ref: string,
  looked: LookedWorkTree,
  previous: string | null,
  message: string,
): Promise<{ tree: string; commit: string }> {
  const stream = fastImportStream(ref, looked, previous, message, Math.floor(Date.now() / 1000));
  const args = ["fast-import", "--quiet", "--force", "--done"];
  const out = await runGit(root, args, { stdin: stream });
  if (out === null) throw gitMissing();
  const match = out.stdout.match(/^([0-9a-f]{40,64})\n040000 tree ([0-9a-f]{40,64})\t/);
  if (out.code !== 0 || !match) throw gitFailure(args, out);
  return { commit: match[1], tree: match[2] };
}

/** The fast-import stream of one mark's commit; blobs git lacks are given inline. Pure. */
export function fastImportStream(
  ref: string,
  looked: LookedWorkTree,
  previous: string | null,
  message: string,
  seconds: number,
): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  const text = (...lines: string[]) => pieces.push(encoder.encode(lines.join("\n") + "\n"));
  const data = (bytes: Uint8Array) => {
    text(`data ${bytes.length}`);
    pieces.push(bytes, encoder.encode("\n"));
  };
  text(`commit ${ref}`, "mark :1", `committer ${COMMITTER} ${seconds} +0000`);
  data(encoder.encode(message));
  // The tree starts as HEAD's; without HEAD, from nothing (every path is then dirty).
  if (looked.head !== null) text(`from ${looked.head}`);
  else if (previous !== null) text(`from ${previous}`);
  if (looked.head !== null && previous !== null && previous !== looked.head) {
    text(`merge ${previous}`);
  }
  if (looked.head === null) text("deleteall");
  // Removals first: a folder that became a file (or a file a folder) is emptied, then written.
  for (const [path, found] of looked.files) {
    if (found.kind === "absent") text(`D ${quotePath(path)}`);
  }
  for (const [path, found] of looked.files) {
    const quoted = quotePath(path);
    if (found.kind === "file") {
      const mode = found.executable ? "100755" : "100644";
      if (found.bytes === undefined) text(`M ${mode} ${found.blob} ${quoted}`);
      else {
        text(`M ${mode} inline ${quoted}`);
        data(found.bytes);
      }
    } else if (found.kind === "link") {
      text(`M 120000 inline ${quoted}`);
      data(encoder.encode(found.target));
    }
  }
  text("", "get-mark :1", 'ls :1 ""', "done");
  return concatBytes(pieces);
}

/** A path as fast-import reads it: always C-quoted, so spaces and leading quotes are plain. */
export function quotePath(path: string): string {
  let quoted = '"';
  for (const c of path) {
    const code = c.charCodeAt(0);
    quoted += c === "\\" || c === '"'
      ? `\\${c}`
      : code < 0x20 || code === 0x7f
      ? `\\${code.toString(8).padStart(3, "0")}`
      : code >= 0xdc80 && code <= 0xdcff // a byte that is not UTF-8 (git_paths.ts)
      ? `\\${(code - 0xdc00).toString(8).padStart(3, "0")}`
      : c;
  }
  return quoted + '"';
}
