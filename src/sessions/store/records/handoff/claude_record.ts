/**
 * Claude's handoff (`handoffs/handoff-….json`), written with /mpm-handoff for the conversation
 * after a `/clear`: immutable, naming the one before (`line`); Claude's words only. Pure.
 */
import {
  array,
  checkValue,
  int,
  literal,
  nullable,
  object,
  optional,
  type Out,
  string,
  withDefault,
} from "../../../../kernel/check.ts";
import { joined, type TextFields, within } from "../../../../kernel/safe_text/text_fields.ts";
import { IntegrityError } from "../../../../kernel/errors.ts";
import { newSessionId } from "../../../../kernel/ids.ts";
import { gitContextCheck } from "../../../../kernel/snapshot.ts";

export const HANDOFF_SCHEMA_VERSION = 1;

/** The most text a handoff keeps: it shares SessionStart's 10,000 characters. */
export const HANDOFF_MAX_CHARS = 6_000;

/** The person's focus (`/mpm-handoff FOCUS`) is a line, not a document. */
export const FOCUS_MAX_CHARS = 500;

/** A `startup` (not a `/clear`) gets the handoff only this soon: the next morning is new work. */
export const STARTUP_WINDOW_MS = 4 * 60 * 60 * 1000;

/** Paths kept per status list of the git state: a handoff is read whole at SessionStart. */
export const MAX_GIT_PATHS = 200;

export const SECTIONS = [
  { key: "goal", title: "Goal", list: false },
  { key: "state", title: "State", list: false },
  { key: "decisions", title: "Decisions taken, and why", list: true },
  { key: "tried", title: "Tried, and did not work", list: true },
  { key: "files", title: "Files that matter", list: true },
  { key: "next_step", title: "Next step", list: false },
  { key: "open_questions", title: "Open questions", list: true },
] as const;

export type SectionKey = typeof SECTIONS[number]["key"];

export interface HandoffWords {
  goal: string;
  state: string;
  decisions: string[];
  tried: string[];
  files: string[];
  next_step: string;
  open_questions: string[];
}

const HANDOFF_ID = /^handoff-(\d{8})-(\d{6})-(\d{3})[a-z]{3}$/;

/** Keys and ids are plain names (`s-1a2b…`, `session-…`), never a path or a line break. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A key or id a record may name; anything else is recorded as unknown (null). */
export function plainOrNull(name: string | null): string | null {
  return name !== null && PLAIN_NAME.test(name) ? name : null;
}

const texts = withDefault(array(string()), []);
const plainName = nullable(string({ pattern: PLAIN_NAME }));

const cutCheck = object({ section: string(), chars: int("nonnegative") }, "keep");

export const claudeHandoffCheck = object({
  schema_version: int("positive"),
  handoff_id: string(),
  written_at: string(),
  written_by: literal("claude"),
  /** The session (a snapshot's `mpm.key`, or a keyless snapshot's id); null: none yet. */
  line: plainName,
  previous: nullable(string({ pattern: HANDOFF_ID })),
  /** The newest snapshot of the session when it was written (where the person's words are). */
  snapshot: plainName,
  /** The Claude Code session that wrote it, when Claude Code said. */
  claude_session_id: plainName,
  /** The person's words given with /mpm-handoff, kept apart from Claude's. */
  focus: nullable(string()),
  handoff: object({
    goal: string(),
    state: withDefault(string(), ""),
    decisions: texts,
    tried: texts,
    files: texts,
    next_step: string(),
    open_questions: texts,
  }, "keep"),
  cut: withDefault(array(cutCheck), []),
  git_context: nullable(gitContextCheck),
  project_path: string(),
  machine: withDefault(nullable(string()), null),
  version: string(),
  build: string(),
  /** This machine's HMAC of the text: only a handoff sealed here is given to Claude. */
  seal: optional(string()),
}, "keep");

export type ClaudeHandoff = Out<typeof claudeHandoffCheck>;

/** Free text, redacted as written; ids, times and git facts stay exact. */
export const claudeHandoffText: TextFields = joined(
  {
    free: ["focus", "handoff", "cut.section", "project_path", "machine"],
    exact: [
      "handoff_id",
      "written_at",
      "written_by",
      "line",
      "previous",
      "snapshot",
      "claude_session_id",
      "version",
      "build",
      "seal",
      "sync_origin",
    ],
  },
  within("git_context", {
    free: ["commit_message"],
    exact: ["branch", "commit", "upstream", "status"],
  }),
);

/** Said words, redacted before the record cuts them (half a secret would not be recognised). */
export const handoffSaidText: TextFields = { free: ["words", "focus"], exact: [] };
export type HandoffCut = ClaudeHandoff["cut"][number];

// --- ids -----------------------------------------------------------------------------------------

/** `handoff-YYYYMMDD-HHMMSS-MMMxyz`: the moment, its millisecond and three random letters. */
export function newHandoffId(date: Date, random: Uint8Array): string {
  return newSessionId(date, random).replace(/^session-/, "handoff-");
}

export function isHandoffId(text: string): boolean {
  return HANDOFF_ID.test(text);
}

export function handoffIdTime(id: string): Date | undefined {
  const match = id.match(HANDOFF_ID);
  if (!match) return undefined;
  const [d, t, ms] = [match[1], match[2], match[3]];
  const date = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${
      t.slice(4)
    }.${ms}Z`,
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// --- measuring -----------------------------------------------------------------------------------

export function handoffChars(words: HandoffWords): number {
  let n = 0;
  for (const { key, list } of SECTIONS) {
    if (list) { for (const item of words[key] as string[]) n += item.length; }
    else n += (words[key] as string).length;
  }
  return n;
}

/** `text` in at most `room` characters, ending in "…" when cut (never half a surrogate pair). */
export function cutText(text: string, room: number): string {
  if (text.length <= room) return text;
  if (room <= 1) return "";
  let end = room - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end).trimEnd() + "…";
}

export function serializeHandoff(record: ClaudeHandoff): string {
  return JSON.stringify(record, null, 2) + "\n";
}

// --- reading -------------------------------------------------------------------------------------

/** Room over the caps a stored record may take: a `[REDACTED:…]` marker can be longer. */
const REDACTION_SLACK = 1_000;

/** A stored record, validated: mpm's schema, its own id, no more text than a handoff keeps. */
export function decodeClaudeHandoff(raw: unknown, id: string, shown: string): ClaudeHandoff {
  const version = (raw as { schema_version?: unknown } | null)?.schema_version;
  if (typeof version === "number" && version > HANDOFF_SCHEMA_VERSION) {
    throw new IntegrityError(
      `${shown} was written by a newer mpm (schema_version ${version}).`,
      "Upgrade mpm to read it.",
    );
  }
  const checked = checkValue(claudeHandoffCheck, raw);
  if (!checked.ok) {
    const { path, message } = checked.problem;
    throw new IntegrityError(
      `${shown} is not a handoff mpm wrote (${path.join(".") || "top level"}: ${message}).`,
      "It was edited by hand or damaged; the other handoffs are unaffected.",
    );
  }
  const record = checked.value;
  if (record.handoff_id !== id) {
    throw new IntegrityError(
      `${shown} names another handoff inside (handoff_id ${
        JSON.stringify(record.handoff_id)
      }, not ${id}).`,
      "It was moved or edited by hand; it is left where it is.",
    );
  }
  if (
    handoffChars(record.handoff) > HANDOFF_MAX_CHARS + REDACTION_SLACK ||
    (record.focus?.length ?? 0) > FOCUS_MAX_CHARS + REDACTION_SLACK
  ) {
    throw new IntegrityError(
      `${shown} holds more text than any handoff mpm writes (${HANDOFF_MAX_CHARS} characters).`,
      "It was edited by hand or forged; it is not used.",
    );
  }
  return record;
}

// --- choosing ------------------------------------------------------------------------------------

/** A stored handoff with the time it sorts by (its id's, or its arrival's when that is earlier). */
export interface Dated {
  record: ClaudeHandoff;
  time: Date;
}

/** Whether a handoff belongs to the session `line`: its own, or one written before any began. */
export function ofSession(record: ClaudeHandoff, line: string | null): boolean {
  return record.line === null || record.line === line;
}

export interface StartChoice {
  line: string | null;
  /** SessionStart's `source`; undefined is a preview of the next `startup`. */
  source: string | undefined;
  now: Date;
  /** The Claude Code session starting: the one that wrote a handoff never gets it back. */
  claudeSession?: string;
}

/** The handoff a start gives: the session's newest, ungiven, after `/clear` or a recent start. */
export function handoffForStart(
  newestFirst: readonly Dated[],
  given: ReadonlySet<string>,
  choice: StartChoice,
): Dated | null {
  const source = choice.source ?? "startup";
  if (source !== "clear" && source !== "startup") return null;
  const newest = newestFirst.find((d) => ofSession(d.record, choice.line));
  if (newest === undefined || given.has(newest.record.handoff_id)) return null;
  if (choice.claudeSession && newest.record.claude_session_id === choice.claudeSession) {
    return null;
  }
  if (source === "startup" && choice.now.getTime() - newest.time.getTime() > STARTUP_WINDOW_MS) {
    return null;
  }
  return newest;
}

/** The newest handoff of the session, the one a new handoff follows (null: it is the first). */
export function previousOf(newestFirst: readonly Dated[], line: string | null): string | null {
  return newestFirst.find((d) => d.record.line === line)?.record.handoff_id ?? null;
}
