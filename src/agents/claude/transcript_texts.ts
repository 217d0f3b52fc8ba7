/** What a search can find in one Claude Code transcript line. Pure. */
import { isRecord as isObject } from "../../kernel/check.ts";
import { inputText, promptText } from "../../claude/transcript/transcript_entries.ts";

type Json = Record<string, unknown>;

/** `p` prompt, `a` answer, `i` a tool call, `o` a tool's output. */
export interface ClaudeLineText {
  k: "p" | "a" | "i" | "o";
  x: string;
}

function blockTexts(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.flatMap((b) => isObject(b) && typeof b.text === "string" ? [b.text] : []).join(
    "\n",
  );
}

/** The searchable texts of one parsed transcript line, in the line's order. */
export function claudeLineTexts(line: Json): ClaudeLineText[] {
  const out: ClaudeLineText[] = [];
  const add = (k: ClaudeLineText["k"], x: string) => out.push({ k, x });
  const message = isObject(line.message) ? line.message : undefined;
  const content = message?.content;
  if (line.type === "user") {
    if (line.isCompactSummary === true) return out;
    if (typeof content === "string") {
      if (line.isMeta !== true) add("p", promptText(content) ?? "");
      return out;
    }
    if (!Array.isArray(content)) return out;
    const texts: string[] = [];
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === "tool_result") add("o", blockTexts(block.content));
      else if (block.type === "text" && typeof block.text === "string") texts.push(block.text);
    }
    if (texts.length > 0 && line.isMeta !== true) add("p", promptText(texts.join("\n")) ?? "");
  } else if (line.type === "assistant") {
    if (typeof content === "string") {
      add("a", content);
      return out;
    }
    if (!Array.isArray(content)) return out;
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === "text" && typeof block.text === "string") add("a", block.text);
      else if (block.type === "tool_use" || block.type === "server_tool_use") {
        const name = typeof block.name === "string" ? block.name : "tool";
        add("i", `${name}: ${inputText(block.input).join(" · ")}`);
      }
    }
  }
  return out;
}
