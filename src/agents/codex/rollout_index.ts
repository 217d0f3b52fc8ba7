/** What a search can find in one rollout line. Pure. */
import { isRecord as isObject } from "../../kernel/check.ts";
import { callInput, contentText, isTypedPrompt, outputText } from "./rollout_entries.ts";
import { inputText } from "../../claude/transcript/transcript_entries.ts";

/** `p` prompt, `a` answer, `i` a tool call, `o` a tool's output. */
export interface RolloutText {
  k: "p" | "a" | "i" | "o";
  x: string;
}

type Json = Record<string, unknown>;

/** The searchable texts of one parsed rollout line, in the line's order. */
export function rolloutTexts(line: Json): RolloutText[] {
  if (line.type !== "response_item" || !isObject(line.payload)) return [];
  const item = line.payload;
  if (item.type === "message") {
    const text = contentText(item.content);
    if (item.role === "user" && isTypedPrompt(text)) return [{ k: "p", x: text }];
    if (item.role === "assistant" && text.trim() !== "") return [{ k: "a", x: text }];
    return [];
  }
  if (
    item.type === "function_call" || item.type === "custom_tool_call" ||
    item.type === "local_shell_call"
  ) {
    const name = typeof item.name === "string" ? item.name : "shell";
    return [{ k: "i", x: `${name}: ${inputText(callInput(item)).join(" · ")}` }];
  }
  if (item.type === "function_call_output" || item.type === "custom_tool_call_output") {
    const { text } = outputText(item.output);
    return text.trim() === "" ? [] : [{ k: "o", x: text }];
  }
  return [];
}
