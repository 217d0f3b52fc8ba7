/**
 * Secret redaction for every text mpm stores: a match becomes `[REDACTED:<kind>]`. Vendor tokens
 * by their shapes, anything else only by its context (`password=…`, `--password X`, a URL's
 * user:password). Rules in secret_rules.ts; a long text is prefiltered in pieces of whole lines.
 */
import {
  entropy,
  isPlaceholder,
  isSensitiveKey,
  ruleRegExp,
  rulesFor,
  secretRules,
} from "./secret_rules.ts";

export function redacted(kind: string): string {
  return `[REDACTED:${kind}]`;
}

const ALREADY = "[REDACTED";

/** Pieces of about this many characters (whole lines) are prefiltered separately. */
const PIECE = 16 * 1024;

function applyRule(text: string, index: number): string {
  const rule = secretRules()[index];
  const re = ruleRegExp(index);
  re.lastIndex = 0;
  let out = "";
  let done = 0;
  let changed = false;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === "") {
      re.lastIndex++;
      continue;
    }
    const [start, end] = m.indices?.groups?.secret ?? [m.index, m.index + m[0].length];
    const secret = text.slice(start, end);
    if (secret.startsWith(ALREADY)) continue;
    if (rule.entropy !== undefined && entropy(secret) < rule.entropy) continue;
    if (rule.accept && !rule.accept(secret, m.groups ?? {})) continue;
    out += text.slice(done, start) + redacted(rule.kind);
    done = end;
    changed = true;
  }
  return changed ? out + text.slice(done) : text;
}

function applyRules(text: string, indexes: readonly number[]): string {
  let out = text;
  for (const index of indexes) out = applyRule(out, index);
  return out;
}

/** The text with every recognised secret replaced by `[REDACTED:<kind>]`, escaped ones too. */
export function redact(text: string): string {
  const out = redactText(text);
  return out.includes("\\") ? redactEscaped(out, 0) : out;
}

/** How many JSON strings deep redaction decodes; the bound stops a forged text from recursing. */
const MAX_ESCAPE_DEPTH = 12;

/** The end of the JSON string literal at `start`, else -1 (a regex overflowed V8's stack). */
function literalEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x0a) return -1;
    if (c === 0x5c) {
      const next = text.charCodeAt(++i);
      // `.` does not match a line terminator, nor the text's end (NaN).
      if (
        Number.isNaN(next) || next === 0x0a || next === 0x0d || next === 0x2028 || next === 0x2029
      ) {
        return -1;
      }
    }
  }
  return -1;
}

/** The text with each JSON string literal (literalEnd), left to right, replaced by `fn`'s. */
function replaceLiterals(text: string, fn: (literal: string) => string): string {
  let out = "";
  let done = 0;
  for (let at = text.indexOf('"'); at !== -1;) {
    const end = literalEnd(text, at);
    if (end === -1) {
      at = text.indexOf('"', at + 1);
      continue;
    }
    out += text.slice(done, at) + fn(text.slice(at, end));
    done = end;
    at = text.indexOf('"', end);
  }
  return done === 0 ? text : out + text.slice(done);
}

/** A literal worth decoding holds an escaped quote or backslash (JSON inside JSON). */
const NESTED = /\\["\\]/;
/** An escape: `\uXXXX`, or a backslash and one character (so `\\/` reads as `\\`, then `/`). */
const ESCAPE = /\\(?:u([0-9A-Fa-f]{4})|([\s\S]))/g;

/** `\/` and `\uXXXX` of a plain printable ASCII character written as it: what the rules read. */
function plainEscapes(text: string): string {
  return text.replace(ESCAPE, (escape, hex: string | undefined, char: string | undefined) => {
    if (char === "/") return "/";
    if (hex === undefined) return escape;
    const code = parseInt(hex, 16);
    return code >= 0x20 && code < 0x7f && code !== 0x22 && code !== 0x5c
      ? String.fromCharCode(code)
      : escape;
  });
}

/** Secrets that escaping hid, redacted: each escaped literal decoded, redacted, written back. */
function redactEscaped(text: string, depth: number): string {
  if (depth >= MAX_ESCAPE_DEPTH) return text;
  let out = text;
  const plain = /\\[u/]/.test(out) ? plainEscapes(out) : out;
  if (plain !== out) {
    const clean = redactText(plain);
    if (clean !== plain) out = clean;
  }
  return replaceLiterals(out, (literal) => {
    if (!NESTED.test(literal)) return literal;
    let value: string;
    try {
      value = JSON.parse(literal);
    } catch {
      return literal;
    }
    let clean = redactText(value);
    if (clean.includes("\\")) clean = redactEscaped(clean, depth + 1);
    return clean === value ? literal : JSON.stringify(clean);
  });
}

/** The rules over the text as it is written. */
function redactText(text: string): string {
  if (text.length <= PIECE) return applyRules(text, rulesFor(text));
  // Rules spanning lines (private key blocks, first) run over the whole text; the rest by piece.
  const whole = applyRules(text, rulesFor(text, "multiline"));
  let out = "";
  for (let start = 0; start < whole.length;) {
    const newline = whole.indexOf("\n", start + PIECE);
    const end = newline === -1 ? whole.length : newline + 1;
    const piece = whole.slice(start, end);
    out += applyRules(piece, rulesFor(piece, "single-line"));
    start = end;
  }
  return out;
}

/** A JSON-like value with every string redacted; one under a secret-sounding key goes whole. */
export function redactDeep<T>(value: T): T {
  return walk(value, undefined, 0) as T;
}

/** How deep redactDeep goes (a forged file would exhaust the stack); deeper becomes TOO_DEEP. */
export const MAX_DEPTH = 64;
export const TOO_DEEP = "[cut: nested too deep]";

/** isSensitiveKey of record keys, which repeat record after record (a pull reads thousands). */
const sensitiveKeys = new Map<string, boolean>();

function sensitiveKey(key: string): boolean {
  let known = sensitiveKeys.get(key);
  if (known === undefined) {
    known = isSensitiveKey(key);
    if (sensitiveKeys.size < 4096 && key.length <= 64) sensitiveKeys.set(key, known);
  }
  return known;
}

/** A string held under `key`: redacted whole when the key says it is secret, else as text. */
export function redactUnder(key: string | undefined, value: string): string {
  if (key !== undefined && value !== "" && sensitiveKey(key) && !isPlaceholder(value)) {
    return redacted("secret");
  }
  return redact(value);
}

function walk(value: unknown, key: string | undefined, depth: number): unknown {
  if (typeof value === "string") return redactUnder(key, value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => walk(item, undefined, depth + 1));
  if (isPlain(value)) {
    // fromEntries, not assignment, so a "__proto__" key stays an own property.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, walk(v, k, depth + 1)]),
    );
  }
  return value;
}

export function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
