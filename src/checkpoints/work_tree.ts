/** The working tree as a checkpoint sees it: each dirty path and a hash of its bytes now. */
import type { DirtyFile, FileKind } from "./checkpoint.ts";
import type { GitStatus } from "../git/tree/porcelain.ts";
import { readGitState } from "../git/tree/status.ts";
import { untrackedFilesUnder } from "../git/objects/tree_files.ts";
import { digestWorkFile, type ObjectFormat } from "../git/objects/work_file.ts";

export interface Digest {
  kind: FileKind;
  /** sha256 of the bytes on disk (a link's target for a symbolic link). */
  sha256: string | null;
  /** git's object id of the same bytes (what `git hash-object --no-filters` gives), if asked. */
  blob: string | null;
}

const CHUNK_LIMIT = 16;
const MISSING: Digest = { kind: "missing", sha256: null, blob: null };

/** The repository's hash: sha256 repositories have 64-digit object ids. */
export function objectFormatOf(oid: string | null): ObjectFormat {
  return oid?.length === 64 ? "sha256" : "sha1";
}

/** Hashes one path under `root` without following a symbolic link. */
async function digestOne(root: string, path: string, format?: ObjectFormat): Promise<Digest> {
  // git shows a nested repository (or an untracked folder it did not expand) as `dir/`.
  if (path.endsWith("/")) return { kind: "dir", sha256: null, blob: null };
  const digest = await digestWorkFile(root, path, format);
  return digest.kind === "missing" ? MISSING : digest;
}

/** Digests of `paths`, a few at a time; with `format`, git's blob ids too. */
export async function digestPaths(
  root: string,
  paths: readonly string[],
  format?: ObjectFormat,
): Promise<Map<string, Digest>> {
  const digests = new Map<string, Digest>();
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      digests.set(path, await digestOne(root, path, format));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHUNK_LIMIT, paths.length) }, worker));
  return digests;
}

/** Each changed path once, with the most telling of git's words for it. */
export function labelDirtyPaths(
  status: GitStatus,
  untracked: readonly string[],
): Map<string, string> {
  const labels = new Map<string, string>();
  const label = (paths: readonly string[], word: string) => {
    for (const path of paths) if (!labels.has(path)) labels.set(path, word);
  };
  label(status.conflicted, "conflicted");
  label(status.renamed.map((r) => r.to), "renamed");
  label(status.renamed.map((r) => r.from), "renamed-from");
  label(status.deleted, "deleted");
  label(status.modified, "modified");
  label(status.staged, "staged");
  label(untracked, "untracked");
  return labels;
}

export interface WorkTree {
  status: GitStatus;
  /** HEAD's subject; null without a commit. */
  subject: string | null;
  /** Every dirty path (untracked folders expanded), with its digest; by path. */
  files: DirtyFile[];
  /** The same digests, with blob ids when a format was asked for. */
  digests: Map<string, Digest>;
}

/** The git state and a digest of each dirty file (`format` adds blob ids); null outside git. */
export async function readWorkTree(
  root: string,
  options: { blobIds?: boolean } = {},
): Promise<WorkTree | null> {
  const state = await readGitState(root);
  if (!state) return null;
  const { status } = state;
  const dirs = status.untracked.filter((path) => path.endsWith("/"));
  const expanded = dirs.length ? (await untrackedFilesUnder(root, dirs)) ?? dirs : [];
  const untracked = [...status.untracked.filter((path) => !path.endsWith("/")), ...expanded];
  const labels = labelDirtyPaths(status, untracked);
  const paths = [...labels.keys()].sort();
  const format = options.blobIds ? objectFormatOf(status.head) : undefined;
  const digests = await digestPaths(root, paths, format);
  const files = paths.map((path) => {
    const digest = digests.get(path)!;
    return { path, status: labels.get(path)!, kind: digest.kind, sha256: digest.sha256 };
  });
  return { status, subject: state.subject, files, digests };
}
