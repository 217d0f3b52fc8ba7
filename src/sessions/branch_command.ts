/**
 * `mpm branch NAME`: put the active session aside for urgent work. The parent is saved as a
 * snapshot (state "branched") and pushed on the stack with its git branch; `--stash` stashes
 * its uncommitted work by name; `--git-branch` creates or switches a git branch; then the
 * child session starts. Every refusal happens before anything changes.
 */
import { errorText, MpmError, UsageError } from "../kernel/errors.ts";
import { checkBranchName, newSession, sessionLabel } from "./session.ts";
import { fewPaths, frameFor, pushed, stashMessage, uncommitted } from "./stack.ts";
import type { ActiveSession, StackFrame } from "./state.ts";
import { style } from "../kernel/style.ts";
import { renderTodos } from "./todos.ts";
import { branchExists, isValidBranchName, switchBranch } from "../git/branch.ts";
import { findStashByMessage, stashPop, stashPushNamed } from "../git/stash.ts";
import { type GitState, readGitState } from "../git/status.ts";
import { changeState } from "./state_store.ts";
import { newSessionKey, seedFromTemplate, stateOptions } from "./active.ts";
import { openProject } from "./project.ts";
import { boolFlag, type Command, listFlag, type Parsed, stringFlag } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { writeSessionSnapshot } from "./capture.ts";
import { sessionFlags } from "./start_command.ts";

interface Outcome {
  parent: ActiveSession;
  parentWasActive: boolean;
  frame: StackFrame;
  child: ActiveSession;
  /** Whether --stash found nothing to stash. */
  cleanTree: boolean;
  switched: { from: string | null; to: string; created: boolean } | null;
}

/** Refusals that need the git state; all of them come before anything is written. */
function refuseUnsafe(git: GitState, gitBranch: string | undefined, wantStash: boolean): void {
  const status = git.status;
  const dirty = uncommitted(status);
  if (status.conflicted.length > 0) {
    throw new MpmError(
      `The working tree has unmerged paths (${fewPaths(status.conflicted)}).`,
      "Finish or abort the merge first; mpm will not put a conflict aside.",
    );
  }
  const switching = gitBranch !== undefined && gitBranch !== status.branch;
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

/** Puts a stash made a moment ago back, when the branch switch after it failed. */
async function unstash(root: string, message: string): Promise<string> {
  const ref = await findStashByMessage(root, message);
  if (!ref) return `your work is in the stash "${message}"`;
  const popped = await stashPop(root, ref).catch(() => ({ applied: false }));
  return popped.applied
    ? "your uncommitted work was restored"
    : `your work is still in the stash "${message}" (${ref})`;
}

async function branch(env: Env, name: string, parsed: Parsed) {
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
  const keys = { parent: newSessionKey(), child: newSessionKey() };
  return await changeState<Outcome>(paths, "branch", async (state) => {
    const now = env.now();
    const git = project.inGit ? await readGitState(root) : null;
    if (git) refuseUnsafe(git, gitBranch, wantStash);
    const parent = state.active ??
      newSession({ key: keys.parent, now, adhoc: true, stack: state.stack });
    const saved = await writeSessionSnapshot({
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
      },
    });
    const id = saved.snapshot.session_id;
    const dirty = git ? uncommitted(git.status).length > 0 : false;
    let stash: string | null = null;
    // The parent's work is stashed before the switch, so it never travels to the child's branch.
    if (git && wantStash && dirty && (await stashPushNamed(root, stashMessage(id)))) {
      stash = stashMessage(id);
    }
    let switched: Outcome["switched"] = null;
    if (git && gitBranch !== undefined && gitBranch !== git.status.branch) {
      const exists = await branchExists(root, gitBranch);
      try {
        await switchBranch(root, gitBranch, !exists);
      } catch (error) {
        const restored = stash ? `; ${await unstash(root, stash)}` : "";
        throw new MpmError(
          `${errorText(error).replace(/\.$/, "")}${restored}. The session stack is unchanged.`,
          (error as MpmError).hint,
        );
      }
      switched = { from: git.status.branch, to: gitBranch, created: !exists };
    }
    const frame = frameFor({
      parent,
      snapshotId: id,
      gitBranch: git?.status.branch ?? null,
      gitHead: git?.status.head ?? null,
      stash,
      childGitBranch: git ? (gitBranch ?? null) : null,
      now,
    });
    const child = newSession({
      key: keys.child,
      now,
      name,
      task: stringFlag(parsed, "task") ?? null,
      template: seed?.template ?? null,
      todos: seed?.todos,
      notes: seed?.notes,
      stack: [...state.stack, frame],
    });
    return {
      state: pushed(state, frame, child),
      result: {
        parent,
        parentWasActive: state.active !== null,
        frame,
        child,
        cleanTree: git !== null && wantStash && !dirty,
        switched,
      },
      event: {
        command: "branch",
        session: child.key,
        parent: parent.key,
        snapshot: id,
        stash,
        git_branch: switched?.to ?? null,
      },
    };
  }, stateOptions(env));
}

export const branchCommand: Command = {
  name: "branch",
  summary: "Put the active session aside and start a child session for urgent work.",
  details: `Saves the active session as a snapshot (state "branched") and pushes it on the
stack with its git branch, then starts the child session NAME. \`mpm return\` completes
the child and brings the parent back. Stacks nest to any depth.

--stash stashes all uncommitted work, untracked files included, as "mpm: <snapshot id>";
\`mpm return\` re-applies exactly that stash, whatever else was stashed meanwhile.
--git-branch B switches to branch B, creating it from HEAD when it does not exist. With
uncommitted changes, --git-branch needs --stash (or a commit first): nothing is carried
into B by accident. Outside git, both are ignored.`,
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
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: [
    'mpm branch hotfix --git-branch hotfix/login --stash --task "Login is down"',
    "mpm branch review --template code-review --var pr=#123",
  ],
  run: async (env, parsed) => {
    const name = checkBranchName(parsed.args[0], "The session name");
    const out = await branch(env, name, parsed);
    if (boolFlag(parsed, "json")) {
      return json({
        parent: { key: out.parent.key, name: out.parent.name, snapshot_id: out.frame.snapshot_id },
        stash: out.frame.stash,
        git_branch: out.switched,
        session: out.child,
        depth: out.child.depth,
      });
    }
    const s = style(env.color);
    const { frame, child } = out;
    const lines = [
      `${s.green("✓")} Put aside ${s.bold(sessionLabel(out.parent))} as ${frame.snapshot_id}` +
      (out.parentWasActive ? "" : " (no session was active: an ad-hoc one holds that work)"),
    ];
    if (frame.stash) lines.push(`  Stashed its uncommitted work as "${frame.stash}"`);
    if (out.cleanTree) lines.push("  Nothing to stash: the working tree is clean.");
    if (out.switched) {
      const verb = out.switched.created ? "Created and switched to" : "Switched to";
      lines.push(
        `  ${verb} git branch ${out.switched.to} (from ${out.switched.from ?? "detached HEAD"})`,
      );
    }
    lines.push(`${s.green("✓")} Started ${s.bold(sessionLabel(child))} (depth ${child.depth})`);
    if (child.task) lines.push(`  Task: ${child.task}`);
    if (child.todos.length) lines.push("", ...renderTodos(child.todos, s));
    lines.push("", `\`mpm return\` completes it and brings back ${sessionLabel(out.parent)}.`);
    return text(lines);
  },
};
