/**
 * `permissions.allow` rules for mpm's MCP tools, edited in place (pure); marks of what was added
 * let removal take exactly that.
 */
import { appendElement, lastMember, loadSettings, removeElement } from "../hooks/settings.ts";
import type { JsonArray, JsonNode, JsonObject } from "../config/json_text.ts";

/** Claude Code's rule for one MCP tool. */
export function mcpToolRule(server: string, tool: string): string {
  return `mcp__${server}__${tool}`;
}

/** The marks of the containers an addition made, beside its rules. */
export const PERMISSIONS = "permissions";
export const ALLOW = "permissions.allow";

/** Where a settings text keeps its allow rules; null when it is not an object of JSON. */
function allowList(
  text: string,
): { root: JsonObject; permissions?: JsonNode; allow?: JsonNode } | null {
  const loaded = loadSettings(text);
  if ("error" in loaded) return null;
  const root = loaded.root;
  const permissions = lastMember(root, PERMISSIONS)?.value;
  const allow = permissions?.kind === "object"
    ? lastMember(permissions, "allow")?.value
    : undefined;
  return { root, permissions, allow };
}

const holds = (list: JsonArray, rule: string) =>
  list.items.some((item) => item.kind === "scalar" && item.value === rule);

/** The text with `rules` allowed and marks of what was added; null for an unexpected shape. */
export function withAllowRules(
  existing: string | undefined,
  rules: readonly string[],
): { text: string; added: string[] } | null {
  let text = existing === undefined || existing.trim() === "" ? "{}\n" : existing;
  const added: string[] = [];
  for (const rule of rules) {
    const found = allowList(text);
    if (found === null) return null;
    if (found.permissions === undefined) {
      text = appendElement(text, found.root, { key: PERMISSIONS, value: { allow: [rule] } });
      added.push(PERMISSIONS, ALLOW, rule);
    } else if (found.permissions.kind !== "object") {
      return null;
    } else if (found.allow === undefined) {
      text = appendElement(text, found.permissions, { key: "allow", value: [rule] });
      added.push(ALLOW, rule);
    } else if (found.allow.kind !== "array") {
      return null;
    } else if (!holds(found.allow, rule)) {
      text = appendElement(text, found.allow, { value: rule });
      added.push(rule);
    }
  }
  return { text: added.length === 0 ? existing ?? "" : text, added };
}

/** The text without what withAllowRules added; a text that is not JSON comes back as it is. */
export function withoutAllowRules(existing: string, added: readonly string[]): string {
  let text = existing;
  const marked = new Set(added);
  for (const rule of added) {
    if (rule === PERMISSIONS || rule === ALLOW) continue;
    const found = allowList(text);
    if (found === null || found.permissions === undefined || found.allow?.kind !== "array") break;
    const list = found.allow;
    const index = list.items.findLastIndex((item) => item.kind === "scalar" && item.value === rule);
    if (index >= 0) text = removeElement(text, list, index);
  }
  const found = allowList(text);
  if (found === null || found.permissions?.kind !== "object") return text;
  const permissions = found.permissions;
  const allowMember = lastMember(permissions, "allow");
  if (
    marked.has(ALLOW) && allowMember?.value.kind === "array" &&
    allowMember.value.items.length === 0
  ) {
    text = removeElement(text, permissions, permissions.members.indexOf(allowMember));
  }
  const again = allowList(text);
  if (
    marked.has(PERMISSIONS) && again !== null && again.permissions?.kind === "object" &&
    again.permissions.members.length === 0
  ) {
    const member = lastMember(again.root, PERMISSIONS)!;
    text = removeElement(text, again.root, again.root.members.indexOf(member));
  }
  return text;
}
