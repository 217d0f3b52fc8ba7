/**
 * The `.md` rendering of a snapshot: what a person reads to pick the work up. Its texts are kept
 * as the record holds them, without terminal control characters or escape sequences (a person
 * may `cat` it); the JSON record keeps them as given.
 */
import type { ContextRecord, SessionState, Snapshot, Todo } from "../../../kernel/snapshot.ts";
import { printable } from "../../../kernel/format/text.ts";
import { thousands } from "../../../kernel/format/numbers.ts";
import { type Handoff, handoffOf } from "./handoff.ts";
import { autoNote, claudeTasks } from "./session_history.ts";
import { largest, pushAll } from "../../../kernel/lists.ts";
import { agentOf, otherAgentLabel } from "../../../kernel/agent_name.ts";

/** How many lines of the context file the markdown quotes: enough to recognise it. */
const CONTEXT_LINES = 8;

/** Paths listed per git group in the markdown; the rest counted. The JSON keeps every path. */
export const LISTED_PATHS = 200;

function bullets(items: readonly string[], empty: string): string[] {
  return items.length ? items.map((item) => `- ${item}`) : [`_${empty}_`];
}

export function todoLine(todo: Todo): string {
  const box = todo.status === "completed" ? "[x]" : "[ ]";
  const note = todo.status === "in_progress" ? " _(in progress)_" : "";
  return `- ${box} ${todo.content}${note}`;
}

/** What a snapshot's `paused_at` is called for its state (an ended session's was not a pause). */
export function timeLabel(state: SessionState): "Paused" | "Ended" | "Saved" {
  if (state === "paused" || state === "branched") return "Paused";
  return state === "completed" || state === "cancelled" ? "Ended" : "Saved";
}

/** The snapshot as markdown, with no control character but tab and line feed. */
export function renderMarkdown(snapshot: Snapshot): string {
  const { conversation: c, git_context: git, todos, mpm } = snapshot;
  const lines = [`# Session ${snapshot.session_id}`, ""];
  lines.push(`- **${timeLabel(mpm.state)}:** ${snapshot.paused_at}`);
  if (mpm.name) lines.push(`- **Name:** ${mpm.name}`);
  if (mpm.task) lines.push(`- **Task:** ${mpm.task}`);
  if (mpm.template) lines.push(`- **Template:** ${mpm.template}`);
  lines.push(`- **State:** ${mpm.state}`);
  const agent = otherAgentLabel(agentOf(mpm.agent));
  if (agent) lines.push(`- **Agent:** ${agent}`);
  if (mpm.parent) lines.push(`- **Parent session:** ${mpm.parent}`);
  lines.push(`- **Project:** ${snapshot.project_path}`);
  lines.push("", "## Summary", "", c.summary, "");
  if (mpm.carried) {
    lines.push(
      `_Your words, written ${mpm.carried.written_at} in ${mpm.carried.from}; carried forward._`,
      "",
    );
  }
  pushAll(lines, ["## Accomplishments", "", ...bullets(c.accomplishments, "None recorded."), ""]);
  pushAll(lines, ["## Next steps", "", ...bullets(c.next_steps, "None recorded."), ""]);
  lines.push("## Todos", "");
  const all = [...todos.active, ...todos.completed];
  pushAll(lines, [...(all.length ? all.map(todoLine) : ["_No todos._"]), ""]);
  const note = autoNote(snapshot);
  if (note !== null) lines.push("## Saved by mpm", "", `${snapshot.paused_at}: ${note}`, "");
  const tasks = claudeTasks(snapshot);
  if (tasks.length) pushAll(lines, ["## Claude's tasks", "", ...tasks.map(todoLine), ""]);
  if (mpm.context_file) pushAll(lines, contextSection(mpm.context_file));
  const handoff = handoffOf(mpm);
  if (handoff) pushAll(lines, handoffSection(handoff));
  lines.push("## Git", "");
  if (!git) {
    lines.push("_Not a git repository._");
  } else {
    lines.push(`- **Branch:** ${git.branch ?? "(detached HEAD)"}`);
    lines.push(
      `- **Commit:** ${git.commit ?? "(no commit yet)"}${
        git.commit_message ? ` ${git.commit_message}` : ""
      }`,
    );
    if (git.ahead_behind) {
      lines.push(
        `- **Ahead/behind ${
          git.upstream ?? "upstream"
        }:** +${git.ahead_behind.ahead} -${git.ahead_behind.behind}`,
      );
    }
    lines.push(`- **Working tree:** ${git.is_clean ? "clean" : "has uncommitted changes"}`);
    const groups: [string, string[]][] = [
      ["Staged", git.status.staged],
      ["Modified", git.status.modified],
      ["Deleted", git.status.deleted],
      ["Untracked", git.status.untracked],
    ];
    for (const [title, files] of groups) {
      if (files.length) pushAll(lines, ["", `### ${title}`, "", ...pathList(files)]);
    }
  }
  lines.push("", "## Resume", "", "```sh", `mpm resume ${snapshot.session_id}`, "```", "");
  return printable(lines.join("\n"));
}

/** The first LISTED_PATHS paths as a list, then how many more the record holds. */
function pathList(files: readonly string[]): string[] {
  const listed = files.slice(0, LISTED_PATHS).map((f) => `- \`${f}\``);
  const more = files.length - LISTED_PATHS;
  if (more > 0) listed.push(`- _and ${thousands(more)} more in the snapshot's record_`);
  return listed;
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenceFor(text: string): string {
  const longest = largest(text.matchAll(/`+/g).map((m) => m[0].length), 0);
  return "`".repeat(Math.max(3, longest + 1));
}

/** The context file as its path, hash and first lines (the record keeps the whole text). */
function contextSection(record: ContextRecord): string[] {
  const lines = [
    "## Context file",
    "",
    `- **File:** \`${record.file}\``,
    `- **sha256:** \`${record.sha256.slice(0, 12)}\``,
    "",
  ];
  if (record.text === null) {
    return [...lines, "_Too large to keep in the snapshot: only its hash is recorded._", ""];
  }
  const all = record.text.replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
  if (all.length === 1 && all[0].trim() === "") return [...lines, "_The file was empty._", ""];
  const head = all.slice(0, CONTEXT_LINES);
  const fence = fenceFor(head.join("\n"));
  pushAll(lines, [`${fence}markdown`, ...head, fence]);
  const more = all.length - head.length;
  if (more > 0) {
    lines.push(`_(${more} more line${more === 1 ? "" : "s"} in the snapshot's record)_`);
  }
  return [...lines, ""];
}

/** The handoff `mpm handoff` kept: who it is for and what they are asked for, in short. */
function handoffSection(doc: Handoff): string[] {
  const one = (item: string) => item.replaceAll("\n", " ");
  const lines = [
    "## Handoff",
    "",
    `- **From:** ${doc.from}`,
    `- **To:** ${doc.to ?? "whoever picks this up"}`,
    `- **Written:** ${doc.written_at}`,
    `- **Files changed:** ${doc.files.length}`,
    "",
    "Needs:",
    "",
    ...bullets(doc.needs.map(one), "Nothing named."),
    "",
    "Acceptance criteria:",
    "",
    ...bullets(doc.acceptance.map(one), "None given."),
    "",
  ];
  return lines;
}
