/**
 * What the Stop hook does near a full context window: the resume file it writes (claude-mpm's
 * `session-resume-….md` layout: tasks, context, git, next actions). Which threshold was crossed
 * and the message shown to the user, louder at each threshold, are context_alert.ts's (and
 * exported here too).
 */
import type { CommitInfo } from "../../sessions/resume/changes.ts";
import type { GitFacts } from "../../sessions/capture/pause.ts";
import { redact } from "../../kernel/redact.ts";
import type { ContextUsage, Todo } from "../../kernel/snapshot.ts";
import {
  alertMessage,
  type Threshold,
  thresholdReached,
  THRESHOLDS,
  usageLine,
} from "../events/context_alert.ts";

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
}

const LAST_MESSAGE_CHARS = 1500;

/** The markdown of the resume file, every text redacted. */
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
  if (input.sessionName) lines.push(`**mpm session**: ${input.sessionName}`);
  lines.push(...taskSection("Completed Tasks", todos.filter((t) => t.status === "completed"), "x"));
  lines.push(...taskSection("In Progress", todos.filter((t) => t.status === "in_progress"), " "));
  lines.push(...taskSection("Pending Tasks", todos.filter((t) => t.status === "pending"), " "));
  if (todos.length === 0) lines.push("", "## Tasks", "", "No task list was recorded.");
  lines.push("", "## Git Context", "");
  if (git === null) lines.push("Not a git repository.");
  else lines.push(...gitSection(git, input.recentCommits));
  const last = input.lastMessage?.trim();
  if (last) {
    const cut = last.length > LAST_MESSAGE_CHARS ? `${last.slice(0, LAST_MESSAGE_CHARS)}…` : last;
    lines.push("", "## Claude's Last Message", "", ...cut.split("\n").map((l) => `> ${l}`));
  }
  lines.push("", "## Recommended Next Actions");
  nextActions(todos).forEach((action, i) => lines.push(`${i + 1}. ${action}`));
  return redact(lines.join("\n")) + "\n";
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
  return ["", `## ${title}`, ...todos.map((t) => `- [${mark}] ${t.content}`)];
}

function gitSection(git: GitFacts, commits: CommitInfo[]): string[] {
  const changed = [...git.staged, ...git.modified, ...git.deleted, ...git.conflicted];
  const lines = [
    `**Branch**: ${git.branch ? `\`${git.branch}\`` : "detached HEAD"}`,
    `**Commit**: ${
      git.head ? `\`${git.head.slice(0, 7)}\` ${git.subject ?? ""}`.trim() : "none yet"
    }`,
    `**Status**: ${changed.length + git.untracked.length === 0 ? "Clean" : "Modified"}`,
  ];
  if (git.ahead_behind && (git.ahead_behind.ahead || git.ahead_behind.behind)) {
    lines.push(`**Upstream**: ${git.ahead_behind.ahead} ahead, ${git.ahead_behind.behind} behind`);
  }
  lines.push(...fileList("Staged files", git.staged));
  lines.push(...fileList("Modified files", git.modified));
  lines.push(...fileList("Deleted files", git.deleted));
  lines.push(...fileList("Untracked files", git.untracked));
  if (commits.length > 0) {
    lines.push("", "**Recent commits**:");
    for (const c of commits) lines.push(`- \`${c.sha.slice(0, 7)}\` - ${c.subject} (${c.author})`);
  }
  return lines;
}

function fileList(title: string, files: string[], max = 30): string[] {
  if (files.length === 0) return [];
  const shown = files.slice(0, max).map((f) => `- \`${f}\``);
  if (files.length > max) shown.push(`- … and ${files.length - max} more`);
  return ["", `**${title}**:`, ...shown];
}

function nextActions(todos: Todo[]): string[] {
  const actions = [
    ...todos.filter((t) => t.status === "in_progress").map((t) => `Finish: ${t.content}`),
    ...todos.filter((t) => t.status === "pending").slice(0, 5).map((t) => `Then: ${t.content}`),
  ];
  actions.push(
    'Run `mpm pause -s "…"` with what was done and what comes next',
    "Start a fresh Claude session: mpm's SessionStart hook brings this context back",
  );
  return actions;
}
