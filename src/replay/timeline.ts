/**
 * One session's timeline: transcript entries, mpm's records, error records and commits as one
 * ordered list of typed events. Pure; texts leave redacted and cut. Transcripts stay streams
 * (hundreds of MB): `mergeTimeline` yields the earliest head of per-source ordered streams.
 */
import type { AgentName } from "../kernel/agent_name.ts";
import type { TranscriptEntry } from "../claude/transcript/transcript_entries.ts";
import { shown, shownDeep } from "../kernel/safe_text/shown.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";
import type { SpanCommit } from "../git/history/log_span.ts";

/** How much of each text an output keeps, after redaction. */
export interface Limits {
  /** Prompts, Claude's text and thinking, compaction summaries. */
  text: number;
  /** A tool's result. */
  result: number;
  /** Each string in a tool's arguments. */
  input: number;
  /** Lines of a diff. */
  diffLines: number;
}

export const JSON_LIMITS: Limits = { text: 32_768, result: 32_768, input: 8_192, diffLines: 2_000 };
export const HTML_LIMITS: Limits = { text: 16_384, result: 8_192, input: 2_048, diffLines: 400 };

/** Texts are redacted over this much more than is kept: a secret crossing the cut is seen whole. */
export const REDACT_MARGIN = 4_096;

export type Source = "claude" | "mpm" | "git";

export interface Common {
  time: string;
  source: Source;
  /** The Claude Code session an event came from, else null. */
  claude_session: string | null;
  /** Subagent work inside a Claude session. */
  sidechain: boolean;
  /** The remote a teammate's transcript came from (a pulled vault copy); absent: this machine's. */
  imported_from?: string;
  /** The agent a conversation's event came from when it is not Claude Code (`codex`). */
  agent?: AgentName;
}

export interface ToolOutcome {
  text: string;
  is_error: boolean;
  cut: number;
}

export type TimelineEvent =
  | Common & { kind: "prompt" | "text" | "thinking" | "compact-summary"; text: string; cut: number }
  | Common & {
    kind: "tool";
    tool: string;
    /** One line saying what the call did (its command, path, pattern…). */
    summary: string;
    input: unknown;
    result: ToolOutcome | null;
  }
  | Common & {
    kind: "edit";
    tool: string;
    path: string;
    operation: string;
    added: number;
    removed: number;
    diff: string;
    /** Diff lines left out. */
    diff_cut: number;
    /** The edit failed (its result was an error): nothing changed. */
    failed: boolean;
    error: string | null;
  }
  | Common & { kind: "compact"; trigger: string | null; pre_tokens: number | null }
  | Common & {
    kind: "mpm";
    command: string;
    text: string;
    snapshot: string | null;
  }
  | Common & {
    kind: "checkpoint";
    name: string;
    note: string | null;
    branch: string | null;
    head: string | null;
  }
  | Common & { kind: "error"; tool: string | null; text: string }
  | Common & {
    kind: "commit";
    sha: string;
    subject: string;
    author: string;
    ref: string | null;
    files: SpanCommit["files"];
  }
  | Common & {
    kind: "claude";
    event: string;
    detail: string | null;
    transcript: string | null;
    text: string;
  }
  | Common & { kind: "note"; text: string };

export type TimelineKind = TimelineEvent["kind"];

// ---------------------------------------------------------------------------------------------
// Texts: redacted, then cut

/** The text redacted and cut to `limit` characters; `cut` adds what was cut before. */
export function clipText(
  text: string,
  limit: number,
  cutBefore = 0,
): { text: string; cut: number } {
  if (text.length <= limit) return { text: shown(text), cut: cutBefore };
  const kept = shown(text.slice(0, limit + REDACT_MARGIN));
  return { text: kept.slice(0, limit), cut: cutBefore + text.length - limit };
}

/** The diff redacted and cut to `maxLines` lines; `cut` counts the lines left out. */
export function clipDiff(diff: string, maxLines: number): { diff: string; cut: number } {
  const lines = diff.endsWith("\n") ? diff.slice(0, -1).split("\n") : diff.split("\n");
  if (diff === "") return { diff: "", cut: 0 };
  if (lines.length <= maxLines) return { diff: shown(diff), cut: 0 };
  // A margin of lines, for the same reason as REDACT_MARGIN.
  const redacted = shown(lines.slice(0, maxLines + 64).join("\n")).split("\n");
  return { diff: redacted.slice(0, maxLines).join("\n") + "\n", cut: lines.length - maxLines };
}

/** A tool's arguments with every string redacted (by value and by key) and cut. */
export function clipInput(input: unknown, limit: number): unknown {
  return cutStrings(shownDeep(cutStrings(input, limit + REDACT_MARGIN, "")), limit, "…");
}

function cutStrings(value: unknown, limit: number, mark: string, depth = 0): unknown {
  if (typeof value === "string") {
    return value.length <= limit ? value : value.slice(0, limit) + mark;
  }
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => cutStrings(item, limit, mark, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, cutStrings(item, limit, mark, depth + 1)]),
  );
}

/** A time in ISO 8601 UTC, or null when it does not parse. */
export function isoTime(text: string | null | undefined): string | null {
  if (typeof text !== "string") return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Transcript entries

export interface TranscriptContext {
  /** The project's folder: edited paths inside it are shown relative to it. */
  root: string;
  claudeSession: string;
  limits: Limits;
  /** The agent the transcript is of; Claude Code when absent. */
  agent?: AgentName;
}

/** The file edit tools; their calls become `edit` events. */
const EDIT_TOOLS = new Set(["Edit", "MultiEdit", "Write", "NotebookEdit"]);

/** A transcript entry as a timeline event; null for an entry without a usable time. */
export function fromTranscript(
  entry: TranscriptEntry,
  ctx: TranscriptContext,
): TimelineEvent | null {
  const time = isoTime(entry.time);
  if (time === null) return null;
  const common: Common = {
    time,
    source: "claude",
    claude_session: entry.sessionId ?? ctx.claudeSession,
    sidechain: entry.sidechain,
  };
  if (ctx.agent !== undefined && ctx.agent !== "claude-code") common.agent = ctx.agent;
  const { limits } = ctx;
  switch (entry.kind) {
    case "prompt":
    case "text":
    case "thinking":
    case "compact-summary":
      return { ...common, kind: entry.kind, ...clipText(entry.text, limits.text, entry.cut) };
    case "compact":
      return { ...common, kind: "compact", trigger: entry.trigger, pre_tokens: entry.preTokens };
    case "tool": {
      const result = entry.result === null ? null : {
        ...clipText(entry.result.text, limits.result, entry.result.cut),
        is_error: entry.result.isError,
      };
      if (entry.edit !== null && EDIT_TOOLS.has(entry.name)) {
        const diff = clipDiff(entry.edit.diff, limits.diffLines);
        return {
          ...common,
          kind: "edit",
          tool: entry.name,
          path: shown(relativeTo(entry.edit.path, ctx.root, entry.cwd)),
          operation: entry.edit.operation,
          added: entry.edit.added,
          removed: entry.edit.removed,
          diff: diff.diff,
          diff_cut: diff.cut,
          failed: result?.is_error === true,
          error: result?.is_error ? result.text : null,
        };
      }
      const input = clipInput(entry.input, limits.input);
      return {
        ...common,
        kind: "tool",
        tool: entry.name,
        summary: toolSummary(entry.name, input, ctx.root, entry.cwd),
        input,
        result: result === null
          ? null
          : { text: result.text, is_error: result.is_error, cut: result.cut },
      };
    }
  }
}

/** `path` relative to the project (or the Claude session's folder) when it is inside it. */
export function relativeTo(path: string, root: string, cwd: string | null): string {
  for (const base of [root, cwd]) {
    if (!base) continue;
    const prefix = base.endsWith("/") ? base : `${base}/`;
    if (path.startsWith(prefix)) return path.slice(prefix.length);
  }
  return path;
}

/** What a tool call did, in one line: Bash's command, Read's path, Grep's pattern… */
export function toolSummary(
  name: string,
  input: unknown,
  root: string,
  cwd: string | null,
): string {
  const args = input !== null && typeof input === "object" ? input as Record<string, unknown> : {};
  const pick = (...keys: string[]) => {
    for (const key of keys) if (typeof args[key] === "string" && args[key] !== "") return args[key];
    return undefined;
  };
  const path = pick("file_path", "notebook_path", "path");
  let text: string | undefined;
  if (name === "Bash") text = pick("command");
  else if (name === "Grep" || name === "Glob") {
    const pattern = pick("pattern");
    text = pattern && path ? `${pattern} in ${relativeTo(path, root, cwd)}` : pattern;
  } else if (path) text = relativeTo(path, root, cwd);
  else {
    text = pick("description", "url", "query", "prompt", "pattern", "skill", "subject") ??
      Object.values(args).find((v): v is string => typeof v === "string");
  }
  return oneLine(text ?? "", 200);
}

// ---------------------------------------------------------------------------------------------
// Merging and filtering

/** Sorted by time; equal times keep their order (a stable sort). */
export function byTime(events: Iterable<TimelineEvent | null>): TimelineEvent[] {
  const list = [...events].filter((e): e is TimelineEvent => e !== null);
  return list.map((event, i) => ({ event, i }))
    .sort((a, b) => compareTime(a.event.time, b.event.time) || a.i - b.i)
    .map(({ event }) => event);
}

function compareTime(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merges time-ordered streams, earliest head first (the first stream on ties), in batches. */
export async function* mergeTimeline(
  streams: AsyncIterable<TimelineEvent[]>[],
  batchSize = 512,
): AsyncGenerator<TimelineEvent[]> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const batches: (TimelineEvent[] | null)[] = iterators.map(() => null);
  const at: number[] = iterators.map(() => 0);
  const refill = async (i: number) => {
    for (;;) {
      const next = await iterators[i].next();
      if (next.done) return void (batches[i] = null);
      if (next.value.length > 0) {
        batches[i] = next.value;
        at[i] = 0;
        return;
      }
    }
  };
  try {
    await Promise.all(iterators.map((_, i) => refill(i)));
    let out: TimelineEvent[] = [];
    for (;;) {
      let pick = -1;
      for (let i = 0; i < batches.length; i++) {
        const batch = batches[i];
        if (batch === null) continue;
        if (pick === -1 || batch[at[i]].time < batches[pick]![at[pick]].time) pick = i;
      }
      if (pick === -1) break;
      out.push(batches[pick]![at[pick]++]);
      if (at[pick] >= batches[pick]!.length) await refill(pick);
      if (out.length >= batchSize) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    // The consumer stopped early (a closed pipe): let every source close its file.
    await Promise.all(iterators.map((it) => it.return?.(undefined)));
  }
}

/** A stream put in time order within `window` events (Claude Code writes a few out of order). */
export async function* inTimeOrder(
  stream: AsyncIterable<TimelineEvent[]>,
  window = 64,
): AsyncGenerator<TimelineEvent[]> {
  const held: TimelineEvent[] = [];
  for await (const batch of stream) {
    const out: TimelineEvent[] = [];
    for (const event of batch) {
      let at = held.length;
      while (at > 0 && held[at - 1].time > event.time) at--;
      held.splice(at, 0, event);
      if (held.length > window) out.push(held.shift()!);
    }
    if (out.length > 0) yield out;
  }
  if (held.length > 0) yield held;
}

/** An array as a stream of one batch. */
export async function* fromArray(events: TimelineEvent[]): AsyncGenerator<TimelineEvent[]> {
  if (events.length > 0) yield events;
}

/** The groups `--only` accepts, and the kinds each one keeps. */
export const CATEGORIES = {
  prompts: ["prompt"],
  edits: ["edit"],
  tools: ["tool", "edit"],
  claude: ["prompt", "text", "thinking", "compact", "compact-summary", "claude"],
  mpm: ["mpm", "checkpoint", "claude", "note"],
  commits: ["commit"],
  errors: ["error"],
} as const satisfies Record<string, readonly TimelineKind[]>;
export type Category = keyof typeof CATEGORIES;

export interface Filter {
  /** Kinds kept; undefined keeps all. */
  only?: ReadonlySet<TimelineKind>;
  /** Drops tool calls (edits stay: they are what the tools were for). */
  skipTools?: boolean;
  since?: string;
  until?: string;
}

/** The kinds `--only a,b` keeps, or the first unknown group's name. */
export function kindsFor(groups: readonly string[]): Set<TimelineKind> | { unknown: string } {
  const kinds = new Set<TimelineKind>();
  for (const group of groups) {
    if (!Object.hasOwn(CATEGORIES, group)) return { unknown: group };
    for (const kind of CATEGORIES[group as Category]) kinds.add(kind);
  }
  return kinds;
}

export function keep(event: TimelineEvent, filter: Filter): boolean {
  if (filter.only && !filter.only.has(event.kind)) return false;
  if (filter.skipTools && event.kind === "tool") return false;
  if (filter.since !== undefined && event.time < filter.since) return false;
  if (filter.until !== undefined && event.time > filter.until) return false;
  return true;
}
