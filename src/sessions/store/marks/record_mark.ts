/**
 * Recording a mark: the work tree captured and kept on the session's ref
 * (src/git/objects/work_keep.ts), and added to its `work-tree.json`. Called under the project's
 * lock by the commands that start, resume, pause or end a session. A mark that cannot be recorded
 * never fails the command that asked for it: the caller gets the reason, and `mpm diff` says what
 * is missing.
 */
import { errorText } from "../../../kernel/errors.ts";
import { startEarly } from "../../../kernel/early.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { keepTree } from "../../../git/objects/work_capture.ts";
import { captureForMark, keepLooked, type MarkCapture } from "../../../git/objects/work_keep.ts";
import type { OnDisk } from "../../../git/objects/blobs.ts";
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
import type { GitStatus } from "../../../git/tree/porcelain.ts";

/**
 * Starts capturing the work tree now; the mark is recorded later with `recordMark`. `known`:
 * the status the command read under the same lock, which the capture starts from when it can,
 * `headTree`, HEAD's tree read with it, and `looked`, the dirty files the command looked at.
 */
export function startCapture(
  root: string,
  known?: GitStatus,
  headTree?: string | null,
  looked?: Promise<Map<string, OnDisk> | null>,
): Promise<MarkCapture | null> {
  return startEarly(() => captureForMark(root, known, headTree, looked));
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
  capture?: Promise<MarkCapture | null>,
): Promise<MarkOutcome> {
  try {
    if (!isMarkKey(key)) return null;
    const captured = await (capture ?? captureForMark(root));
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
