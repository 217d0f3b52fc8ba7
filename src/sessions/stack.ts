/**
 * The stack of parent sessions that `mpm branch` pushes and `mpm return` pops, and how
 * `mpm status` shows it. Pure.
 */
import { NothingToDo } from "../kernel/errors.ts";
import { ago, shortTime } from "./render_report.ts";
import { sessionLabel } from "./session.ts";
import type { ActiveSession, StackFrame, State } from "./state.ts";
import type { Style } from "../kernel/style.ts";
import { todoCounts } from "./todos.ts";

/** The stash message that names a parent's uncommitted work. */
export function stashMessage(snapshotId: string): string {
  return `mpm: ${snapshotId}`;
}

export interface FrameInput {
  parent: ActiveSession;
  snapshotId: string;
  gitBranch: string | null;
  gitHead: string | null;
  stash: string | null;
  childGitBranch: string | null;
  now: Date;
}

export function frameFor(input: FrameInput): StackFrame {
  return {
    snapshot_id: input.snapshotId,
    key: input.parent.key,
    name: input.parent.name,
    git_branch: input.gitBranch,
    git_head: input.gitHead,
    stash: input.stash,
    child_git_branch: input.childGitBranch,
    branched_at: input.now.toISOString(),
    // What the branched snapshot holds, so nothing but the snapshot itself is unsaved.
    session: { ...input.parent, dirty: false },
  };
}

/** The state after branching: the parent pushed, the child active on top of it. */
export function pushed(state: State, frame: StackFrame, child: ActiveSession): State {
  return { ...state, active: child, stack: [...state.stack, frame] };
}

/** The frame `mpm return` goes back to; an empty stack is exit 3. */
export function topFrame(state: State): StackFrame {
  const frame = state.stack.at(-1);
  if (!frame) {
    throw new NothingToDo(
      "There is no parent session to return to: the stack is empty.",
      "`mpm branch NAME` starts a child session; `mpm status` shows where you are.",
    );
  }
  return frame;
}

/** The state after returning: the frame popped and its session active again. */
export function popped(state: State, parent: ActiveSession): State {
  return { ...state, active: parent, stack: state.stack.slice(0, -1) };
}

/** The stack as `mpm status` lists it: the direct parent first, the bottom last. */
export function deepestFirst(stack: readonly StackFrame[]): StackFrame[] {
  return [...stack].reverse();
}

/** A frame for `--json` output: without the saved session, which `active` already shows. */
export function frameSummary(frame: StackFrame, depth: number) {
  const { session, ...rest } = frame;
  return {
    ...rest,
    depth,
    task: session?.task ?? null,
    todos: session ? todoCounts(session.todos) : null,
  };
}

export interface StatusView {
  state: State;
  latest: { id: string; summary: string | null; paused_at: string | null } | null;
  now: Date;
}

function where(frame: StackFrame): string {
  const branch = frame.git_branch ??
    (frame.git_head ? `detached ${frame.git_head.slice(0, 7)}` : null);
  const parts = [branch ? `git: ${branch}` : "no git"];
  parts.push(frame.stash ? `stash: "${frame.stash}"` : "no stash");
  return parts.join(", ");
}

/** `mpm status` for people. */
export function renderStatus(view: StatusView, s: Style): string[] {
  const { active, stack } = view.state;
  const lines: string[] = [];
  if (active) {
    const counts = todoCounts(active.todos);
    // An ad-hoc session's label says so already, unless it was given a name.
    const adhoc = active.adhoc && active.name ? " (ad-hoc)" : "";
    lines.push(`${s.bold("Active:")} ${sessionLabel(active)}${adhoc}`);
    if (active.task) lines.push(`  Task:     ${active.task}`);
    if (active.template) lines.push(`  Template: ${active.template}`);
    lines.push(
      `  Started:  ${shortTime(active.started_at)} (${ago(new Date(active.started_at), view.now)})`,
    );
    if (active.resumed_from) lines.push(`  Resumed:  from ${active.resumed_from}`);
    lines.push(`  Todos:    ${counts.open} open, ${counts.done} done`);
    if (active.dirty) lines.push(`  Not saved in a snapshot yet (\`mpm pause\` saves it).`);
  } else {
    lines.push(
      `${s.bold("Active:")} none${stack.length ? " (the branched session is paused)" : ""}`,
    );
  }
  if (stack.length > 0) {
    lines.push("", s.bold(`Stack (${stack.length}, deepest first):`));
    deepestFirst(stack).forEach((frame, i) => {
      const name = frame.name ?? (frame.session ? sessionLabel(frame.session) : frame.key);
      lines.push(`  ${stack.length - 1 - i}. ${name}  ${frame.snapshot_id}`);
      lines.push(`     ${where(frame)}`);
    });
    lines.push("", "`mpm return` goes back to the parent.");
  }
  const latest = view.latest;
  lines.push("");
  if (latest) {
    const when = latest.paused_at ? ` (${ago(new Date(latest.paused_at), view.now)})` : "";
    lines.push(`${s.bold("Latest pause:")} ${latest.id}${when}`);
    if (latest.summary) lines.push(`  ${latest.summary}`);
  } else {
    lines.push(`${s.bold("Latest pause:")} none`);
  }
  return lines;
}

/** The parts of `git status` that decide whether work is uncommitted. */
export interface TreeStatus {
  staged: string[];
  modified: string[];
  untracked: string[];
  deleted: string[];
  renamed: { from: string; to: string }[];
  conflicted: string[];
}

/** Paths with changes git tracks (staged, modified, deleted, renamed, unmerged). */
export function trackedChanges(status: TreeStatus): string[] {
  return [
    ...new Set([
      ...status.staged,
      ...status.modified,
      ...status.deleted,
      ...status.renamed.map((r) => r.to),
      ...status.conflicted,
    ]),
  ];
}

/** Every uncommitted path, untracked files included (what `git stash -u` would take). */
export function uncommitted(status: TreeStatus): string[] {
  return [...new Set([...trackedChanges(status), ...status.untracked])];
}

/** "a.txt, b.txt and 3 more", for messages. */
export function fewPaths(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).join(", ");
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}
