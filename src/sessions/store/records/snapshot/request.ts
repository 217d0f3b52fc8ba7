/**
 * The pause request: what a snapshot is asked to record, built by `mpm pause` and every other
 * writer, stored as is in a queued pause; its words are redacted with the snapshot when written.
 */
import type { ContextUsage, MpmInfo, Todo } from "../../../../kernel/snapshot.ts";
import type { AgentName } from "../../../../kernel/agent_name.ts";

export interface PauseRequest {
  summary?: string;
  accomplishments: string[];
  nextSteps: string[];
  /** Todos to record besides the active session's own. */
  todos: Todo[];
  claudeSessionId?: string | null;
  /** The agent the conversation ran in; Claude Code when absent (and then not recorded). */
  agent?: AgentName;
  contextUsage?: ContextUsage | null;
  summarySource?: MpmInfo["summary_source"];
  notes?: string[];
  /** Who wrote the words; default: a person when it has any and is not `summarySource: "auto"`. */
  writtenBy?: "person" | "mpm";
  /** What made an automatic snapshot: "session-end", "branch", "pause", "return", "resume". */
  trigger?: string;
  /** Claude Code's task list (kept apart from the person's todos). */
  claudeTasks?: Todo[];
  /** Write nothing when nothing changed since the session's last snapshot (SessionEnd). */
  skipUnchanged?: boolean;
  /** Why the session ends (`mpm cancel --reason`): kept as `mpm.reason`. */
  reason?: string;
  /** The handoff document `mpm handoff` built (sessions/store/snapshots/handoff.ts), kept as `mpm.handoff`. */
  handoff?: Record<string, unknown>;
}

function hasWords(request: PauseRequest): boolean {
  return Boolean(request.summary?.trim()) || request.accomplishments.length > 0 ||
    request.nextSteps.length > 0 || request.todos.length > 0;
}

export function requestWrittenBy(request: PauseRequest): "person" | "mpm" {
  return request.writtenBy ??
    (request.summarySource !== "auto" && hasWords(request) ? "person" : "mpm");
}

/** Todos a person gives with a pause (`--todo`, `--input`'s `todos`): open, dated `now`. */
export function givenTodos(contents: readonly string[], now: Date): Todo[] {
  return contents.map((content) => ({
    content,
    status: "pending" as const,
    created_at: now.toISOString(),
    completed_at: null,
  }));
}
