/**
 * Recording a mark: the work tree captured, kept on the session's ref and added to its record,
 * under the lock. A failure never fails the command: the caller gets the reason.
 */
import { errorText } from "../../../kernel/errors.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { keepTree } from "../../../git/objects/work_capture.ts";
import { keepLooked } from "../../../git/objects/work_keep.ts";
import {
  isMarkKey,
  keptAlready,
  keptLooked,
  lastCommit,
  type MarkMoment,
  MAX_LEFT_OUT,
  withMark,
  type WorkMark,
  workRef,
} from "./marks.ts";
import { readMarks, writeMarks } from "./marks_store.ts";
import { markCapture, type WorkLook } from "./work_tree.ts";

/** The mark recorded, with every mark of the session's record (oldest first, the new one last). */
export type MarkOutcome =
  | { mark: WorkMark; marks: readonly WorkMark[] }
  | { error: string }
  | null;

/** Adds a mark of `moment` to session `key` from the command's look, else captured now. */
export async function recordMark(
  root: string,
  paths: ProjectPaths,
  key: string,
  moment: MarkMoment,
  now: Date,
  look?: WorkLook,
): Promise<MarkOutcome> {
  try {
    if (!isMarkKey(key)) return null;
    const captured = await markCapture(root, look);
    if (captured === null) return null;
    const record = await readMarks(paths, key);
    const message = `mpm ${moment}: ${key}`;
    const { head, leftOut, dirty } = "made" in captured ? captured.made : captured.looked;
    const usable = leftOut.length <= MAX_LEFT_OUT;
    let tree: string | null = null;
    let commit: string | null = null;
    const looked = "looked" in captured ? captured.looked : null;
    if (usable && looked) {
      ({ tree, commit } = keptLooked(record, looked.fingerprint) ??
        await keepLooked(root, workRef(key), looked, lastCommit(record), message));
    } else if (usable && "made" in captured && captured.made.tree !== null) {
      tree = captured.made.tree;
      commit = keptAlready(record, head, tree) ?? await keepTree(
        root,
        workRef(key),
        tree,
        { head, previous: lastCommit(record) },
        message,
      );
    }
    const mark: WorkMark = {
      moment,
      at: now.toISOString(),
      head,
      tree,
      commit,
      left_out: usable ? leftOut : [],
      dirty,
      ...(looked ? { looked: looked.fingerprint } : {}),
    };
    const written = withMark(record, key, mark);
    await writeMarks(paths, written);
    return { mark, marks: written.marks };
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
