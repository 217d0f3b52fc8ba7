/**
 * `mpm branch NAME --worktree`: the urgent work gets a git worktree of its own (by default
 * where `claude --worktree NAME` puts one), with its own `.claude-mpm/` whose stack names the
 * parent. The parent's files, index, stash and active session are left as they are: its Claude
 * conversation goes on in its own window. Only the parent's state learns of the worktree.
 *
 * Order: the worktree is made first (git refuses cleanly, nothing else changed); a failure
 * after it removes the fresh, clean worktree again.
 */
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { isAbsolute, relative, resolve } from "../../kernel/path.ts";
import { branchExists, isValidBranchName } from "../../git/history/branch.ts";
import { readGitState } from "../../git/tree/status.ts";
import { ensureExcluded } from "../../git/run/exclude.ts";
import { addWorktree, removeWorktree, resolveCommit } from "../../git/tree/worktree.ts";
import type { Env } from "../../cli/env.ts";
import { newSession } from "../store/state/session.ts";
import type { ActiveSession, StackFrame } from "../store/records/state.ts";
import { changeState } from "../store/state/state_store.ts";
import { newSessionKey, seedFromTemplate, stateOptions } from "../store/state/active.ts";
import { openProject } from "../store/state/project.ts";
import { recordMark } from "../store/marks/record_mark.ts";
import {
  type ChildWorktree,
  defaultWorktreeBranch,
  defaultWorktreePath,
  withChild,
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
  const project = await openProject(env, { writes: true });
  const { root, paths } = project;
  if (!project.inGit) {
    throw new MpmError(
      "`mpm branch --worktree` needs a git repository: a worktree is git's.",
      "Run it inside a git repository, or branch without --worktree.",
    );
  }
  const path = input.path === undefined
    ? defaultWorktreePath(root, input.name)
    : resolve(env.cwd, input.path);
  if (await taken(path)) {
    throw new MpmError(
      `${path} exists already.`,
      "Pick another session name, or choose a free folder with --path.",
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
  const seed = await seedFromTemplate(env, paths, input.template, input.vars);
  // Inside the parent, the worktree must not show in its `git status` (nor in a stash).
  const inside = relative(root, path);
  if (!inside.startsWith("..") && !isAbsolute(inside)) {
    const folder = input.path === undefined ? ".claude/worktrees" : inside;
    await ensureExcluded(root, `/${folder.split("\\").join("/")}/`);
  }
  await addWorktree(root, { path, branch, create: !exists, from: exists ? null : from });
  try {
    return await recordBoth(env, { root, paths }, input, { path, branch, exists, from }, seed);
  } catch (error) {
    await removeWorktree(root, path).catch(() => {});
    throw error;
  }
}

async function recordBoth(
  env: Env,
  parentProject: { root: string; paths: Parameters<typeof changeState>[0] },
  input: WorktreeBranchInput,
  made: { path: string; branch: string; exists: boolean; from: string },
  seed: Awaited<ReturnType<typeof seedFromTemplate>>,
): Promise<WorktreeBranchOutcome> {
  const now = env.now();
  const childKey = newSessionKey();
  const parentGit = await readGitState(parentProject.root);
  const link: WorktreeLink = {
    parent: parentProject.root,
    path: made.path,
    branch: made.branch,
    created: !made.exists,
    from: made.from,
  };
  const parent = await changeState<ActiveSession | null>(
    parentProject.paths,
    "branch",
    (state) => {
      const entry: ChildWorktree = {
        name: input.name,
        path: made.path,
        branch: made.branch,
        session: childKey,
        created_at: now.toISOString(),
      };
      return Promise.resolve({
        state: withChild(state, entry),
        result: state.active,
        event: { command: "branch", worktree: made.path, session: childKey },
      });
    },
    stateOptions(env),
  );
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
  return { link, child: session, parent };
}
