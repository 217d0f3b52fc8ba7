/**
 * How full Claude Code's context window is: the last main-thread reply's input and cache tokens;
 * unknown after a newer compaction.
 */

import type { ContextUsage } from "../../kernel/snapshot.ts";
import { documentedWindow } from "./model_windows.ts";
import { asRecord, jsonRecord } from "../../kernel/check.ts";

/** The shape stored in a snapshot's `mpm.context_usage`; percent has one decimal. */
export type { ContextUsage };

/** A usage whose window is known, so it has a percentage (what the Stop hook can warn about). */
export type KnownUsage = ContextUsage & { window: number; percent: number };

/** The largest window a model without the long-context option has had. */
export const STANDARD_WINDOW = 200_000;
export const LARGE_WINDOW = 1_000_000;

export interface UsageOptions {
  /** The window Claude Code's status line reported for this session; it comes first. */
  recordedWindow?: number;
  /** `MPM_CONTEXT_WINDOW`, already parsed (see parseWindowOverride). */
  windowOverride?: number;
  /** A window the hook payload reported (see payloadWindow). */
  reportedWindow?: number;
  /** Another model id Claude Code named (the SessionStart payload's `model`). */
  model?: string;
}

/** `behind`: a user entry is newer than the newest reply (written just after Stop runs). */
export type TailScan =
  | { found: "usage"; usage: ContextUsage; behind?: true }
  | { found: "boundary"; behind?: true }
  | { found: "nothing"; behind?: true };

/** What the transcript says about the window besides the usage figures. */
interface WindowHints {
  /** The newest window Claude Code wrote down (`contextWindow`, `context_window_size`…). */
  reported?: number;
  /** Model ids it named (the model attachment, `requestedModel`). */
  models: string[];
}

/** The window from what Claude Code said first, else the table; null rather than a guess. */
export function resolveWindow(
  models: readonly (string | null | undefined)[],
  options: UsageOptions,
  tokens = 0,
): { window: number | null; source?: NonNullable<ContextUsage["window_source"]> } {
  if (options.recordedWindow !== undefined) {
    return { window: options.recordedWindow, source: "claude" };
  }
  if (options.windowOverride !== undefined) {
    return { window: options.windowOverride, source: "override" };
  }
  if (options.reportedWindow !== undefined) {
    return { window: options.reportedWindow, source: "claude" };
  }
  if (models.some((model) => model?.toLowerCase().includes("[1m]"))) {
    return { window: LARGE_WINDOW, source: "model" };
  }
  if (tokens > STANDARD_WINDOW) return { window: LARGE_WINDOW, source: "size" };
  for (const model of models) {
    const documented = documentedWindow(model);
    if (documented !== undefined) return { window: documented, source: "model" };
  }
  return { window: null };
}

/** A positive whole number of tokens, or undefined for anything else (so a typo is ignored). */
export function parseWindowOverride(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*[0-9][0-9_,]*\s*$/.test(text)) return undefined;
  const value = Number(text.replace(/[\s_,]/g, ""));
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** A window size in a hook payload, where a Claude Code version reports one. */
export function payloadWindow(payload: Record<string, unknown>): number | undefined {
  const model = asRecord(payload.model);
  const window = asRecord(payload.context_window);
  for (
    const value of [
      window?.context_window_size,
      payload.context_window_size,
      payload.contextWindow,
      model?.context_window,
      model?.contextWindow,
      model?.context_window_size,
    ]
  ) {
    const n = windowSize(value);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** Scans lines from the last backwards, skipping those that do not parse. */
export function scanTail(lines: readonly string[], options: UsageOptions = {}): TailScan {
  const hints = windowHints(lines);
  let behind = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    // Cheap filter before JSON.parse: most lines are user turns and tool results.
    const maybeAssistant = line.includes('"assistant"');
    const maybeBoundary = line.includes("compact_boundary");
    const maybeUser = !behind && line.includes('"type":"user"');
    if (!maybeAssistant && !maybeBoundary && !maybeUser) continue;
    const entry = jsonRecord(line);
    if (entry === undefined) continue;
    if (entry.type === "user") {
      if (entry.isSidechain !== true) behind = true;
      continue;
    }
    if (entry.type === "system" && entry.subtype === "compact_boundary") {
      if (entry.isSidechain !== true) return { found: "boundary", ...(behind ? { behind } : {}) };
      continue;
    }
    const usage = assistantUsage(entry, options, hints);
    if (usage !== undefined) return { found: "usage", usage, ...(behind ? { behind } : {}) };
  }
  return { found: "nothing", ...(behind ? { behind } : {}) };
}

type Entry = Record<string, unknown>;

function windowSize(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Window sizes and model ids the lines name, the newest window winning. */
function windowHints(lines: readonly string[]): WindowHints {
  const hints: WindowHints = { models: [] };
  for (const line of lines) {
    const window = /contextWindow|context_window/.test(line);
    const model = line.includes('"model"') || line.includes("requestedModel");
    if (!window && !model) continue;
    const entry = jsonRecord(line);
    if (entry === undefined || entry.isSidechain === true) continue;
    if (window) {
      const found = findWindow(entry, 0);
      if (found !== undefined) hints.reported = found;
    }
    const attachment = asRecord(entry.attachment);
    const identity = asRecord(attachment?.identity);
    if (attachment?.type === "model" && typeof identity?.modelId === "string") {
      hints.models.push(identity.modelId);
      const size = windowSize(identity.contextWindow) ?? windowSize(identity.context_window);
      if (size !== undefined) hints.reported = size;
    }
    if (typeof entry.requestedModel === "string") hints.models.push(entry.requestedModel);
  }
  return hints;
}

/** A `contextWindow`/`context_window_size` number within a few levels of an entry. */
function findWindow(value: unknown, depth: number): number | undefined {
  const record = asRecord(value);
  if (record === undefined || depth > 4) return undefined;
  const own = windowSize(record.contextWindow) ?? windowSize(record.context_window_size);
  if (own !== undefined) return own;
  for (const inner of Object.values(record)) {
    const found = findWindow(inner, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function assistantUsage(
  entry: Entry,
  options: UsageOptions,
  hints: WindowHints,
): ContextUsage | undefined {
  if (entry.type !== "assistant" || entry.isSidechain === true) return undefined;
  // API errors and interruptions: "<synthetic>" entries with zero usage.
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
  const requested = typeof entry.requestedModel === "string" ? entry.requestedModel : null;
  const { window, source } = resolveWindow(
    [modelId, requested, options.model, ...hints.models],
    { ...options, reportedWindow: options.reportedWindow ?? hints.reported },
    tokens,
  );
  const percent = window === null ? null : Math.round((tokens / window) * 1000) / 10;
  return {
    tokens,
    window,
    percent,
    model: modelId,
    ...(source ? { window_source: source } : {}),
  };
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
