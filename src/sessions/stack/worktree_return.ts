/**
 * `mpm return` in a `--worktree` child: the child is paused, and the worktree removed only when
 * nothing would be lost (clean, HEAD merged or pushed; ignored files only with `--force`); else
 * the frame stays and the parent's state says why.
 */
import { readGitState } from "../../git/tree/status.ts";
import { commitSafety, ignoredPaths, removeWorktree } from "../../git/tree/worktree.ts";
import type { Env } from "../../cli/env.ts";
import { oneLine } from "../../kernel/safe_text/one_line.ts";
import type { ActiveSession, State } from "../store/records/state/state.ts";
import { changeState, readState } from "../store/state/state_store.ts";
import { stateOptions } from "../store/session/active.ts";
import { openProject, type Project } from "../store/session/project.ts";
import { takeSnapshot } from "../store/session/take_snapshot.ts";
import { uncommitted } from "../store/records/snapshot/changes.ts";
import {
  type ChildWorktree,
  childWorktrees,
  removalDecision,
  withChild,
  withoutChild,
  type WorktreeLink,
} from "../report/worktree_link.ts";
import { parentOfWorktree } from "./worktree_family.ts";
import { shellQuote } from "../../kernel/format/text.ts";

export interface WorktreeReturn {
  link: WorktreeLink;
  /** The child session paused or completed now (null when it had been paused already). */
  child: ActiveSession | null;
  snapshot: string | null;
  removed: boolean;
  reason: string;
  /** Ignored files in the worktree: what kept it, or (--force) what went with it. */
  ignored: string[];
  /** The parent's branch and its active session's name, to say where it is. */
  parentBranch: string | null;
  parentSession: string | null;
}

export async function returnFromWorktree(
  env: Env,
  project: Project,
  link: WorktreeLink,
  words: { summary: string | undefined; accomplishments: string[] },
  force = false,
): Promise<WorktreeReturn> {
  const { root, paths } = project;
  const now = env.now();
  const state = await readState(paths);
  // A child a kept return paused: its frame holds it, for the record the parent keeps.
  const pausedBefore = (state.stack.at(-1) as Record<string, unknown> | undefined)
    ?.paused_session as ActiveSession | undefined;
  const session = state.active?.key ?? pausedBefore?.key ?? null;
  // Where the two are now (either may have moved since the link was written).
  link = { ...link, parent: await parentOfWorktree(root, link, session), path: root };
  const ours = (w: ChildWorktree) => w.path === root || (session !== null && w.session === session);
  const [git, parentGit, ignoredAll] = await Promise.all([
    readGitState(root),
    readGitState(link.parent),
    ignoredPaths(root),
  ]);
  // mpm's own folder goes with the worktree: the child's record is kept by the parent.
  const ignored = ignoredAll?.filter((p) => p !== ".claude-mpm/" && !p.startsWith(".claude-mpm/"));
  const head = git?.status.head ?? null;
  const safety = head
    ? await commitSafety(root, head, parentGit?.status.head ?? null)
    : { merged: false, pushedTo: [] };
  const judged = removalDecision({
    dirty: git ? uncommitted(git.status) : [],
    branch: git?.status.branch ?? null,
    merged: safety.merged,
    pushedTo: safety.pushedTo,
    parentBranch: parentGit?.status.branch ?? null,
  });
  const decision = !judged.remove || force || ignored?.length === 0 ? judged : {
    remove: false,
    reason: ignored === undefined
      ? "git could not list its ignored files, which removing it would delete"
      : `it holds ignored files that removing it would delete (${fewNames(ignored)})`,
  };
  const request = {
    summary: words.summary,
    accomplishments: words.accomplishments,
    nextSteps: [],
    todos: [],
    trigger: "return" as const,
  };
  const child = state.active ?? (decision.remove ? pausedBefore ?? null : null);
  let snapshot: string | null = null;
  const parentPaths = (await openProject({ ...env, cwd: link.parent }, { writes: true })).paths;
  if (decision.remove) {
    // The worktree's own records go with it: the child's last snapshot is kept by the parent.
    if (child) {
      snapshot = (await takeSnapshot({
        root,
        paths: parentPaths,
        now,
        session: child,
        state: "completed",
        git,
        request,
      })).snapshot.session_id;
    }
    await removeWorktree(link.parent, root);
    await changeState(parentPaths, "return", (s: State) =>
      Promise.resolve({
        state: childWorktrees(s).filter(ours).reduce((t, w) => withoutChild(t, w.path), s),
        result: null,
        event: { command: "return", worktree: root, removed: true, snapshot },
      }), stateOptions(env));
  } else {
    await changeState(paths, "return", async (s: State) => {
      const active = s.active;
      if (active) {
        snapshot = (await takeSnapshot({
          root,
          paths,
          now,
          session: active,
          state: "paused",
          git,
          request,
          mark: "return",
        })).snapshot.session_id;
      }
      // The frame stays: the worktree still links to its parent, and a later return tries again.
      const top = s.stack.at(-1);
      const stack = active && top
        ? [...s.stack.slice(0, -1), { ...top, paused_session: { ...active, dirty: false } }]
        : s.stack;
      return {
        state: { ...s, active: null, stack },
        result: null,
        event: {
          command: "return",
          worktree: root,
          removed: false,
          snapshot,
          ...(active ? { transition: { from: "active", to: "paused" } } : {}),
        },
      };
    }, stateOptions(env));
    await changeState(parentPaths, "return", (s: State) => {
      const entry = childWorktrees(s).find(ours);
      const kept = entry && { ...entry, path: root, kept: decision.reason, pending: false };
      return Promise.resolve({
        state: entry && kept ? withChild(withoutChild(s, entry.path), kept) : s,
        result: null,
        event: { command: "return", worktree: root, removed: false },
      });
    }, stateOptions(env));
  }
  const parentState = await readState(parentPaths).catch(() => null);
  return {
    link,
    child,
    snapshot,
    removed: decision.remove,
    reason: decision.reason,
    ignored: ignored ?? [],
    parentBranch: parentGit?.status.branch ?? null,
    parentSession: parentState?.active?.name ?? parentState?.active?.key ?? null,
  };
}

/** What `mpm return` prints after leaving a worktree. */
export function renderWorktreeReturn(out: WorktreeReturn, parentName: string | null): string[] {
  const lines: string[] = [];
  const child = out.child?.name ?? out.child?.key ?? "The child session";
  if (out.child && out.snapshot) {
    lines.push(
      out.removed
        ? `✓ Completed ${child} (${out.snapshot}); its record is kept in ${out.link.parent}/.claude-mpm/`
        : `✓ Paused ${child} (${out.snapshot}) in the worktree`,
    );
  } else {
    lines.push("No active child session to pause (it was paused).");
  }
  if (out.removed) {
    lines.push(`✓ Removed the worktree ${out.link.path}: ${out.reason}`);
    if (out.ignored.length > 0) {
      lines.push(`  Its ignored files went with it (--force): ${fewNames(out.ignored)}.`);
    }
    lines.push(`  The git branch ${out.link.branch} stays (mpm never deletes a branch).`);
  } else if (out.ignored.length > 0) {
    lines.push(`⚠ Kept the worktree ${out.link.path}: ${out.reason}.`);
    lines.push(
      "  Move out what you want to keep, then `mpm return --force` there removes it with " +
        "them; `mpm resume` there goes on with it.",
    );
  } else {
    lines.push(`⚠ Kept the worktree ${out.link.path}: ${out.reason}.`);
    lines.push(
      "  Commit and merge (or push) its work, then `mpm return` there again removes it; " +
        "`mpm resume` there goes on with it.",
    );
  }
  const who = out.parentSession ?? parentName;
  const on = out.parentBranch ? ` on git branch ${out.parentBranch}` : "";
  lines.push(
    "",
    `The parent${who ? ` ${who}` : ""} is in ${out.link.parent}${on}:`,
    `  cd ${shellQuote(out.link.parent)}`,
  );
  return lines;
}

/** Up to three names, each one line without control bytes, then how many more. */
function fewNames(names: readonly string[]): string {
  const more = names.length > 3 ? ` and ${names.length - 3} more` : "";
  return names.slice(0, 3).map((n) => oneLine(n, 120)).join(", ") + more;
}
