/**
 * A Claude Code transcript line as typed entries (pure); calls wait for their result at most
 * MAX_PENDING entries.
 */
import { isRecord as isObject } from "../../kernel/check.ts";
import { unifiedDiff } from "./diff.ts";

export interface EntryBase {
  /** ISO time the line carries; a line without one takes the previous line's. */
  time: string | null;
  /** Subagent work (`isSidechain`), kept apart from the main conversation. */
  sidechain: boolean;
  /** The Claude Code session the line belongs to. */
  sessionId: string | null;
  /** The folder Claude Code ran in, to make file paths relative. */
  cwd: string | null;
}

export interface ToolResult {
  time: string | null;
  text: string;
  isError: boolean;
  /** Characters left out of `text` (see ParseOptions.maxTextChars). */
  cut: number;
}

export interface FileEdit {
  /** As Claude Code gave it (usually absolute). */
  path: string;
  operation: "edit" | "multi-edit" | "write" | "create";
  /** Unified-diff hunks without header, or "" above MAX_DIFF_CHARS. */
  diff: string;
  added: number;
  removed: number;
}

export type TranscriptEntry =
  | EntryBase & { kind: "prompt"; text: string; cut: number }
  | EntryBase & { kind: "text"; text: string; cut: number }
  | EntryBase & { kind: "thinking"; text: string; cut: number }
  | EntryBase & {
    kind: "tool";
    id: string;
    name: string;
    /** The tool's arguments, every string cut to maxTextChars. */
    input: unknown;
    result: ToolResult | null;
    edit: FileEdit | null;
  }
  | EntryBase & { kind: "compact"; trigger: string | null; preTokens: number | null }
  | EntryBase & { kind: "compact-summary"; text: string; cut: number };

/** What was read and what was left out, so a replay can say so. */
export interface TranscriptStats {
  lines: number;
  entries: number;
  /** Lines that are not JSON objects (a crash mid-write leaves one). */
  bad: number;
  /** Lines longer than the reader's limit, skipped without being held (transcript_reader.ts). */
  oversized: number;
  /** Entry types this mpm does not know; newer Claude Codes add some. */
  unknown: number;
  /** Tool results whose call was not found (or was let go before its result came). */
  orphanResults: number;
}

export function emptyStats(): TranscriptStats {
  return { lines: 0, entries: 0, bad: 0, oversized: 0, unknown: 0, orphanResults: 0 };
}

export interface ParseOptions {
  /** Longest text kept per field; the rest is counted in `cut`. Bounds memory per entry. */
  maxTextChars?: number;
  /** A cheap look at the raw line before parsing: false skips it (not counted as bad). */
  keepLine?: (line: string) => boolean;
}

/** Generous: the renderers cut much shorter, after redacting (see src/replay/clip.ts). */
export const DEFAULT_MAX_TEXT_CHARS = 64 * 1024;

/** Entries held while a tool call waits for its result; past this the call goes without. */
export const MAX_PENDING = 512;

/** Edits larger than this on either side are not diffed. */
export const MAX_DIFF_CHARS = 256 * 1024;

/** Entry types that carry nothing a replay shows, known so they are not counted as unknown. */
const IGNORED_TYPES = new Set([
  "summary",
  "queue-operation",
  "attachment",
  "atis-latch",
  "api-request",
  "api-request-blob",
  "api-request-shape",
  "last-prompt",
  "tools-used",
  "cost-state",
  "mode",
  "file-history-snapshot",
  "progress",
  "custom-title",
  "tag",
  "agent-name",
  "pr-link",
]);

type Json = Record<string, unknown>;

/** An entry held in file order, and the tool call's id while it waits for its result. */
export interface Pending {
  entry: TranscriptEntry;
  waitingFor: string | null;
}

/** What every agent's parser shares: entries in file order, calls held until their result. */
export abstract class QueuedParser<P extends Pending = Pending> {
  readonly stats: TranscriptStats = emptyStats();
  protected readonly maxText: number;
  private readonly keepLine: ((line: string) => boolean) | undefined;
  protected readonly queue: P[] = [];
  protected readonly waiting = new Map<string, P>();

  constructor(options: ParseOptions = {}) {
    this.maxText = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
    this.keepLine = options.keepLine;
  }

  /** One line of the file (without its newline); returns the entries now complete. */
  push(line: string): TranscriptEntry[] {
    this.stats.lines++;
    if (line.trim() === "") return [];
    if (this.keepLine !== undefined && !this.keepLine(line)) return this.drain(false);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.stats.bad++;
      return [];
    }
    if (!isObject(value)) {
      this.stats.bad++;
      return [];
    }
    this.take(value);
    return this.drain(false);
  }

  /** The entries still held (calls whose results never came go without one). */
  end(): TranscriptEntry[] {
    return this.drain(true);
  }

  /** Counts an oversized line the reader skipped. */
  skipOversized(): void {
    this.stats.lines++;
    this.stats.oversized++;
  }

  protected abstract take(line: Json): void;

  /** Called on each entry as it leaves the queue. */
  protected settle(_pending: P): void {}

  protected add(entry: TranscriptEntry): void {
    this.queue.push({ entry, waitingFor: null } as P);
  }

  private drain(all: boolean): TranscriptEntry[] {
    const out: TranscriptEntry[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.waitingFor !== null && !all && this.queue.length <= MAX_PENDING) break;
      this.queue.shift();
      if (head.waitingFor !== null) {
        // Let go without a result; a result arriving later is counted as an orphan.
        this.waiting.delete(head.waitingFor);
        head.waitingFor = null;
      }
      this.settle(head);
      out.push(head.entry);
    }
    this.stats.entries += out.length;
    return out;
  }

  protected clip(text: string): { text: string; cut: number } {
    return text.length <= this.maxText
      ? { text, cut: 0 }
      : { text: text.slice(0, this.maxText), cut: text.length - this.maxText };
  }
}

interface ClaudePending extends Pending {
  /** Write needs the file's earlier content, which only the result carries. */
  editInput?: Json;
}

/** Turns transcript lines into entries; feed lines with `push`, then call `end`. */
export class TranscriptParser extends QueuedParser<ClaudePending> {
  private lastTime: string | null = null;

  protected take(line: Json): void {
    const type = line.type;
    if (typeof line.timestamp === "string") this.lastTime = line.timestamp;
    const base: EntryBase = {
      time: typeof line.timestamp === "string" ? line.timestamp : this.lastTime,
      sidechain: line.isSidechain === true,
      sessionId: typeof line.sessionId === "string" ? line.sessionId : null,
      cwd: typeof line.cwd === "string" ? line.cwd : null,
    };
    if (type === "user") return this.user(line, base);
    if (type === "assistant") return this.assistant(line, base);
    if (type === "system") {
      if (line.subtype === "compact_boundary") {
        const meta = isObject(line.compactMetadata) ? line.compactMetadata : {};
        this.add({
          ...base,
          kind: "compact",
          trigger: typeof meta.trigger === "string" ? meta.trigger : null,
          preTokens: typeof meta.preTokens === "number" ? meta.preTokens : null,
        });
      }
      return;
    }
    if (typeof type !== "string" || !IGNORED_TYPES.has(type)) this.stats.unknown++;
  }

  private user(line: Json, base: EntryBase): void {
    const message = isObject(line.message) ? line.message : undefined;
    const content = message?.content;
    if (line.isCompactSummary === true) {
      const text = typeof content === "string" ? content : blockTexts(content);
      this.add({ ...base, kind: "compact-summary", ...this.clip(compactSummaryText(text)) });
      return;
    }
    if (typeof content === "string") {
      if (line.isMeta === true) return;
      const prompt = promptText(content);
      if (prompt !== null) this.add({ ...base, kind: "prompt", ...this.clip(prompt) });
      return;
    }
    if (!Array.isArray(content)) return;
    const texts: string[] = [];
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === "tool_result") this.result(block, line, base);
      else if (block.type === "text" && typeof block.text === "string") texts.push(block.text);
      else if (block.type === "image") texts.push("[image]");
    }
    if (texts.length > 0 && line.isMeta !== true) {
      const prompt = promptText(texts.join("\n"));
      if (prompt !== null) this.add({ ...base, kind: "prompt", ...this.clip(prompt) });
    }
  }

  private assistant(line: Json, base: EntryBase): void {
    const message = isObject(line.message) ? line.message : undefined;
    const content = message?.content;
    if (typeof content === "string") {
      if (content.trim() !== "") this.add({ ...base, kind: "text", ...this.clip(content) });
      return;
    }
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === "text" && typeof block.text === "string") {
        if (block.text.trim() !== "") this.add({ ...base, kind: "text", ...this.clip(block.text) });
      } else if (block.type === "thinking" && typeof block.thinking === "string") {
        if (block.thinking.trim() !== "") {
          this.add({ ...base, kind: "thinking", ...this.clip(block.thinking) });
        }
      } else if (block.type === "redacted_thinking") {
        this.add({ ...base, kind: "thinking", text: "(redacted by the API)", cut: 0 });
      } else if (
        (block.type === "tool_use" || block.type === "server_tool_use") &&
        typeof block.id === "string"
      ) {
        const name = typeof block.name === "string" ? block.name : "tool";
        const input = isObject(block.input) ? block.input : {};
        const pending: Pending = {
          entry: {
            ...base,
            kind: "tool",
            id: block.id,
            name,
            input: clipDeep(input, this.maxText),
            result: null,
            edit: null,
          },
          waitingFor: block.id,
          ...(isEditTool(name) ? { editInput: input } : {}),
        };
        this.queue.push(pending);
        this.waiting.set(block.id, pending);
      }
    }
  }

  private result(block: Json, line: Json, base: EntryBase): void {
    const id = typeof block.tool_use_id === "string" ? block.tool_use_id : "";
    const pending = this.waiting.get(id);
    if (pending === undefined || pending.entry.kind !== "tool") {
      this.stats.orphanResults++;
      return;
    }
    this.waiting.delete(id);
    pending.waitingFor = null;
    const text = typeof block.content === "string" ? block.content : blockTexts(block.content);
    const clipped = this.clip(text);
    const isError = block.is_error === true;
    pending.entry.result = { time: base.time, text: clipped.text, cut: clipped.cut, isError };
    if (pending.editInput !== undefined) {
      // A failed edit changed nothing; what it tried is still worth showing.
      const extra = isObject(line.toolUseResult) && !isError ? line.toolUseResult : {};
      pending.entry.edit = editFromResult(pending.entry.name, pending.editInput, extra);
      pending.editInput = undefined;
    }
  }

  protected override settle(head: ClaudePending): void {
    if (head.editInput !== undefined && head.entry.kind === "tool") {
      head.entry.edit = editFromInput(head.entry.name, head.editInput);
      head.editInput = undefined;
    }
  }
}

/** The person's words, or null for what Claude Code writes in their name. */
export function promptText(content: string): string | null {
  const trimmed = content.trim();
  if (trimmed === "") return null;
  if (/^<local-command-(?:caveat|stdout|stderr)>/.test(trimmed)) return null;
  const command = trimmed.match(/^<command-name>([^<]*)<\/command-name>/);
  if (command) {
    const args = trimmed.match(/<command-args>([^<]*)<\/command-args>/)?.[1]?.trim() ?? "";
    return args === "" ? command[1].trim() : `${command[1].trim()} ${args}`;
  }
  return content;
}

/** Claude's compaction summary without the instructions Claude Code wraps around it. */
export function compactSummaryText(text: string): string {
  let body = text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>\n?/g, "");
  body = body.replace(/^This session is being continued from a previous conversation[^\n]*\n?/, "");
  body = body.replace(/^The summary below covers[^\n]*\n?/m, "");
  const tail = body.search(/\n\s*If you need specific details from before compaction/);
  if (tail !== -1) body = body.slice(0, tail);
  return body.trim();
}

function isEditTool(name: string): boolean {
  return name === "Edit" || name === "MultiEdit" || name === "Write";
}

/** The edit as the call describes it (before the result says more, or when it never comes). */
export function editFromInput(name: string, input: Json): FileEdit | null {
  const path = typeof input.file_path === "string" ? input.file_path : null;
  if (path === null) return null;
  if (name === "Edit") {
    return diffEdit(path, "edit", [[str(input.old_string), str(input.new_string)]]);
  }
  if (name === "MultiEdit") {
    const edits = Array.isArray(input.edits) ? input.edits.filter(isObject) : [];
    return diffEdit(
      path,
      "multi-edit",
      edits.map((edit) => [str(edit.old_string), str(edit.new_string)]),
    );
  }
  if (name === "Write") return diffEdit(path, "write", [["", str(input.content)]]);
  return null;
}

/** The edit as the result records it (`structuredPatch` has the real line numbers). */
export function editFromResult(name: string, input: Json, result: Json): FileEdit | null {
  const path = typeof input.file_path === "string"
    ? input.file_path
    : typeof result.filePath === "string"
    ? result.filePath
    : null;
  if (path === null) return null;
  const patch = Array.isArray(result.structuredPatch) ? result.structuredPatch : [];
  const operation = name === "Edit" ? "edit" : name === "MultiEdit" ? "multi-edit" : "write";
  if (patch.length > 0) {
    const hunks = renderHunks(patch);
    if (hunks !== null) return { path, operation, ...hunks };
  }
  if (name === "Write") {
    const original = typeof result.originalFile === "string" ? result.originalFile : null;
    const content = typeof result.content === "string" ? result.content : str(input.content);
    if (original === null) return diffEdit(path, "create", [["", content]]);
    return diffEdit(path, "write", [[original, content]]);
  }
  return editFromInput(name, input);
}

function diffEdit(path: string, operation: FileEdit["operation"], pairs: string[][]): FileEdit {
  let diff = "";
  let added = 0;
  let removed = 0;
  for (const [before, after] of pairs) {
    if (before.length > MAX_DIFF_CHARS || after.length > MAX_DIFF_CHARS) {
      // Counted by lines, without aligning them: the numbers stay true, the diff is left out.
      removed += lineCount(before);
      added += lineCount(after);
      continue;
    }
    // The hunks only: the path is shown beside the diff, so the ---/+++ header goes.
    const lines = unifiedDiff(before, after).split("\n").slice(2, -1);
    for (const line of lines) {
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
    }
    if (lines.length > 0) diff += lines.join("\n") + "\n";
  }
  return { path, operation, diff, added, removed };
}

function renderHunks(patch: unknown[]): { diff: string; added: number; removed: number } | null {
  const out: string[] = [];
  let added = 0;
  let removed = 0;
  let size = 0;
  for (const hunk of patch) {
    if (!isObject(hunk) || !Array.isArray(hunk.lines)) return null;
    const { oldStart, oldLines, newStart, newLines } = hunk;
    if (![oldStart, oldLines, newStart, newLines].every((n) => typeof n === "number")) return null;
    out.push(`@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`);
    for (const line of hunk.lines) {
      if (typeof line !== "string") continue;
      size += line.length;
      if (size > MAX_DIFF_CHARS * 2) return null;
      out.push(line);
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
    }
  }
  return { diff: out.join("\n") + "\n", added, removed };
}

function lineCount(text: string): number {
  if (text === "") return 0;
  let count = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) {
    count++;
  }
  return count;
}

/** The text blocks of a tool result or message, joined; images are named, not embedded. */
function blockTexts(content: unknown): string {
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (typeof block.text === "string") parts.push(block.text);
    else if (block.type === "image") parts.push("[image]");
  }
  return parts.join("\n");
}

/** A copy with every string cut to `max` characters (a Write's content can be megabytes). */
export function clipDeep(value: unknown, max: number, depth = 0): unknown {
  if (typeof value === "string") {
    return value.length <= max ? value : `${value.slice(0, max)}… (${value.length - max} more)`;
  }
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    return value.slice(0, 200).map((item) => clipDeep(item, max, depth + 1));
  }
  return Object.fromEntries(
    Object.entries(value).slice(0, 200).map(([key, item]) => [key, clipDeep(item, max, depth + 1)]),
  );
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The strings of a tool's arguments, one after another: the command, the path, the pattern. */
export function inputText(input: unknown, depth = 0): string[] {
  if (typeof input === "string") return input.trim() === "" ? [] : [input];
  if (depth > 3 || input === null || typeof input !== "object") return [];
  const values = Array.isArray(input) ? input : Object.values(input);
  return values.slice(0, 50).flatMap((v) => inputText(v, depth + 1));
}
