/**
 * Checkpoints for people: the `.md`, `show`'s text, `diff`'s report. A teammate's checkpoint may
 * come by `mpm sync pull`, so file names are C-quoted on one line and control characters removed.
 */
import type { Checkpoint } from "./checkpoint.ts";
import type { CheckpointDiff, FileDiff } from "./diff.ts";
import { nothingChangedSince } from "./diff.ts";
import { ago, shortTime } from "../sessions/report/render_report.ts";
import type { Style } from "../kernel/format/style.ts";
import { printableDeep } from "../kernel/format/text.ts";
import { cQuoted } from "../git/objects/git_paths.ts";
import { renderContextChange } from "../context/compare.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";
import { largest, pushAll } from "../kernel/lists.ts";
import { todoLine } from "../sessions/store/snapshots/render_md.ts";

/** The most of a note `checkpoint list` shows, on its one line; `show` has it whole. */
export const MAX_LISTED_NOTE_CHARS = 300;

/** What the diff says when git is missing at the checkpoint or now. */
const NO_GIT = "Git: no repository at the checkpoint or now; files not compared.";

/** The record with its file names quoted and every text printable. */
function safeRecord(record: Checkpoint): Checkpoint {
  if (!record.git) return printableDeep(record);
  const files = record.git.files.map((file) => ({ ...file, path: cQuoted(file.path) }));
  return printableDeep({ ...record, git: { ...record.git, files } });
}

/** The diff with its file names quoted and every text printable. */
function safeDiff(diff: CheckpointDiff): CheckpointDiff {
  if (!diff.git) return printableDeep(diff);
  const quote = (paths: string[]) => paths.map((path) => cQuoted(path));
  const { changed, added, removed } = diff.git.files;
  const files: FileDiff = { changed: quote(changed), added: quote(added), removed: quote(removed) };
  return printableDeep({ ...diff, git: { ...diff.git, files } });
}

function where(git: NonNullable<Checkpoint["git"]>): string {
  const branch = git.branch ?? "detached HEAD";
  const commit = git.head
    ? `${git.head.slice(0, 7)}${git.commit_message ? ` ${git.commit_message}` : ""}`
    : "no commit yet";
  return `${branch} at ${commit}`;
}

/** A note as `checkpoint list` shows it: one printable line, "…" where it was cut. */
export function listedNote(note: string): string {
  return oneLine(note, MAX_LISTED_NOTE_CHARS);
}

/** The stored `.md` (and `show --format md`): its file names quoted, no control character. */
export function renderCheckpointMarkdown(given: Checkpoint): string {
  const record = safeRecord(given);
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
  pushAll(lines, [...(record.todos.length ? record.todos.map(todoLine) : ["_No todos._"]), ""]);
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
  pushAll(lines, ["", ...contextSection(record)]);
  lines.push("## Compare", "", "```sh", `mpm checkpoint diff ${record.name}`, "```", "");
  return lines.join("\n");
}

/** The guide's "## Context": the context file as the checkpoint recorded it (redacted). */
function contextSection(record: Checkpoint): string[] {
  const context = record.context_file;
  const lines = ["## Context", ""];
  if (context === null) return [...lines, "_No context file (`mpm context init` starts one)._", ""];
  lines.push(`- **File:** ${context.file}`, `- **sha256:** \`${context.sha256}\``, "");
  if (context.text === null) {
    return [...lines, "_Too large to keep: only its hash is recorded._", ""];
  }
  // A fence longer than any run of backticks in the text, so the text cannot close it.
  const longest = largest((context.text.match(/`+/g) ?? []).map((run) => run.length), 2);
  const fence = "`".repeat(longest + 1);
  return [...lines, `${fence}markdown`, context.text.trimEnd(), fence, ""];
}

export function renderCheckpointText(given: Checkpoint, now: Date, s: Style): string {
  const record = safeRecord(given);
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

export function renderCheckpointDiff(given: CheckpointDiff, now: Date, s: Style): string {
  const diff = safeDiff(given);
  const at = (savedAt: string) => `${shortTime(savedAt)}, ${ago(new Date(savedAt), now)}`;
  const lines = [
    diff.to
      ? s.bold(`From checkpoint ${diff.name} to ${diff.to.name}`) +
        ` (${at(diff.saved_at)} → ${at(diff.to.saved_at)}):`
      : s.bold(`Since checkpoint ${diff.name}`) + ` (${at(diff.saved_at)}):`,
  ];
  // Outside git the files were not compared: that is said, never "Nothing changed."
  if (nothingChangedSince(diff) && diff.git) {
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
    pushAll(lines, [
      ...list(s, "Commits", g.commits.map((c) => `${c.sha.slice(0, 7)} ${c.subject}`), "•"),
    ]);
    pushAll(lines, list(s, "Files changed", g.files.changed, "M"));
    pushAll(lines, list(s, "Files added", g.files.added, "A"));
    pushAll(lines, list(s, "Files removed", g.files.removed, "D"));
    if (!g.exact) {
      lines.push(
        s.yellow(
          "The checkpoint's commit is gone: files clean at the checkpoint were compared as far as possible.",
        ),
      );
    }
  } else {
    lines.push(NO_GIT);
  }
  if (diff.session.changed) {
    lines.push(`Session: ${diff.session.from ?? "none"} → ${diff.session.to ?? "none"}`);
  }
  const t = diff.todos;
  pushAll(lines, list(s, "Todos added", t.added, "+"));
  pushAll(lines, list(s, "Todos completed", t.completed, "✓"));
  pushAll(lines, list(s, "Todos reopened", t.reopened, "↺"));
  pushAll(lines, list(s, "Todos removed", t.removed, "-"));
  if (diff.context) {
    pushAll(lines, [
      ...renderContextChange(
        diff.context,
        diff.to ? `checkpoint ${diff.name} (to ${diff.to.name})` : `checkpoint ${diff.name}`,
      ),
    ]);
  }
  return lines.join("\n") + "\n";
}
