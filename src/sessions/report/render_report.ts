/** The human resume report: the session's context, then everything that changed since. */
import type { Changes } from "../store/records/snapshot/changes.ts";
import { type Snapshot, type Todo, writtenBy, writtenElsewhere } from "../../kernel/snapshot.ts";
import { autoNote, claudeTasks } from "../store/snapshots/session_history.ts";
import { timeLabel } from "../store/snapshots/render_md.ts";
import type { Style } from "../../kernel/format/style.ts";
import { printable } from "../../kernel/format/text.ts";
import { shown } from "../../kernel/safe_text/shown.ts";
import { snapshotElsewhere } from "../../kernel/safe_text/whose.ts";
import { pushAll } from "../../kernel/lists.ts";
import { agentOf, otherAgentLabel } from "../../kernel/agent_name.ts";
import { ago, rowLine, shortTime } from "./row_text.ts";

export { ago, rowLine, shortTime };

/**
 * How much of a snapshot `mpm resume` and `mpm show` print as text: a teammate's may hold
 * megabytes, and `/mpm-resume` hands the model all it prints. `--format md` prints it whole.
 */
export const MAX_REPORT_CHARS = 48 * 1024;

/** The last line of a report cut at MAX_REPORT_CHARS: how much was left out, and where it is. */
export function restOfReport(id: string): (left: number) => string {
  return (left) =>
    `… ${left} more characters: \`mpm show ${id} --format md\` prints the snapshot whole.`;
}

function section(s: Style, title: string, items: string[], bullet = "•"): string[] {
  if (items.length === 0) return [];
  return ["", s.bold(`${title} (${items.length}):`), ...items.map((i) => `  ${bullet} ${i}`)];
}

/** A record's text after its label: redacted, printable, later lines indented by `indent`. */
function words(text: string, indent = "  "): string {
  return shown(text, { as: "indented", indent });
}

/** The context part: what the session was, without what changed. */
export function renderContext(snapshot: Snapshot, now: Date, s: Style): string[] {
  const { conversation: c, todos, mpm, git_context: git } = snapshot;
  const lines = [s.bold(`Session ${snapshot.session_id}`)];
  const when = `${shortTime(snapshot.paused_at)} (${ago(new Date(snapshot.paused_at), now)})`;
  lines.push(`${timeLabel(mpm.state)}: ${when}`);
  if (mpm.name) lines.push(`Name: ${words(mpm.name)}`);
  if (mpm.task) lines.push(`Task: ${words(mpm.task)}`);
  if (mpm.parent) lines.push(`Parent session: ${words(mpm.parent)}`);
  // Work in another agent than Claude Code names it; Claude Code's reads as it always did.
  const agent = otherAgentLabel(agentOf(mpm.agent));
  if (agent) lines.push(`Agent: ${agent}`);
  if (mpm.state !== "paused") lines.push(`State: ${mpm.state}`);
  // A teammate's snapshot (or one a cloned repository carried) says so before its words.
  const elsewhere = writtenElsewhere(snapshot);
  if (elsewhere) lines.push(`Written elsewhere: ${snapshotElsewhere(mpm.machine)}.`);
  // The person's words first; what mpm saved on its own follows as a dated note.
  const note = autoNote(snapshot);
  const human = writtenBy(snapshot) === "person" || Boolean(mpm.carried);
  if (human || note === null || note !== c.summary) lines.push(`Summary: ${words(c.summary)}`);
  if (mpm.carried) {
    const at = mpm.carried.written_at;
    lines.push(
      s.dim(
        `  (${elsewhere ? "words" : "your words"}, written ${shortTime(at)} (${
          ago(new Date(at), now)
        }) in ` +
          `${words(mpm.carried.from)}; carried forward)`,
      ),
    );
  }
  // A list item's later lines sit under its text, past the bullet.
  const item = (text: string) => words(text, "    ");
  pushAll(lines, section(s, "Accomplishments", c.accomplishments.map(item)));
  pushAll(lines, section(s, "Next steps", c.next_steps.map(item)));
  const todoLines = [
    ...todos.active.map((t, i) =>
      `${todoNumber(t, i)}[ ] ${item(t.content)}${
        t.status === "in_progress" ? " (in progress)" : ""
      }`
    ),
    ...todos.completed.map((t, i) =>
      `${todoNumber(t, todos.active.length + i)}[x] ${item(t.content)}`
    ),
  ];
  if (todoLines.length) {
    pushAll(lines, [
      "",
      s.bold(`Todos (${todos.active.length} open, ${todos.completed.length} done):`),
      ...todoLines.map((t) => `  ${t}`),
    ]);
  }
  if (note !== null) {
    const at = `${shortTime(snapshot.paused_at)}, ${ago(new Date(snapshot.paused_at), now)}`;
    lines.push("", `${s.dim("Note")} (${at}): ${words(note)}`);
  }
  const tasks = claudeTasks(snapshot);
  if (tasks.length) {
    pushAll(lines, [
      "",
      s.bold(`Claude's tasks at that point (${tasks.length}):`),
      ...tasks.map((t) =>
        `  [${t.status === "completed" ? "x" : " "}] ${item(t.content)}${
          t.status === "in_progress" ? " (in progress)" : ""
        }`
      ),
    ]);
  }
  if (git) {
    const where = git.branch === null ? "detached HEAD" : words(git.branch);
    const commit = git.commit
      ? `${git.commit.slice(0, 7)} ${words(git.commit_message ?? "")}`.trim()
      : "no commit yet";
    lines.push("", `Git at pause: ${where} at ${commit}`);
  }
  return lines;
}

/** "3. " for a todo that carries its lifelong number; "" for one without (claude-mpm's). */
function todoNumber(todo: Todo, _position: number): string {
  const n = (todo as Record<string, unknown>).number;
  return typeof n === "number" ? `${n}. ` : "";
}

function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 7) : "(none)";
}

/** The changes part of the report. `null` changes: not a git repository. */
export function renderChanges(changes: Changes | null, now: Date, s: Style): string[] {
  const lines = ["", s.bold("Changes since pause:")];
  if (changes === null) return [...lines, "  Not a git repository: no change detection."];
  const { branch } = changes;
  if (branch.from !== branch.to) {
    const name = (b: string | null) => b === null ? "detached" : printable(b);
    lines.push(`  Branch: ${name(branch.from)} → ${name(branch.to)}`);
  }
  pushAll(lines, pausedCommitLines(changes, s));
  if (changes.new_commits.length) {
    lines.push("", `  New commits (${changes.new_commits.length}):`);
    for (const c of changes.new_commits) lines.push(commitLine(c, now));
  } else {
    lines.push("  No new commits.");
  }
  if (changes.replayed_commits.length) {
    lines.push(
      "",
      `  Replayed by a rebase (${changes.replayed_commits.length}): the paused work, as new ` +
        "commits with the same changes",
    );
    for (const c of changes.replayed_commits) lines.push(commitLine(c, now));
  }
  if (changes.files.length) {
    lines.push("", `  Files changed since the paused commit (${changes.files.length}):`);
    for (const f of changes.files) lines.push(`    ${f.status.padEnd(2)} ${printable(f.path)}`);
  }
  if (changes.committed_as_paused.length) {
    lines.push("", `  Committed as paused (${changes.committed_as_paused.length}):`);
    for (const path of changes.committed_as_paused) {
      lines.push(`    • ${printable(path)}: uncommitted at pause, now in HEAD as it was`);
    }
  }
  if (changes.conflicts.length) {
    lines.push("", s.yellow(`  ⚠ Potential conflicts (${changes.conflicts.length}):`));
    for (const path of changes.conflicts) {
      lines.push(`    • ${printable(path)}: changed by new commits and uncommitted at pause`);
    }
  }
  if (changes.missing_files.length) {
    lines.push("", s.yellow(`  Missing files (${changes.missing_files.length}):`));
    for (const path of changes.missing_files) {
      lines.push(`    • ${printable(path)}: uncommitted at pause, gone now`);
    }
  }
  const undone = changes.undone_since_pause ?? [];
  if (undone.length) {
    lines.push("", s.yellow(`  Undone since the pause (${undone.length}):`));
    for (const path of undone) {
      lines.push(
        `    • ${
          printable(path)
        }: uncommitted at pause, as committed now (checkout, reset or stash)`,
      );
    }
  }
  const elsewhere = changes.paused_elsewhere;
  if (elsewhere && elsewhere.files.length) {
    const where = elsewhere.machine ?? "the machine that paused";
    lines.push(
      "",
      `  Uncommitted on ${printable(where)} at pause (${elsewhere.files.length}), in ` +
        `${printable(elsewhere.project_path)} (not in this work tree):`,
    );
    for (const path of elsewhere.files) lines.push(`    • ${printable(path)}`);
  }
  const tree = changes.working_tree;
  lines.push("", "  Working directory:");
  // A kind's note goes after its files: "Unmerged (resolve these first) (1)" read badly.
  const kinds: [string, string[], string?][] = [
    ["Unmerged", tree.conflicted, "resolve these first"],
    ["Staged", tree.staged],
    ["Modified", tree.modified],
    ["Deleted", tree.deleted],
    ["Untracked", tree.untracked],
  ];
  const shown = kinds.filter(([, paths]) => paths.length > 0);
  if (shown.length === 0) lines.push("    • No uncommitted changes");
  for (const [kind, paths, note] of shown) {
    lines.push(`    • ${kind} (${paths.length}): ${list(paths)}${note ? `; ${note}` : ""}`);
  }
  // Which of them the pause did not see as they are (unhashed files may have changed too).
  const edited = changes.edited_since_pause ?? [];
  if (edited.length > 0) {
    lines.push(`    • Changed since the pause (${edited.length}): ${list(edited)}`);
  }
  if (changes.ahead_behind) {
    const { ahead, behind } = changes.ahead_behind;
    if (ahead || behind) lines.push(`    • ${ahead} ahead, ${behind} behind upstream`);
  }
  return lines;
}

/** What the paused commit's state means, when it is news. */
function pausedCommitLines(changes: Changes, s: Style): string[] {
  const sha = shortSha(changes.paused_commit);
  switch (changes.paused_commit_state) {
    case "rewritten":
      return [
        s.yellow(
          `  ⚠ History rewritten: the paused commit ${sha} is no longer in this branch's ` +
            "history and no commit here has its changes (reset, amend or rebase).",
        ),
      ];
    case "on_paused_branch": {
      const from = changes.branch.from;
      if (from === null) return [];
      // The command only for a name that is safe to paste into a shell as it is.
      return [
        /^[\w./-]+$/.test(from) && !from.startsWith("-")
          ? `  The paused commit ${sha} is on ${from}: \`git switch ${from}\` goes back to it.`
          : `  The paused commit ${sha} is on the branch it was paused on.`,
      ];
    }
    case "replayed":
      return [
        `  The paused commit ${sha} was replayed by a rebase: its changes are in this branch ` +
        "as a new commit.",
      ];
    case "not_in_clone": {
      const from = changes.paused_elsewhere?.machine ?? "the machine that paused";
      return [
        s.yellow(
          `  ⚠ The paused commit ${sha} is not in this clone: fetch it from ${
            printable(from)
          } (push it there, then git fetch here). Until then, what changed since is unknown.`,
        ),
      ];
    }
    default:
      return [];
  }
}

function commitLine(c: Changes["new_commits"][number], now: Date): string {
  return `    ${c.sha.slice(0, 7)} - ${printable(c.subject)} (${printable(c.author)}, ${
    ago(new Date(c.date), now)
  })`;
}

function list(paths: string[], max = 5): string {
  return paths.slice(0, max).map(printable).join(", ") +
    (paths.length > max ? `, and ${paths.length - max} more` : "");
}

export function renderResumeReport(
  snapshot: Snapshot,
  changes: Changes | null | undefined,
  now: Date,
  s: Style,
): string {
  const lines = renderContext(snapshot, now, s);
  if (changes !== undefined) pushAll(lines, renderChanges(changes, now, s));
  return lines.join("\n") + "\n";
}
