/**
 * The link `mpm branch NAME --worktree` records: the worktree's one frame names the parent
 * (`worktree`), and the parent's state lists its worktrees (`worktrees`). Pure.
 */
import { join } from "../../kernel/path.ts";
import type { StackFrame, State } from "../store/records/state/state.ts";

/** On the worktree's frame: where the parent is, and what was made for the child. */
export interface WorktreeLink {
  parent: string;
  path: string;
  branch: string;
  /** mpm created the branch (from `from`); false: an existing branch was checked out. */
  created: boolean;
  from: string;
}

/** In the parent's state: one worktree made from here. */
export interface ChildWorktree {
  name: string;
  path: string;
  branch: string;
  session: string;
  created_at: string;
  /** Set by a `mpm return` that kept the worktree: why it stayed. */
  kept?: string | null;
  /** Set before `git worktree add`, cleared once the child's session is recorded. */
  pending?: boolean;
}

/** Where `mpm branch NAME --worktree` puts it: where `claude --worktree NAME` does. */
export function defaultWorktreePath(root: string, name: string): string {
  return join(root, ".claude", "worktrees", name);
}

/** The branch `claude --worktree NAME` would make, for the same name. */
export function defaultWorktreeBranch(name: string): string {
  return `worktree-${name}`;
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

/** The frame's link to its parent work tree, when the frame was made by `--worktree`. */
export function frameWorktree(frame: StackFrame): WorktreeLink | null {
  const link = (frame as Record<string, unknown>).worktree as Record<string, unknown> | undefined;
  if (!link || typeof link !== "object") return null;
  if (!isText(link.parent) || !isText(link.path) || !isText(link.branch)) return null;
  return {
    parent: link.parent,
    path: link.path,
    branch: link.branch,
    created: link.created === true,
    from: isText(link.from) ? link.from : "",
  };
}

/** The worktrees the parent's state lists. */
export function childWorktrees(state: State): ChildWorktree[] {
  const list = (state as Record<string, unknown>).worktrees;
  if (!Array.isArray(list)) return [];
  return list.filter((w): w is ChildWorktree =>
    w !== null && typeof w === "object" && isText(w.name) && isText(w.path) &&
    isText(w.branch) && isText(w.session) && isText(w.created_at)
  );
}

/** The parent's state with `child` listed (one entry per path). */
export function withChild(state: State, child: ChildWorktree): State {
  const rest = childWorktrees(state).filter((w) => w.path !== child.path);
  return { ...state, worktrees: [...rest, child] } as State;
}

/** The parent's state without the worktree at `path`. */
export function withoutChild(state: State, path: string): State {
  return { ...state, worktrees: childWorktrees(state).filter((w) => w.path !== path) } as State;
}

export interface RemovalFacts {
  /** Uncommitted paths in the worktree, untracked included (mpm's own folder is ignored). */
  dirty: readonly string[];
  branch: string | null;
  /** The worktree's HEAD is in the parent's HEAD history. */
  merged: boolean;
  pushedTo: readonly string[];
  parentBranch: string | null;
}

/** Whether `mpm return` may remove the worktree, and the one sentence that says why (not). */
export function removalDecision(facts: RemovalFacts): { remove: boolean; reason: string } {
  const what = facts.branch ? `branch ${facts.branch}` : "its HEAD";
  const into = facts.parentBranch ?? "the parent's HEAD";
  if (facts.dirty.length > 0) {
    const shown = facts.dirty.slice(0, 3).join(", ");
    const more = facts.dirty.length > 3 ? ` and ${facts.dirty.length - 3} more` : "";
    return { remove: false, reason: `it has uncommitted changes (${shown}${more})` };
  }
  if (facts.merged) {
    return { remove: true, reason: `it is clean and ${what} is merged into ${into}` };
  }
  if (facts.pushedTo.length > 0) {
    return { remove: true, reason: `it is clean and ${what} is pushed to ${facts.pushedTo[0]}` };
  }
  return {
    remove: false,
    reason: `${what} has commits neither merged into ${into} nor pushed`,
  };
}

/** The lines `mpm status` and `mpm list` show in the parent for its worktrees. */
export function renderChildWorktrees(list: readonly ChildWorktree[]): string[] {
  if (list.length === 0) return [];
  return [
    `Worktrees for urgent work (${list.length}):`,
    ...list.map((w) =>
      `  ${w.name} at ${w.path} (git: ${w.branch})` +
      (w.pending
        ? ": an interrupted `mpm branch --worktree` left it with no session; " +
          "`mpm worktrees prune` removes it while it holds no work"
        : w.kept
        ? `: kept, ${w.kept}`
        : "")
    ),
  ];
}

/** A worktree's line for its parent: the parent session's name, else its folder. */
export function renderParentLink(link: WorktreeLink, parentName: string | null): string {
  const parent = parentName ? `${parentName} in ${link.parent}` : link.parent;
  return `Worktree of ${parent} (\`mpm return\` here goes back there).`;
}

/** The link lines for a work tree's state: its parent, when it is a worktree; its worktrees. */
export function linkLines(state: State): string[] {
  const top = state.stack.at(-1);
  const link = top ? frameWorktree(top) : null;
  return [
    ...(link && top ? [renderParentLink(link, top.name)] : []),
    ...renderChildWorktrees(childWorktrees(state)),
  ];
}
