/** The stack `mpm branch` pushes and `mpm return` pops, and how `mpm status` shows it. Pure. */
import { NothingToDo } from "../../kernel/errors.ts";
import { ago, shortTime } from "./render_report.ts";
import { sessionLabel } from "../store/session/session.ts";
import type { ActiveSession, KeptStash, StackFrame, State } from "../store/records/state/state.ts";
import type { Style } from "../../kernel/format/style.ts";
import { headToShow, shown } from "../../kernel/safe_text/shown.ts";
import { cut } from "../../kernel/safe_text/inert.ts";
import type { SessionState } from "../../kernel/snapshot.ts";
import type { PathRecord } from "../../git/objects/tree_record.ts";
import { todoCounts } from "../store/records/state/todos.ts";
import { type AgentName, otherAgentLabel } from "../../kernel/agent_name.ts";
import type { GitOperation } from "../../git/tree/operation.ts";
import { ownedBy } from "../../git/tree/stash.ts";
import {
  childWorktrees,
  frameWorktree,
  renderChildWorktrees,
  renderParentLink,
} from "./worktree_link.ts";
import { pushAll } from "../../kernel/lists.ts";

/** How much of the latest summary `mpm status` shows; `mpm show` prints it whole. */
const MAX_STATUS_SUMMARY_CHARS = 1200;

/** The stash message naming a parent's work (and its linked worktree: they share one list). */
export function stashMessage(snapshotId: string, worktree: string | null = null): string {
  return ownedBy(`mpm: ${snapshotId}`, worktree);
}

export interface FrameInput {
  /** The parent session; null when nothing was active (the child then has no parent). */
  parent: ActiveSession | null;
  snapshotId: string | null;
  gitBranch: string | null;
  gitHead: string | null;
  stash: string | null;
  childGitBranch: string | null;
  childName?: string;
  /** The parent's uncommitted paths (null outside git). */
  tree?: PathRecord[] | null;
  now: Date;
}

/** The frame `mpm branch` records before it changes anything (phase "branching"). */
export function frameFor(input: FrameInput): StackFrame {
  return {
    snapshot_id: input.snapshotId,
    key: input.parent?.key ?? null,
    name: input.parent?.name ?? null,
    git_branch: input.gitBranch,
    git_head: input.gitHead,
    stash: input.stash,
    child_git_branch: input.childGitBranch,
    child_name: input.childName ?? null,
    branched_at: input.now.toISOString(),
    phase: "branching",
    tree: input.tree ?? null,
    // What the branched snapshot holds, so nothing but the snapshot itself is unsaved.
    ...(input.parent ? { session: { ...input.parent, dirty: false } } : {}),
  };
}

export function hasParent(frame: StackFrame): boolean {
  return frame.snapshot_id !== null;
}

/** How a frame's parent is named to people. */
export function frameLabel(frame: StackFrame): string {
  if (frameWorktree(frame)) return frame.name ?? "the parent work tree";
  if (!hasParent(frame)) return "no parent session";
  return frame.name ?? (frame.session ? sessionLabel(frame.session) : frame.key ?? "the parent");
}

/** A frame `mpm branch` or `mpm return` began and did not finish; `mpm return` completes it. */
export function unfinished(frame: StackFrame): "branch" | "return" | null {
  if (frame.phase === "branching") return "branch";
  if (frame.phase === "returning") return "return";
  return null;
}

export interface OrphanStash {
  ref: string;
  message: string;
  /** The one command that puts the work back. */
  restore: string;
}

/** Stashes mpm made that no frame names; not those `mpm return` kept, nor another worktree's. */
export function orphanStashes(
  stashes: readonly { ref: string; message: string; here?: boolean }[],
  stack: readonly StackFrame[],
  kept: readonly KeptStash[] = [],
): OrphanStash[] {
  const named = new Set([
    ...stack.map((f) => f.stash).filter((m) => m !== null),
    ...kept.map((k) => k.message),
  ]);
  return stashes
    .filter((s) => s.here !== false && s.message.startsWith("mpm: ") && !named.has(s.message))
    .map((s) => ({ ref: s.ref, message: s.message, restore: `git stash pop --index '${s.ref}'` }));
}

export interface KeptNow extends KeptStash {
  ref: string;
}

/** The kept stashes that still exist, with where each is now. */
export function keptStashes(
  stashes: readonly { ref: string; message: string }[],
  kept: readonly KeptStash[],
): KeptNow[] {
  return kept.flatMap((k) => {
    const found = stashes.find((s) => s.message === k.message);
    return found ? [{ ...k, ref: found.ref }] : [];
  });
}

/** Lines naming the stashes `mpm return` kept (none when there are none). */
export function renderKept(kept: readonly KeptNow[]): string[] {
  if (kept.length === 0) return [];
  return [
    "Kept by `mpm return` (the work came back, but not exactly; the files were named then):",
    ...kept.map((k) =>
      `  ${k.ref} "${k.message}": \`git stash show -p '${k.ref}'\` shows it; ` +
      `\`git stash drop '${k.ref}'\` once your files are right`
    ),
  ];
}

/** Lines naming orphan stashes and how to restore each (none when there are none). */
export function renderOrphans(orphans: readonly OrphanStash[]): string[] {
  if (orphans.length === 0) return [];
  const lines = [
    orphans.length === 1
      ? "A stash mpm made is named by no session on the stack:"
      : `${orphans.length} stashes mpm made are named by no session on the stack:`,
  ];
  for (const o of orphans) lines.push(`  ${o.ref} "${o.message}": \`${o.restore}\` restores it`);
  return lines;
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

/** The stack as `mpm status` lists it: the direct parent first, the bottom last. */
export function deepestFirst(stack: readonly StackFrame[]): StackFrame[] {
  return [...stack].reverse();
}

/** A frame for `--json` output: without the saved session (`active` shows it) or the record. */
export function frameSummary(frame: StackFrame, depth: number) {
  const { session, tree, returning: _returning, ...rest } = frame;
  return {
    ...rest,
    phase: frame.phase ?? "ready",
    recorded_paths: tree?.length ?? null,
    depth,
    task: session?.task ?? null,
    todos: session ? todoCounts(session.todos) : null,
  };
}

export interface StatusView {
  state: State;
  /** The agent the active session's hooks saw last (Claude Code's when none was seen). */
  activeAgent?: AgentName;
  orphans?: readonly OrphanStash[];
  kept?: readonly KeptNow[];
  /** `elsewhere`: a snapshot this machine did not write (kernel/snapshot.ts `writtenElsewhere`). */
  latest:
    | {
      id: string;
      summary: string | null;
      paused_at: string | null;
      elsewhere?: boolean;
      /** The snapshot's state: a pause unless said (a child's return completes it). */
      state?: SessionState;
      /** Its file could not be read (damaged, not mpm's): named, and nothing of it told. */
      unreadable?: boolean;
      /** The agent it was written in; absent: Claude Code. */
      agent?: AgentName;
    }
    | null;
  now: Date;
}

function where(frame: StackFrame): string {
  const link = frameWorktree(frame);
  if (link) return `in ${link.parent} (this is its worktree, on git: ${link.branch})`;
  const branch = frame.git_branch ??
    (frame.git_head ? `detached ${frame.git_head.slice(0, 7)}` : null);
  const parts = [branch ? `git: ${branch}` : "no git"];
  parts.push(frame.stash ? `stash: "${frame.stash}"` : "no stash");
  return parts.join(", ");
}

export function renderStatus(view: StatusView, s: Style): string[] {
  const { active, stack } = view.state;
  const lines: string[] = [];
  if (active) {
    const counts = todoCounts(active.todos);
    // An ad-hoc session's label says so already, unless it was given a name.
    const adhoc = active.adhoc && active.name ? " (ad-hoc)" : "";
    lines.push(`${s.bold("Active:")} ${sessionLabel(active)}${adhoc}`);
    if (active.task) {
      lines.push(`  Task:     ${shown(active.task, { as: "indented", indent: " ".repeat(12) })}`);
    }
    if (active.template) lines.push(`  Template: ${active.template}`);
    lines.push(
      `  Started:  ${shortTime(active.started_at)} (${ago(new Date(active.started_at), view.now)})`,
    );
    if (active.resumed_from) lines.push(`  Resumed:  from ${active.resumed_from}`);
    const agent = view.activeAgent && otherAgentLabel(view.activeAgent);
    if (agent) lines.push(`  Agent:    ${agent}`);
    lines.push(`  Todos:    ${counts.open} open, ${counts.done} done`);
    if (active.dirty) lines.push(`  Not saved in a snapshot yet (\`mpm pause\` saves it).`);
  } else {
    lines.push(
      `${s.bold("Active:")} none${stack.length ? " (the branched session is paused)" : ""}`,
    );
  }
  if (stack.length > 0) {
    // The top of the stack (the direct parent, `mpm return`'s target) first, the bottom last.
    lines.push("", s.bold(`Stack (${stack.length}, the direct parent first):`));
    deepestFirst(stack).forEach((frame, i) => {
      const id = frame.snapshot_id ? `  ${frame.snapshot_id}` : "";
      lines.push(`  ${stack.length - 1 - i}. ${frameLabel(frame)}${id}`);
      lines.push(`     ${where(frame)}`);
      const left = unfinished(frame);
      if (left) {
        lines.push(
          s.yellow(
            `     ⚠ an interrupted \`mpm ${left}\`: \`mpm return\` ` +
              (left === "branch" ? "undoes it" : "finishes it"),
          ),
        );
      }
    });
    const top = stack.at(-1)!;
    const link = frameWorktree(top);
    lines.push(
      "",
      link
        ? renderParentLink(link, top.name)
        : hasParent(top)
        ? "`mpm return` goes back to the parent."
        : "`mpm return` completes the child (it has no parent session) and restores git's side.",
    );
  }
  const children = renderChildWorktrees(childWorktrees(view.state));
  if (children.length > 0) pushAll(lines, ["", ...children]);
  const kept = renderKept(view.kept ?? []);
  if (kept.length > 0) pushAll(lines, ["", ...kept]);
  const orphans = renderOrphans(view.orphans ?? []);
  if (orphans.length > 0) {
    pushAll(lines, ["", ...orphans.map((l, i) => (i === 0 ? s.yellow(`⚠ ${l}`) : l))]);
  }
  const latest = view.latest;
  lines.push("");
  if (latest?.unreadable) {
    lines.push(
      `${s.bold("Latest snapshot:")} ${latest.id}, ${
        s.yellow("unreadable")
      } (\`mpm show ${latest.id}\` says why)`,
    );
  } else if (latest) {
    const paused = (latest.state ?? "paused") === "paused";
    const notes = [
      paused ? null : latest.state,
      latest.paused_at ? ago(new Date(latest.paused_at), view.now) : null,
      latest.agent ? otherAgentLabel(latest.agent) : null,
    ].filter((note) => note !== null);
    const when = notes.length ? ` (${notes.join(", ")})` : "";
    const whose = latest.elsewhere ? ", written elsewhere" : "";
    const label = paused ? "Latest pause:" : "Latest snapshot:";
    lines.push(`${s.bold(label)} ${latest.id}${when}${whose}`);
    // Its later lines sit under the first: none can pass for a line of mpm's own.
    if (latest.summary) {
      // Only its head is redacted: a pulled summary may hold megabytes.
      const head = headToShow(latest.summary, MAX_STATUS_SUMMARY_CHARS);
      const summary = shown(head, { as: "indented", indent: "    " });
      if (head === latest.summary && summary.length <= MAX_STATUS_SUMMARY_CHARS) {
        lines.push(`  ${summary}`);
      } else {
        lines.push(
          `  ${cut(summary, MAX_STATUS_SUMMARY_CHARS)}`,
          s.dim(`  (\`mpm show ${latest.id}\` prints it whole)`),
        );
      }
    }
  } else {
    lines.push(`${s.bold("Latest pause:")} none`);
  }
  return lines;
}

/** How each git operation in progress is named, finished and aborted. */
export const FINISH_OPERATION: Record<
  GitOperation,
  { name: string; finish: string; abort: string }
> = {
  merge: { name: "A merge", finish: "git commit", abort: "git merge --abort" },
  "cherry-pick": {
    name: "A cherry-pick",
    finish: "git cherry-pick --continue",
    abort: "git cherry-pick --abort",
  },
  revert: { name: "A revert", finish: "git revert --continue", abort: "git revert --abort" },
  rebase: { name: "A rebase", finish: "git rebase --continue", abort: "git rebase --abort" },
  am: { name: "A `git am`", finish: "git am --continue", abort: "git am --abort" },
  bisect: { name: "A bisect", finish: "git bisect reset", abort: "git bisect reset" },
};

/** Why `mpm branch` must not stash or switch now (a merge, rebase, bisect…), or null. */
export function operationRefusal(
  operations: readonly GitOperation[],
  what: { stash: boolean; switching: boolean; dirty: boolean },
): { message: string; hint: string } | null {
  if (!what.stash && !what.switching) return null;
  const op = operations.find((o) => o !== "bisect" || what.dirty);
  if (op === undefined) return null;
  const words = FINISH_OPERATION[op];
  const doing = [what.stash ? "stashing" : null, what.switching ? "switching branches" : null]
    .filter(Boolean).join(" and ");
  if (op === "bisect") {
    return {
      message: `A bisect is in progress and the working tree has changes: ${doing} now would ` +
        "carry them away from the commit being tested.",
      hint: "Commit or stash them yourself, or end the bisect (`git bisect reset`), then run " +
        "`mpm branch` again; `mpm branch --worktree` leaves this tree alone.",
    };
  }
  return {
    message: `${words.name} is in progress: ${doing} now would lose it (git keeps its state ` +
      "only in this work tree).",
    hint: `Finish it (\`${words.finish}\`) or abort it (\`${words.abort}\`), then run ` +
      "`mpm branch` again; `mpm branch --worktree` leaves this tree alone.",
  };
}

/** "a.txt, b.txt and 3 more", for messages. */
export function fewPaths(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).join(", ");
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}
