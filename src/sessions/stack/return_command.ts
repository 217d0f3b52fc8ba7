/**
 * `mpm return`: complete the child session and go back to its parent — its git branch, its
 * stashed work (found by name, never by position), its todos — then show what changed since.
 *
 * Crash-safe: before it writes or changes anything, the frame records that a return is under
 * way (phase "returning", with the id the child's final snapshot will have and the words for
 * it), so a second `mpm return` after a kill at any point finishes the job the same way: it
 * writes the final snapshot only if the first run had not (never a second one), switches back
 * only if still needed, and undoes its own half-applied stash before applying it again. A frame
 * an interrupted `mpm branch` left (phase "branching") is undone: the parent's work comes back.
 */
import { MpmError, NothingToDo, UsageError } from "../../kernel/errors.ts";
import { renderChanges, renderContext } from "../report/render_report.ts";
import { sessionFromSnapshot, sessionLabel } from "../store/session/session.ts";
import {
  fewPaths,
  frameLabel,
  hasParent,
  keptStashes,
  orphanStashes,
  renderOrphans,
  topFrame,
} from "../report/stack.ts";
import { trackedChanges } from "../store/records/snapshot/changes.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";
import type { ActiveSession, StackFrame, State } from "../store/records/state/state.ts";
import { style } from "../../kernel/format/style.ts";
import {
  branchExists,
  switchBranch,
  switchDetached,
  worktreeHolding,
} from "../../git/history/branch.ts";
import { commitExists, listStashes } from "../../git/tree/stash.ts";
import { type GitState, readGitState } from "../../git/tree/status.ts";
import { readTreeRecord } from "../../git/objects/tree_record.ts";
import { failPoint } from "../../disk/files/fail_point.ts";
import { changeState, readState, type SaveState } from "../store/state/state_store.ts";
import { loadSnapshotById, stateOptions } from "../store/session/active.ts";
import { openProject, type Project } from "../store/session/project.ts";
import { boolFlag, type Command, listFlag, stringFlag } from "../../cli/command.ts";
import { detectChanges } from "../report/detect_changes.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { takeSnapshot } from "../store/session/take_snapshot.ts";
import { recordMark } from "../store/marks/record_mark.ts";
import { finishSnapshot } from "../store/snapshots/save_snapshot.ts";
import { newSessionId } from "../../kernel/ids.ts";
import { oneOf } from "../capture/input.ts";
import { readWordsInput } from "../capture/input_read.ts";
import { type RestoreOutcome, restoreParentWork, untrackedInTheWay } from "./restore_work.ts";
import { shellQuote } from "../../kernel/format/text.ts";
import { compareTrees, renderRestore, type RestoreReport } from "./restore_report.ts";
import { frameWorktree } from "../report/worktree_link.ts";
import { renderWorktreeReturn, returnFromWorktree } from "./worktree_return.ts";
import { childrenElsewhere, childrenWaiting } from "./worktree_family.ts";
import { pausedChildren } from "./paused_child.ts";
import { folderGone } from "./start_folder.ts";
import { pushAll } from "../../kernel/lists.ts";

/** Where `mpm return` switches git back to: the parent's branch, or the commit it was detached at. */
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
  /** The child's final snapshot id. */
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

/**
 * Refuses to switch back to a branch another worktree has checked out: git would refuse it,
 * half-way through the return.
 */
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

/**
 * The commit to detach HEAD at again, when the parent was on a detached HEAD and the child is on
 * a branch now (where its commits are safe). A child still detached is left where it is: its
 * commits may be on no branch, and leaving them would lose them from sight.
 */
function detachedBack(frame: StackFrame, git: GitState): string | null {
  if (frame.git_branch !== null || !frame.git_head || git.status.branch === null) return null;
  return frame.git_head;
}

/** Switches back as planned. */
async function switchBack(root: string, to: SwitchBack): Promise<void> {
  if (to.detached) await switchDetached(root, to.to);
  else await switchBranch(root, to.to, false);
}

/**
 * Refusals, all before anything is written; returns where to switch back to, if anywhere.
 * `untracked`: the work tree's untracked paths now.
 */
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
  const tracked = trackedChanges(git.status);
  if ((switchTo !== null || frame.stash !== null) && tracked.length > 0) {
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

/**
 * The state's list of stashes kept on purpose: the one this return kept added, those the user
 * has dropped since left out.
 */
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

/** The child's leftovers, compared with the record, when no stash was involved. */
async function sharedTree(root: string, frame: StackFrame): Promise<RestoreReport | null> {
  if (!frame.tree) return null;
  const now = await readTreeRecord(root, frame.tree.map((p) => p.path));
  return compareTrees(frame.tree, now.paths, { stashKept: null, shared: true });
}

/**
 * Undoes a `mpm branch` that was stopped before it finished: back to the parent's branch,
 * the parent's work re-applied (or found still in place), the frame gone.
 */
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
  const stash = git && frame.stash
    ? await restoreParentWork({
      env,
      root,
      stash: frame.stash,
      commit: frame.stash_commit,
      tree: frame.tree ?? null,
      resuming: true,
      untrackedBefore: [],
    })
    : null;
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

/**
 * Writes the child's final snapshot under the id the intent chose, dated when the return began
 * and with the words it recorded (an older intent, without words: this run's), unless it is
 * written already; then only what a killed write left unfinished is completed.
 */
async function writeFinalSnapshot(
  root: string,
  paths: Project["paths"],
  intent: NonNullable<StackFrame["returning"]>,
  git: GitState | null,
  given: { summary: string | undefined; accomplishments: string[] },
): Promise<void> {
  const id = intent.completed!;
  if (await finishSnapshot(paths, id)) return;
  const words = intent.words;
  await takeSnapshot({
    root,
    paths,
    now: new Date(intent.started_at),
    session: intent.child!,
    state: "completed",
    git,
    id,
    request: {
      summary: words ? words.summary ?? undefined : given.summary,
      accomplishments: words ? words.accomplishments : given.accomplishments,
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

/**
 * The child to complete when none is active (a pause, usually Claude Code's SessionEnd, put it
 * aside): its newest snapshot, found by what it says (paused_child.ts). Without one, a return
 * that was given words is refused before anything changes: they would be saved nowhere.
 */
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
async function worktreeTop(env: Env) {
  const project = await openProject(env);
  const frame = (await readState(project.paths).catch(() => null))?.stack.at(-1);
  const link = frame ? frameWorktree(frame) : null;
  return frame && link ? { project, frame, link } : null;
}

/**
 * An empty stack may still hide work: urgent work in a worktree `mpm branch --worktree` made
 * from here (its own `mpm return` finishes it), or a stash mpm made that no frame names.
 */
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

async function returnToParent(
  env: Env,
  summary: string | undefined,
  accomplishments: string[],
  keepBranch: boolean,
) {
  const project = await openProject(env, { writes: true });
  const { root, paths } = project;
  // An empty stack is answered before the lock is taken: taking it would create .claude-mpm/
  // in a project that never had one.
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
      // Recorded before anything is written or changed in git, so a second run knows what it
      // had begun, and does the rest the same way.
      await save({
        ...state,
        stack: [...rest, { ...frame, phase: "returning", returning: intent }],
      });
      failPoint(env.vars, "return-after-intent");
    } else {
      if (keepBranch && !intent.keep_branch) {
        // Asked for now: recorded, so that a run after this one, if it is stopped too, stays.
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
      // The child's final snapshot, unless a killed run wrote it already (before it switched
      // anything: the git state read above is still the child's).
      await writeFinalSnapshot(root, paths, intent, git, { summary, accomplishments });
    }
    if (switchTo !== null) await switchBack(root, switchTo);
    failPoint(env.vars, "return-after-switch");
    const stash = git && frame.stash
      ? await restoreParentWork({
        env,
        root,
        stash: frame.stash,
        commit: frame.stash_commit,
        tree: frame.tree ?? null,
        resuming: resumed,
        untrackedBefore: intent.untracked,
      })
      : null;
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
function stashWarning(stash: RestoreOutcome, label: string): string | null {
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

function restoreJson(outcome: Outcome) {
  const stash = outcome.stash;
  const report = stash?.report ?? outcome.tree;
  return {
    exact: stash ? stash.status === "applied" || stash.status === "in-place" : true,
    /** Whether the tree was compared with the record `mpm branch` took (older frames have none). */
    checked: report !== null,
    stash_kept: stash && stash.ref ? stash.message : null,
    files: report?.files ?? [],
    untracked_left: report?.untracked_left ?? [],
    changed_left: report?.changed_left ?? [],
  };
}

export const returnCommand: Command = {
  name: "return",
  summary: "Complete the child session and go back to its parent, exactly where it was.",
  json:
    `- \`mpm return --json\`: \`{"kind", "resumed", "completed", "active", "parent", "git_branch", "stash",\`
  \`"restore", "orphan_stashes", "depth", "changes"}\`:
  - \`kind\`: \`return\`, or \`undo-branch\` when the top frame was an interrupted \`mpm branch\` (then
    nothing is completed and the parent, still active, gets its work back); \`resumed\`: \`true\` when
    this run finished a return an earlier, interrupted run had begun.
  - \`completed\`: the child's final snapshot id; \`active\`: the session active now (the parent, or
    \`null\` when the child had no parent); \`parent\`: \`{"key", "snapshot_id"}\` or \`null\`;
    \`git_branch\`: \`{"from", "to", "detached"}\` or \`null\` (\`detached\`: the parent was on a detached
    HEAD, and \`to\` is its commit).
  - \`stash\`: \`{"status", "message", "ref", "detail", "commit"}\` or \`null\`. \`status\` is \`applied\`
    (re-applied and exactly as recorded; dropped), \`in-place\` (the work was already there, exactly:
    an interrupted branch never finished stashing, or an interrupted return had applied it; any copy
    dropped), \`inexact\` (applied, but not exactly: a staged change that could not be re-staged),
    \`conflict\` (unmerged paths, or files in the way) or \`missing\` (no stash by that message and the
    work not in place). \`inexact\`, \`conflict\` and \`missing\` exit 1; the stash is then kept and \`ref\`
    says where it is (\`stash@{N}\`). \`commit\`: with \`missing\`, the stash's commit when the frame
    recorded it (\`stash_commit\`) and git still holds it (\`git stash apply --index COMMIT\` brings the
    work back, and the warning says so); else \`null\`.
  - \`restore\`: \`{"exact", "stash_kept", "files", "untracked_left", "changed_left"}\`. \`files\` names
    each recorded path that is not as it was:
    \`{"path", "was", "now", "child_committed",
    "message"}\`, \`was\` being \`staged\`, \`unstaged\`,
    \`staged+unstaged\` or \`untracked\`, \`now\` being \`conflict\`, \`unstaged\` (was staged; the change is
    in the work tree, unstaged), \`staged-differently\`, \`staged\` (was not staged), \`missing\`,
    \`merged\` (on disk, merged with what the branch holds now) or \`different\`; \`child_committed\` says
    HEAD's version of the file changed since the branch (the child committed to it, or the parent's
    branch moved meanwhile, in another worktree say). \`untracked_left\`: untracked files the child
    created and left; \`changed_left\`: uncommitted changes to tracked files the parent did not have
    (possible only without \`--stash\`).
  - \`orphan_stashes\` as for \`status\`; \`changes\` as for \`resume\`.`,
  details: `Writes the child's final snapshot (state "completed"), pops the stack, switches
back to the parent's git branch, re-applies the parent's stash by its name, makes the
parent active with its todos, and shows what changed since \`mpm branch\`. A parent on a
detached HEAD gets its commit back when the child is on a branch (a child still detached
stays on its commits). A paused child is completed too, found by its snapshots; when mpm
cannot tell which session it is, words (-s, -a) are refused and \`mpm done ID\` named.`,
  more: `The parent's index and work tree are compared with what \`mpm branch\` recorded, path by
path. When they are not exactly as they were (a staged change the child's commit made
impossible to re-stage, a conflict), the stash stays in \`git stash list\`, each file is
named with where its change is now, and the exit code is 1. Untracked files the child
left behind are named.

--keep-branch stays on the current git branch instead of switching back (the stack is
still popped and the stash still re-applied); it also finishes an interrupted return
that could not switch back. mpm never deletes a git branch: the child's branch stays
either way. A child branched with nothing active has no parent: \`mpm return\`
completes it, restores git's side and leaves no session active.

A return (or branch) that was interrupted is finished (or undone) by the next
\`mpm return\`. Refused, changing nothing, when switching back or re-applying would meet
uncommitted changes (or untracked files the parent's stash also holds), or when the
parent's branch was deleted or is checked out in another worktree. Exit 3 when the stack is
empty (with any stash mpm made that no frame names, and the command restoring it; or,
when the urgent work is in a worktree \`mpm branch --worktree\` made from here, its path
and the \`cd PATH && mpm return\` to run).

In a worktree \`mpm branch --worktree\` made, it pauses the child and removes the worktree
only when it is clean, its HEAD merged or pushed, and it holds no ignored files (which
\`git worktree remove\` would delete): they are named, and --force removes it with them.
A parent that moved or is gone is refused before anything is written.`,
  flags: [
    { name: "summary", short: "s", value: "TEXT", description: "What the child session did." },
    {
      name: "accomplishment",
      short: "a",
      value: "TEXT",
      multiple: true,
      description: "Something the child session finished (repeatable).",
    },
    { name: "keep-branch", description: "Stay on the current git branch; don't switch back." },
    {
      name: "force",
      description: "In a worktree: remove it even though it holds ignored files (they go with it).",
    },
    {
      name: "input",
      value: "FILE|-",
      description:
        "The words as YAML or JSON from FILE or stdin: summary, accomplishments (no shell quoting).",
      complete: "files",
    },
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: ['mpm return -s "Fixed the login outage" -a "Patched token refresh"'],
  run: async (env, parsed) => {
    const keepBranch = boolFlag(parsed, "keep-branch") ?? false;
    const given = stringFlag(parsed, "input");
    const input = given === undefined
      ? {}
      : await readWordsInput(env, given, ["summary", "accomplishments"], "mpm return");
    const force = boolFlag(parsed, "force") ?? false;
    const inWorktree = await worktreeTop(env);
    if (force && !inWorktree) {
      throw new UsageError(
        "--force goes with `mpm return` in a worktree `mpm branch --worktree` made.",
      );
    }
    if (inWorktree) {
      const out = await returnFromWorktree(env, inWorktree.project, inWorktree.link, {
        summary: oneOf(input.summary, stringFlag(parsed, "summary"), "--summary"),
        accomplishments: [...(input.accomplishments ?? []), ...listFlag(parsed, "accomplishment")],
      }, force);
      if (boolFlag(parsed, "json")) {
        return json({
          kind: "worktree",
          worktree: out.link.path,
          parent: out.link.parent,
          branch: out.link.branch,
          snapshot: out.snapshot,
          removed: out.removed,
          reason: out.reason,
          ignored: out.ignored,
        });
      }
      return text(renderWorktreeReturn(out, inWorktree.frame.name));
    }
    const { outcome, snapshot, changes, orphans, root } = await returnToParent(
      env,
      oneOf(input.summary, stringFlag(parsed, "summary"), "--summary"),
      [...(input.accomplishments ?? []), ...listFlag(parsed, "accomplishment")],
      keepBranch,
    );
    const { frame, parent, stash } = outcome;
    const label = parent ? sessionLabel(parent) : "the work before the branch";
    const warning = stash ? stashWarning(stash, label) : null;
    if (warning) env.warn(warning);
    const exitCode = stash && stash.status !== "applied" && stash.status !== "in-place" ? 1 : 0;
    if (boolFlag(parsed, "json")) {
      return json({
        kind: outcome.kind,
        resumed: outcome.resumed,
        completed: outcome.completed,
        active: parent,
        parent: hasParent(frame) ? { key: frame.key, snapshot_id: frame.snapshot_id } : null,
        git_branch: outcome.git,
        stash: stash
          ? {
            status: stash.status,
            message: stash.message,
            ref: stash.ref,
            detail: stash.detail,
            commit: stash.commit,
          }
          : null,
        restore: restoreJson(outcome),
        orphan_stashes: orphans,
        depth: parent?.depth ?? frame.session?.depth ?? 0,
        changes: changes ?? null,
      }, exitCode);
    }
    const s = style(env.color);
    const lines: string[] = [];
    const child = frame.child_name ?? "the child session";
    if (outcome.kind === "undo-branch") {
      lines.push(
        `${s.green("✓")} Undid the interrupted \`mpm branch ${child}\`: it had not finished.`,
      );
    } else if (outcome.completed && outcome.child) {
      const again = outcome.resumed ? " (finishing an interrupted `mpm return`)" : "";
      const was = outcome.childPaused ? ", which was paused" : "";
      lines.push(
        `${s.green("✓")} Completed ${s.bold(sessionLabel(outcome.child))} ` +
          `(${outcome.completed})${was}${again}`,
      );
    } else {
      lines.push("No active child session to complete (it was paused).");
    }
    const back = outcome.git?.detached
      ? `a detached HEAD at ${outcome.git.to.slice(0, 7)}`
      : outcome.git?.to;
    if (outcome.git?.detached) lines.push(`${s.green("✓")} Back on ${back}`);
    else if (outcome.git) lines.push(`${s.green("✓")} Back on git branch ${outcome.git.to}`);
    else if (outcome.stayed) {
      lines.push(`  Stayed on git branch ${outcome.stayed} (--keep-branch)`);
    } else if (frame.git_branch === null && frame.git_head && outcome.head !== frame.git_head) {
      lines.push(
        `  ${label} was on a detached HEAD at ${frame.git_head.slice(0, 7)}; ` +
          `\`git switch --detach ${frame.git_head.slice(0, 7)}\` goes back there.`,
      );
    }
    if (stash?.status === "applied" && stash.report === null) {
      // An older frame holds no record of the tree: there was nothing to check it against.
      lines.push(
        `${s.green("✓")} Re-applied its uncommitted work ("${stash.message}"); no record of ` +
          "the tree was kept to check it against (`git status` shows it)",
      );
    } else if (stash?.status === "applied") {
      lines.push(
        `${s.green("✓")} Re-applied its uncommitted work ("${stash.message}"), exactly as it was`,
      );
    } else if (stash?.status === "in-place") {
      lines.push(`${s.green("✓")} Its uncommitted work is in place, exactly as it was`);
    } else if (stash) lines.push(s.yellow(`⚠ Its stashed work is not back as it was (see above).`));
    const report = stash?.report ?? outcome.tree;
    if (report) {
      // Files already named on stderr are not repeated; what the child left is news here.
      const left = renderRestore({ ...report, files: stash ? [] : report.files }, child);
      pushAll(lines, left.map((l) => `  ${l}`));
    }
    if (await folderGone(env.cwd)) {
      // Switching back removed the folder mpm ran in: the shell is left where nothing runs.
      lines.push(
        `  ${s.yellow("⚠")} The folder you ran this in is ${
          back ? `not on ${back}` : "gone"
        }: \`cd ${shellQuote(root)}\` takes you to the repository's top.`,
      );
    }
    if (parent) {
      lines.push(`${s.green("✓")} ${s.bold(label)} is active again (depth ${parent.depth})`);
    } else if (outcome.kind === "return") {
      lines.push(
        `  ${child} had no parent session (nothing was active at \`mpm branch\`): ` +
          "no session is active now.",
      );
    }
    if (orphans.length > 0) pushAll(lines, ["", ...renderOrphans(orphans).map((l) => s.yellow(l))]);
    lines.push("");
    if (snapshot) {
      pushAll(lines, renderContext(snapshot, env.now(), s));
      if (changes !== undefined) {
        const since = renderChanges(changes, env.now(), s);
        pushAll(lines, [
          ...since.map((l) => l.replace("Changes since pause:", "Changes since the branch:")),
        ]);
      }
    }
    return text(lines, exitCode);
  },
};
