/**
 * The uncommitted state of a work tree, path by path: what HEAD, the index and the disk hold,
 * as git object ids. `mpm branch` records it before stashing, `mpm return` reads it again after
 * re-applying and compares, so "restored" is a checked fact rather than git's exit code.
 */
import { join } from "../../kernel/path.ts";
import { gitMissing } from "../../kernel/errors.ts";
import { isMpmPath } from "../tree/porcelain.ts";
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";
import { digestWorkFile, type ObjectFormat, objectFormat } from "./work_file.ts";

export interface PathRecord {
  /** Relative to the repository's top level, "/"-separated. */
  path: string;
  /** The blob (or submodule commit) HEAD has at `path`; null when HEAD has none. */
  head: string | null;
  /** The index's stage-0 entry; null when there is none (absent, deleted, or unmerged). */
  index: string | null;
  /** The index entry's mode ("100644"); null with `index`. */
  mode: string | null;
  /** git's blob id of the bytes on disk (a link's target), null if absent, "dir" for a folder. */
  work: string | null;
  /** Untracked: in neither HEAD nor the index. */
  untracked?: boolean;
  /** Unmerged: a conflict waits to be resolved. */
  conflicted?: boolean;
}

export interface DirtySubmodule {
  path: string;
  /** What git says changed in it: "new commits", "modified content", "untracked content". */
  changes: string[];
}

export interface TreeRecord {
  /** Every path with uncommitted work (and every path asked about), sorted. */
  paths: PathRecord[];
  /** Submodules whose checkout differs from what the index records (git stash leaves these). */
  submodules: DirtySubmodule[];
}

const STATUS_ARGS = [
  "status",
  "--porcelain=v2",
  "-z",
  "--untracked-files=all",
  "--no-renames",
  "--ignore-submodules=none",
];

/** Object ids of all zeros stand for "no object" in git's output. */
function oid(text: string | undefined): string | null {
  return text === undefined || /^0+$/.test(text) ? null : text;
}

function modeOf(text: string | undefined): string | null {
  return text === undefined || /^0+$/.test(text) ? null : text;
}

function submoduleChanges(sub: string): string[] {
  const changes: string[] = [];
  if (sub[1] === "C") changes.push("new commits");
  if (sub[2] === "M") changes.push("modified content");
  if (sub[3] === "U") changes.push("untracked content");
  return changes;
}

/** Parses `git status --porcelain=v2 -z --no-renames`; work-tree ids are filled in later. */
export function parseTreeStatus(output: string): TreeRecord {
  const paths: PathRecord[] = [];
  const submodules: DirtySubmodule[] = [];
  for (const record of output.split("\0")) {
    const kind = record.slice(0, 2);
    if (kind === "? ") {
      const path = record.slice(2);
      if (!isMpmPath(path)) {
        paths.push({ path, head: null, index: null, mode: null, work: null, untracked: true });
      }
    } else if (kind === "1 ") {
      // 1 XY sub mH mI mW hH hI path
      const fields = splitAt(record, 8);
      if (!fields) continue;
      const [, , sub, , mI, , hH, hI] = fields.head;
      if (isMpmPath(fields.path)) continue;
      paths.push({
        path: fields.path,
        head: oid(hH),
        index: oid(hI),
        mode: oid(hI) === null ? null : modeOf(mI),
        work: null,
      });
      const changes = sub.startsWith("S") ? submoduleChanges(sub) : [];
      if (changes.length > 0) submodules.push({ path: fields.path, changes });
    } else if (kind === "u ") {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path; stage 2 is "ours", which is HEAD.
      const fields = splitAt(record, 10);
      if (!fields || isMpmPath(fields.path)) continue;
      paths.push({
        path: fields.path,
        head: oid(fields.head[8]),
        index: null,
        mode: null,
        work: null,
        conflicted: true,
      });
    }
  }
  paths.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { paths, submodules };
}

function splitAt(record: string, count: number): { head: string[]; path: string } | undefined {
  const head: string[] = [];
  let start = 0;
  for (let n = 0; n < count; n++) {
    const space = record.indexOf(" ", start);
    if (space < 0) return undefined;
    head.push(record.slice(start, space));
    start = space + 1;
  }
  return { head, path: record.slice(start) };
}

async function git(root: string, args: readonly string[], stdin?: string): Promise<string> {
  const out = await runGit(root, args, stdin === undefined ? {} : { stdin });
  if (out === null) throw gitMissing();
  if (out.code !== 0 || isNotRepo(out)) throw gitFailure(args, out);
  return out.stdout;
}

/** git's blob id of what is at `path` on disk, without following a link. */
export async function workBlob(
  root: string,
  path: string,
  format: ObjectFormat,
): Promise<string | null> {
  const digest = await digestWorkFile(root, path, format, false);
  if (digest.kind === "missing") return null;
  if (digest.kind === "dir") return "dir";
  return digest.blob;
}

/** The record of every uncommitted path, plus `also` (asked-about paths that may be clean now). */
export async function readTreeRecord(
  root: string,
  also: readonly string[] = [],
): Promise<TreeRecord> {
  const [output, format] = await Promise.all([git(root, STATUS_ARGS), objectFormat(root)]);
  const record = parseTreeStatus(output);
  const known = new Set(record.paths.map((p) => p.path));
  const clean = [...new Set(also)].filter((path) => !known.has(path));
  if (clean.length > 0) {
    const entries = await indexEntries(root, clean);
    for (const path of clean) {
      const entry = entries.get(path);
      record.paths.push({
        path,
        head: entry?.oid ?? null,
        index: entry?.oid ?? null,
        mode: entry?.mode ?? null,
        work: null,
      });
    }
    record.paths.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  for (const entry of record.paths) {
    // A conflicted or modified submodule is a folder: its own state is in `submodules`.
    entry.work = entry.path.endsWith("/") ? "dir" : await workBlob(root, entry.path, format);
  }
  return record;
}

/** Stage-0 index entries of `paths` (literal paths, a few hundred per git call). */
async function indexEntries(
  root: string,
  paths: readonly string[],
): Promise<Map<string, { oid: string; mode: string }>> {
  const found = new Map<string, { oid: string; mode: string }>();
  for (let i = 0; i < paths.length; i += 200) {
    const chunk = paths.slice(i, i + 200);
    const out = await git(root, ["--literal-pathspecs", "ls-files", "-s", "-z", "--", ...chunk]);
    for (const line of out.split("\0")) {
      // MODE OID STAGE\tPATH
      const match = line.match(/^(\d+) ([0-9a-f]+) (\d)\t(.*)$/s);
      if (match && match[3] === "0") found.set(match[4], { mode: match[1], oid: match[2] });
    }
  }
  return found;
}

export interface IndexEntry {
  path: string;
  /** The blob to stage; null removes the path from the index. */
  oid: string | null;
  mode: string | null;
}

/** Sets index entries exactly (`git update-index --index-info`); the work tree is untouched. */
export async function setIndexEntries(root: string, entries: readonly IndexEntry[]) {
  if (entries.length === 0) return;
  const zeros = "0".repeat((await objectFormat(root)) === "sha256" ? 64 : 40);
  const lines = entries.map((e) =>
    e.oid === null ? `0 ${zeros}\t${e.path}\0` : `${e.mode ?? "100644"} ${e.oid}\t${e.path}\0`
  );
  await git(root, ["update-index", "-z", "--index-info"], lines.join(""));
}

/** Puts `paths` back as HEAD has them, index and disk; only on paths mpm itself wrote. */
export async function restoreFromHead(root: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const inHead = new Set(
    (await git(root, [
      "--literal-pathspecs",
      "ls-tree",
      "-r",
      "-z",
      "--name-only",
      "HEAD",
      "--",
      ...paths,
    ]))
      .split("\0").filter(Boolean),
  );
  const spec = paths.map((p) => `${p}\0`).join("");
  // The index first (unmerged entries included), then the files from it.
  await git(root, [
    "--literal-pathspecs",
    "reset",
    "-q",
    "HEAD",
    "--pathspec-from-file=-",
    "--pathspec-file-nul",
  ], spec);
  const tracked = paths.filter((p) => inHead.has(p));
  if (tracked.length > 0) {
    await git(root, [
      "--literal-pathspecs",
      "checkout",
      "-q",
      "--pathspec-from-file=-",
      "--pathspec-file-nul",
    ], tracked.map((p) => `${p}\0`).join(""));
  }
  for (const path of paths.filter((p) => !inHead.has(p))) {
    await Deno.remove(join(root, path)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
}
