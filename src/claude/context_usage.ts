/**
 * How full Claude Code's context window is, from the tail of a session transcript (JSONL).
 *
 * Usage is input + cache_creation + cache_read tokens of the last main-thread assistant entry:
 * that request carried the whole conversation, so its input side is the context's size.
 * Sidechain entries are subagents with their own context and do not count.
 *
 * Why the tail is enough, and where `compact_boundary` matters: scanning backwards, the first
 * assistant entry met is the newest one. Any boundary *before* it is irrelevant, because that
 * request was made after the compaction and already reflects it. A boundary met *before* any
 * assistant entry (the compaction is the newest event) means the old numbers describe a context
 * that no longer exists and no request has measured the new one yet: usage is unknown, and the
 * scan says so rather than report the pre-compaction figure.
 */

import type { ContextUsage } from "../kernel/snapshot.ts";

/** The shape stored in a snapshot's `mpm.context_usage`; percent has one decimal. */
export type { ContextUsage };

export const DEFAULT_WINDOW = 200_000;
export const LARGE_WINDOW = 1_000_000;

export interface UsageOptions {
  /** `MPM_CONTEXT_WINDOW`, already parsed (see parseWindowOverride). */
  windowOverride?: number;
}

/** What a backward scan of the lines found first. */
export type TailScan =
  | { found: "usage"; usage: ContextUsage }
  | { found: "boundary" }
  | { found: "nothing" };

/**
 * 1M-context models carry `[1m]` in their id (`claude-sonnet-4-5-20250929[1m]`). A request
 * larger than 200,000 tokens can only have been sent to a 1M window, whatever the id says, so
 * `tokens` above that means the large window rather than a reading over 100 %.
 */
export function windowForModel(model: string | null, override?: number, tokens = 0): number {
  if (override !== undefined) return override;
  if (tokens > DEFAULT_WINDOW) return LARGE_WINDOW;
  return model !== null && model.toLowerCase().includes("[1m]") ? LARGE_WINDOW : DEFAULT_WINDOW;
}

/** A positive whole number of tokens, or undefined for anything else (so a typo is ignored). */
export function parseWindowOverride(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*[0-9][0-9_,]*\s*$/.test(text)) return undefined;
  const value = Number(text.replace(/[\s_,]/g, ""));
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * Scans transcript lines from the last one backwards. Lines that do not parse are skipped: the
 * first line of a tail is usually cut, and a line being written may be incomplete.
 */
export function scanTail(lines: readonly string[], options: UsageOptions = {}): TailScan {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    // Cheap filter before JSON.parse: most lines are user turns and tool results.
    const maybeAssistant = line.includes('"assistant"');
    const maybeBoundary = line.includes("compact_boundary");
    if (!maybeAssistant && !maybeBoundary) continue;
    const entry = parseLine(line);
    if (entry === undefined) continue;
    if (entry.type === "system" && entry.subtype === "compact_boundary") {
      if (entry.isSidechain !== true) return { found: "boundary" };
      continue;
    }
    const usage = assistantUsage(entry, options);
    if (usage !== undefined) return { found: "usage", usage };
  }
  return { found: "nothing" };
}

/** The context usage the lines show, or null when they show none (see scanTail). */
export function contextUsage(
  lines: readonly string[],
  options: UsageOptions = {},
): ContextUsage | null {
  const scan = scanTail(lines, options);
  return scan.found === "usage" ? scan.usage : null;
}

type Entry = Record<string, unknown>;

function parseLine(line: string): Entry | undefined {
  try {
    const value = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function assistantUsage(entry: Entry, options: UsageOptions): ContextUsage | undefined {
  if (entry.type !== "assistant" || entry.isSidechain === true) return undefined;
  // Claude Code writes API errors and interruptions as assistant entries of the model
  // "<synthetic>" with zero usage; they say nothing about the context.
  if (entry.isApiErrorMessage === true) return undefined;
  const message = entry.message;
  if (message === null || typeof message !== "object") return undefined;
  const { model, usage } = message as { model?: unknown; usage?: unknown };
  if (model === "<synthetic>" || usage === null || typeof usage !== "object") return undefined;
  const counts = usage as Record<string, unknown>;
  const input = tokenCount(counts.input_tokens);
  if (input === undefined) return undefined;
  const tokens = input + (tokenCount(counts.cache_creation_input_tokens) ?? 0) +
    (tokenCount(counts.cache_read_input_tokens) ?? 0);
  const modelId = typeof model === "string" ? model : null;
  const window = windowForModel(modelId, options.windowOverride, tokens);
  return { tokens, window, percent: Math.round((tokens / window) * 1000) / 10, model: modelId };
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
