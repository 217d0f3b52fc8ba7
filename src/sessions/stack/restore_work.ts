/**
 * Giving a parent's stashed work back, checked: applied (never popped), lost staging restored,
 * the tree compared with `mpm branch`'s record, the stash dropped only when all is exact. A
 * killed run's half-applied stash is undone (its paths only) and applied again.
 */
import { MpmError } from "../../kernel/errors.ts";
import type { Env } from "../../cli/env.ts";
import { failPoint } from "../../disk/files/faults/fail_point.ts";
import {
  commitExists,
  findStashByMessage,
  stashApply,
  stashDrop,
  stashUntrackedPaths,
} from "../../git/tree/stash.ts";
import {
  type PathRecord,
  readTreeRecord,
  restoreFromHead,
  setIndexEntries,
} from "../../git/objects/tree_record.ts";
import { fewPaths } from "../report/stack.ts";
import { compareTrees, indexFixes, type RestoreReport } from "./restore_report.ts";

export type RestoreStatus =
  /** Applied, and the tree is exactly as recorded (or no record to compare): stash dropped. */
  | "applied"
  /** The work was already in place (an interrupted branch never finished stashing). */
  | "in-place"
  /** Applied, but not exactly: the staging could not all come back. Stash kept. */
  | "inexact"
  /** git stopped: unmerged paths, or files in the way. Stash kept. */
  | "conflict"
  /** No stash by that message, and the work is not in place. */
  | "missing";

export interface RestoreOutcome {
  status: RestoreStatus;
  message: string;
  /** Where the stash is now when it is kept (`stash@{N}`), else null. */
  ref: string | null;
  /** git's words when it did not apply cleanly. */
  detail: string;
  /** Path by path, when the frame recorded the tree at `mpm branch`. */
  report: RestoreReport | null;
  /** "missing" only: the stash's commit while git still holds it (`git stash apply --index`). */
  commit: string | null;
}

export interface RestoreInput {
  env: Env;
  root: string;
  stash: string;
  /** The stash's commit, as `mpm branch` recorded it. */
  commit?: string | null;
  /** The record taken at `mpm branch`; null outside git. */
  tree: PathRecord[] | null;
  /** A previous run may have applied part of the stash: check and undo before applying. */
  resuming: boolean;
  /** Untracked paths there before any apply began: never mpm's to remove. */
  untrackedBefore: readonly string[];
}

async function readNow(root: string, tree: PathRecord[]): Promise<PathRecord[]> {
  return (await readTreeRecord(root, tree.map((p) => p.path))).paths;
}

/** Every recorded path is exactly as it was (the work is in place). */
function inPlace(tree: PathRecord[], now: PathRecord[]): boolean {
  return compareTrees(tree, now, { stashKept: null, shared: false }).exact;
}

/** Undoes an interrupted apply of this stash: its paths only, when nothing else is dirty. */
async function undoHalfApply(input: RestoreInput, tree: PathRecord[]): Promise<void> {
  const ours = new Set(tree.map((p) => p.path));
  const now = await readTreeRecord(input.root);
  const keep = new Set(input.untrackedBefore);
  const foreign = now.paths.filter((p) => !ours.has(p.path) && !p.untracked).map((p) => p.path);
  if (foreign.length > 0) {
    throw new MpmError(
      `An interrupted \`mpm return\` left work half re-applied, and ${fewPaths(foreign)} ` +
        "changed since: mpm will not undo what it did not write.",
      `Commit or stash those yourself, then run \`mpm return\` again; the parent's work is safe ` +
        `in the stash "${input.stash}".`,
    );
  }
  const written = now.paths.filter((p) => ours.has(p.path) && !keep.has(p.path));
  await restoreFromHead(input.root, written.map((p) => p.path));
}

/** The folders `path` lies in, outermost first ("a/b/c" → "a", "a/b"). */
function foldersOf(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** The untracked paths git would not write the stash's untracked files over. Pure. */
export function pathsInTheWay(untracked: readonly string[], held: readonly string[]): string[] {
  const files = new Set(held);
  const folders = new Set(held.flatMap(foldersOf));
  return untracked.filter((path) => {
    const bare = path.replace(/\/$/, "");
    return files.has(bare) || folders.has(bare) || foldersOf(bare).some((f) => files.has(f));
  });
}

/** Untracked files in the way of stash `message` (`git stash apply` would refuse); [] if gone. */
export async function untrackedInTheWay(
  root: string,
  message: string,
  untracked: readonly string[],
): Promise<string[]> {
  if (untracked.length === 0) return [];
  const ref = await findStashByMessage(root, message);
  return ref ? pathsInTheWay(untracked, await stashUntrackedPaths(root, ref)) : [];
}

/** Re-applies the parent's stash, checked against the record; see the header. */
export async function restoreParentWork(input: RestoreInput): Promise<RestoreOutcome> {
  const { root, stash, tree } = input;
  const base = { message: stash, detail: "", commit: null };
  const plain = (now: PathRecord[]) =>
    compareTrees(tree ?? [], now, { stashKept: null, shared: false });
  let ref = await findStashByMessage(root, stash);
  if (!ref) {
    // Dropped by an earlier run that was stopped before it could record so, or by hand.
    const now = tree ? await readNow(root, tree) : null;
    if (tree && now && inPlace(tree, now)) {
      return { ...base, status: "in-place", ref: null, report: plain(now) };
    }
    const commit = input.commit && (await commitExists(root, input.commit)) ? input.commit : null;
    return { ...base, status: "missing", ref: null, report: now && plain(now), commit };
  }
  if (input.resuming && tree) {
    const now = await readNow(root, tree);
    if (inPlace(tree, now)) {
      // Fully applied (or never taken away): the stash is a copy of what is there.
      await dropByMessage(root, stash);
      return { ...base, status: "in-place", ref: null, report: plain(now) };
    }
    await undoHalfApply(input, tree);
  }
  failPoint(input.env.vars, "return-before-apply");
  const applied = await stashApply(root, ref);
  failPoint(input.env.vars, "return-after-apply");
  let now: PathRecord[] = [];
  if (tree) {
    // Re-stage what git could not, wherever the child left the file alone.
    now = await readNow(root, tree);
    const fixes = indexFixes(tree, now);
    if (fixes.length > 0) {
      await setIndexEntries(root, fixes);
      now = await readNow(root, tree);
    }
  }
  const exact = tree ? plain(now).exact : applied.index;
  if (applied.applied && exact) {
    await dropByMessage(root, stash);
    return { ...base, status: "applied", ref: null, report: tree && plain(now) };
  }
  ref = (await findStashByMessage(root, stash)) ?? ref;
  const report = tree ? compareTrees(tree, now, { stashKept: stash, shared: false }) : null;
  const conflicted = !applied.applied ||
    (report?.files.some((f) => f.now === "conflict") ?? false);
  return {
    ...base,
    status: conflicted ? "conflict" : "inexact",
    ref,
    detail: applied.applied ? "" : applied.message,
    report,
  };
}

async function dropByMessage(root: string, message: string): Promise<void> {
  // Found again just before dropping: the user may have stashed something meanwhile.
  const ref = await findStashByMessage(root, message);
  if (ref) await stashDrop(root, ref);
}
