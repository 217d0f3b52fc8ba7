/** The context start hooks gave a Codex conversation, from its rollout's developer messages. */
import { TAIL_BYTES, tailTexts } from "../../claude/transcript/hook_contexts.ts";

const MARK = '"role":"developer"';

/** The texts of the developer messages in the rollout at `path`, newest first; [] when none. */
export async function codexHookContexts(path: string, tailBytes = TAIL_BYTES): Promise<string[]> {
  return await tailTexts(path, MARK, developerTexts, tailBytes);
}

/** The input texts of one rollout line that is a developer message; none for any other line. */
function developerTexts(line: string): string[] {
  try {
    const entry = JSON.parse(line) as {
      type?: unknown;
      payload?: { type?: unknown; role?: unknown; content?: unknown };
    };
    const payload = entry.payload;
    if (entry.type !== "response_item" || payload?.type !== "message") return [];
    if (payload.role !== "developer" || !Array.isArray(payload.content)) return [];
    return payload.content
      .filter((c) => c?.type === "input_text" && typeof c.text === "string")
      .map((c) => c.text as string);
  } catch {
    // A line cut by the tail's start, or half written.
    return [];
  }
}
