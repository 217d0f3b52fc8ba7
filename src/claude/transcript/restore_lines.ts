/**
 * A transcript's lines moved from another checkout (pure): paths rewritten only where Claude Code
 * reads one, what was said kept, and a last entry saying where it came from.
 */
import { jsonRecord } from "../../kernel/check.ts";

/** The Claude Code versions a restored transcript was tested with, and when. */
export const TESTED_CLIENTS: readonly { version: string; tested: string; how: string }[] = [
  {
    version: "2.1.330",
    tested: "2026-11-23",
    how:
      "tests/claude_code/print_mode/restore_claude_code_test.ts: `claude -p --resume` and the /resume picker",
  },
  {
    version: "2.1.331",
    tested: "2026-11-25",
    how: "the same test with MPM_CLAUDE_CODE_VERSION=2.1.331",
  },
];

/** Whether restored transcripts were tested with this Claude Code version. */
export function isTestedClient(version: string): boolean {
  return TESTED_CLIENTS.some((c) => c.version === version);
}

/** Marks the entry mpm appends, so a later restore knows it for its own. */
export const RESTORE_MARK = "mpmRestore";

const NAME_CHAR = "A-Za-z0-9._~-";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A path rewrite: `from` (the other checkout, no trailing slash) becomes `to`. */
export interface PathMove {
  from: string;
  to: string;
}

/** Whole paths and whole folder names (the dashed project folder) a restore rewrites. */
export interface Relocation {
  paths: readonly PathMove[];
  names: readonly PathMove[];
}

interface Compiled {
  pattern: RegExp;
  to: Map<string, string>;
  /** A string none of these is in is left as it is. */
  needles: string[];
}

/** Each `from` also as it reads inside a JSON string, when that differs (a `\` or a `"`). */
function escaped(move: PathMove): PathMove | null {
  const from = JSON.stringify(move.from).slice(1, -1);
  return from === move.from ? null : { from, to: JSON.stringify(move.to).slice(1, -1) };
}

const compiled = new WeakMap<Relocation, Compiled | null>();

/** One pattern for all, so nothing rewritten is rewritten again; the longer `from` first. */
function compile(relocation: Relocation): Compiled | null {
  if (compiled.has(relocation)) return compiled.get(relocation)!;
  const useful = (m: PathMove) => m.from !== "" && m.from !== m.to;
  const paths = relocation.paths.filter(useful);
  const names = relocation.names.filter(useful);
  const all = [
    ...paths.flatMap((m) => [m, escaped(m)]).filter((m) => m !== null).map((m) => ({
      m,
      path: true,
    })),
    ...names.flatMap((m) => [m, escaped(m)]).filter((m) => m !== null).map((m) => ({
      m,
      path: false,
    })),
  ].sort((a, b) => b.m.from.length - a.m.from.length);
  if (all.length === 0) {
    compiled.set(relocation, null);
    return null;
  }
  const to = new Map<string, string>();
  const parts: string[] = [];
  for (const { m, path } of all) {
    if (to.has(m.from)) continue;
    to.set(m.from, m.to);
    const from = escapeRegExp(m.from);
    // A path or folder name stands whole, not part of a longer one.
    parts.push(
      path
        ? `(?<![${NAME_CHAR}])(?<![${NAME_CHAR}]/)${from}(?![${NAME_CHAR}])`
        : `(?<![${NAME_CHAR}])${from}(?![${NAME_CHAR}])`,
    );
  }
  const result = { pattern: new RegExp(parts.join("|"), "g"), to, needles: [...to.keys()] };
  compiled.set(relocation, result);
  return result;
}

/** `text` with every whole path and folder name of the relocation rewritten, in one pass. */
export function relocateText(text: string, relocation: Relocation): string {
  const c = compile(relocation);
  if (c === null || !c.needles.some((n) => text.includes(n))) return text;
  return text.replace(c.pattern, (found) => c.to.get(found) ?? found);
}

function relocateValue(value: unknown, relocation: Relocation): unknown {
  if (typeof value === "string") return relocateText(value, relocation);
  if (Array.isArray(value)) return value.map((v) => relocateValue(v, relocation));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[relocateText(key, relocation)] = relocateValue(v, relocation);
    }
    return out;
  }
  return value;
}

/** The environment entries Claude Code resends on `--resume`: every string is rewritten. */
const ENVIRONMENT_ENTRIES = new Set([
  "attachment",
  "api-request",
  "api-request-shape",
  "api-request-blob",
]);

/** A key whose string value Claude Code reads as a path (`cwd`, `file_path`, `filePath`…). */
function isPathKey(key: string): boolean {
  return key === "cwd" || key === "path" || key === "filePath" || key.endsWith("_path");
}

/** `value` with the strings under a path key rewritten, at any depth; the rest as it is. */
function relocatePathKeys(value: unknown, relocation: Relocation, pathKey = false): unknown {
  if (typeof value === "string") return pathKey ? relocateText(value, relocation) : value;
  if (Array.isArray(value)) return value.map((v) => relocatePathKeys(v, relocation, pathKey));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = relocatePathKeys(v, relocation, isPathKey(key));
    }
    return out;
  }
  return value;
}

/** A conversation entry with only what Claude Code reads as a path rewritten. */
function relocateEntry(entry: Record<string, unknown>, relocation: Relocation): unknown {
  if (ENVIRONMENT_ENTRIES.has(entry.type as string)) return relocateValue(entry, relocation);
  const out = { ...entry };
  if (typeof out.cwd === "string") out.cwd = relocateText(out.cwd, relocation);
  if ("toolUseResult" in out) out.toolUseResult = relocatePathKeys(out.toolUseResult, relocation);
  const message = out.message as { content?: unknown } | undefined;
  if (message !== null && typeof message === "object" && Array.isArray(message.content)) {
    out.message = {
      ...message,
      content: message.content.map((block) =>
        block !== null && typeof block === "object" && block.type === "tool_use" &&
          "input" in block
          ? { ...block, input: relocatePathKeys(block.input, relocation) }
          : block
      ),
    };
  }
  return out;
}

/** One line relocated where Claude Code reads a path; else byte for byte. */
export function relocateLine(line: string, relocation: Relocation): string {
  const c = compile(relocation);
  if (c === null || !c.needles.some((n) => line.includes(n))) return line;
  const entry = jsonRecord(line);
  if (entry === undefined) return line;
  const moved = JSON.stringify(relocateEntry(entry, relocation));
  return moved === JSON.stringify(entry) ? line : moved;
}

/** What a restore reads from the lines before it rewrites them. */
export interface TranscriptFacts {
  /** The folder the conversation ran in (the first entry's `cwd`), or null. */
  cwd: string | null;
  /** The Claude Code versions that wrote entries (`version`), in order of first sight. */
  versions: string[];
  /** The last entry of the main conversation (not a sidechain) that others hang from. */
  leaf: { uuid: string; sessionId: string | null; version: string | null } | null;
  /** Whether a value reads `[REDACTED:…]`. */
  redacted: boolean;
}

export function noFacts(): TranscriptFacts {
  return { cwd: null, versions: [], leaf: null, redacted: false };
}

/** transcriptFacts a line at a time: a transcript too large to hold is read as it streams. */
export function foldFacts(facts: TranscriptFacts, line: string): void {
  if (!facts.redacted && line.includes("[REDACTED")) facts.redacted = true;
  const entry = jsonRecord(line);
  if (entry === undefined || entry[RESTORE_MARK] !== undefined) return;
  if (facts.cwd === null && typeof entry.cwd === "string" && entry.cwd !== "") {
    facts.cwd = entry.cwd;
  }
  if (typeof entry.version === "string" && !facts.versions.includes(entry.version)) {
    facts.versions.push(entry.version);
  }
  if (typeof entry.uuid === "string" && entry.isSidechain !== true) {
    facts.leaf = {
      uuid: entry.uuid,
      sessionId: typeof entry.sessionId === "string" ? entry.sessionId : null,
      version: typeof entry.version === "string" ? entry.version : null,
    };
  }
}

export interface RestoreNote {
  /** The Claude session's id. */
  sessionId: string;
  /** The entry it follows (`transcriptFacts(…).leaf`). */
  parentUuid: string | null;
  move: PathMove;
  /** The new entry's id and time. */
  uuid: string;
  at: string;
  version: string | null;
  gitBranch?: string | null;
  /** The copy was made in this checkout (Claude Code lost its own), not brought from another. */
  here?: boolean;
}

/** The sentence the model reads at the end of a restored conversation. */
export function restoreNoteText(move: PathMove, here = false): string {
  const where = move.from !== move.to
    ? `mpm's vault on another checkout (its paths moved from ${move.from} to ${move.to})`
    : here
    ? "this checkout's mpm vault"
    : "mpm's vault on another checkout";
  return `[mpm] This conversation was restored from ${where}: ` +
    "values that looked like secrets were replaced by [REDACTED:…] when it was saved and are " +
    "not known here, so read them again from their files or ask for them.";
}

/** The `isMeta` entry a restore appends, saying why values read `[REDACTED:…]`. */
export function restoreNoteLine(note: RestoreNote): string {
  return JSON.stringify({
    parentUuid: note.parentUuid,
    isSidechain: false,
    type: "user",
    message: { role: "user", content: restoreNoteText(note.move, note.here) },
    isMeta: true,
    uuid: note.uuid,
    timestamp: note.at,
    userType: "external",
    cwd: note.move.to,
    sessionId: note.sessionId,
    ...(note.version ? { version: note.version } : {}),
    ...(note.gitBranch ? { gitBranch: note.gitBranch } : {}),
    [RESTORE_MARK]: { from: note.move.from, at: note.at },
  });
}

/** Whether a line is the entry an earlier restore appended. */
export function isRestoreNote(line: string): boolean {
  return line.includes(RESTORE_MARK) && jsonRecord(line)?.[RESTORE_MARK] !== undefined;
}
