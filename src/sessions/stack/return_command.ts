/**
 * `mpm return`: complete the child and go back to its parent's branch, stashed work (by name)
 * and todos. Crash-safe: the frame records the return first ("returning"), so a rerun after a
 * kill finishes it the same way.
 */
import { UsageError } from "../../kernel/errors.ts";
import { renderChanges, renderContext } from "../report/render_report.ts";
import { sessionLabel } from "../store/session/session.ts";
import { hasParent, renderOrphans } from "../report/stack.ts";
import { style } from "../../kernel/format/style.ts";
import { boolFlag, type Declared, listFlag, stringFlag } from "../../cli/command.ts";
import { json, text } from "../../cli/output.ts";
import { oneOf } from "../capture/input.ts";
import { readWordsInput } from "../capture/input_read.ts";
import { shellQuote } from "../../kernel/format/text.ts";
import { renderRestore } from "./restore_report.ts";
import { renderWorktreeReturn, returnFromWorktree } from "./worktree_return.ts";
import { folderGone } from "./start_folder.ts";
import { pushAll } from "../../kernel/lists.ts";
import { restoreJson, returnToParent, stashWarning, worktreeTop } from "./return_to_parent.ts";

export const returnCommand: Declared = {
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
    if (stash?.status === "applied") {
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
