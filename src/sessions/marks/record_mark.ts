/**
 * Recording a mark: the work tree captured (src/git/objects/work_capture.ts), kept on the session's ref,
 * and added to its `work-tree.json`. Called under the project's lock by the commands that start,
 * resume, pause or end a session. A mark that cannot be recorded never fails the command that
 * asked for it: the caller gets the reason, and `mpm diff` says what is missing.
 */
import { errorText } from "../../kernel/errors.ts";
import { startEarly } from "../../kernel/early.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { captureWorkTree, keepTree, type WorkCapture } from "../../git/objects/work_capture.ts";
import {
  isMarkKey,
  keptAlready,
  lastCommit,
  type MarkMoment,
  MAX_LEFT_OUT,
  withMark,
  type WorkMark,
  workRef,
} from "./marks.ts";
import { readMarks, writeMarks } from "./marks_store.ts";
import type { GitStatus } from "../../git/tree/porcelain.ts";

/**
 * Starts capturing the work tree now; the mark is recorded later with `recordMark`. `known`:
 * the status the command read under the same lock, which the capture starts from when it can,
 * and `headTree`, HEAD's tree read with it.
 */
export function startCapture(
  root: string,
  known?: GitStatus,
  headTree?: string | null,
): Promise<WorkCapture | null> {
  return startEarly(() => captureWorkTree(root, known, headTree));
}

export type MarkOutcome = { mark: WorkMark } | { error: string } | null;

/**
 * Adds a mark of `moment` to session `key`: from `capture` when one was started earlier, else
 * captured now. Null outside git (nothing to record); `{error}` when it failed.
 */
export async function recordMark(
  root: string,
  paths: ProjectPaths,
  key: string,
  moment: MarkMoment,
  now: Date,
  capture?: Promise<WorkCapture | null>,
): Promise<MarkOutcome> {
  try {
    if (!isMarkKey(key)) return null;
    const captured = await (capture ?? captureWorkTree(root));
    if (captured === null) return null;
    const record = await readMarks(paths, key);
    const usable = captured.tree !== null && captured.leftOut.length <= MAX_LEFT_OUT;
    const tree = usable ? captured.tree : null;
    const commit = tree === null
      ? null
      : keptAlready(record, captured.head, tree) ?? await keepTree(
        root,
        workRef(key),
        tree,
        { head: captured.head, previous: lastCommit(record) },
        `mpm ${moment}: ${key}`,
      );
    const mark: WorkMark = {
      moment,
      at: now.toISOString(),
      head: captured.head,
      tree,
      commit,
      left_out: usable ? captured.leftOut : [],
      dirty: captured.dirty,
    };
    await writeMarks(paths, withMark(record, key, mark));
    return { mark };
  } catch (error) {
    return { error: errorText(error) };
  }
}

/** The warning a command prints when its mark failed; null when there is nothing to say. */
export function markWarning(outcome: MarkOutcome): string | null {
  return outcome && "error" in outcome
    ? `mpm: the work tree was not recorded for \`mpm diff\` (${outcome.error.replace(/\.$/, "")}).`
    : null;
}
