/**
 * The record the on-error hook keeps of a failed tool call (PostToolUseFailure) or an API error
 * (StopFailure), with the repository's state; redacted and cut before it exists. Sealed with this
 * machine's key: only a sealed one is `own`; others are searched marked and left out of replay.
 */
import {
  array,
  boolean,
  checkedJson,
  int,
  mustCheck,
  nullable,
  number,
  object,
  optional,
  type Out,
  string,
  unknown,
} from "../../../kernel/check.ts";
import { jsonSealVerifiesAsync, sealedText } from "../../../kernel/hashing/seal.ts";
import type { StatusFacts } from "../records/snapshot/changes.ts";
import { forDisk, type TextFields } from "../../../disk/files/written.ts";

export const ERROR_RECORD_VERSION = 1;

const strings = array(string());

const commitCheck = object({
  sha: string(),
  subject: string(),
  author: string(),
  date: string(),
}, "strip");

/** An error record, as written and as search and replay read it. */
export const errorRecordCheck = object({
  schema_version: int("positive"),
  time: string(),
  /** `PostToolUseFailure` or `StopFailure`. */
  event: string(),
  claude_session_id: string(),
  /** The tool that failed; null for StopFailure. */
  tool: nullable(string()),
  /** What the tool was given, redacted, nesting past 12 levels cut. */
  tool_input: nullable(unknown),
  tool_use_id: nullable(string()),
  /** The error, as the agent reported it, redacted. */
  error: string(),
  /** Anything more the agent said of it, redacted. */
  error_details: nullable(unknown),
  is_interrupt: nullable(boolean),
  duration_ms: nullable(number),
  cwd: string(),
  /** Null outside git. */
  git: nullable(object({
    branch: nullable(string()),
    commit: nullable(string()),
    is_clean: boolean,
    staged: strings,
    modified: strings,
    untracked: strings,
    deleted: strings,
    conflicted: strings,
  }, "keep")),
  recent_commits: array(commitCheck),
  /** This machine's HMAC of the text, written last. */
  seal: optional(string()),
}, "keep");

/** Free text (what Claude Code, the tool and commits said), redacted before the cut; ids exact. */
export const errorRecordText: TextFields = {
  free: [
    "tool_input",
    "error",
    "error_details",
    "cwd",
    "recent_commits.subject",
    "recent_commits.author",
  ],
  exact: [
    "time",
    "event",
    "claude_session_id",
    "tool",
    "tool_use_id",
    "git",
    "recent_commits.sha",
    "recent_commits.date",
    "seal",
  ],
};

export type ErrorRecord = Out<typeof errorRecordCheck>;

/** What the payload and git said; any field may be missing from a payload. */
export interface ErrorInput {
  now: Date;
  event: string;
  claudeSessionId: string;
  cwd: string;
  tool?: string;
  toolInput?: unknown;
  toolUseId?: string;
  error?: unknown;
  errorDetails?: unknown;
  isInterrupt?: boolean;
  durationMs?: number;
  /** What `git status` said (readStatus); null outside git. */
  git: Omit<StatusFacts, "ahead_behind"> | null;
  recentCommits: Out<typeof commitCheck>[];
}

export const LIMITS = { chars: 8000, items: 200, depth: 12, paths: 200 } as const;

export async function buildErrorRecord(input: ErrorInput): Promise<ErrorRecord> {
  const git = input.git;
  const record: ErrorRecord = {
    schema_version: ERROR_RECORD_VERSION,
    time: input.now.toISOString(),
    event: input.event,
    claude_session_id: input.claudeSessionId,
    tool: input.tool ?? null,
    tool_input: collapse(input.toolInput ?? null, 0),
    tool_use_id: input.toolUseId ?? null,
    error: payloadErrorText(collapse(input.error, 0)),
    error_details: collapse(input.errorDetails ?? null, 0),
    is_interrupt: input.isInterrupt ?? null,
    duration_ms: input.durationMs ?? null,
    cwd: input.cwd,
    git: git === null ? null : {
      branch: git.branch,
      commit: git.head,
      is_clean: git.staged.length + git.modified.length + git.untracked.length +
          git.deleted.length + git.conflicted.length === 0,
      staged: git.staged.slice(0, LIMITS.paths),
      modified: git.modified.slice(0, LIMITS.paths),
      untracked: git.untracked.slice(0, LIMITS.paths),
      deleted: git.deleted.slice(0, LIMITS.paths),
      conflicted: git.conflicted.slice(0, LIMITS.paths),
    },
    recent_commits: input.recentCommits,
  };
  // Redacted first, then cut: a cut first could leave half a secret unrecognised.
  return mustCheck(errorRecordCheck, shorten(await forDisk(errorRecordText, record), 0));
}

/** The error Claude Code reported (a string, or any JSON value), as text. */
function payloadErrorText(error: unknown): string {
  if (typeof error === "string") return error;
  if (error === undefined || error === null) return "(no error text)";
  return JSON.stringify(error);
}

/** A copy with nesting beyond LIMITS.depth summarised, so redaction's recursion cannot overflow. */
function collapse(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= LIMITS.depth) return "[nested too deeply]";
  if (Array.isArray(value)) return value.map((item) => collapse(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, collapse(v, depth + 1)]));
}

/** A copy with long strings and arrays cut and deep nesting summarised. */
function shorten(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return value.length > LIMITS.chars
      ? `${value.slice(0, LIMITS.chars)}… [${value.length - LIMITS.chars} more characters]`
      : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= LIMITS.depth) return "[nested too deeply]";
  if (Array.isArray(value)) {
    const items = value.slice(0, LIMITS.items).map((item) => shorten(item, depth + 1));
    if (value.length > LIMITS.items) items.push(`[${value.length - LIMITS.items} more items]`);
    return items;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, LIMITS.items).map(([k, v]) => [k, shorten(v, depth + 1)]);
  if (entries.length > LIMITS.items) kept.push(["…", `${entries.length - LIMITS.items} more keys`]);
  return Object.fromEntries(kept);
}

/** The record's text, sealed with `key` (this machine's); unsealed where there is none. */
export async function serializeErrorRecord(
  record: ErrorRecord,
  key: string | null,
): Promise<string> {
  return await sealedText(record, key);
}

/** An error record as read: the record, and whether this machine sealed it. */
export interface JudgedErrorRecord {
  record: ErrorRecord;
  own: boolean;
}

/** A record file's text judged against `key`; undefined when it is no error record. */
export async function judgeErrorRecord(
  text: string | undefined,
  key: string | null,
): Promise<JudgedErrorRecord | undefined> {
  if (text === undefined) return undefined;
  const record = checkedJson(errorRecordCheck, text);
  if (record === null) return undefined;
  const own = key === null || await jsonSealVerifiesAsync(text, record.seal, key);
  return { record, own };
}
