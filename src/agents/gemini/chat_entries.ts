/**
 * A Gemini CLI 0.61.0 chat line in mpm's transcript model (pure); messages are rewritten whole, so
 * records are upserts by `id`.
 */
import { isRecord as isObject } from "../../kernel/check.ts";
import {
  clipDeep,
  type EntryBase,
  inputText,
  type Pending,
  QueuedParser,
  type TranscriptEntry,
} from "../../claude/transcript/transcript_entries.ts";

type Json = Record<string, unknown>;

/** The most message ids remembered to tell each once (a chat holds far fewer). */
const MAX_REMEMBERED = 100_000;

/** Text Gemini writes in the person's name: the environment it describes to the model. */
const NOT_TYPED = /^\s*<session_context>/;

/** What hooks gave the model, before the person's words in a user message. */
const HOOK_CONTEXT = /^\s*<hook_context>[^]*?<\/hook_context>\s*/;

/** The texts of a message's content (a string, or parts with `text`), joined. */
export function partsText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.flatMap((p) => isObject(p) && typeof p.text === "string" ? [p.text] : []).join(
    "\n",
  );
}

/** The person's own words in a user message's text, or "" when it holds none. */
export function typedPrompt(text: string): string {
  if (NOT_TYPED.test(text)) return "";
  return text.replace(HOOK_CONTEXT, "").trim();
}

/** A tool call's result as text, and whether it failed. */
export function toolResult(call: Json): { text: string; isError: boolean } {
  const isError = call.status === "error";
  if (typeof call.resultDisplay === "string") return { text: call.resultDisplay, isError };
  const texts: string[] = [];
  for (const part of Array.isArray(call.result) ? call.result : []) {
    const response = isObject(part) && isObject(part.functionResponse)
      ? part.functionResponse.response
      : undefined;
    if (!isObject(response)) continue;
    for (const key of ["output", "error"]) {
      if (typeof response[key] === "string") texts.push(response[key] as string);
    }
  }
  return { text: texts.join("\n"), isError };
}

/** Whether a tool call is done (its result is in): Gemini's statuses for an ended call. */
function ended(call: Json): boolean {
  return call.status === "success" || call.status === "error" || call.status === "cancelled";
}

/** The messages one record holds: itself, or a `$set` patch's restated `messages`. */
export function recordMessages(record: Json): Json[] {
  if (typeof record.type === "string" && typeof record.id === "string") return [record];
  const set = isObject(record.$set) ? record.$set : undefined;
  return Array.isArray(set?.messages) ? set.messages.filter(isObject) : [];
}

/** What of one message has been told: its text, its thoughts, its tool calls. */
interface Told {
  text: boolean;
  thoughts: number;
  calls: Set<string>;
}

/** Turns chat lines into entries; feed lines with `push`, then call `end`. */
export class ChatParser extends QueuedParser {
  private readonly told = new Map<string, Told>();
  private sessionId: string | null = null;

  protected take(record: Json): void {
    if (typeof record.sessionId === "string" && record.type === undefined) {
      this.sessionId = record.sessionId;
    }
    const set = isObject(record.$set) ? record.$set : undefined;
    if (typeof set?.sessionId === "string") this.sessionId = set.sessionId;
    const messages = recordMessages(record);
    const known = messages.length > 0 || set !== undefined || "$rewindTo" in record ||
      typeof record.sessionId === "string";
    if (!known) this.stats.unknown++;
    for (const message of messages) this.message(message);
  }

  private message(message: Json): void {
    const id = typeof message.id === "string" ? message.id : null;
    if (id === null) return;
    let told = this.told.get(id);
    if (told === undefined) {
      if (this.told.size >= MAX_REMEMBERED) this.told.delete(this.told.keys().next().value!);
      told = { text: false, thoughts: 0, calls: new Set() };
      this.told.set(id, told);
    }
    const base: EntryBase = {
      time: typeof message.timestamp === "string" ? message.timestamp : null,
      sidechain: false,
      sessionId: this.sessionId,
      cwd: null,
    };
    if (message.type === "user") {
      if (told.text) return;
      told.text = true;
      const prompt = typedPrompt(partsText(message.content));
      if (prompt !== "") this.add({ ...base, kind: "prompt", ...this.clip(prompt) });
      return;
    }
    if (message.type !== "gemini") return;
    const thoughts = Array.isArray(message.thoughts) ? message.thoughts.filter(isObject) : [];
    for (const thought of thoughts.slice(told.thoughts)) {
      const text = [thought.subject, thought.description]
        .filter((t) => typeof t === "string" && t.trim() !== "").join(": ");
      if (text !== "") this.add({ ...base, kind: "thinking", ...this.clip(text) });
    }
    told.thoughts = Math.max(told.thoughts, thoughts.length);
    const text = partsText(message.content);
    if (!told.text && text.trim() !== "") {
      told.text = true;
      this.add({ ...base, kind: "text", ...this.clip(text) });
    }
    const calls = Array.isArray(message.toolCalls) ? message.toolCalls.filter(isObject) : [];
    for (const call of calls) this.call(call, base, told);
  }

  private call(call: Json, base: EntryBase, told: Told): void {
    const id = typeof call.id === "string" ? call.id : "";
    const result = () => {
      const { text, isError } = toolResult(call);
      const clipped = this.clip(text);
      const time = typeof call.timestamp === "string" ? call.timestamp : base.time;
      return { time, text: clipped.text, cut: clipped.cut, isError };
    };
    if (id !== "" && told.calls.has(id)) {
      const pending = this.waiting.get(id);
      if (pending !== undefined && pending.entry.kind === "tool" && ended(call)) {
        pending.entry.result = result();
        pending.waitingFor = null;
        this.waiting.delete(id);
      }
      return;
    }
    if (id !== "") told.calls.add(id);
    const entry: TranscriptEntry = {
      ...base,
      kind: "tool",
      id,
      name: typeof call.name === "string" ? call.name : "tool",
      input: clipDeep(isObject(call.args) ? call.args : {}, this.maxText),
      result: ended(call) ? result() : null,
      edit: null,
    };
    if (id === "" || ended(call)) return this.add(entry);
    const pending: Pending = { entry, waitingFor: id };
    this.queue.push(pending);
    this.waiting.set(id, pending);
  }
}

/** `p` prompt, `a` answer, `i` a tool call, `o` a tool's output. */
export interface ChatText {
  k: "p" | "a" | "i" | "o";
  x: string;
}

/** What a search can find in one chat line; `$set` patches restate what was indexed already. */
export function chatTexts(line: Json): ChatText[] {
  if (typeof line.type !== "string" || typeof line.id !== "string") return [];
  if (line.type === "user") {
    const prompt = typedPrompt(partsText(line.content));
    return prompt === "" ? [] : [{ k: "p", x: prompt }];
  }
  if (line.type !== "gemini") return [];
  const out: ChatText[] = [];
  const text = partsText(line.content);
  if (text.trim() !== "") out.push({ k: "a", x: text });
  for (const call of Array.isArray(line.toolCalls) ? line.toolCalls.filter(isObject) : []) {
    const name = typeof call.name === "string" ? call.name : "tool";
    out.push({ k: "i", x: `${name}: ${inputText(call.args).join(" · ")}` });
    if (ended(call)) {
      const { text: result } = toolResult(call);
      if (result.trim() !== "") out.push({ k: "o", x: result });
    }
  }
  return out;
}
