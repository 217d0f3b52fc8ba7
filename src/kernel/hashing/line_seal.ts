/**
 * Seals for one-line JSON records and for a markdown file that stays a plain document. The HMAC
 * over `PURPOSE\n` and the line is added as its last member, `,"seal":"HEX"}`, which no string
 * inside can fake; checking cuts it off again. Pure.
 */
import { hmacSha256HexAsync } from "./seal.ts";

/** The seal member as it ends a sealed line. */
const TAIL = /,"seal":"([0-9a-f]{64})"\}$/;

/** What a sealed line is for, bound into its seal. */
export type LinePurpose =
  | "claude-sessions"
  | "spool-pause"
  | "unended-mark"
  | "events"
  | "work-summary";

/** `json` (one compact JSON object, no `seal`) with its seal added as its last member. */
export async function sealLine(
  json: string,
  keyHex: string,
  purpose: LinePurpose,
): Promise<string> {
  if (!json.startsWith("{") || !json.endsWith("}") || json === "{}") {
    throw new Error("only a JSON object with members is sealed as a line");
  }
  const seal = await hmacSha256HexAsync(keyHex, `${purpose}\n${json}`);
  return `${json.slice(0, -1)},"seal":"${seal}"}`;
}

/** Whether `line` (no line end) was sealed with `keyHex` for `purpose`, byte for byte. */
export async function lineSealVerifies(
  line: string,
  keyHex: string | null,
  purpose: LinePurpose,
): Promise<boolean> {
  if (keyHex === null) return false;
  const found = TAIL.exec(line);
  if (found === null) return false;
  const json = line.slice(0, found.index) + "}";
  const seal = await hmacSha256HexAsync(keyHex, `${purpose}\n${json}`);
  let diff = 0;
  for (let i = 0; i < seal.length; i++) diff |= seal.charCodeAt(i) ^ found[1].charCodeAt(i);
  return diff === 0;
}

/** A markdown file's seal: the same HMAC on a last line `<!-- mpm seal HEX -->`. */
const MARKDOWN_TAIL = /\n<!-- mpm seal ([0-9a-f]{64}) -->\n$/;

/** `text` (ending in a line end) with its seal line added. */
export async function sealMarkdown(
  text: string,
  keyHex: string,
  purpose: LinePurpose,
): Promise<string> {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  const seal = await hmacSha256HexAsync(keyHex, `${purpose}\n${body}`);
  return `${body}\n<!-- mpm seal ${seal} -->\n`;
}

/** The text `sealMarkdown` sealed, seal cut off; null unless sealed with `keyHex` for `purpose`. */
export async function markdownSealed(
  text: string,
  keyHex: string | null,
  purpose: LinePurpose,
): Promise<string | null> {
  if (keyHex === null) return null;
  const found = MARKDOWN_TAIL.exec(text);
  if (found === null) return null;
  const body = text.slice(0, found.index);
  const seal = await hmacSha256HexAsync(keyHex, `${purpose}\n${body}`);
  let diff = 0;
  for (let i = 0; i < seal.length; i++) diff |= seal.charCodeAt(i) ^ found[1].charCodeAt(i);
  return diff === 0 ? body : null;
}
