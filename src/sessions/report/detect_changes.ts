/** Gathers what changed since a snapshot (history, tree, HEAD, gone paths) for changes.ts. */
import { join } from "../../kernel/path.ts";
import {
  analyzeChanges,
  type Changes,
  dirtyAtPause,
  type PausedFileFacts,
} from "../store/records/snapshot/changes.ts";
import { type GitContext, type Snapshot, writtenElsewhere } from "../../kernel/snapshot.ts";
import { branchHolds, type HeadEntry, readHistoryAndHead } from "../../git/history/history.ts";
import { capturedBlobs, lookedStatus, type WorkLook } from "../store/marks/work_tree.ts";
import { entriesAt } from "../../git/objects/tree_files.ts";
import { exists } from "../../disk/read/stat.ts";
import { machineName } from "../store/records/snapshot/machine.ts";
import { startEarly } from "../../kernel/early.ts";

/** `null` outside git; `here` is this machine's name; the status is the command's `look` if any. */
export async function detectChanges(
  root: string,
  snapshot: Snapshot,
  here: string | undefined = machineName(),
  look?: WorkLook,
): Promise<Changes | null> {
  const paused = snapshot.git_context;
  if (!paused) return null;
  // The status alone: HEAD's subject (readGitState's second process) is not part of the report.
  const reading = lookedStatus(root, look);
  const history = readHistoryAndHead(root, paused.commit);
  // Which paused paths are gone is asked beside git (reads only).
  const gone = startEarly(() =>
    Promise.all(
      dirtyAtPause(paused).map(async (path) => (await exists(join(root, path))) ? null : path),
    )
  );
  const [status, read] = await Promise.all([reading, history]);
  if (!status || !read) return null;
  const since = read.history;
  // On another branch: whether the paused branch still holds the commit tells switch from rewrite.
  const switched = paused.branch !== null && paused.commit !== null &&
    paused.branch !== status.branch && since.paused_commit_exists;
  const holds = switched ? await branchHolds(root, paused.branch!, paused.commit!) : undefined;
  const missing = await gone;
  const machine = typeof snapshot.mpm.machine === "string" ? snapshot.mpm.machine : null;
  // Another host name, or another machine key's seal in another folder: host names repeat.
  const otherMachine = (machine !== null && here !== undefined && machine !== here) ||
    (writtenElsewhere(snapshot) && snapshot.project_path !== root);
  const facts: PausedFileFacts = {
    gone: missing.filter((p): p is string => p !== null),
    headHolds: await holdsPausedContent(root, paused, read.headAt, status.head),
    pausedBranchHolds: holds,
    blobsNow: await capturedBlobs(look),
    ...(otherMachine || snapshot.project_path !== root
      ? {
        elsewhere: {
          machine,
          project_path: snapshot.project_path,
          other_machine: otherMachine,
        },
      }
      : {}),
  };
  return analyzeChanges(paused, since, status, facts);
}

/** The paths whose content at pause is what HEAD holds now (only paths changed since count). */
async function holdsPausedContent(
  root: string,
  paused: GitContext,
  headAt: Map<string, HeadEntry | null> | null,
  head: string | null,
): Promise<string[]> {
  const recorded = Object.entries(paused.blobs ?? {});
  if (recorded.length === 0 || (headAt === null && head === null)) return [];
  const entries = headAt ??
    await entriesAt(root, head!, recorded.map(([path]) => path)).catch(() => null);
  if (!entries) return [];
  return recorded.filter(([path, blob]) => {
    const entry = /[\n\r]/.test(path) ? undefined : entries.get(path);
    if (entry === undefined) return false; // not asked (a line break in the name): unknown
    return entry === null ? blob === null : entry.type === "blob" && entry.oid === blob;
  }).map(([path]) => path);
}
