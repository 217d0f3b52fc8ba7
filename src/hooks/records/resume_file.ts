/**
 * The resume file the Stop hook writes near a full context: a handoff's sections filled from what
 * mpm knows.
 */
import type { CommitInfo } from "../../sessions/store/records/snapshot/changes.ts";
import type { GitFacts } from "../../sessions/store/session/build_snapshot.ts";
import { inertLine } from "../../kernel/safe_text/inert.ts";
import type { ContextUsage, Todo } from "../../kernel/snapshot.ts";
import { type SectionKey, SECTIONS } from "../../sessions/store/records/handoff/claude_record.ts";
import {
  alertMessage,
  type Threshold,
  thresholdReached,
  THRESHOLDS,
  usageLine,
} from "./context_alert.ts";
import { pushAll } from "../../kernel/lists.ts";

export { alertMessage, type Threshold, thresholdReached, THRESHOLDS };

export interface ResumeFileInput {
  now: Date;
  usage: ContextUsage;
  threshold: Threshold;
  claudeSessionId: string;
  /** Claude Code's task list for the session. */
  tasks: Todo[];
  /** The active mpm session's own todos, when one is active. */
  sessionTodos: Todo[];
  sessionName: string | null;
  /** Null outside git. */
  git: GitFacts | null;
  recentCommits: CommitInfo[];
  /** Claude's last reply (the Stop payload's `last_assistant_message`). */
  lastMessage?: string;
  /** The active session's task, when it has one. */
  sessionTask?: string | null;
  /** The person's last words in the session (sessions/store/snapshots/session_history.ts), if any. */
  person?: { from: string; written_at: string; summary: string; next_steps: string[] } | null;
}

/** What only Claude can say; the file says where it would go. */
const CLAUDE_ONLY = "Not known to mpm: in Claude Code, /mpm-handoff has Claude write it.";

const LAST_MESSAGE_CHARS = 1500;

/** One inert line of outside text, which cannot open a heading or tag in a file a model reads. */
function one(text: string, max = 300): string {
  return inertLine(text, max);
}

/** Words (a summary, a todo, a next step) on one inert line. */
function words(text: string): string {
  return inertLine(text.replaceAll("\n", " "), 2_000);
}

/** The markdown of the resume file (the store redacts it as it writes it). */
export function renderResumeFile(input: ResumeFileInput): string {
  const { usage, git } = input;
  const stamp = input.now.toISOString().replace("T", " ").replace(/:\d\d\.\d+Z$/, " UTC");
  const todos = dedupe([...input.tasks, ...input.sessionTodos]);
  const lines = [
    `# Session Resume - ${stamp}`,
    "",
    `**Context**: ${usageLine(usage)}${usage.model ? `, model \`${usage.model}\`` : ""}`,
    `**Reason**: automatic resume file at ${input.threshold}% context`,
    `**Claude session**: ${input.claudeSessionId}`,
  ];
  if (input.sessionName) lines.push(`**mpm session**: ${one(input.sessionName)}`);
  lines.push(
    "",
    "The sections of a handoff, filled from what mpm knows. /mpm-handoff has Claude write the " +
      "rest, then /clear starts a fresh conversation from it.",
  );
  const sections: Record<SectionKey, string[]> = {
    goal: goalLines(input),
    state: [
      ...taskSection("Completed Tasks", todos.filter((t) => t.status === "completed"), "x"),
      ...taskSection("In Progress", todos.filter((t) => t.status === "in_progress"), " "),
      ...taskSection("Pending Tasks", todos.filter((t) => t.status === "pending"), " "),
      ...(todos.length === 0 ? ["", "No task list was recorded."] : []),
      "",
      "### Git Context",
      "",
      ...(git === null ? ["Not a git repository."] : gitSection(git, input.recentCommits)),
    ],
    decisions: ["", CLAUDE_ONLY],
    tried: ["", `${CLAUDE_ONLY} Failed tool calls are in \`mpm replay\`.`],
    files: ["", ...(git === null ? ["Not a git repository."] : filesSection(git))],
    next_step: [
      "",
      ...nextActions(todos, input.person?.next_steps ?? []).map((a, i) => `${i + 1}. ${a}`),
    ],
    open_questions: ["", CLAUDE_ONLY],
  };
  for (const { key, title } of SECTIONS) pushAll(lines, ["", `## ${title}`, ...sections[key]]);
  const last = input.lastMessage?.trim();
  if (last) {
    const cut = last.length > LAST_MESSAGE_CHARS ? `${last.slice(0, LAST_MESSAGE_CHARS)}…` : last;
    pushAll(lines, [
      "",
      "## Claude's Last Message",
      "",
      ...cut.split("\n").map((l) => `> ${one(l, 2_000)}`),
    ]);
  }
  // Redacted by the store as it is written (sessions/store/claude/records.ts).
  return lines.join("\n") + "\n";
}

/** The person's own words first; else what the session is called. */
function goalLines(input: ResumeFileInput): string[] {
  const lines: string[] = [""];
  const person = input.person;
  if (person) {
    lines.push(
      `In your words (${one(person.from)}, ${one(person.written_at)}): ${words(person.summary)}`,
    );
  }
  if (input.sessionTask) lines.push(`**Task**: ${words(input.sessionTask)}`);
  if (lines.length === 1) {
    lines.push(`No words were written yet (\`mpm pause -s "…"\`). ${CLAUDE_ONLY}`);
  }
  return lines;
}

function dedupe(todos: Todo[]): Todo[] {
  const seen = new Set<string>();
  return todos.filter((todo) => {
    if (seen.has(todo.content)) return false;
    seen.add(todo.content);
    return true;
  });
}

function taskSection(title: string, todos: Todo[], mark: string): string[] {
  if (todos.length === 0) return [];
  return ["", `### ${title}`, ...todos.map((t) => `- [${mark}] ${words(t.content)}`)];
}

function gitSection(git: GitFacts, commits: CommitInfo[]): string[] {
  const changed = [...git.staged, ...git.modified, ...git.deleted, ...git.conflicted];
  const lines = [
    `**Branch**: ${git.branch ? `\`${one(git.branch)}\`` : "detached HEAD"}`,
    `**Commit**: ${
      git.head ? `\`${git.head.slice(0, 7)}\` ${one(git.subject ?? "")}`.trim() : "none yet"
    }`,
    `**Status**: ${changed.length + git.untracked.length === 0 ? "Clean" : "Modified"}`,
  ];
  if (git.ahead_behind && (git.ahead_behind.ahead || git.ahead_behind.behind)) {
    lines.push(`**Upstream**: ${git.ahead_behind.ahead} ahead, ${git.ahead_behind.behind} behind`);
  }
  if (commits.length > 0) {
    lines.push("", "**Recent commits**:");
    for (const c of commits) {
      lines.push(`- \`${c.sha.slice(0, 7)}\` - ${one(c.subject)} (${one(c.author)})`);
    }
  }
  return lines;
}

/** The files mpm knows matter: the uncommitted ones. */
function filesSection(git: GitFacts): string[] {
  const lines = [
    ...fileList("Staged files", git.staged),
    ...fileList("Modified files", git.modified),
    ...fileList("Deleted files", git.deleted),
    ...fileList("Untracked files", git.untracked),
  ];
  return lines.length === 0 ? ["No uncommitted files."] : lines.slice(1);
}

function fileList(title: string, files: string[], max = 30): string[] {
  if (files.length === 0) return [];
  const shown = files.slice(0, max).map((f) => `- \`${one(f)}\``);
  if (files.length > max) shown.push(`- … and ${files.length - max} more`);
  return ["", `**${title}**:`, ...shown];
}

function nextActions(todos: Todo[], yours: readonly string[]): string[] {
  const actions = [
    ...todos.filter((t) => t.status === "in_progress").map((t) => `Finish: ${words(t.content)}`),
    ...yours.slice(0, 5).map((n) => `Then (your words): ${words(n)}`),
    ...todos.filter((t) => t.status === "pending").slice(0, 5).map((t) =>
      `Then: ${words(t.content)}`
    ),
  ];
  actions.push(
    'Run /mpm-handoff (or `mpm pause -s "…"`) with what was done and what comes next',
    "Then /clear for a fresh context: mpm's SessionStart hook brings this context back",
  );
  return actions;
}
