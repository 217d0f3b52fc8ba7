/**
 * What `mpm pause` records: the snapshot built from the user's words, the session's todos and
 * the git state, with every secret redacted before it can reach disk.
 */
import { redact } from "../../kernel/safe_text/redact.ts";
import type { ContextUsage, GitContext, MpmInfo, Snapshot, Todo } from "../../kernel/snapshot.ts";
import { SCHEMA_VERSION } from "../../kernel/snapshot.ts";
import type { TreeStatus } from "../stack/stack.ts";

/** The git facts a pause needs, as the git adapter reports them. */
export interface GitFacts extends TreeStatus {
  branch: string | null;
  head: string | null;
  detached: boolean;
  upstream: string | null;
  ahead_behind: { ahead: number; behind: number } | null;
  subject: string | null;
}

export interface PauseInput {
  id: string;
  now: Date;
  summary?: string;
  accomplishments: string[];
  nextSteps: string[];
  todos: Todo[];
  git: GitFacts | null;
  projectPath: string;
  version: string;
  build: string;
  /** The session being paused, when one is active (name, task, template, parent…). */
  session?: Partial<MpmInfo>;
  state?: MpmInfo["state"];
  claudeSessionId?: string | null;
  contextUsage?: ContextUsage | null;
  summarySource?: MpmInfo["summary_source"];
  notes?: string[];
}

export function gitContext(git: GitFacts): GitContext {
  const dirty = git.staged.length + git.modified.length + git.untracked.length +
    git.deleted.length + git.renamed.length + git.conflicted.length;
  return {
    branch: git.branch,
    commit: git.head,
    commit_message: git.subject === null ? null : redact(git.subject),
    detached: git.detached,
    upstream: git.upstream,
    status: {
      modified: git.modified,
      staged: git.staged,
      untracked: git.untracked,
      deleted: git.deleted,
      renamed: git.renamed,
      conflicted: git.conflicted,
    },
    is_clean: dirty === 0,
    ahead_behind: git.ahead_behind,
  };
}

/** The summary when the user gave none: says so, and names the last commit. */
export function defaultSummary(git: GitFacts | null): string {
  const subject = git?.subject ? redact(git.subject) : null;
  return subject
    ? `No summary given (paused on ${git?.branch ?? "a detached HEAD"}; last commit: "${subject}").`
    : "No summary given.";
}

function splitTodos(todos: Todo[]): { active: Todo[]; completed: Todo[] } {
  const clean = todos.map((t) => ({ ...t, content: redact(t.content) }));
  return {
    active: clean.filter((t) => t.status !== "completed"),
    completed: clean.filter((t) => t.status === "completed"),
  };
}

export function buildSnapshot(input: PauseInput): Snapshot {
  const given = input.summary?.trim();
  return {
    schema_version: SCHEMA_VERSION,
    session_id: input.id,
    paused_at: input.now.toISOString(),
    conversation: {
      summary: given ? redact(given) : defaultSummary(input.git),
      accomplishments: input.accomplishments.map(redact),
      next_steps: input.nextSteps.map(redact),
    },
    git_context: input.git ? gitContext(input.git) : null,
    todos: splitTodos(input.todos),
    version: input.version,
    build: input.build,
    project_path: input.projectPath,
    mpm: {
      name: input.session?.name ? redact(input.session.name) : null,
      task: input.session?.task ? redact(input.session.task) : null,
      template: input.session?.template ?? null,
      state: input.state ?? "paused",
      parent: input.session?.parent ?? null,
      depth: input.session?.depth ?? 0,
      claude_session_id: input.claudeSessionId ?? null,
      context_usage: input.contextUsage ?? null,
      summary_source: given ? (input.summarySource ?? "user") : "default",
      notes: (input.notes ?? []).map(redact),
    },
  };
}
