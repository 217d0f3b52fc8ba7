/**
 * The snapshot: one immutable record of a paused session. Field names follow claude-mpm's
 * documented format; `schema_version` and the `mpm` object are mpm's own additions. Declared
 * once, as the checks below (kernel/check.ts): each gives its record's type, the check every read
 * of a snapshot mpm wrote runs (resume, list, show, SessionStart without its digest, and what
 * legacy/normalize.ts makes of older tools' files), and the words of its first problem.
 * docs/format.md describes every field; keep the two in step.
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
  withDefault,
} from "./check.ts";
import { joined, type TextFields, within } from "./safe_text/text_fields.ts";
import { AGENT_NAMES } from "./agent_name.ts";

export const SCHEMA_VERSION = 1;

const strings = array(string());
/** A text a snapshot of an older mpm may lack: null then. */
const text = withDefault(nullable(string()), null);

/** A todo, as a snapshot and the state (sessions/store/records/state/state.ts) hold it. */
export const todoCheck = object({
  content: string(),
  status: oneOf(["pending", "in_progress", "completed"]),
}, "keep");
export type Todo = Out<typeof todoCheck>;

export const aheadBehindCheck = object({ ahead: int(), behind: int() }, "strip");
export type AheadBehind = Out<typeof aheadBehindCheck>;

export const gitContextCheck = object({
  branch: nullable(string()),
  commit: nullable(string()),
  commit_message: nullable(string()),
  detached: withDefault(boolean, false),
  upstream: text,
  status: object({
    modified: strings,
    staged: strings,
    untracked: strings,
    deleted: withDefault(strings, []),
    renamed: withDefault(array(object({ from: string(), to: string() }, "strip")), []),
    conflicted: withDefault(strings, []),
  }, "keep"),
  is_clean: boolean,
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
  tokens: int("nonnegative"),
  /** Null when Claude Code did not say how large the window is (mpm no longer guesses). */
  window: nullable(int("positive")),
  percent: nullable(nonnegativeNumber),
  model: text,
  /** Where the window came from: `override` (MPM_CONTEXT_WINDOW), `claude` (reported), `model` ([1m] id), `size` (a request over 200,000 tokens). */
  window_source: optional(oneOf(["override", "claude", "model", "size"])),
}, "keep");
export type ContextUsage = Out<typeof contextUsageCheck>;

/**
 * The project's context file as a snapshot or checkpoint saw it (src/context/record.ts): which
 * file, the sha256 of its bytes, and its text redacted (null when it was larger than a record
 * keeps: then only the hash tells a change).
 */
export const contextRecordCheck = object({
  file: string(),
  sha256: string(),
  text: nullable(string()),
}, "keep");
export type ContextRecord = Out<typeof contextRecordCheck>;

export const mpmInfoCheck = object({
  name: text,
  task: text,
  template: text,
  state: withDefault(sessionStateCheck, "paused"),
  parent: text,
  depth: withDefault(int("nonnegative"), 0),
  /**
   * The conversation's id in its agent (Claude Code's session id, Codex's session uuid): the field
   * keeps its name, `agent` says whose it is.
   */
  claude_session_id: text,
  /** The agent the work was done in; absent: Claude Code (kernel/agent_name.ts `agentOf`). */
  agent: optional(oneOf(AGENT_NAMES)),
  context_usage: withDefault(nullable(contextUsageCheck), null),
  /** Whether the summary was given by the user, written by mpm, or made by a hook. */
  summary_source: withDefault(oneOf(["user", "default", "auto"]), "user"),
  /** Anything else a pause recorded (worktree pruning, the automatic-pause reason). */
  notes: withDefault(strings, []),
  /**
   * Who wrote the words: a person (`pause` or `return` with words) or mpm (a hook, `branch`, a
   * bare `pause`). Absent on snapshots of older mpm versions: see `writtenBy()`.
   */
  written_by: optional(oneOf(["person", "mpm"])),
  /** What mpm saved on its own, for a snapshot mpm wrote: why, and its own words about it. */
  auto: optional(nullable(object({ trigger: string(), note: string() }, "keep"))),
  /**
   * The words (summary, accomplishments, next steps, name, todos) were carried forward from the
   * snapshot a person wrote, `from`, at `written_at`.
   */
  carried: optional(nullable(object({ from: string(), written_at: string() }, "keep"))),
  /** The context file at the time; null: there was none; absent: an mpm before these records. */
  context_file: optional(nullable(contextRecordCheck)),
  /** Why the session was cancelled (`mpm cancel --reason`), redacted. */
  reason: optional(nullable(string())),
  /**
   * The paths the session changed since it began, committed or not, as `mpm diff --stat` names
   * them at this snapshot (sessions/store/marks/session_files.ts): sorted, at most 500. Absent:
   * not known (no mark of its beginning, or an older mpm).
   */
  work_files: optional(strings),
  /** How many more paths the session changed than `work_files` holds. */
  work_files_more: optional(int("positive")),
  /** This machine's seal over the record (kernel/hashing/seal.ts); absent: not sealed. */
  seal: optional(string()),
}, "keep");
export type MpmInfo = Out<typeof mpmInfoCheck>;

export const snapshotCheck = object({
  schema_version: int("positive"),
  session_id: string(),
  paused_at: string(),
  conversation: object({
    summary: string(),
    accomplishments: strings,
    next_steps: strings,
  }, "keep"),
  git_context: nullable(gitContextCheck),
  todos: object({ active: array(todoCheck), completed: array(todoCheck) }, "strip"),
  version: string(),
  build: string(),
  project_path: string(),
  mpm: mpmInfoCheck,
}, "keep");
export type Snapshot = Out<typeof snapshotCheck>;

/** A todo's strings: its words, and what mpm keeps exact about it. */
const todoText: TextFields = {
  free: ["content", "phase", "activeForm"],
  exact: ["status", "created_at", "completed_at"],
};

/**
 * Which of a snapshot's strings are free text, redacted before the record is written
 * (disk/files/written.ts), and which are kept exact: ids and keys that snapshots and transcripts
 * are found by, hashes, times, and the branch, upstream and paths that `resume`, `return` and
 * `diff` hand back to git or compare with what git says. None of the exact ones is text a person
 * or Claude writes; a secret-looking branch or file name is named by `mpm doctor` and held back
 * by `mpm sync push` instead (tests/sessions/records/secret_names_test.ts).
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

/**
 * mpm's own record (it carries `schema_version`) as a Snapshot, checked: a newer mpm's is
 * refused. Throws IntegrityError naming `fileName`. Here, not with the older tools' layouts
 * (legacy/normalize.ts), so that reading mpm's records loads none of their code.
 */
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

/** Who wrote a snapshot's words; older snapshots say it through `summary_source`. */
export function writtenBy(snapshot: Snapshot): "person" | "mpm" {
  return snapshot.mpm.written_by ?? (snapshot.mpm.summary_source === "user" ? "person" : "mpm");
}

/**
 * Marks a snapshot read from disk whose seal (kernel/hashing/seal.ts, `mpm.seal`) does not show
 * that this machine wrote it: pulled from a teammate, committed into a cloned repository, written
 * by an older mpm or edited by hand (sessions/store/snapshots/read_snapshot.ts sets it as it reads). A
 * symbol, so no rendering or serialisation carries it.
 */
export const WRITTEN_ELSEWHERE: unique symbol = Symbol("written elsewhere");

/** Whether a snapshot came from anywhere but this machine's own writes. */
export function writtenElsewhere(snapshot: Snapshot): boolean {
  return (snapshot as { [WRITTEN_ELSEWHERE]?: boolean })[WRITTEN_ELSEWHERE] === true;
}

/**
 * The key of the session a snapshot belongs to, as written: its `mpm.key`, else its own id (a
 * snapshot without a key is a session of its own). What a session is resumed, replayed and
 * recorded under (`threads/<key>/`).
 */
export function sessionKey(snapshot: Snapshot): string {
  const key = (snapshot.mpm as Record<string, unknown>).key;
  return typeof key === "string" && key !== "" ? key : snapshot.session_id;
}

/** How a pause of other work than the active session's is headed, wherever mpm tells it. */
export const OTHER_SESSION = "of another session than the active one";

/**
 * Whether a snapshot is of other work than the active session (`activeKey`; null: none is
 * active): its next steps are not the active one's.
 */
export function ofOtherSession(snapshot: Snapshot, activeKey: string | null): boolean {
  return activeKey !== null && sessionKey(snapshot) !== activeKey;
}

/**
 * The session a snapshot counts in on this machine: its sessionKey, set apart
 * (`elsewhere:<key>`) when it was written elsewhere. Such a snapshot is never in one of this
 * machine's sessions, whatever key it carries: a teammate's words are not carried as the
 * person's, and a teammate's `cancelled` ends no work of theirs.
 */
export function localSessionKey(snapshot: Snapshot): string {
  const key = sessionKey(snapshot);
  return writtenElsewhere(snapshot) ? `elsewhere:${key}` : key;
}

/** The canonical bytes of a snapshot: 2-space JSON with a trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot, null, 2) + "\n";
}
