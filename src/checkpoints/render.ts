/** Checkpoints for people: the stored `.md`, `show`'s text, and `diff`'s report. */
import type { Checkpoint } from "./checkpoint.ts";
import type { CheckpointDiff } from "./diff.ts";
import { nothingChangedSince } from "./diff.ts";
import { ago, shortTime } from "../sessions/report/render_report.ts";
import type { Todo } from "../kernel/snapshot.ts";
import type { Style } from "../kernel/format/style.ts";
import { renderContextChange } from "../context/compare.ts";

function todoLine(todo: Todo): string {
  const box = todo.status === "completed" ? "[x]" : "[ ]";
  const note = todo.status === "in_progress" ? " _(in progress)_" : "";
  return `- ${box} ${todo.content}${note}`;
}

function where(git: NonNullable<Checkpoint["git"]>): string {
  const branch = git.branch ?? "detached HEAD";
  const commit = git.head
    ? `${git.head.slice(0, 7)}${git.commit_message ? ` ${git.commit_message}` : ""}`
    : "no commit yet";
  return `${branch} at ${commit}`;
}

export function renderCheckpointMarkdown(record: Checkpoint): string {
  const lines = [`# Checkpoint: ${record.name}`, ""];
  lines.push(`- **Saved:** ${record.saved_at}`);
  lines.push(`- **Project:** ${record.project_path}`);
  if (record.session) {
    lines.push(`- **Session:** ${record.session.name ?? record.session.key}`);
    if (record.session.task) lines.push(`- **Task:** ${record.session.task}`);
  }
  if (record.stack.length) lines.push(`- **Branch stack:** ${record.stack.join(" → ")}`);
  lines.push("", "## Note", "", record.note ?? "_No note._", "");
  lines.push("## Todos", "");
  lines.push(...(record.todos.length ? record.todos.map(todoLine) : ["_No todos._"]), "");
  lines.push("## Git", "");
  if (!record.git) {
    lines.push("_Not a git repository._");
  } else {
    lines.push(`- **Branch:** ${record.git.branch ?? "(detached HEAD)"}`);
    lines.push(`- **Commit:** ${record.git.head ?? "(no commit yet)"}`);
    if (record.git.commit_message) lines.push(`- **Message:** ${record.git.commit_message}`);
    lines.push("", "### Uncommitted files", "");
    if (record.git.files.length === 0) lines.push("_None: the working tree was clean._");
    for (const file of record.git.files) {
      const hash = file.sha256 ? ` \`${file.sha256.slice(0, 12)}\`` : "";
      lines.push(
        `- \`${file.path}\` (${file.status}${file.kind === "missing" ? ", gone" : ""})${hash}`,
      );
    }
  }
  lines.push("", ...contextSection(record));
  lines.push("## Compare", "", "```sh", `mpm checkpoint diff ${record.name}`, "```", "");
  return lines.join("\n");
}

/** The guide's "## Context": the context file as the checkpoint recorded it (redacted). */
function contextSection(record: Checkpoint): string[] {
  const context = record.context_file;
  const lines = ["## Context", ""];
  if (context === undefined) return [...lines, "_Not recorded (an older mpm)._", ""];
  if (context === null) return [...lines, "_No context file (`mpm context init` starts one)._", ""];
  lines.push(`- **File:** ${context.file}`, `- **sha256:** \`${context.sha256}\``, "");
  if (context.text === null) {
    return [...lines, "_Too large to keep: only its hash is recorded._", ""];
  }
  // A fence longer than any run of backticks in the text, so the text cannot close it.
  const longest = Math.max(2, ...(context.text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return [...lines, `${fence}markdown`, context.text.trimEnd(), fence, ""];
}

/** `mpm checkpoint show NAME` as text. */
export function renderCheckpointText(record: Checkpoint, now: Date, s: Style): string {
  const lines = [s.bold(`Checkpoint ${record.name}`)];
  lines.push(`Saved: ${shortTime(record.saved_at)} (${ago(new Date(record.saved_at), now)})`);
  if (record.note) lines.push(`Note: ${record.note}`);
  if (record.session) {
    lines.push(`Session: ${record.session.name ?? record.session.key}`);
    if (record.session.task) lines.push(`Task: ${record.session.task}`);
  }
  if (record.stack.length) lines.push(`Branch stack: ${record.stack.join(" → ")}`);
  if (record.git) {
    lines.push(`Git: ${where(record.git)}`);
    const files = record.git.files;
    lines.push(
      files.length ? s.bold(`Uncommitted files (${files.length}):`) : "Working tree clean.",
    );
    for (const file of files) lines.push(`  ${file.status.padEnd(12)} ${file.path}`);
  } else {
    lines.push("Git: not a repository");
  }
  if (record.todos.length) {
    lines.push(s.bold(`Todos (${record.todos.length}):`));
    for (const todo of record.todos) {
      lines.push(`  ${todo.status === "completed" ? "[x]" : "[ ]"} ${todo.content}`);
    }
  }
  return lines.join("\n") + "\n";
}

function list(s: Style, title: string, items: string[], mark: string): string[] {
  if (items.length === 0) return [];
  return [s.bold(`${title} (${items.length}):`), ...items.map((item) => `  ${mark} ${item}`)];
}

/** `mpm checkpoint diff NAME [OTHER]` as text. */
export function renderCheckpointDiff(diff: CheckpointDiff, now: Date, s: Style): string {
  const at = (savedAt: string) => `${shortTime(savedAt)}, ${ago(new Date(savedAt), now)}`;
  const lines = [
    diff.to
      ? s.bold(`From checkpoint ${diff.name} to ${diff.to.name}`) +
        ` (${at(diff.saved_at)} → ${at(diff.to.saved_at)}):`
      : s.bold(`Since checkpoint ${diff.name}`) + ` (${at(diff.saved_at)}):`,
  ];
  if (nothingChangedSince(diff)) {
    lines.push("Nothing changed.");
    return lines.join("\n") + "\n";
  }
  const g = diff.git;
  if (g) {
    if (g.branch.from !== g.branch.to) {
      lines.push(`Branch: ${g.branch.from ?? "detached HEAD"} → ${g.branch.to ?? "detached HEAD"}`);
    }
    if (g.history_rewritten) {
      lines.push(
        s.yellow(
          `History rewritten: ${g.head.from?.slice(0, 7)} is no longer an ancestor of HEAD.`,
        ),
      );
    }
    lines.push(
      ...list(s, "Commits", g.commits.map((c) => `${c.sha.slice(0, 7)} ${c.subject}`), "•"),
    );
    lines.push(...list(s, "Files changed", g.files.changed, "M"));
    lines.push(...list(s, "Files added", g.files.added, "A"));
    lines.push(...list(s, "Files removed", g.files.removed, "D"));
    if (!g.exact) {
      lines.push(
        s.yellow(
          "The checkpoint's commit is gone: files clean at the checkpoint were compared as far as possible.",
        ),
      );
    }
  } else {
    lines.push("Git: no repository at the checkpoint or now; files not compared.");
  }
  if (diff.session.changed) {
    lines.push(`Session: ${diff.session.from ?? "none"} → ${diff.session.to ?? "none"}`);
  }
  const t = diff.todos;
  lines.push(...list(s, "Todos added", t.added, "+"));
  lines.push(...list(s, "Todos completed", t.completed, "✓"));
  lines.push(...list(s, "Todos reopened", t.reopened, "↺"));
  lines.push(...list(s, "Todos removed", t.removed, "-"));
  if (diff.context) {
    lines.push(
      ...renderContextChange(
        diff.context,
        diff.to ? `checkpoint ${diff.name} (to ${diff.to.name})` : `checkpoint ${diff.name}`,
      ),
    );
  }
  return lines.join("\n") + "\n";
}
