/**
 * Gathers what changed since a snapshot: git history, the working tree, what HEAD holds at the
 * paths that were uncommitted, and which of those are gone.
 * sessions/store/records/snapshot/changes.ts judges them.
 */
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

/**
 * `null` outside git (or when the snapshot recorded no git state). `here` is this machine's
 * name (tests pass another to stand for a second machine). The work tree's status is the
 * command's `look` when it passes one (resume does, begun before it picks the snapshot), else
 * read here.
 */
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
  // Which of the paths uncommitted at pause are gone is asked at once, beside git. Only reads,
  // dropped with the report when there is none.
  const gone = startEarly(() =>
    Promise.all(
      dirtyAtPause(paused).map(async (path) => (await exists(join(root, path))) ? null : path),
    )
  );
  const [status, read] = await Promise.all([reading, history]);
  if (!status || !read) return null;
  const since = read.history;
  // On another branch now: whether the paused branch still holds the commit tells a switch
  // from a rewrite.
  const switched = paused.branch !== null && paused.commit !== null &&
    paused.branch !== status.branch && since.paused_commit_exists;
  const holds = switched ? await branchHolds(root, paused.branch!, paused.commit!) : undefined;
  const missing = await gone;
  const machine = typeof snapshot.mpm.machine === "string" ? snapshot.mpm.machine : null;
  // Another host name, or a snapshot another machine key sealed, made in another folder: host
  // names repeat (containers, `localhost`, a laptop's default name), keys and folders together
  // do not.
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

/**
 * The paths whose content at pause (recorded blob ids) is exactly what HEAD holds now. Only the
 * paths changed since the paused commit count (sessions/store/records/snapshot/changes.ts), and the
 * history's diff says what HEAD holds at each of them (`headAt`); without one (no paused
 * commit, or not in this clone: then every path counts) they are asked of `head`, the commit
 * the status names.
 */
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
