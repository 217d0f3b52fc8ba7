/**
 * Building a snapshot from a pause request and the facts of the moment, with the words carried
 * from the person's last snapshot of the session. Pure; nothing here redacts (the save does).
 */
import { agentOf } from "../../../kernel/agent_name.ts";
import type {
  ContextRecord,
  GitContext,
  MpmInfo,
  SessionState,
  Snapshot,
  Todo,
} from "../../../kernel/snapshot.ts";
import { SCHEMA_VERSION } from "../../../kernel/snapshot.ts";
import type { TreeStatus } from "../records/snapshot/changes.ts";
import type { ActiveSession } from "../records/state/state.ts";
import { snapshotInfo } from "./session.ts";
import { numbered, todosForSnapshot } from "../records/state/todos.ts";
import { claudeTasks, type SessionHistory } from "../snapshots/session_history.ts";
import { type PauseRequest, requestWrittenBy } from "../records/snapshot/request.ts";

/** The git facts a pause needs, as the git adapter reports them. */
export interface GitFacts extends TreeStatus {
  branch: string | null;
  head: string | null;
  detached: boolean;
  upstream: string | null;
  ahead_behind: { ahead: number; behind: number } | null;
  subject: string | null;
}

/** What a snapshot records besides the request: where, when and of which session. */
export interface SnapshotFacts {
  id: string;
  now: Date;
  git: GitFacts | null;
  projectPath: string;
  version: string;
  build: string;
  /** The session the snapshot is of; none for an ad-hoc pause. */
  session?: ActiveSession | null;
  /** "paused" by default; "branched" and "completed" for `mpm branch` and `mpm return`. */
  state?: SessionState;
  /** The session's key and the person's last words, carried by a snapshot mpm writes on its own. */
  history?: SessionHistory | null;
  /** The context file as it is now (src/context/record.ts); absent: not recorded. */
  contextFile?: ContextRecord | null;
}

/** What an automatic snapshot keeps of its work when no session is active. */
interface Kept {
  about: Partial<MpmInfo>;
  todos: Todo[];
  claudeTasks: Todo[];
}

/** The work's name, task and todos from the newest snapshot, else the last words; or null. */
function keptFrom(history: SessionHistory | null | undefined): Kept | null {
  const last = history?.last;
  if (!last) {
    const words = history?.words;
    return words
      ? {
        about: { name: words.name, task: words.task, template: words.template },
        todos: words.todos,
        claudeTasks: [],
      }
      : null;
  }
  const { name, task, template, parent, depth } = last.mpm;
  return {
    about: { name, task, template, parent, depth },
    todos: [...last.todos.active, ...last.todos.completed],
    claudeTasks: claudeTasks(last),
  };
}

/** The command behind an automatic snapshot of each state, when the request does not say. */
const TRIGGER_OF_STATE: Partial<Record<SessionState, string>> = {
  branched: "branch",
  completed: "return",
  cancelled: "cancel",
  paused: "pause",
};

export function gitContext(git: GitFacts): GitContext {
  const dirty = git.staged.length + git.modified.length + git.untracked.length +
    git.deleted.length + git.renamed.length + git.conflicted.length;
  return {
    branch: git.branch,
    commit: git.head,
    commit_message: git.subject,
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
  return git?.subject
    ? `No summary given (paused on ${
      git.branch ?? "a detached HEAD"
    }; last commit: "${git.subject}").`
    : "No summary given.";
}

/** The snapshot; one mpm writes on its own carries the person's last words as `mpm.carried`. */
export function buildSnapshot(request: PauseRequest, facts: SnapshotFacts): Snapshot {
  const { session } = facts;
  const by = requestWrittenBy(request);
  const carried = by === "mpm" ? facts.history?.words ?? null : null;
  const words = carried
    ? {
      summary: carried.summary,
      accomplishments: carried.accomplishments,
      nextSteps: carried.next_steps,
    }
    : request;
  const given = words.summary?.trim();
  // What a person gave the work (its name, task, template, todos) stays until a person changes
  // it: a live session holds it; without one, an automatic snapshot takes it from the newest
  // snapshot of the same work, whoever wrote that one.
  const kept = by === "mpm" && !session ? keptFrom(facts.history) : null;
  const about: Partial<MpmInfo> | undefined = session ? snapshotInfo(session) : kept?.about;
  const todos = kept
    ? numbered([...kept.todos, ...request.todos])
    : numbered([...todosForSnapshot(session ?? null), ...request.todos]);
  const state = facts.state ?? "paused";
  const mpm: MpmInfo & Record<string, unknown> = {
    name: about?.name || null,
    task: about?.task || null,
    template: about?.template ?? null,
    state,
    parent: about?.parent ?? null,
    depth: about?.depth ?? 0,
    claude_session_id: request.claudeSessionId ?? null,
    context_usage: request.contextUsage ?? null,
    summary_source: given ? (request.summarySource ?? "user") : "default",
    notes: [...(session?.notes ?? []), ...(request.notes ?? [])],
    written_by: by,
  };
  if (by === "mpm") {
    const trigger = request.trigger ?? TRIGGER_OF_STATE[state] ?? "pause";
    mpm.auto = {
      trigger,
      note: request.summary?.trim() || `Saved by \`mpm ${trigger}\` without words.`,
    };
    if (carried) {
      mpm.carried = { from: carried.from, written_at: carried.written_at };
      // The summary source says who made the carried words.
      mpm.summary_source = request.summarySource ?? "default";
    }
  }
  // The context file as it is now, so resume can say whether it changed since.
  if (facts.contextFile !== undefined) mpm.context_file = facts.contextFile;
  // Only another agent's work is named: Claude Code's records stay as they were. (A queued
  // pause's request is read back from disk: only a name this mpm knows is taken.)
  const agent = agentOf(request.agent);
  if (agent !== "claude-code") mpm.agent = agent;
  if (request.reason?.trim()) mpm.reason = request.reason.trim();
  if (request.handoff) mpm.handoff = request.handoff;
  // Claude's tasks as the request read them; when it read none, as the work last had them.
  const tasks = request.claudeTasks ?? (kept?.claudeTasks.length ? kept.claudeTasks : undefined);
  if (tasks) mpm.claude_tasks = tasks.map((t) => ({ ...t }));
  // The key ties the snapshots of one session together across pauses and resumes.
  const key = session?.key ?? facts.history?.key;
  if (key !== undefined) mpm.key = key;
  return {
    schema_version: SCHEMA_VERSION,
    session_id: facts.id,
    paused_at: facts.now.toISOString(),
    conversation: {
      summary: given || defaultSummary(facts.git),
      accomplishments: [...words.accomplishments],
      next_steps: [...words.nextSteps],
    },
    git_context: facts.git ? gitContext(facts.git) : null,
    todos: {
      active: todos.filter((t) => t.status !== "completed"),
      completed: todos.filter((t) => t.status === "completed"),
    },
    version: facts.version,
    build: facts.build,
    project_path: facts.projectPath,
    mpm,
  };
}
