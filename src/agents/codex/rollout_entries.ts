/**
 * A Codex CLI 0.169.0 rollout line in mpm's transcript model (pure); `event_msg` repeats
 * `response_item` and is left out.
 */
import { isRecord as isObject } from "../../kernel/check.ts";
import {
  clipDeep,
  type EntryBase,
  type Pending,
  QueuedParser,
  type TranscriptEntry,
} from "../../claude/transcript/transcript_entries.ts";

type Json = Record<string, unknown>;

/** Line types Codex writes; those that carry nothing a replay shows are still known. */
const KNOWN_TYPES = new Set([
  "session_meta",
  "response_item",
  "event_msg",
  "turn_context",
  "world_state",
  "token_usage_record",
  "compacted",
]);

/** Tool calls and their outputs, by `payload.type`. */
const CALLS = new Set(["function_call", "custom_tool_call", "local_shell_call"]);
const OUTPUTS = new Set(["function_call_output", "custom_tool_call_output"]);

/** Text Codex puts in a user message that the person did not type. */
const NOT_TYPED =
  /^\s*(?:<environment_context>|<user_instructions>|<turn_aborted>|<user_shell_command>|# AGENTS\.md instructions for )/;

/** Whether a user message's text is the person's own words. */
export function isTypedPrompt(text: string): boolean {
  return text.trim() !== "" && !NOT_TYPED.test(text);
}

/** Turns rollout lines into entries; feed lines with `push`, then call `end`. */
export class RolloutParser extends QueuedParser {
  private lastTime: string | null = null;
  private sessionId: string | null = null;
  private cwd: string | null = null;

  protected take(line: Json): void {
    if (typeof line.timestamp === "string") this.lastTime = line.timestamp;
    const type = line.type;
    const payload = isObject(line.payload) ? line.payload : {};
    if (typeof type !== "string" || !KNOWN_TYPES.has(type)) {
      this.stats.unknown++;
      return;
    }
    if (type === "session_meta") {
      if (typeof payload.id === "string") this.sessionId = payload.id;
      if (typeof payload.cwd === "string") this.cwd = payload.cwd;
      return;
    }
    if (type === "turn_context" && typeof payload.cwd === "string") this.cwd = payload.cwd;
    const base: EntryBase = {
      time: this.lastTime,
      sidechain: false,
      sessionId: this.sessionId,
      cwd: this.cwd,
    };
    if (type === "compacted") {
      this.add({ ...base, kind: "compact", trigger: null, preTokens: null });
      const summary = typeof payload.message === "string" ? payload.message.trim() : "";
      if (summary !== "") this.add({ ...base, kind: "compact-summary", ...this.clip(summary) });
      return;
    }
    if (type === "response_item") this.item(payload, base);
  }

  private item(item: Json, base: EntryBase): void {
    const kind = item.type;
    if (kind === "message") {
      const text = contentText(item.content);
      if (item.role === "user") {
        if (isTypedPrompt(text)) this.add({ ...base, kind: "prompt", ...this.clip(text) });
      } else if (item.role === "assistant" && text.trim() !== "") {
        this.add({ ...base, kind: "text", ...this.clip(text) });
      }
      return;
    }
    if (kind === "reasoning") {
      const summary = Array.isArray(item.summary) ? contentText(item.summary) : "";
      if (summary.trim() !== "") this.add({ ...base, kind: "thinking", ...this.clip(summary) });
      return;
    }
    if (typeof kind === "string" && CALLS.has(kind)) return this.call(item, base);
    if (typeof kind === "string" && OUTPUTS.has(kind)) return this.output(item, base);
    if (kind === "web_search_call") {
      const action = isObject(item.action) ? item.action : {};
      this.add({
        ...base,
        kind: "tool",
        id: typeof item.id === "string" ? item.id : "",
        name: "web_search",
        input: clipDeep(action, this.maxText),
        result: null,
        edit: null,
      });
    }
  }

  private call(item: Json, base: EntryBase): void {
    const id = typeof item.call_id === "string"
      ? item.call_id
      : typeof item.id === "string"
      ? item.id
      : "";
    const name = typeof item.name === "string"
      ? item.name
      : item.type === "local_shell_call"
      ? "shell"
      : "tool";
    const entry: TranscriptEntry = {
      ...base,
      kind: "tool",
      id,
      name,
      input: clipDeep(callInput(item), this.maxText),
      result: null,
      edit: null,
    };
    if (id === "") return this.add(entry);
    const pending: Pending = { entry, waitingFor: id };
    this.queue.push(pending);
    this.waiting.set(id, pending);
  }

  private output(item: Json, base: EntryBase): void {
    const id = typeof item.call_id === "string" ? item.call_id : "";
    const pending = this.waiting.get(id);
    if (pending === undefined || pending.entry.kind !== "tool") {
      this.stats.orphanResults++;
      return;
    }
    this.waiting.delete(id);
    pending.waitingFor = null;
    const { text, isError } = outputText(item.output);
    const clipped = this.clip(text);
    pending.entry.result = { time: base.time, text: clipped.text, cut: clipped.cut, isError };
  }
}

/** The texts of a message's content parts (`input_text`, `output_text`, `summary_text`), joined. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    if (typeof part.text === "string") parts.push(part.text);
    else if (part.type === "input_image") parts.push("[image]");
  }
  return parts.join("\n");
}

/** A call's arguments as an object (`arguments` parsed where JSON, `input`, a shell action). */
export function callInput(item: Json): unknown {
  if (typeof item.arguments === "string") {
    try {
      const parsed = JSON.parse(item.arguments);
      return isObject(parsed) ? parsed : { arguments: item.arguments };
    } catch {
      return { arguments: item.arguments };
    }
  }
  if (typeof item.input === "string") return { input: item.input };
  if (isObject(item.action)) return item.action;
  return {};
}

/** A call's output as text, from a string, an object or content parts. */
export function outputText(output: unknown): { text: string; isError: boolean } {
  if (typeof output === "string") return { text: output, isError: false };
  if (Array.isArray(output)) return { text: contentText(output), isError: false };
  if (isObject(output)) {
    const text = typeof output.content === "string" ? output.content : contentText(output.content);
    return { text, isError: output.success === false };
  }
  return { text: "", isError: false };
}
