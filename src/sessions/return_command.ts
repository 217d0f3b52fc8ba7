/**
 * `mpm return`: complete the child session and go back to its parent — its git branch, its
 * stashed work (found by name, never by position), its todos — then show what changed since.
 */
import { errorText, MpmError } from "../kernel/errors.ts";
import { renderChanges, renderContext } from "./render_report.ts";
import { sessionFromSnapshot, sessionLabel } from "./session.ts";
import { fewPaths, popped, topFrame, trackedChanges } from "./stack.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import type { ActiveSession, StackFrame } from "./state.ts";
import { style } from "../kernel/style.ts";
import { branchExists, switchBranch } from "../git/branch.ts";
import { findStashByMessage, stashPop } from "../git/stash.ts";
import { type GitState, readGitState } from "../git/status.ts";
import { changeState } from "./state_store.ts";
import { loadSnapshotById, stateOptions } from "./active.ts";
import { openProject } from "./project.ts";
import { boolFlag, type Command, listFlag, stringFlag } from "../cli/command.ts";
import { detectChanges } from "./detect_changes.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { writeSessionSnapshot } from "./capture.ts";

type StashOutcome =
  | { status: "applied"; message: string }
  | { status: "missing"; message: string }
  | { status: "conflict"; message: string; ref: string; detail: string };

interface Outcome {
  frame: StackFrame;
  completed: Snapshot | null;
  child: ActiveSession | null;
  parent: ActiveSession;
  git: { from: string | null; to: string } | null;
  stayed: string | null;
  stash: StashOutcome | null;
}

function parentLabel(frame: StackFrame): string {
  return frame.name ?? (frame.session ? sessionLabel(frame.session) : frame.key);
}

/** Refusals, all before anything is written; returns the branch to switch back to, if any. */
async function plan(root: string, git: GitState, frame: StackFrame, keepBranch: boolean) {
  const current = git.status.branch;
  const target = frame.git_branch;
  let switchTo: string | null = null;
  if (!keepBranch && target !== null && target !== current) {
    if (!(await branchExists(root, target))) {
      const at = frame.git_head ? ` ${frame.git_head}` : "";
      throw new MpmError(
        `The git branch "${target}" of ${parentLabel(frame)} no longer exists: it was deleted ` +
          "after `mpm branch`.",
        `Recreate it with \`git branch ${target}${at}\` and run \`mpm return\` again, or run ` +
          `\`mpm return --keep-branch\` to stay on ${current ?? "this commit"}.`,
      );
    }
    switchTo = target;
  }
  const tracked = trackedChanges(git.status);
  if ((switchTo !== null || frame.stash !== null) && tracked.length > 0) {
    throw new MpmError(
      `The working tree has uncommitted changes (${fewPaths(tracked)}); mpm will not mix them ` +
        `with the work of ${parentLabel(frame)}.`,
      "Commit them (or stash them yourself), then run `mpm return` again.",
    );
  }
  return switchTo;
}

async function reapply(root: string, message: string): Promise<StashOutcome> {
  const ref = await findStashByMessage(root, message);
  if (!ref) return { status: "missing", message };
  try {
    const result = await stashPop(root, ref);
    if (result.applied) return { status: "applied", message };
    return { status: "conflict", message, ref, detail: result.message };
  } catch (error) {
    // The stack is popped whatever happens here; the stash itself stays where it is.
    return { status: "conflict", message, ref, detail: errorText(error) };
  }
}

async function returnToParent(
  env: Env,
  summary: string | undefined,
  accomplishments: string[],
  keepBranch: boolean,
) {
  const project = await openProject(env, { writes: true });
  const { root, paths } = project;
  const outcome = await changeState<Outcome>(paths, "return", async (state) => {
    const frame = topFrame(state);
    const now = env.now();
    const git = project.inGit ? await readGitState(root) : null;
    const switchTo = git ? await plan(root, git, frame, keepBranch) : null;
    const child = state.active;
    const completed = child
      ? (await writeSessionSnapshot({
        root,
        paths,
        now,
        session: child,
        state: "completed",
        git,
        request: { summary, accomplishments, nextSteps: [], todos: [] },
      })).snapshot
      : null;
    if (switchTo !== null) await switchBranch(root, switchTo, false);
    const stash = git && frame.stash ? await reapply(root, frame.stash) : null;
    const rest = state.stack.slice(0, -1);
    const saved = frame.session ??
      sessionFromSnapshot(await loadSnapshotById(paths, frame.snapshot_id), rest, now);
    const parent: ActiveSession = { ...saved, depth: rest.length, dirty: false };
    return {
      state: popped(state, parent),
      result: {
        frame,
        completed,
        child,
        parent,
        git: switchTo !== null ? { from: git?.status.branch ?? null, to: switchTo } : null,
        stayed: switchTo === null && git ? git.status.branch : null,
        stash,
      },
      event: {
        command: "return",
        session: parent.key,
        child: child?.key ?? null,
        completed: completed?.session_id ?? null,
        stash: stash?.status ?? null,
      },
    };
  }, stateOptions(env));
  let snapshot: Snapshot | undefined;
  try {
    snapshot = await loadSnapshotById(paths, outcome.frame.snapshot_id);
  } catch (error) {
    env.warn(`mpm: ${errorText(error)}`);
  }
  const changes = snapshot ? await detectChanges(root, snapshot) : undefined;
  return { outcome, snapshot, changes };
}

function stashWarning(stash: StashOutcome, label: string): string | null {
  if (stash.status === "missing") {
    return `mpm: the stash "${stash.message}" holding the uncommitted work of ${label} is no ` +
      "longer in the stash list (applied or dropped by hand?); nothing was re-applied.";
  }
  if (stash.status !== "conflict") return null;
  return [
    `mpm: the uncommitted work of ${label} did not re-apply cleanly; it is still in the stash ` +
    `list as ${stash.ref} ("${stash.message}").`,
    ...stash.detail.split("\n").map((line) => `  ${line}`),
    "To finish by hand: if git applied part of it (`git status` shows unmerged paths), resolve",
    `them, then \`git stash drop ${stash.ref}\`; if it applied nothing, move away the files git`,
    `names, then \`git stash pop ${stash.ref}\`. (\`git stash list\` shows it by its message if`,
    "its number changes.)",
  ].join("\n");
}

export const returnCommand: Command = {
  name: "return",
  summary: "Complete the child session and go back to its parent, exactly where it was.",
  details: `Writes the child's final snapshot (state "completed"), pops the stack, switches
back to the parent's git branch, re-applies the parent's stash by its name, makes the
parent active with its todos, and shows what changed since \`mpm branch\`.

--keep-branch stays on the current git branch instead of switching back (the stack is
still popped and the stash still re-applied). mpm never deletes a git branch: the
child's branch stays either way.

Refused, changing nothing, when switching back or re-applying would meet uncommitted
changes, or when the parent's branch was deleted. A stash that does not re-apply cleanly
stays in the stash list; the parent is active all the same, and the exit code is 1.
Exit 3 when the stack is empty.`,
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
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: ['mpm return -s "Fixed the login outage" -a "Patched token refresh"'],
  run: async (env, parsed) => {
    const keepBranch = boolFlag(parsed, "keep-branch") ?? false;
    const { outcome, snapshot, changes } = await returnToParent(
      env,
      stringFlag(parsed, "summary"),
      listFlag(parsed, "accomplishment"),
      keepBranch,
    );
    const { frame, parent, stash } = outcome;
    const label = sessionLabel(parent);
    const warning = stash ? stashWarning(stash, label) : null;
    if (warning) env.warn(warning);
    const exitCode = stash?.status === "conflict" ? 1 : 0;
    if (boolFlag(parsed, "json")) {
      return json({
        completed: outcome.completed?.session_id ?? null,
        active: parent,
        git_branch: outcome.git,
        stash: stash ? { ...stash } : null,
        depth: parent.depth,
        changes: changes ?? null,
      }, exitCode);
    }
    const s = style(env.color);
    const lines: string[] = [];
    if (outcome.completed && outcome.child) {
      lines.push(
        `${s.green("✓")} Completed ${s.bold(sessionLabel(outcome.child))} ` +
          `(${outcome.completed.session_id})`,
      );
    } else {
      lines.push("No active child session to complete (it was paused).");
    }
    if (outcome.git) lines.push(`${s.green("✓")} Back on git branch ${outcome.git.to}`);
    else if (keepBranch && outcome.stayed) {
      lines.push(`  Stayed on git branch ${outcome.stayed} (--keep-branch)`);
    } else if (frame.git_branch === null && frame.git_head) {
      lines.push(
        `  ${label} was on a detached HEAD at ${frame.git_head.slice(0, 7)}; ` +
          `\`git switch --detach ${frame.git_head.slice(0, 7)}\` goes back there.`,
      );
    }
    if (stash?.status === "applied") {
      lines.push(`${s.green("✓")} Re-applied its uncommitted work ("${stash.message}")`);
    } else if (stash) lines.push(s.yellow(`⚠ Its stashed work was not re-applied (see above).`));
    lines.push(`${s.green("✓")} ${s.bold(label)} is active again (depth ${parent.depth})`, "");
    if (snapshot) {
      lines.push(...renderContext(snapshot, env.now(), s));
      if (changes !== undefined) {
        const since = renderChanges(changes, env.now(), s);
        lines.push(
          ...since.map((l) => l.replace("Changes since pause:", "Changes since the branch:")),
        );
      }
    }
    return text(lines, exitCode);
  },
};
