/** What `mpm return` does (return_command.ts declares it and says how it is crash-safe). */
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import { sessionFromSnapshot } from "../store/session/session.ts";
import {
  fewPaths,
  frameLabel,
  keptStashes,
  orphanStashes,
  renderOrphans,
  topFrame,
} from "../report/stack.ts";
import { trackedChanges } from "../store/records/snapshot/changes.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";
import type { ActiveSession, StackFrame, State } from "../store/records/state/state.ts";
import {
  branchExists,
  switchBranch,
  switchDetached,
  worktreeHolding,
} from "../../git/history/branch.ts";
import { commitExists, listStashes } from "../../git/tree/stash.ts";
import { type GitState, readGitState } from "../../git/tree/status.ts";
import { readTreeRecord } from "../../git/objects/tree_record.ts";
import { failPoint } from "../../disk/files/faults/fail_point.ts";
import { changeState, readState, type SaveState } from "../store/state/state_store.ts";
import { loadSnapshotById, stateOptions } from "../store/session/active.ts";
import { openProject, type Project } from "../store/session/project.ts";
import { detectChanges } from "../report/detect_changes.ts";
import type { Env } from "../../cli/env.ts";
import { takeSnapshot } from "../store/session/take_snapshot.ts";
import { recordMark } from "../store/marks/record_mark.ts";
import { finishSnapshot } from "../store/snapshots/save_snapshot.ts";
import { newSessionId } from "../../kernel/ids.ts";
import { type RestoreOutcome, restoreParentWork, untrackedInTheWay } from "./restore_work.ts";
import { shellQuote } from "../../kernel/format/text.ts";
import { compareTrees, type RestoreReport } from "./restore_report.ts";
import { frameWorktree } from "../report/worktree_link.ts";
import { childrenElsewhere, childrenWaiting } from "./worktree_family.ts";
import { pausedChildren } from "./paused_child.ts";
import { pushAll } from "../../kernel/lists.ts";
import { returnRefusal } from "./branch_refusals.ts";
import { operationsInProgress } from "../../git/tree/operation.ts";

interface SwitchBack {
  /** The branch, or the commit's full name when `detached`. */
  to: string;
  detached: boolean;
}

interface Outcome {
  /** "return" normally; "undo-branch" when the frame was an interrupted `mpm branch`. */
  kind: "return" | "undo-branch";
  /** A return a previous, interrupted run had begun. */
  resumed: boolean;
  frame: StackFrame;
  completed: string | null;
  child: ActiveSession | null;
  /** The child was paused (not active) when the return began. */
  childPaused: boolean;
  /** The session active now: the parent, or null when the child had none. */
  parent: ActiveSession | null;
  git: { from: string | null; to: string; detached: boolean } | null;
  /** HEAD's commit when the return began (null outside git or before the first commit). */
  head: string | null;
  /** The branch kept instead of switching back (--keep-branch, now or in the interrupted run). */
  stayed: string | null;
  stash: RestoreOutcome | null;
  /** Without a stash: how the tree compares with the record (the child's leftovers). */
  tree: RestoreReport | null;
}

/** Refuses to switch back to a branch another worktree holds: git would refuse it half-way. */
async function refuseHeldBranch(
  root: string,
  frame: StackFrame,
  target: string,
  current: string | null,
): Promise<void> {
  const holder = await worktreeHolding(root, target);
  if (holder === null) return;
  const restash = frame.stash ? " and the stashed work re-applied here" : "";
  throw new MpmError(
    `The git branch to go back to, "${target}", is checked out in the worktree at ${holder}, ` +
      "and git checks a branch out in one worktree only.",
    `Remove that worktree once its work is saved (\`git worktree remove ${shellQuote(holder)}\`) ` +
      `and run \`mpm return\` again, or run \`mpm return --keep-branch\` to stay on ` +
      `${current ?? "this commit"} (the stack is still popped${restash}).`,
  );
}

/** Where to detach HEAD again when the parent was detached and the child is now on a branch. */
function detachedBack(frame: StackFrame, git: GitState): string | null {
  if (frame.git_branch !== null || !frame.git_head || git.status.branch === null) return null;
  return frame.git_head;
}

async function switchBack(root: string, to: SwitchBack): Promise<void> {
  if (to.detached) await switchDetached(root, to.to);
  else await switchBranch(root, to.to, false);
}

/** Refusals, all before anything is written; returns where to switch back to, if anywhere. */
async function plan(
  root: string,
  git: GitState,
  frame: StackFrame,
  keepBranch: boolean,
  untracked: readonly string[],
) {
  const current = git.status.branch;
  const target = frame.git_branch;
  let switchTo: SwitchBack | null = null;
  if (!keepBranch && target !== null && target !== current) {
    if (!(await branchExists(root, target))) {
      const at = frame.git_head ? ` ${frame.git_head}` : "";
      throw new MpmError(
        `The git branch "${target}" of ${frameLabel(frame)} no longer exists: it was deleted ` +
          "or renamed after `mpm branch`.",
        `Recreate it with \`git branch ${target}${at}\` (or rename it back: ` +
          `\`git branch -m NEW-NAME ${target}\`) and run \`mpm return\` again, or run ` +
          `\`mpm return --keep-branch\` to stay on ${current ?? "this commit"}.`,
      );
    }
    switchTo = { to: target, detached: false };
    await refuseHeldBranch(root, frame, target, current);
  }
  const commit = keepBranch ? null : detachedBack(frame, git);
  if (commit !== null) {
    if (!(await commitExists(root, commit))) {
      throw new MpmError(
        `The commit ${frame.git_head!.slice(0, 7)} that ${frameLabel(frame)} was on (a detached ` +
          "HEAD) is no longer in the repository.",
        `Run \`mpm return --keep-branch\` to stay on ${current}.`,
      );
    }
    switchTo = { to: commit, detached: true };
  }
  const moving = switchTo !== null || frame.stash !== null;
  const halfDone = moving
    ? returnRefusal(git.status.conflicted, await operationsInProgress(root), frameLabel(frame))
    : null;
  if (halfDone) throw new MpmError(halfDone.message, halfDone.hint);
  const tracked = trackedChanges(git.status);
  if (moving && tracked.length > 0) {
    throw new MpmError(
      `The working tree has uncommitted changes (${fewPaths(tracked)}); mpm will not mix them ` +
        `with the work of ${frameLabel(frame)}.`,
      "Commit them (or stash them yourself), then run `mpm return` again.",
    );
  }
  const inTheWay = frame.stash ? await untrackedInTheWay(root, frame.stash, untracked) : [];
  if (inTheWay.length > 0) {
    throw new MpmError(
      `Untracked files in the working tree (${fewPaths(inTheWay)}) are also in the stash ` +
        `\`mpm branch\` made ("${frame.stash}"), and git will not re-apply it over them.`,
      "Commit, move or remove them, then run `mpm return` again.",
    );
  }
  return switchTo;
}

/** The session to make active again: the parent as it was, or none. */
async function parentOf(
  env: Env,
  project: { paths: Parameters<typeof loadSnapshotById>[0] },
  frame: StackFrame,
  rest: StackFrame[],
): Promise<ActiveSession | null> {
  if (!frame.snapshot_id) return null;
  const saved = frame.session ??
    sessionFromSnapshot(await loadSnapshotById(project.paths, frame.snapshot_id), rest, env.now());
  return { ...saved, depth: rest.length, dirty: false };
}

/** The stashes kept on purpose: this return's added, those dropped since left out. */
async function keepStash(
  root: string,
  state: State,
  stash: RestoreOutcome | null,
  now: Date,
): Promise<Pick<State, "kept_stashes">> {
  const before = state.kept_stashes ?? [];
  const stashes = before.length > 0 ? await listStashes(root) : [];
  const still = keptStashes(stashes, before).map(({ ref: _ref, ...k }) => k);
  const added = stash?.ref
    ? [{ message: stash.message, status: stash.status, kept_at: now.toISOString() }]
    : [];
  const kept = [...still.filter((k) => k.message !== stash?.message), ...added];
  return kept.length > 0 || state.kept_stashes !== undefined ? { kept_stashes: kept } : {};
}

/** The parent's stashed work put back, when `mpm branch` stashed some. */
async function parentWork(
  env: Env,
  root: string,
  frame: StackFrame,
  resuming: boolean,
  untrackedBefore: string[],
): Promise<RestoreOutcome | null> {
  const { stash, stash_commit: commit, tree = null } = frame;
  if (!stash) return null;
  return await restoreParentWork({ env, root, stash, commit, tree, resuming, untrackedBefore });
}

/** The child's leftovers, compared with the record, when no stash was involved. */
async function sharedTree(root: string, frame: StackFrame): Promise<RestoreReport | null> {
  if (!frame.tree) return null;
  const now = await readTreeRecord(root, frame.tree.map((p) => p.path));
  return compareTrees(frame.tree, now.paths, { stashKept: null, shared: true });
}

/** Undoes an interrupted `mpm branch`: back to the parent's branch and work, the frame gone. */
async function undoBranch(
  env: Env,
  root: string,
  state: State,
  frame: StackFrame,
  git: GitState | null,
): Promise<Outcome> {
  let moved: Outcome["git"] = null;
  const current = git?.status.branch ?? null;
  const back: SwitchBack | null = frame.git_branch
    ? { to: frame.git_branch, detached: false }
    : git && detachedBack(frame, git)
    ? { to: frame.git_head!, detached: true }
    : null;
  if (git && back && current !== frame.git_branch && current === frame.child_git_branch) {
    const tracked = trackedChanges(git.status);
    const where = back.detached ? `its detached HEAD at ${back.to.slice(0, 7)}` : `"${back.to}"`;
    if (tracked.length > 0 && frame.stash === null) {
      throw new MpmError(
        `An interrupted \`mpm branch\` switched to "${current}" and the working tree has ` +
          `uncommitted changes (${fewPaths(tracked)}).`,
        `Commit or stash them, then run \`mpm return\` again to go back to ${where}.`,
      );
    }
    if (tracked.length === 0) {
      await switchBack(root, back);
      moved = { from: current, ...back };
    }
  }
  const stash = git ? await parentWork(env, root, frame, true, []) : null;
  return {
    kind: "undo-branch",
    resumed: true,
    frame,
    completed: null,
    child: null,
    childPaused: false,
    parent: state.active,
    git: moved,
    head: git?.status.head ?? null,
    stayed: null,
    stash,
    tree: null,
  };
}

/** Writes the child's final snapshot from the intent, unless written; else completes it. */
async function writeFinalSnapshot(
  root: string,
  paths: Project["paths"],
  intent: NonNullable<StackFrame["returning"]>,
  git: GitState | null,
): Promise<void> {
  const id = intent.completed!;
  if (await finishSnapshot(paths, id)) return;
  await takeSnapshot({
    root,
    paths,
    now: new Date(intent.started_at),
    session: intent.child!,
    state: "completed",
    git,
    id,
    request: {
      summary: intent.words.summary ?? undefined,
      accomplishments: intent.words.accomplishments,
      nextSteps: [],
      todos: [],
      trigger: "return",
    },
    // The child's work ends here, before anything is switched back (for `mpm diff`).
    mark: "return",
  });
}

type Intent = NonNullable<StackFrame["returning"]>;

/** Set on the intent when the child was paused: its final snapshot ends a paused session. */
function childWasPaused(intent: Intent): boolean {
  return (intent as Record<string, unknown>).child_paused === true;
}

/** The paused child to complete when none is active; without one, given words are refused. */
async function pausedChild(
  project: Project,
  frame: StackFrame,
  depth: number,
  words: boolean,
): Promise<Snapshot | null> {
  const found = await pausedChildren(project, frame, depth);
  if (found.open.length === 1) return found.open[0];
  if (!words) return null;
  const child = frame.child_name ?? "the child session";
  const open = found.open.map((s) => s.session_id);
  if (open.length > 1) {
    throw new MpmError(
      `${child} is not active, and ${open.length} paused sessions could be it (${
        fewPaths(open)
      }): mpm will not guess which one gets your words.`,
      `Complete the right one with \`mpm done ID -s TEXT\` (\`mpm list\` shows them), then run ` +
        "`mpm return` without words.",
    );
  }
  const done = found.finished[0];
  if (done) {
    throw new MpmError(
      `${child} is ${done.mpm.state} already (${done.session_id}): your words have no session ` +
        "to go to.",
      "Run `mpm return` without words.",
    );
  }
  throw new MpmError(
    `${child} is not active, and mpm found no paused snapshot of it to complete with your words.`,
    "Complete it with `mpm done ID -s TEXT` (`mpm list` shows its id), then run `mpm return` " +
      "without words.",
  );
}

/** The project and its top frame, when that frame is a worktree's link to its parent. */
export async function worktreeTop(env: Env) {
  const project = await openProject(env);
  const frame = (await readState(project.paths).catch(() => null))?.stack.at(-1);
  const link = frame ? frameWorktree(frame) : null;
  return frame && link ? { project, frame, link } : null;
}

/** An empty stack may still hide a `--worktree` child's work, or a stash no frame names. */
async function withOrphanStashes(project: Project, error: unknown): Promise<never> {
  if (error instanceof NothingToDo && project.inGit) {
    const elsewhere = childrenElsewhere(await childrenWaiting(project.root));
    if (elsewhere) throw new NothingToDo(elsewhere.message, elsewhere.hint);
    const kept = (await readState(project.paths).catch(() => null))?.kept_stashes;
    const orphans = orphanStashes(await listStashes(project.root), [], kept);
    if (orphans.length > 0) {
      throw new NothingToDo(
        `${error.message} ${renderOrphans(orphans).join("\n")}`,
        "Run the command shown to put that work back; `git stash show -p REF` shows it first.",
      );
    }
  }
  throw error;
}

export async function returnToParent(
  env: Env,
  summary: string | undefined,
  accomplishments: string[],
  keepBranch: boolean,
) {
  const project = await openProject(env, { writes: true });
  const { root, paths } = project;
  // An empty stack is answered before the lock, which would create .claude-mpm/.
  await readState(paths).then(topFrame).catch((error) => withOrphanStashes(project, error));
  const outcome = await changeState<Outcome>(paths, "return", async (state, save: SaveState) => {
    const frame = topFrame(state);
    const rest = state.stack.slice(0, -1);
    const git = project.inGit ? await readGitState(root) : null;
    if (frame.phase === "branching") {
      const result = await undoBranch(env, root, state, frame, git);
      return {
        state: {
          ...state,
          stack: rest,
          ...(await keepStash(root, state, result.stash, env.now())),
        },
        result,
        event: {
          command: "return",
          undid: "branch",
          session: state.active?.key ?? null,
          stash: result.stash?.status ?? null,
        },
      };
    }
    const now = env.now();
    let intent = frame.phase === "returning" ? frame.returning ?? null : null;
    const resumed = intent !== null;
    let switchTo: SwitchBack | null;
    if (intent === null) {
      const untracked = git ? (await readTreeRecord(root)).paths.filter((p) => p.untracked) : [];
      switchTo = git
        ? await plan(root, git, frame, keepBranch, untracked.map((p) => p.path))
        : null;
      const words = summary !== undefined || accomplishments.length > 0;
      const paused = state.active === null
        ? await pausedChild(project, frame, state.stack.length, words)
        : null;
      // Made active again for its end, on the stack it was branched on: `mpm done`'s way.
      const child = state.active ??
        (paused ? sessionFromSnapshot(paused, state.stack, now) : null);
      intent = {
        started_at: now.toISOString(),
        completed: child ? newSessionId(now, crypto.getRandomValues(new Uint8Array(3))) : null,
        words: {
          summary: summary ?? null,
          accomplishments,
        },
        child,
        keep_branch: keepBranch,
        untracked: untracked.map((p) => p.path),
        ...(paused ? { child_paused: true } : {}),
      } as Intent;
      // Recorded before anything changes, so a second run finishes the same way.
      await save({
        ...state,
        stack: [...rest, { ...frame, phase: "returning", returning: intent }],
      });
      failPoint(env.vars, "return-after-intent");
    } else {
      if (keepBranch && !intent.keep_branch) {
        // Recorded, so a rerun after this one stops stays too.
        intent = { ...intent, keep_branch: true };
        await save({ ...state, stack: [...rest, { ...frame, returning: intent }] });
      }
      // Finishing an interrupted return: the branch may still need switching back.
      const target = frame.git_branch;
      const commit = git && !intent.keep_branch ? detachedBack(frame, git) : null;
      switchTo = git && !intent.keep_branch && target !== null && target !== git.status.branch
        ? { to: target, detached: false }
        : commit !== null
        ? { to: commit, detached: true }
        : null;
      if (git && switchTo !== null && !switchTo.detached) {
        await refuseHeldBranch(root, frame, switchTo.to, git.status.branch);
      }
    }
    if (intent.completed !== null && intent.child !== null) {
      // The child's final snapshot, unless a killed run wrote it already.
      await writeFinalSnapshot(root, paths, intent, git);
    }
    if (switchTo !== null) await switchBack(root, switchTo);
    failPoint(env.vars, "return-after-switch");
    const stash = git ? await parentWork(env, root, frame, resumed, intent.untracked) : null;
    const tree = git && !frame.stash ? await sharedTree(root, frame) : null;
    const parent = await parentOf(env, project, frame, rest);
    // The parent's work resumes on the tree as it is back (for `mpm diff`).
    if (parent) await recordMark(root, paths, parent.key, "resume", now);
    return {
      state: {
        ...state,
        active: parent,
        stack: rest,
        ...(await keepStash(root, state, stash, now)),
      },
      result: {
        kind: "return",
        resumed,
        frame,
        completed: intent.completed,
        child: intent.child,
        childPaused: childWasPaused(intent),
        parent,
        git: switchTo !== null ? { from: git?.status.branch ?? null, ...switchTo } : null,
        head: git?.status.head ?? null,
        stayed: switchTo === null && git && intent.keep_branch ? git.status.branch : null,
        stash,
        tree,
      },
      event: {
        command: "return",
        session: parent?.key ?? null,
        child: intent.child?.key ?? null,
        completed: intent.completed,
        stash: stash?.status ?? null,
        ...(resumed ? { resumed: true } : {}),
        // The lifecycle's moves (lifecycle.ts): the child ends, its parent is active again.
        ...(intent.completed
          ? { transition: { from: childWasPaused(intent) ? "paused" : "active", to: "completed" } }
          : {}),
        ...(parent ? { parent_transition: { from: "paused", to: "active" } } : {}),
      },
    };
  }, stateOptions(env)).catch((error) => withOrphanStashes(project, error));
  let snapshot: Snapshot | undefined;
  if (outcome.kind === "return" && outcome.frame.snapshot_id) {
    try {
      snapshot = await loadSnapshotById(paths, outcome.frame.snapshot_id);
    } catch (error) {
      env.warn(`mpm: ${(error as MpmError).message ?? String(error)}`);
    }
  }
  const changes = snapshot ? await detectChanges(root, snapshot) : undefined;
  const after = await readState(paths);
  const orphans = project.inGit
    ? orphanStashes(await listStashes(root), after.stack, after.kept_stashes)
    : [];
  return { outcome, snapshot, changes, orphans, root };
}

/** What to tell the user about the stash when it did not come back exactly (stderr). */
export function stashWarning(stash: RestoreOutcome, label: string): string | null {
  if (stash.status === "missing") {
    const head = `mpm: the stash "${stash.message}" holding the uncommitted work of ${label} is ` +
      "no longer in the stash list (applied or dropped by hand?); nothing was re-applied.";
    // A dropped stash stays in git's object store until it is collected.
    return stash.commit
      ? `${head}\nIf it was dropped, \`git stash apply --index ${stash.commit}\` brings the work ` +
        "back (git still holds its commit)."
      : head;
  }
  if (stash.status !== "conflict" && stash.status !== "inexact") return null;
  const files = stash.report?.files.map((f) => `  ${f.message}`) ?? [];
  const head = stash.status === "inexact"
    ? `mpm: the uncommitted work of ${label} is back, but not exactly as it was; the stash ` +
      `stays in the stash list as ${stash.ref} ("${stash.message}").`
    : `mpm: the uncommitted work of ${label} did not re-apply cleanly; it is still in the ` +
      `stash list as ${stash.ref} ("${stash.message}").`;
  const lines = [head, ...files];
  if (files.length === 0 && stash.status === "inexact") {
    lines.push("  Its staged part could not be re-staged: the files hold the changes, unstaged.");
  }
  if (stash.detail) pushAll(lines, stash.detail.split("\n").map((line) => `  ${line}`));
  if (stash.status === "conflict") {
    lines.push(
      "To finish by hand: if git applied part of it (`git status` shows unmerged paths), resolve",
      `them, then \`git stash drop ${stash.ref}\`; if it applied nothing, move away the files git`,
      `names, then \`git stash pop --index ${stash.ref}\`. (\`git stash list\` shows it by its`,
      "message if its number changes.)",
    );
  } else {
    lines.push(
      `\`git stash show -p ${stash.ref}\` shows what it holds; once the files are as you want ` +
        `them, \`git stash drop ${stash.ref}\`.`,
    );
  }
  return lines.join("\n");
}

export function restoreJson(outcome: Outcome) {
  const stash = outcome.stash;
  const report = stash?.report ?? outcome.tree;
  return {
    exact: stash ? stash.status === "applied" || stash.status === "in-place" : true,
    /** Whether the tree was compared with the record `mpm branch` took (none outside git). */
    checked: report !== null,
    stash_kept: stash && stash.ref ? stash.message : null,
    files: report?.files ?? [],
    untracked_left: report?.untracked_left ?? [],
    changed_left: report?.changed_left ?? [],
  };
}
