/** The context start hooks gave a Gemini conversation, from its chat's `<hook_context>` blocks. */
import { readTail, TAIL_BYTES } from "../../claude/transcript/hook_contexts.ts";

/** User messages looked at, newest first. */
const MAX_ENTRIES = 20;

const OPEN = "<hook_context>";
const CLOSE = "</hook_context>";

/** The hook contexts in the user messages of the chat at `path`, newest first; [] when none. */
export async function geminiHookContexts(path: string, tailBytes = TAIL_BYTES): Promise<string[]> {
  const text = await readTail(path, tailBytes);
  if (text === null) return [];
  const found: string[] = [];
  const lines = text.split("\n");
  let entries = 0;
  for (let i = lines.length - 1; i >= 0 && entries < MAX_ENTRIES; i--) {
    if (!lines[i].includes("hook_context")) continue;
    const texts = userTexts(lines[i]);
    if (texts.length === 0) continue;
    entries++;
    for (const t of texts.reverse()) found.push(...contextsIn(t).reverse());
  }
  return found;
}

/** The texts of one chat line that is a user message; none for any other line. */
function userTexts(line: string): string[] {
  let entry: { type?: unknown; content?: unknown };
  try {
    entry = JSON.parse(line);
  } catch {
    return [];
  }
  if (entry === null || typeof entry !== "object" || entry.type !== "user") return [];
  const content = entry.content;
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part) =>
    part !== null && typeof part === "object" && typeof part.text === "string" ? [part.text] : []
  );
}

/** Each `<hook_context>…</hook_context>` body in a message's text, in order. */
export function contextsIn(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf(OPEN, from);
    if (open < 0) return out;
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) return out;
    out.push(text.slice(open + OPEN.length, close).trim());
    from = close + CLOSE.length;
  }
}
