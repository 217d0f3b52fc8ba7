/**
 * `mpm branch NAME --worktree`: the urgent work gets a git worktree with its own `.claude-mpm/`
 * whose stack names the parent. Write-ahead: `pending` before `git worktree add`, cleared once the
 * child is recorded; a failed add, or one that landed elsewhere (a link), goes with its branch.
 */
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { UnsafePathError } from "../../disk/files/confine/confine.ts";
import { failPoint } from "../../disk/files/faults/fail_point.ts";
import {
  clearFailedAdd,
  removeLanded,
  worktreeLanding,
  worktreePlaceProblem,
} from "../../worktrees/place.ts";
import { isAbsolute, relative, resolve } from "../../kernel/path.ts";
import { branchExists, isValidBranchName } from "../../git/history/branch.ts";
import { readGitState } from "../../git/tree/status.ts";
import { ensureExcluded } from "../../git/run/exclude.ts";
import { addWorktree, removeWorktree, resolveCommit } from "../../git/tree/worktree.ts";
import type { Env } from "../../cli/env.ts";
import { newSession } from "../store/session/session.ts";
import type { ActiveSession, StackFrame } from "../store/records/state/state.ts";
import { changeState } from "../store/state/state_store.ts";
import { newSessionKey, seedFromTemplate, stateOptions } from "../store/session/active.ts";
import { openProject } from "../store/session/project.ts";
import { recordMark } from "../store/marks/record_mark.ts";
import {
  type ChildWorktree,
  childWorktrees,
  defaultWorktreeBranch,
  defaultWorktreePath,
  withChild,
  withoutChild,
  type WorktreeLink,
} from "../report/worktree_link.ts";

export interface WorktreeBranchInput {
  name: string;
  task: string | null;
  branch: string | undefined;
  from: string | undefined;
  path: string | undefined;
  template: string | undefined;
  vars: string[];
}

export interface WorktreeBranchOutcome {
  link: WorktreeLink;
  child: ActiveSession;
  /** The parent's active session, left active where it is (null when none was). */
  parent: ActiveSession | null;
}

async function taken(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

export async function branchIntoWorktree(
  env: Env,
  input: WorktreeBranchInput,
): Promise<WorktreeBranchOutcome> {
  // Read-only until every refusal is behind: not even `.claude-mpm/`'s exclude line is written.
  const project = await openProject(env);
  const { root } = project;
  if (!project.inGit) {
    throw new MpmError(
      "`mpm branch --worktree` needs a git repository: a worktree is git's.",
      "Run it inside a git repository, or branch without --worktree.",
    );
  }
  const path = input.path === undefined
    ? defaultWorktreePath(root, input.name)
    : resolve(env.cwd, input.path);
  const unsafe = await worktreePlaceProblem(root, path);
  if (unsafe !== null) {
    throw new UnsafePathError(
      `Refusing to make the worktree at ${path}: ${unsafe}, which could put it anywhere.`,
      "Remove the link (what it points to is kept) or choose a folder with --path.",
    );
  }
  if (await taken(path)) {
    throw new MpmError(
      `${path} exists already.`,
      "Pick another session name, or choose a free folder with --path (`mpm status` says " +
        "whether an interrupted `mpm branch --worktree` left it).",
    );
  }
  const branch = input.branch ?? defaultWorktreeBranch(input.name);
  if (!(await isValidBranchName(branch, root))) {
    throw new UsageError(`--git-branch "${branch}" is not a branch name git accepts.`);
  }
  const exists = await branchExists(root, branch);
  if (exists && input.from !== undefined) {
    throw new UsageError(
      `The git branch "${branch}" exists already: --from applies to a new branch only.`,
    );
  }
  const from = await resolveCommit(root, exists ? branch : input.from ?? "HEAD");
  if (from === null) {
    throw new UsageError(
      input.from === undefined
        ? "There is no commit to start the worktree from yet: make a first commit."
        : `--from "${input.from}" names no commit.`,
    );
  }
  const { paths } = await openProject(env, { writes: true });
  const seed = await seedFromTemplate(env, paths, input.template, input.vars);
  // Inside the parent, the worktree must not show in its `git status` (nor in a stash).
  const inside = relative(root, path);
  if (!inside.startsWith("..") && !isAbsolute(inside)) {
    const folder = input.path === undefined ? ".claude/worktrees" : inside;
    await ensureExcluded(root, `/${folder.split("\\").join("/")}/`);
  }
  const now = env.now();
  const entry: ChildWorktree = {
    name: input.name,
    path,
    branch,
    session: newSessionKey(),
    created_at: now.toISOString(),
  };
  // Write-ahead, dropping entries an interrupted branch left whose folder is gone.
  const parent = await changeState<ActiveSession | null>(
    paths,
    "branch",
    async (state) => {
      let next = state;
      for (const w of childWorktrees(state)) {
        if (w.pending && !(await taken(w.path))) next = withoutChild(next, w.path);
      }
      return {
        state: withChild(next, { ...entry, pending: true }),
        result: state.active,
        event: { command: "branch", worktree: path, session: entry.session, phase: "pending" },
      };
    },
    stateOptions(env),
  );
  try {
    await addWorktree(root, { path, branch, create: !exists, from: exists ? null : from });
  } catch (error) {
    // git failed part way (in its checkout, say): what it made of the worktree goes too.
    await clearFailedAdd(root, branch, exists ? null : from).catch(() => {});
    await forget(env, paths, path);
    throw error;
  }
  failPoint(env.vars, "branch-worktree-after-add");
  const landing = await worktreeLanding(root, path, branch);
  if (landing !== null) {
    const gone = landing.landed === null
      ? await removeWorktree(root, path).then(() => true, () => false)
      : await removeLanded(root, landing.landed, exists ? null : branch);
    if (gone) await forget(env, paths, path);
    throw new UnsafePathError(
      `Refused the worktree git made at ${landing.landed ?? "a place it does not list"} instead ` +
        `of ${path}: a folder on the way became a symbolic link after mpm checked it` +
        (gone ? ", and the worktree was removed again." : "."),
      "Find what put the link there and remove it (what it points to is kept), then run the " +
        "command again.",
    );
  }
  try {
    return await recordBoth(
      env,
      { root, paths },
      input,
      { path, branch, exists, from, entry, now, parent },
      seed,
    );
  } catch (error) {
    // A worktree git would not remove stays pending: `mpm status` then names it.
    if (await removeWorktree(root, path).then(() => true, () => false)) {
      await forget(env, paths, path);
    }
    throw error;
  }
}

/** Drops the parent's entry for a worktree that was never made (or was removed again). */
async function forget(env: Env, paths: Parameters<typeof changeState>[0], path: string) {
  await changeState(
    paths,
    "branch",
    (state) => Promise.resolve({ state: withoutChild(state, path), result: null }),
    stateOptions(env),
  ).catch(() => {});
}

async function recordBoth(
  env: Env,
  parentProject: { root: string; paths: Parameters<typeof changeState>[0] },
  input: WorktreeBranchInput,
  made: {
    path: string;
    branch: string;
    exists: boolean;
    from: string;
    entry: ChildWorktree;
    now: Date;
    parent: ActiveSession | null;
  },
  seed: Awaited<ReturnType<typeof seedFromTemplate>>,
): Promise<WorktreeBranchOutcome> {
  const { now, parent, entry } = made;
  const childKey = entry.session;
  const parentGit = await readGitState(parentProject.root);
  const link: WorktreeLink = {
    parent: parentProject.root,
    path: made.path,
    branch: made.branch,
    created: !made.exists,
    from: made.from,
  };
  const childEnv: Env = { ...env, cwd: made.path };
  const child = await openProject(childEnv, { writes: true });
  const frame = {
    snapshot_id: null,
    key: parent?.key ?? null,
    name: parent?.name ?? null,
    git_branch: parentGit?.status.branch ?? null,
    git_head: parentGit?.status.head ?? null,
    stash: null,
    child_git_branch: made.branch,
    child_name: input.name,
    branched_at: now.toISOString(),
    phase: "ready",
    tree: null,
    worktree: link,
  } as StackFrame;
  const session = newSession({
    key: childKey,
    now,
    name: input.name,
    task: input.task,
    template: seed?.template ?? null,
    todos: seed?.todos,
    notes: seed?.notes,
    stack: [frame],
  });
  await changeState(child.paths, "branch", (state) =>
    Promise.resolve({
      state: { ...state, active: session, stack: [...state.stack, frame] },
      result: null,
      event: { command: "branch", session: childKey, parent: parent?.key ?? null },
    }), stateOptions(childEnv));
  // The child's work begins on the tree as it is now (for `mpm diff` in the worktree).
  await recordMark(child.root, child.paths, childKey, "start", now);
  // All is recorded: the parent's entry is no longer pending.
  await changeState(parentProject.paths, "branch", (state) =>
    Promise.resolve({
      state: withChild(state, entry),
      result: null,
      event: { command: "branch", worktree: made.path, session: childKey },
    }), stateOptions(env));
  return { link, child: session, parent };
}
