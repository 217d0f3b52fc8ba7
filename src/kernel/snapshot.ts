/**
 * The snapshot: one immutable record of a paused session, declared once as checks
 * (kernel/check.ts). docs/format.md's field table is made from the doc comments below.
 */
import { IntegrityError } from "./errors.ts";
import {
  array,
  boolean,
  checkValue,
  int,
  nonnegativeNumber,
  nullable,
  object,
  oneOf,
  optional,
  type Out,
  record,
  string,
  time,
  withDefault,
} from "./check.ts";
import { joined, type TextFields, within } from "./safe_text/text_fields.ts";
import { AGENT_NAMES } from "./agent_name.ts";

export const SCHEMA_VERSION = 1;

const strings = array(string());
/** A text a snapshot may lack (one migrated from claude-mpm): null then. */
const text = withDefault(nullable(string()), null);

/** A todo, as a snapshot and the state (sessions/store/records/state/state.ts) hold it. */
export const todoCheck = object({
  /** The todo's words. */
  content: string(),
  /** `active` holds `pending` and `in_progress`, `completed` the done ones. */
  status: oneOf(["pending", "in_progress", "completed"]),
}, "keep");
export type Todo = Out<typeof todoCheck>;

export const aheadBehindCheck = object({
  /** Commits the branch has that its upstream lacks. */
  ahead: int(),
  /** Commits the upstream has that the branch lacks. */
  behind: int(),
}, "strip");
export type AheadBehind = Out<typeof aheadBehindCheck>;

export const gitContextCheck = object({
  /** The branch checked out; null on a detached HEAD. */
  branch: nullable(string()),
  /** HEAD's commit (40 hex); null in a repository without commits. */
  commit: nullable(string()),
  /** HEAD's commit subject; null without commits. */
  commit_message: nullable(string()),
  /** Whether HEAD was detached. */
  detached: withDefault(boolean, false),
  /** The branch's upstream (`origin/main`); null without one. */
  upstream: text,
  /** The work tree's state, as `git status` saw it. */
  status: object({
    /** Paths changed in the work tree (a path staged and changed again is here and in staged). */
    modified: strings,
    /** Paths staged (a staged deletion or rename too). */
    staged: strings,
    /** Untracked paths, folders as git's `status.showUntrackedFiles` lists them (`dir/`). */
    untracked: strings,
    /** Paths deleted. */
    deleted: withDefault(strings, []),
    /** Paths renamed, each from and to. */
    renamed: withDefault(array(object({ from: string(), to: string() }, "strip")), []),
    /** Unmerged paths (only here). */
    conflicted: withDefault(strings, []),
  }, "keep"),
  /** Whether nothing was uncommitted. */
  is_clean: boolean,
  /** Against the upstream; null without one. */
  ahead_behind: nullable(aheadBehindCheck),
  /**
   * What each path with uncommitted work held at pause, as the git object id `git add` would
   * have stored (null: the path did not exist). Paths left out are unknown. Lets `resume` tell
   * work later committed as it was from a real collision.
   */
  blobs: optional(record(string(), nullable(string()))),
}, "keep");
export type GitContext = Out<typeof gitContextCheck>;

/**
 * "cancelled": ended by `mpm cancel` (sessions/store/records/lifecycle/lifecycle.ts has the whole
 * lifecycle).
 */
const sessionStateCheck = oneOf(["paused", "branched", "completed", "cancelled", "active"]);
export type SessionState = Out<typeof sessionStateCheck>;

export const contextUsageCheck = object({
  /** Tokens the conversation's context held. */
  tokens: int("nonnegative"),
  /** Null when Claude Code did not say how large the window is (mpm no longer guesses). */
  window: nullable(int("positive")),
  /** How full the window was; null when the window is not known. */
  percent: nullable(nonnegativeNumber),
  /** The model's id. */
  model: text,
  /**
   * Where the window came from: `override` (MPM_CONTEXT_WINDOW), `claude` (reported), `model` (a
   * `[1m]` id, or the window documented for the model), `size` (a request over 200,000 tokens).
   */
  window_source: optional(oneOf(["override", "claude", "model", "size"])),
}, "keep");
export type ContextUsage = Out<typeof contextUsageCheck>;

/**
 * The project's context file as a snapshot or checkpoint saw it (src/context/record.ts): which
 * file, the sha256 of its bytes, and its text redacted (null when it was larger than a record
 * keeps: then only the hash tells a change).
 */
export const contextRecordCheck = object({
  /** Which context file (`.claude/context.md`). */
  file: string(),
  /** The sha256 of its bytes. */
  sha256: string(),
  /** Its text, redacted; null when larger than a record keeps. */
  text: nullable(string()),
}, "keep");
export type ContextRecord = Out<typeof contextRecordCheck>;

export const mpmInfoCheck = object({
  /** The session's name (`mpm start NAME`). */
  name: text,
  /** What the session is for (`--task`). */
  task: text,
  /** The template it was started from (`feature`, `bugfix`, …). */
  template: text,
  /**
   * `paused` (`mpm pause` or a hook), `branched` (a parent `mpm branch` put aside), `completed`
   * (`mpm done`, `mpm return`), `cancelled` (`mpm cancel`) or `active`.
   */
  state: withDefault(sessionStateCheck, "paused"),
  /** The parent session's snapshot, for a child of `mpm branch`. */
  parent: text,
  /** How deep on the branch stack (0: no parent). */
  depth: withDefault(int("nonnegative"), 0),
  /**
   * The conversation's id in its agent (Claude Code's session id, Codex's session uuid): the field
   * keeps its name, `agent` says whose it is.
   */
  claude_session_id: text,
  /** The agent the work was done in; absent: Claude Code (kernel/agent_name.ts `agentOf`). */
  agent: optional(oneOf(AGENT_NAMES)),
  /** How full the conversation's context window was, when a hook knew it. */
  context_usage: withDefault(nullable(contextUsageCheck), null),
  /** `user` (given with `-s`/`-m`), `default` (none given: mpm's words), `auto` (a hook's). */
  summary_source: withDefault(oneOf(["user", "default", "auto"]), "user"),
  /** Anything else a pause recorded (worktree pruning, the automatic-pause reason). */
  notes: withDefault(strings, []),
  /**
   * Who wrote the words: a person (`pause` or `return` with words) or mpm (a hook, `branch`, a
   * bare `pause`). Absent: `person` when `summary_source` is `user`, else mpm (`writtenBy()`).
   */
  written_by: optional(oneOf(["person", "mpm"])),
  /** What mpm saved on its own, for a snapshot mpm wrote: why, and its own words about it. */
  auto: optional(nullable(object({
    /** `session-end`, `branch`, `pause`, `return`, `resume` or `handoff`. */
    trigger: string(),
    /** mpm's own words about it, shown as a dated note after the person's. */
    note: string(),
  }, "keep"))),
  /**
   * The words (summary, accomplishments, next steps, name, todos) were carried forward from the
   * snapshot a person wrote, `from`, at `written_at`.
   */
  carried: optional(nullable(object({ from: string(), written_at: string() }, "keep"))),
  /** The context file at the time; null: there was none. */
  context_file: optional(nullable(contextRecordCheck)),
  /** Why the session was cancelled (`mpm cancel --reason`), redacted. */
  reason: optional(nullable(string())),
  /**
   * The paths the session changed since it began, committed or not, as `mpm diff --stat` names
   * them at this snapshot (sessions/store/marks/session_files.ts): sorted, at most 500, redacted.
   * Absent: not known (no mark of its beginning), which is not an empty list.
   */
  work_files: optional(strings),
  /** How many more paths the session changed than `work_files` holds. */
  work_files_more: optional(int("positive")),
  /**
   * This machine's HMAC-SHA256 of the record (kernel/hashing/seal.ts): one that checks out with
   * this machine's key was written here; any other is from elsewhere, never this machine's own.
   */
  seal: optional(string()),
}, "keep");
export type MpmInfo = Out<typeof mpmInfoCheck>;

export const snapshotCheck = object({
  /** The record's version: 1. A newer one is refused (upgrade mpm). */
  schema_version: int("positive"),
  /** The snapshot's id, `session-YYYYMMDD-HHMMSS-MMMxyz` (UTC, kernel/ids.ts). */
  session_id: string(),
  /** When it was written (ISO 8601, UTC). */
  paused_at: time,
  /** The person's words (or mpm's, as `summary_source` says). */
  conversation: object({
    /** What was done, in one line. */
    summary: string(),
    /** What got done (`-a`). */
    accomplishments: strings,
    /** What comes next (`-n`). */
    next_steps: strings,
  }, "keep"),
  /** The git state at the pause; null outside git. */
  git_context: nullable(gitContextCheck),
  /** The session's todos: open ones and done ones. */
  todos: object({ active: array(todoCheck), completed: array(todoCheck) }, "strip"),
  /** The mpm that wrote it. */
  version: string(),
  /** Its build (`dev`, or the release's). */
  build: string(),
  /** The project's folder when it was written. */
  project_path: string(),
  /** mpm's own fields. */
  mpm: mpmInfoCheck,
}, "keep");
export type Snapshot = Out<typeof snapshotCheck>;

/** A todo's strings: its words, and what mpm keeps exact about it. */
const todoText: TextFields = {
  free: ["content", "phase", "activeForm"],
  exact: ["status", "created_at", "completed_at"],
};

/**
 * A snapshot's free text, redacted before it is written, and its exact strings (ids, hashes, times,
 * what git is handed back; a secret-looking one is named by doctor and held back by sync push).
 */
export const snapshotText: TextFields = joined(
  {
    free: [
      "conversation",
      "git_context.commit_message",
      "mpm.name",
      "mpm.task",
      "mpm.template",
      "mpm.notes",
      "mpm.auto.note",
      "mpm.context_usage.model",
      "mpm.context_file.text",
      "mpm.reason",
      "mpm.handoff.from",
      "mpm.handoff.to",
      "mpm.handoff.summary",
      "mpm.handoff.completed",
      "mpm.handoff.needs",
      "mpm.handoff.acceptance",
      "mpm.handoff.current_work",
      // Paths, but only the board reads them: a secret in one is redacted like any text.
      "mpm.work_files",
      // The host name: a machine's words, though it is compared with machineName() later.
      "mpm.machine",
    ],
    exact: [
      "session_id",
      "paused_at",
      "version",
      "build",
      "project_path",
      "git_context.branch",
      "git_context.commit",
      "git_context.upstream",
      "git_context.status",
      "git_context.blobs",
      "mpm.key",
      "mpm.state",
      "mpm.parent",
      "mpm.claude_session_id",
      "mpm.agent",
      "mpm.summary_source",
      "mpm.written_by",
      "mpm.auto.trigger",
      "mpm.context_usage.window_source",
      "mpm.carried.from",
      "mpm.carried.written_at",
      "mpm.context_file.file",
      "mpm.context_file.sha256",
      "mpm.handoff.written_at",
      "mpm.handoff.files",
      "mpm.handoff.context_file",
      "mpm.seal",
    ],
  },
  within("todos.active", todoText),
  within("todos.completed", todoText),
  within("mpm.claude_tasks", todoText),
);

/** mpm's own record as a Snapshot, checked (a newer mpm's refused); else IntegrityError. */
export function ownSnapshot(raw: { schema_version: unknown }, fileName: string): Snapshot {
  const version = raw.schema_version;
  if (typeof version === "number" && version > SCHEMA_VERSION) {
    throw new IntegrityError(
      `${fileName} was written by a newer mpm (schema ${version}; this mpm reads up to ${SCHEMA_VERSION}).`,
      "Upgrade mpm to read it; nothing was changed.",
    );
  }
  const checked = checkValue(snapshotCheck, raw);
  if (!checked.ok) {
    const { path, message } = checked.problem;
    const where = path.length ? path.join(".") : "the top level";
    throw new IntegrityError(
      `${fileName} does not match the snapshot format: ${where}: ${message}.`,
      "Restore it from a backup or remove it; other sessions are unaffected.",
    );
  }
  return checked.value;
}

/** Who wrote a snapshot's words; one converted (legacy/) says it through `summary_source`. */
export function writtenBy(snapshot: Snapshot): "person" | "mpm" {
  return snapshot.mpm.written_by ?? (snapshot.mpm.summary_source === "user" ? "person" : "mpm");
}

/** Marks a snapshot whose seal does not show this machine wrote it (a symbol: never serialised). */
export const WRITTEN_ELSEWHERE: unique symbol = Symbol("written elsewhere");

/** Whether a snapshot came from anywhere but this machine's own writes. */
export function writtenElsewhere(snapshot: Snapshot): boolean {
  return (snapshot as { [WRITTEN_ELSEWHERE]?: boolean })[WRITTEN_ELSEWHERE] === true;
}

/** The id a pulled snapshot had where it was written (`mpm.sync_origin.session_id`), or null. */
export function firstId(snapshot: Snapshot): string | null {
  const origin = (snapshot.mpm as { sync_origin?: { session_id?: unknown } }).sync_origin;
  return typeof origin?.session_id === "string" ? origin.session_id : null;
}

/** The key of the session a snapshot belongs to: its `mpm.key`, else its own id. */
export function sessionKey(snapshot: Snapshot): string {
  const key = (snapshot.mpm as Record<string, unknown>).key;
  return typeof key === "string" && key !== "" ? key : snapshot.session_id;
}

/** How a pause of other work than the active session's is headed, wherever mpm tells it. */
export const OTHER_SESSION = "of another session than the active one";

/** Whether a snapshot is of other work than the active session (`activeKey`; null: none). */
export function ofOtherSession(snapshot: Snapshot, activeKey: string | null): boolean {
  return activeKey !== null && sessionKey(snapshot) !== activeKey;
}

/** A snapshot's session here: its sessionKey, or `elsewhere:<key>` (never the person's words). */
export function localSessionKey(snapshot: Snapshot): string {
  const key = sessionKey(snapshot);
  return writtenElsewhere(snapshot) ? `elsewhere:${key}` : key;
}

/** The canonical bytes of a snapshot: 2-space JSON with a trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot, null, 2) + "\n";
}
