/**
 * One segment of a vaulted transcript (pure): each line redacted and still JSON, with the text `mpm
 * search` looks in, conversation and tools in separate indexes.
 */
import { redact, redactDeep } from "../../kernel/safe_text/redact.ts";
import { isRecord } from "../../kernel/check.ts";
import type { AgentName } from "../../kernel/agent_name.ts";
import { agentNamed } from "../../agents/agent.ts";

/** The longest text one index record keeps: a search finds what a person would look for. */
export const MAX_INDEX_CHARS = 64 * 1024;

/** `p` prompt, `a` Claude's answer, `i` a tool call, `o` a tool's output. */
export type IndexKind = "p" | "a" | "i" | "o";

/** One line of an index: its time, kind, transcript (0 main, 1… subagents) and text. */
export interface IndexRecord {
  t: string | null;
  k: IndexKind;
  f: number;
  x: string;
}

/** The line redacted as text; where that would break the JSON, redacted value by value instead. */
export function redactLine(line: string): string {
  const clean = redact(line);
  if (clean === line) return line;
  try {
    JSON.parse(clean);
    return clean;
  } catch {
    try {
      return JSON.stringify(redactDeep(JSON.parse(line)));
    } catch {
      return clean; // not JSON to begin with: redacted as text
    }
  }
}

/** Text the vault keeps beside its segments, redacted here and nowhere else. */
export function vaultText(text: string): string {
  return redact(text);
}

type Json = Record<string, unknown>;

function clip(text: string): string {
  return text.length <= MAX_INDEX_CHARS ? text : text.slice(0, MAX_INDEX_CHARS);
}

/** What a search can find in one parsed line, in order (the seam's `transcripts.texts`). */
export function indexRecords(
  line: Json,
  file: number,
  time: string | null,
  agent: AgentName = "claude-code",
): IndexRecord[] {
  const records: IndexRecord[] = [];
  const add = (k: IndexKind, x: string) => {
    if (x.trim() !== "") records.push({ t: time, k, f: file, x: clip(x) });
  };
  for (const { k, x } of agentNamed(agent).transcripts.texts(line)) add(k, x);
  return records;
}

export interface BuiltSegment {
  /** The redacted lines, each ending with a line feed. */
  raw: string;
  lines: number;
  /** Index lines (JSON, one record each) of prompts and answers, and of tool calls and output. */
  talk: string;
  tools: string;
  /** The first and last entry times seen. */
  first: string | null;
  last: string | null;
  /** The time the last line carries (its own, or the one before it): what the next line takes. */
  time: string | null;
}

/** A segment from whole lines; `time` is the last time seen before them. */
export function buildSegment(
  text: string,
  file: number,
  time: string | null,
  agent: AgentName = "claude-code",
): BuiltSegment {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const clean: string[] = [];
  const talk: string[] = [];
  const tools: string[] = [];
  let first: string | null = null;
  let last: string | null = null;
  let now = time;
  for (const line of lines) {
    const redacted = redactLine(line);
    clean.push(redacted);
    let value: unknown;
    try {
      value = JSON.parse(redacted);
    } catch {
      continue;
    }
    if (!isRecord(value)) continue;
    if (typeof value.timestamp === "string") {
      now = value.timestamp;
      if (first === null || now < first) first = now;
      if (last === null || now > last) last = now;
    }
    for (const record of indexRecords(value, file, now, agent)) {
      (record.k === "p" || record.k === "a" ? talk : tools).push(JSON.stringify(record));
    }
  }
  const joined = (parts: string[]) => parts.length ? parts.join("\n") + "\n" : "";
  return {
    raw: joined(clean),
    lines: lines.length,
    talk: joined(talk),
    tools: joined(tools),
    first,
    last,
    time: now,
  };
}
