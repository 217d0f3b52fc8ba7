/**
 * `mpm branch NAME`: put the active session aside for urgent work (parent snapshotted, work
 * stashed by name, the child started). Refusals first; the frame is written ahead ("branching");
 * when git refuses, the state and the parent's snapshot are undone.
 */
import { errorText, MpmError, UsageError } from "../../kernel/errors.ts";
import { checkBranchName, newSession, sessionLabel } from "../store/session/session.ts";
import {
  fewPaths,
  frameFor,
  operationRefusal,
  pushed,
  stashMessage,
  unfinished,
} from "../report/stack.ts";
import { uncommitted } from "../store/records/snapshot/changes.ts";
import { type GitOperation, operationsInProgress } from "../../git/tree/operation.ts";
import type { ActiveSession, StackFrame, State } from "../store/records/state/state.ts";
import { style } from "../../kernel/format/style.ts";
import { renderTodos } from "../store/records/state/todos.ts";
import { branchExists, isValidBranchName, switchBranch } from "../../git/history/branch.ts";
import {
  findStashByMessage,
  stashCommit,
  stashPushNamed,
  worktreeName,
} from "../../git/tree/stash.ts";
import { type GitState, readGitState } from "../../git/tree/status.ts";
import { readTreeRecord, type TreeRecord } from "../../git/objects/tree_record.ts";
import { failPoint } from "../../disk/files/faults/fail_point.ts";
import { changeState } from "../store/state/state_store.ts";
import { newSessionKey, seedFromTemplate, stateOptions } from "../store/session/active.ts";
import { openProject } from "../store/session/project.ts";
import { boolFlag, type Declared, listFlag, type Parsed, stringFlag } from "../../cli/command.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { takeSnapshot } from "../store/session/take_snapshot.ts";
import { withdrawSnapshot } from "../store/snapshots/withdraw_snapshot.ts";
import { shownDeep } from "../../kernel/safe_text/shown.ts";
import { recordMark } from "../store/marks/record_mark.ts";
import { sessionFlags } from "../capture/session_flags.ts";
import { oneOf } from "../capture/input.ts";
import { readWordsInput } from "../capture/input_read.ts";
import { restoreParentWork } from "./restore_work.ts";
import { branchIntoWorktree } from "./worktree_branch.ts";
import { printable, shellQuote } from "../../kernel/format/text.ts";
import { conflictRefusal } from "./branch_refusals.ts";
import { folderGone } from "./start_folder.ts";
import { pushAll } from "../../kernel/lists.ts";

interface Outcome {
  /** The session put aside; null when nothing was active (the child has no parent). */
  parent: ActiveSession | null;
  frame: StackFrame;
  child: ActiveSession;
  cleanTree: boolean;
  switched: { from: string | null; to: string; created: boolean } | null;
  root: string;
}

/** Refusals that need the git state; all of them come before anything is written. */
function refuseUnsafe(
  git: GitState,
  tree: TreeRecord,
  gitBranch: string | undefined,
  wantStash: boolean,
  operations: readonly GitOperation[],
): void {
  const status = git.status;
  const dirty = uncommitted(status);
  const switching = gitBranch !== undefined && gitBranch !== status.branch;
  // Unmerged paths first: their way out (resolve, then go on) comes before the operation's own.
  const refusal = conflictRefusal(status.conflicted, operations) ??
    operationRefusal(operations, { stash: wantStash, switching, dirty: dirty.length > 0 });
  if (refusal) throw new MpmError(refusal.message, refusal.hint);
  if (wantStash && tree.submodules.length > 0) {
    // git stash leaves a submodule's own changes behind, for `mpm return` to mix up.
    const named = tree.submodules.map((s) => `${s.path} (${s.changes.join(", ")})`);
    throw new MpmError(
      `The submodule ${fewPaths(named)} has changes git stash cannot put aside.`,
      "Commit them inside the submodule (and the new submodule commit here), or branch without " +
        "--stash.",
    );
  }
  if (switching && dirty.length > 0 && !wantStash) {
    throw new MpmError(
      `The working tree has uncommitted changes (${fewPaths(dirty)}); switching to ` +
        `"${gitBranch}" would carry them into the other branch.`,
      "Add --stash to put them aside with the session (`mpm return` brings them back), or commit them.",
    );
  }
  if (wantStash && dirty.length > 0 && status.head === null) {
    throw new MpmError(
      "git cannot stash in a repository without a commit.",
      "Make a first commit, then branch again.",
    );
  }
}

/** A branch or return that did not finish must be finished first: the stack would lie. */
function refuseUnfinished(state: State): void {
  const top = state.stack.at(-1);
  const left = top ? unfinished(top) : null;
  if (!left) return;
  throw new MpmError(
    `An interrupted \`mpm ${left}\` is on top of the stack: it must be ${
      left === "branch" ? "undone" : "finished"
    } first.`,
    `Run \`mpm return\` (it ${
      left === "branch" ? "undoes" : "finishes"
    } it); \`mpm status\` shows it.`,
  );
}

async function branch(env: Env, name: string, parsed: Parsed, task: string | undefined) {
  const gitBranch = stringFlag(parsed, "git-branch");
  if (gitBranch !== undefined) checkBranchName(gitBranch, "--git-branch");
  const wantStash = boolFlag(parsed, "stash") ?? false;
  const project = await openProject(env, { writes: true });
  const { root, paths } = project;
  if (gitBranch !== undefined && project.inGit && !(await isValidBranchName(gitBranch, root))) {
    throw new UsageError(`--git-branch "${gitBranch}" is not a branch name git accepts.`);
  }
  if (!project.inGit && (gitBranch !== undefined || wantStash)) {
    env.warn("mpm: not a git repository: --git-branch and --stash are ignored.");
  }
  const seed = await seedFromTemplate(
    env,
    paths,
    stringFlag(parsed, "template"),
    listFlag(parsed, "var"),
  );
  const childKey = newSessionKey();
  return await changeState<Outcome>(paths, "branch", async (state, save) => {
    refuseUnfinished(state);
    const now = env.now();
    const git = project.inGit ? await readGitState(root) : null;
    const tree = git ? await readTreeRecord(root) : null;
    if (git && tree) {
      refuseUnsafe(git, tree, gitBranch, wantStash, await operationsInProgress(root));
    }
    const parent = state.active;
    const written = parent
      ? await takeSnapshot({
        root,
        paths,
        now,
        session: parent,
        state: "branched",
        git,
        request: {
          summary: `${parent.task ?? sessionLabel(parent)}: put aside for "${name}".`,
          accomplishments: [],
          nextSteps: [],
          todos: [],
          summarySource: "auto",
          trigger: "branch",
        },
        // The parent's work stops here, before anything is stashed (for `mpm diff`).
        mark: "branch",
      })
      : null;
    const id = written?.snapshot.session_id ?? null;
    // Back to the state before: nothing was put aside, so the parent's snapshot goes too.
    const undo = async () => {
      await save(state);
      if (written) await withdrawSnapshot(paths, written.files);
    };
    const dirty = git ? uncommitted(git.status).length > 0 : false;
    const planned = git && wantStash && dirty
      ? stashMessage(id ?? childKey, await worktreeName(root))
      : null;
    const intent = frameFor({
      parent,
      snapshotId: id,
      gitBranch: git?.status.branch ?? null,
      gitHead: git?.status.head ?? null,
      stash: planned,
      childGitBranch: git ? (gitBranch ?? null) : null,
      childName: name,
      tree: tree?.paths ?? null,
      now,
    });
    // Write-ahead: the frame names the stash before it exists, so no kill can orphan it.
    await save({ ...state, stack: [...state.stack, intent] });
    failPoint(env.vars, "branch-after-intent");
    // The parent's work is stashed before the switch, so it never travels to the child's branch.
    let stash: string | null = null;
    try {
      stash = planned && (await stashPushNamed(root, planned)) ? planned : null;
    } catch (error) {
      // git makes the stash before it cleans the tree: no stash means nothing was touched.
      if (planned && !(await findStashByMessage(root, planned))) await undo();
      throw error;
    }
    // The stash's commit, which outlives its place in the list (`mpm return` names it if dropped).
    const ref = stash ? await findStashByMessage(root, stash) : undefined;
    const stashId = ref ? await stashCommit(root, ref) : null;
    const stashed = { stash, ...(stashId ? { stash_commit: stashId } : {}) };
    failPoint(env.vars, "branch-after-stash");
    let switched: Outcome["switched"] = null;
    if (git && gitBranch !== undefined && gitBranch !== git.status.branch) {
      const exists = await branchExists(root, gitBranch);
      try {
        await switchBranch(root, gitBranch, !exists);
      } catch (error) {
        const back = stash ? await unstash(env, root, { ...intent, stash }) : null;
        // Work still in the stash keeps its frame, so `mpm return` can bring it back.
        if (back === null || back.restored) await undo();
        else await save({ ...state, stack: [...state.stack, { ...intent, ...stashed }] });
        const after = back === null || back.restored
          ? "The session stack is unchanged."
          : "The interrupted branch stays on the stack: `mpm return` brings the work back.";
        throw new MpmError(
          `${errorText(error).replace(/\.$/, "")}${back ? `; ${back.text}` : ""}. ${after}`,
          (error as MpmError).hint,
        );
      }
      switched = { from: git.status.branch, to: gitBranch, created: !exists };
    }
    failPoint(env.vars, "branch-after-switch");
    // The child's work begins on the tree as it is now (for `mpm diff`).
    await recordMark(root, paths, childKey, "start", now);
    const frame: StackFrame = { ...intent, ...stashed, phase: "ready" };
    const child = newSession({
      key: childKey,
      now,
      name,
      task: task ?? null,
      template: seed?.template ?? null,
      todos: seed?.todos,
      notes: seed?.notes,
      stack: [...state.stack, frame],
    });
    return {
      state: pushed(state, frame, child),
      result: {
        parent,
        frame,
        child,
        cleanTree: git !== null && wantStash && !dirty,
        switched,
        root,
      },
      event: {
        command: "branch",
        session: child.key,
        parent: parent?.key ?? null,
        snapshot: id,
        stash,
        git_branch: switched?.to ?? null,
        // The lifecycle's moves (lifecycle.ts): the parent is put aside, the child begins.
        ...(parent ? { parent_transition: { from: "active", to: "paused" } } : {}),
        transition: { from: "new", to: "active" },
      },
    };
  }, stateOptions(env));
}

/** Puts a stash made a moment ago back, when the branch switch after it failed. */
async function unstash(env: Env, root: string, frame: StackFrame) {
  const back = await restoreParentWork({
    env,
    root,
    stash: frame.stash!,
    tree: frame.tree ?? null,
    resuming: false,
    untrackedBefore: [],
  }).catch(() => null);
  if (back && (back.status === "applied" || back.status === "in-place")) {
    return { restored: true, text: "your uncommitted work was restored" };
  }
  const where = back?.ref ? ` (${back.ref})` : "";
  return { restored: false, text: `your work is still in the stash "${frame.stash}"${where}` };
}

async function branchWorktree(env: Env, name: string, parsed: Parsed, task: string | undefined) {
  if (boolFlag(parsed, "stash")) {
    throw new UsageError(
      "--stash and --worktree do not go together: a worktree leaves this tree's work where it is.",
    );
  }
  const gitBranch = stringFlag(parsed, "git-branch");
  if (gitBranch !== undefined) checkBranchName(gitBranch, "--git-branch");
  const out = await branchIntoWorktree(env, {
    name,
    task: task ?? null,
    branch: gitBranch,
    from: stringFlag(parsed, "from"),
    path: stringFlag(parsed, "path"),
    template: stringFlag(parsed, "template"),
    vars: listFlag(parsed, "var"),
  });
  const { link, parent } = out;
  // What was kept: a secret in the template or a --var is shown as it was stored, redacted.
  const child = shownDeep(out.child);
  if (boolFlag(parsed, "json")) {
    return json({
      worktree: link,
      parent: parent ? { key: parent.key, name: parent.name, still_active: true } : null,
      session: child,
      run: { cd: link.path, claude: "claude" },
    });
  }
  const s = style(env.color);
  const made = link.created
    ? `Created the worktree ${link.path} on a new git branch ${link.branch} (from ${
      link.from.slice(0, 7)
    })`
    : `Created the worktree ${link.path} on git branch ${link.branch}`;
  const lines = [
    `${s.green("✓")} ${made}`,
    `${s.green("✓")} Started ${s.bold(sessionLabel(child))} there`,
  ];
  if (child.task) lines.push(`  Task: ${child.task}`);
  if (child.todos.length) pushAll(lines, ["", ...renderTodos(child.todos, s)]);
  lines.push(
    parent
      ? `  ${sessionLabel(parent)} stays active here: its files, index and stash are untouched, ` +
        "and its Claude conversation can go on in this window."
      : "  Nothing was active here; this tree is untouched.",
    "",
    "In another terminal:",
    `  cd ${shellQuote(link.path)}`,
    "  claude",
    "",
    "`mpm return` there pauses it, removes the worktree once its work is merged or pushed, " +
      "and says where this tree is.",
  );
  return text(lines);
}

export const branchCommand: Declared = {
  json:
    `- \`mpm branch --json\`: \`{"parent", "stash", "git_branch", "recorded_paths", "session", "depth"}\`,
  \`parent\` being \`{"key", "name", "snapshot_id"}\` or \`null\` when nothing was active (the child has
  no parent), \`stash\` the stash's name or \`null\`, \`git_branch\` \`{"from", "to", "created"}\` or
  \`null\`, \`recorded_paths\` the number of uncommitted paths recorded in the frame (\`null\` outside
  git), and \`session\` the child session (its todos and task as stored: redacted). When git refuses
  the stash or the switch and nothing stays stashed, the parent's "branched" snapshot is taken back
  and the state is as before: no branch happened. Unmerged paths are refused before anything is
  written, with the steps of the operation that left them (resolve, \`git add\`, then its \`--continue\`
  or \`git commit\`; or its \`--abort\`). When the stash took the folder mpm ran in (it held only
  untracked files), a line says so and gives the \`cd\` to the repository's top.`,
  details: `Saves the active session as a snapshot (state "branched") and pushes it on the
stack with its git branch and a record of its index and work tree, then starts the child
session NAME. \`mpm return\` completes the child, brings the parent back and checks that
its work is back exactly. Stacks nest to any depth. With nothing active, the child has no
parent: nothing is invented, and \`mpm return\` restores only git's side.`,
  more: `--stash stashes all uncommitted work, untracked files included, as "mpm: <snapshot id>";
\`mpm return\` re-applies exactly that stash, whatever else was stashed meanwhile. A
submodule with changes of its own is refused up front (git stash would leave them).
--git-branch B switches to branch B, creating it from HEAD when it does not exist. With
uncommitted changes, --git-branch needs --stash (or a commit first): nothing is carried
into B by accident. Outside git, both are ignored.

The frame is written before anything is stashed or switched; if mpm is killed half-way,
\`mpm status\` shows the interrupted branch and \`mpm return\` undoes it. --stash and
--git-branch are refused while a merge, cherry-pick, revert, rebase or am is in progress
(or a bisect, with changes): a stash or a switch would lose it.

--worktree leaves this tree alone: the child gets a git worktree of its own, by default
where \`claude --worktree NAME\` puts one (.claude/worktrees/NAME, kept out of this tree's
\`git status\` through .git/info/exclude), on git branch B (default worktree-NAME, made
from HEAD or --from REF), with its own .claude-mpm/ whose stack names this tree. The
active session here stays active. It prints the \`cd\` and \`claude\` to run. \`mpm return\`
run there pauses the child, and removes the worktree only when it is clean, holds no ignored
files and its HEAD is merged into this tree's HEAD or pushed; otherwise it says what keeps it.
A folder on the way inside this tree that is a symbolic link (.claude/worktrees committed as
one, say) is refused: nothing is made. If mpm is killed after git made the worktree,
\`mpm status\` and \`mpm worktrees prune\` name it.`,
  args: [{ name: "NAME", description: "The child session's name (a name git would accept)." }],
  flags: [
    ...sessionFlags,
    {
      name: "git-branch",
      short: "b",
      value: "B",
      description: "Switch to git branch B (created from HEAD if new).",
    },
    { name: "stash", description: "Stash the parent's uncommitted work (untracked files too)." },
    {
      name: "worktree",
      description: "Do the urgent work in a git worktree of its own; this tree is left as it is.",
    },
    {
      name: "from",
      value: "REF",
      description: "With --worktree: start the new branch at REF (default HEAD).",
    },
    {
      name: "path",
      value: "P",
      description: "With --worktree: put it at P (default .claude/worktrees/NAME).",
      complete: "files",
    },
    {
      name: "input",
      value: "FILE|-",
      description: 'The task as YAML or JSON from FILE or stdin (task: "…"): no shell quoting.',
      complete: "files",
    },
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: [
    'mpm branch hotfix --git-branch hotfix/login --stash --task "Login is down"',
    "mpm branch review --template code-review --var pr=#123",
    "mpm branch hot --worktree -b hotfix/login --from origin/main",
  ],
  run: async (env, parsed) => {
    const name = checkBranchName(parsed.args[0], "The session name");
    const given = stringFlag(parsed, "input");
    const input = given === undefined
      ? {}
      : await readWordsInput(env, given, ["task"], "mpm branch");
    const task = oneOf(input.task, stringFlag(parsed, "task"), "--task");
    if (boolFlag(parsed, "worktree")) return await branchWorktree(env, name, parsed, task);
    for (const flag of ["from", "path"]) {
      if (stringFlag(parsed, flag) !== undefined) {
        throw new UsageError(`--${flag} goes with --worktree.`);
      }
    }
    const out = await branch(env, name, parsed, task);
    // What was kept: a secret in the template or a --var is shown as it was stored, redacted.
    const child = shownDeep(out.child);
    if (boolFlag(parsed, "json")) {
      return json({
        parent: out.parent
          ? { key: out.parent.key, name: out.parent.name, snapshot_id: out.frame.snapshot_id }
          : null,
        stash: out.frame.stash,
        git_branch: out.switched,
        recorded_paths: out.frame.tree?.length ?? null,
        session: child,
        depth: child.depth,
      });
    }
    const s = style(env.color);
    const { frame } = out;
    const lines = out.parent
      ? [`${s.green("✓")} Put aside ${s.bold(sessionLabel(out.parent))} as ${frame.snapshot_id}`]
      : ["No session was active: the child has no parent session to go back to."];
    if (frame.stash) lines.push(`  Stashed the uncommitted work as "${frame.stash}"`);
    if (frame.stash && (await folderGone(env.cwd))) {
      // The stash took the folder (its untracked files): the shell is left where nothing runs.
      lines.push(
        `  ${s.yellow("⚠")} The folder you ran this in went into the stash with its files: ` +
          `\`cd ${shellQuote(out.root)}\` takes you to the repository's top.`,
      );
    }
    if (out.cleanTree) lines.push("  Nothing to stash: the working tree is clean.");
    if (out.switched) {
      const verb = out.switched.created ? "Created and switched to" : "Switched to";
      lines.push(
        `  ${verb} git branch ${out.switched.to} (from ${out.switched.from ?? "detached HEAD"})`,
      );
    }
    lines.push(
      `${s.green("✓")} Started ${s.bold(printable(sessionLabel(child)))} (depth ${child.depth})`,
    );
    if (child.task) lines.push(`  Task: ${printable(child.task)}`);
    if (child.todos.length) pushAll(lines, ["", ...renderTodos(child.todos, s)]);
    lines.push(
      "",
      out.parent
        ? `\`mpm return\` completes it and brings back ${sessionLabel(out.parent)}.`
        : "`mpm return` completes it and puts git back as it was (branch, stash).",
    );
    return text(lines);
  },
};
