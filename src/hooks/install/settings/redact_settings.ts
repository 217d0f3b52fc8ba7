/**
 * The backup of a settings file holds none of its secrets (`env` values, `apiKeyHelper`, tokens in
 * rules): each JSON string is redacted in place, so the layout stays diffable.
 */
import { type JsonNode, parseJsonText } from "../../../claude/settings/config/json_text.ts";
import { redact, redactDeep } from "../../../kernel/safe_text/redact.ts";

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The settings text with every secret-looking string value replaced by `[REDACTED:<kind>]`. */
export function redactSettingsText(text: string): string {
  const parsed = parseJsonText(text);
  // A file that is not JSON (being edited by hand) still loses whatever looks like a token.
  if (!parsed.ok) return redact(text);
  const edits: Edit[] = [];
  const visit = (node: JsonNode, key: string | undefined): void => {
    if (node.kind === "object") {
      for (const member of node.members) visit(member.value, member.key);
    } else if (node.kind === "array") {
      for (const item of node.items) visit(item, undefined);
    } else if (typeof node.value === "string") {
      // Under a secret-sounding name (`"DB_PASSWORD": "hunter2"`) the whole value goes.
      const clean = key === undefined
        ? redact(node.value)
        : redactDeep({ [key]: node.value })[key] as string;
      if (clean !== node.value) {
        edits.push({ start: node.start, end: node.end, text: JSON.stringify(clean) });
      }
    }
  };
  visit(parsed.root, undefined);
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}
