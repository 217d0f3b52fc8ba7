/**
 * Reading what claude-mpm wrote: parsed JSON or YAML in, a valid Snapshot out, from its layouts
 * "claude-mpm-4", "claude-mpm-6" (SessionPauseManager from 4.10) and "claude-mpm-md". Unknown
 * fields are kept; the original id, time and file name go under `mpm.legacy`.
 */
import { IntegrityError } from "../kernel/errors.ts";
import { ownSnapshot, SCHEMA_VERSION, type Snapshot, type Todo } from "../kernel/snapshot.ts";
import { canonicalIdAndTime } from "./ids.ts";
import {
  type ClaudeMpm4,
  type ClaudeMpm6,
  finishSnapshot,
  gitStatusFromPorcelainPaths,
  isAutoPauseTask,
  type Item,
  type LegacyContext,
  type LegacyLayout,
  legacySchemas,
  type LegacyTodo,
  summarySource,
  type Task,
  taskFrom,
} from "./layouts.ts";

export interface Normalized {
  snapshot: Snapshot;
  legacy: LegacyLayout;
}

// --- entry points ----------------------------------------------------------------------------

/** Any session JSON: mpm's own (checked), or a claude-mpm layout mapped; a newer mpm's refused. */
export function normalizeSnapshot(raw: unknown, context: LegacyContext): Normalized {
  if (typeof raw === "object" && raw !== null && "schema_version" in raw) {
    return {
      snapshot: ownSnapshot(raw as { schema_version: unknown }, context.fileName),
      legacy: "mpm",
    };
  }
  const v6 = legacySchemas().ClaudeMpm6Schema.safeParse(raw);
  if (v6.success) return { snapshot: fromV6(v6.data, context), legacy: "claude-mpm-6" };
  const v4 = legacySchemas().ClaudeMpm4Schema.safeParse(raw);
  if (v4.success) return { snapshot: fromV4(v4.data, context), legacy: "claude-mpm-4" };
  const issue = v4.error.issues[0];
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw new IntegrityError(
    `${context.fileName} is not a session mpm or claude-mpm wrote (${where}${issue.message}).`,
    "Move it out of .claude-mpm/sessions/ or restore it from a backup; other sessions are unaffected.",
  );
}

// --- mapping ---------------------------------------------------------------------------------

function fromV6(raw: ClaudeMpm6, context: LegacyContext): Snapshot {
  const {
    session_id,
    paused_at,
    conversation,
    todos,
    version,
    build,
    project_path,
    git_context,
    task_list,
    context_usage,
    ...extra
  } = raw;
  const { is_git_repo, branch, recent_commits = [], status, ...gitExtra } = git_context;
  const { clean, modified_files = [], untracked_files = [], ...statusExtra } = status ?? {};
  const gitFailed = branch === "unknown" && recent_commits.length === 0;
  const git = is_git_repo === false ? null : {
    ...gitExtra,
    branch: branch && !gitFailed ? branch : null,
    commit: recent_commits[0]?.sha ?? null,
    commit_message: recent_commits[0]?.message ?? null,
    detached: branch === "",
    upstream: null,
    status: {
      ...statusExtra,
      ...gitStatusFromPorcelainPaths(modified_files),
      untracked: untracked_files,
    },
    is_clean: clean ?? (modified_files.length === 0 && untracked_files.length === 0),
    ahead_behind: null,
    recent_commits,
  };
  const taskTodos = [
    ...(task_list?.in_progress_tasks ?? []).map((t) => taskTodo(t, "in_progress")),
    ...(task_list?.pending_tasks ?? []).map((t) => taskTodo(t, "pending")),
  ];
  const used = context_usage?.tokens_used ?? 0;
  const window = context_usage?.tokens_total ?? 0;
  const auto = "incremental_pause" in extra || isAutoPauseTask(conversation?.primary_task);
  return assemble({
    layout: "claude-mpm-6",
    context,
    // The auto-pause's id (always UTC) predates its paused_at by minutes: no time zone.
    idIsUtc: auto,
    raw: { session_id, paused_at, conversation, todos, version, build },
    projectPath: project_path ?? extra.active_context?.working_directory,
    git,
    extraTodos: taskTodos,
    extra: task_list ? { ...extra, task_list } : extra,
    contextUsage: used > 0 && window > 0
      ? { tokens: used, window, percent: context_usage?.percentage ?? (used / window) * 100 }
      : null,
    auto,
  });
}

function fromV4(raw: ClaudeMpm4, context: LegacyContext): Snapshot {
  const { session_id, paused_at, conversation, todos, version, build, project_path, ...rest } = raw;
  const { git_context, ...extra } = rest;
  let git: Record<string, unknown> | null = null;
  if (git_context && Object.keys(git_context).length > 0) {
    const { status, ...g } = git_context;
    const s = {
      modified: status?.modified ?? [],
      staged: status?.staged ?? [],
      untracked: status?.untracked ?? [],
    };
    git = {
      ...g,
      branch: g.branch ?? null,
      commit: g.commit ?? null,
      commit_message: g.commit_message ?? null,
      detached: g.detached ?? false,
      upstream: g.upstream ?? null,
      status: { ...status, ...s },
      is_clean: g.is_clean ?? Object.values(s).every((list) => list.length === 0),
      ahead_behind: g.ahead_behind ?? null,
    };
  }
  return assemble({
    layout: "claude-mpm-4",
    context,
    idIsUtc: false,
    raw: { session_id, paused_at, conversation, todos, version, build },
    projectPath: project_path,
    git,
    extraTodos: [],
    extra,
    contextUsage: null,
    auto: false,
  });
}

interface Parts {
  layout: LegacyLayout;
  context: LegacyContext;
  idIsUtc: boolean;
  raw: Pick<
    ClaudeMpm4,
    "session_id" | "paused_at" | "conversation" | "todos" | "version" | "build"
  >;
  projectPath: string | null | undefined;
  git: Record<string, unknown> | null;
  extraTodos: Todo[];
  extra: Record<string, unknown>;
  contextUsage: { tokens: number; window: number; percent: number } | null;
  auto: boolean;
}

function assemble(p: Parts): Snapshot {
  const { raw, context } = p;
  const { session_id, paused_at } = canonicalIdAndTime(raw.session_id, raw.paused_at, {
    fileName: context.fileName,
    idIsUtc: p.idIsUtc,
  });
  const { summary, accomplishments, next_steps, ...conversationExtra } = raw.conversation ?? {};
  const keep: Record<string, unknown> = {};
  if (accomplishments?.some((a) => typeof a !== "string")) {
    keep.legacy_accomplishments = accomplishments;
  }
  if (next_steps?.some((a) => typeof a !== "string")) keep.legacy_next_steps = next_steps;
  const active = (raw.todos?.active ?? []).map((t) => todoFrom(t, "pending"));
  const completed = (raw.todos?.completed ?? []).map((t) => todoFrom(t, "completed"));
  const known = new Set([...active, ...completed].map((t) => t.content));
  const primaryTask = conversationExtra.primary_task ?? null;
  return finishSnapshot({
    ...p.extra,
    schema_version: SCHEMA_VERSION,
    session_id,
    paused_at,
    conversation: {
      ...conversationExtra,
      ...keep,
      summary: summary ?? "",
      accomplishments: (accomplishments ?? []).map(itemText),
      next_steps: (next_steps ?? []).map(itemText),
    },
    git_context: p.git,
    todos: {
      active: [...active, ...p.extraTodos.filter((t) => !known.has(t.content))],
      completed,
    },
    version: raw.version ?? "unknown",
    build: raw.build ?? "unknown",
    project_path: p.projectPath || context.projectPath,
    mpm: {
      state: "paused",
      task: taskFrom(primaryTask),
      context_usage: p.contextUsage,
      summary_source: p.auto ? "auto" : summarySource(summary),
      notes: p.auto && primaryTask ? [primaryTask] : [],
      legacy: {
        tool: "claude-mpm",
        layout: p.layout,
        session_id: raw.session_id,
        paused_at: raw.paused_at,
        file: context.fileName,
      },
    },
  }, context.fileName);
}

const TODO_STATUS: Record<string, Todo["status"]> = Object.fromEntries([
  ...["pending", "todo", "open", "not_started"].map((s) => [s, "pending"]),
  ...["in_progress", "in-progress", "active", "doing"].map((s) => [s, "in_progress"]),
  ...["completed", "complete", "done"].map((s) => [s, "completed"]),
]);

function todoFrom(item: LegacyTodo, fallback: Todo["status"]): Todo {
  if (typeof item === "string") return { content: item, status: fallback };
  const status = TODO_STATUS[String(item.status ?? "").toLowerCase()] ?? fallback;
  return { ...item, content: itemText(item), status };
}

function taskTodo(task: Task, status: Todo["status"]): Todo {
  const title = task.title && task.title !== "Untitled" ? task.title : undefined;
  return { ...task, content: title ?? task.description ?? "Untitled", status };
}

const TEXT_KEYS = ["content", "task", "title", "subject", "description", "summary", "text"];

function itemText(item: Item): string {
  if (typeof item === "string") return item;
  const record = item as Record<string, unknown>;
  const key = TEXT_KEYS.find((k) => typeof record[k] === "string" && record[k] !== "");
  return key ? String(record[key]) : JSON.stringify(item);
}
