/**
 * A work tree and the worktrees `mpm branch --worktree` made from it, found through git: a path a
 * record holds is used only once git lists it as a worktree of this repository.
 */
import { MpmError } from "../../kernel/errors.ts";
import { basename } from "../../kernel/path.ts";
import { oneLine } from "../../kernel/safe_text/one_line.ts";
import { findProjectRoot, projectPaths } from "../../disk/paths.ts";
import { listWorktrees } from "../../worktrees/prune.ts";
import { realPathOrNull } from "../../worktrees/git.ts";
import type { State } from "../store/records/state/state.ts";
import { readState } from "../store/state/state_store.ts";
import {
  type ChildWorktree,
  childWorktrees,
  frameWorktree,
  type WorktreeLink,
} from "../report/worktree_link.ts";
import { shellQuote } from "../../kernel/format/text.ts";

/** The state a work tree's own `.claude-mpm/` holds; null when it has none mpm can read. */
async function stateAt(dir: string): Promise<State | null> {
  try {
    const root = await findProjectRoot(dir);
    return root === dir ? await readState(projectPaths(root)) : null;
  } catch {
    return null;
  }
}

/** The other worktrees of the repository holding `root`, as git lists them, where they exist. */
async function siblings(root: string): Promise<{ path: string; real: string }[] | null> {
  const listed = await listWorktrees(root);
  if (!listed.ok) return null;
  const self = await realPathOrNull(root);
  const found = await Promise.all(
    listed.entries.filter((e) => !e.bare).map(async (e) => ({
      path: e.path,
      real: await realPathOrNull(e.path),
    })),
  );
  return found.flatMap((e) => e.real !== null && e.real !== self ? [{ ...e, real: e.real }] : []);
}

export interface WaitingChild {
  name: string;
  path: string;
}

/** This repository's worktrees whose own stack names `root` as parent; empty if git can't list. */
export async function childrenWaiting(root: string): Promise<WaitingChild[]> {
  const others = await siblings(root);
  if (others === null) return [];
  const self = await realPathOrNull(root);
  const children: WaitingChild[] = [];
  for (const other of others) {
    const state = await stateAt(other.path);
    const top = state?.stack.at(-1);
    const link = top ? frameWorktree(top) : null;
    if (!link || (await realPathOrNull(link.parent)) !== self) continue;
    const name = oneLine(top?.child_name ?? basename(other.path), 80);
    children.push({ name, path: other.path });
  }
  return children;
}

/** The state's `pending` worktrees as on disk: unmade ones dropped, ones linked here settled. */
export async function settledWorktrees(state: State): Promise<State> {
  const list = childWorktrees(state);
  if (!list.some((w) => w.pending)) return state;
  const settled: ChildWorktree[] = [];
  for (const w of list) {
    if (!w.pending) settled.push(w);
    else if ((await realPathOrNull(w.path)) === null) continue;
    else {
      const top = (await stateAt(w.path))?.stack.at(-1);
      settled.push(top && frameWorktree(top) ? { ...w, pending: false } : w);
    }
  }
  return { ...state, worktrees: settled } as State;
}

/** What `mpm return` in a parent with an empty stack says when its urgent work is elsewhere. */
export function childrenElsewhere(children: readonly WaitingChild[]): MpmError | null {
  const [first] = children;
  if (first === undefined) return null;
  const where = children.length === 1
    ? `the urgent work ${first.name} is in the worktree ${oneLine(first.path)}`
    : `the urgent work is in ${children.length} worktrees (${
      children.map((c) => `${c.name} at ${oneLine(c.path)}`).join(", ")
    })`;
  return new MpmError(
    `There is no parent session to return to here: ${where}.`,
    `Run \`cd ${shellQuote(first.path)} && mpm return\` there to finish it and come back.`,
  );
}

/** The parent a worktree returns to: its link's, else the one whose state lists it, or refused. */
export async function parentOfWorktree(
  root: string,
  link: WorktreeLink,
  session: string | null,
): Promise<string> {
  const others = await siblings(root);
  const repair = `run \`git worktree repair ${shellQuote(root)}\` in its new place, then ` +
    "`mpm return` here again (`mpm resume` here goes on with the work meanwhile).";
  if (others === null) {
    throw new MpmError(
      `This worktree has lost its repository: its parent ${link.parent} moved or is gone, and ` +
        "mpm changed nothing.",
      `If the parent moved, ${repair}`,
    );
  }
  const recorded = await realPathOrNull(link.parent);
  if (recorded !== null && others.some((o) => o.real === recorded)) return link.parent;
  for (const other of session === null ? [] : others) {
    const state = await stateAt(other.path);
    if (state && childWorktrees(state).some((w) => w.session === session)) return other.path;
  }
  throw new MpmError(
    `The parent work tree ${link.parent} is not a worktree of this repository any more (moved ` +
      "or removed?); mpm changed nothing.",
    `If it moved, ${repair}`,
  );
}
