/**
 * A TOML document cut into its statements, each with the lines it spans, and checked as Codex's
 * parser checks it: mpm edits config.toml by whole lines (a `[table]` inside a multi-line string
 * is no table) and refuses a file Codex could not read. Lenient where TOML 1.1 is (newlines and a
 * trailing comma in an inline table, `\e` and `\xHH`, times without seconds): never stricter than
 * Codex. Pure.
 */

/** A value as the scan reads it: strings, arrays and tables as JS; other scalars as their text. */
export type TomlValue =
  | string
  | boolean
  | { scalar: string }
  | TomlValue[]
  | { table: Record<string, TomlValue> };

export interface TomlStatement {
  kind: "table" | "array-table" | "pair" | "comment";
  /** Line indexes (0-based) of its first and last line. */
  first: number;
  last: number;
  /** A header's own path; for a pair or comment, the table it is in. */
  table: string[];
  /** A pair's key (dotted: its parts). */
  key?: string[];
  value?: TomlValue;
  /** A comment line's text, from `#`. */
  comment?: string;
}

export type TomlScan =
  | { ok: true; statements: TomlStatement[] }
  | { ok: false; line: number; column: number; why: string };

/** A path as one map key. */
const pathKey = (parts: readonly string[]) => parts.join("\u0000");

class Stop extends Error {
  constructor(readonly at: number, readonly why: string) {
    super(why);
  }
}

/** A bare key's characters: A-Z a-z 0-9 _ -. */
function bare(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ||
    code === 95 || code === 45;
}
/** What a number, boolean or date is made of: a bare key's characters and : . +. */
function scalar(code: number): boolean {
  return bare(code) || code === 58 || code === 46 || code === 43;
}
const NUMBER = [
  /^[+-]?(0|[1-9](_?[0-9])*)$/,
  /^0x[0-9A-Fa-f](_?[0-9A-Fa-f])*$/,
  /^0o[0-7](_?[0-7])*$/,
  /^0b[01](_?[01])*$/,
  /^[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?$/,
  /^[+-]?(inf|nan)$/,
  /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?$/,
  /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/,
];
const ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  e: "\x1b",
  '"': '"',
  "\\": "\\",
};

/** Whether `c` may stand in a comment or string (tab yes; other control characters, DEL no). */
function allowed(code: number): boolean {
  return code === 9 || (code >= 0x20 && code !== 0x7f);
}

/** The last text scanned and its scan: install reads the one config.toml several ways. */
let last: { text: string; scan: TomlScan } | undefined;

/** Scans `text` (a leading BOM skipped). Never throws. */
export function scanToml(text: string): TomlScan {
  if (last?.text !== text) last = { text, scan: scanOnce(text) };
  return last.scan;
}

function scanOnce(text: string): TomlScan {
  const lineStarts = [0];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) {
    lineStarts.push(at + 1);
  }
  const lineOf = (at: number) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const statements: TomlStatement[] = [];
  let i = text.startsWith("\ufeff") ? 1 : 0;

  const fail = (why: string, at = i): never => {
    throw new Stop(at, why);
  };
  const spaces = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  const newline = () => {
    if (text[i] === "\n") return (i++, true);
    if (text[i] === "\r" && text[i + 1] === "\n") return (i += 2, true);
    return false;
  };
  const comment = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== "\n" && !(text[i] === "\r" && text[i + 1] === "\n")) {
      if (!allowed(text.charCodeAt(i))) fail("a comment holds a control character");
      i++;
    }
    return text.slice(start, i);
  };
  /** White space, newlines and comments (inside arrays and inline tables). */
  const gaps = () => {
    for (;;) {
      spaces();
      if (newline()) continue;
      if (text[i] === "#") {
        comment();
        continue;
      }
      return;
    }
  };
  /** After a value or header: spaces, a comment, then the line's end. */
  const endOfLine = () => {
    spaces();
    if (text[i] === "#") comment();
    if (i < text.length && !newline()) fail("there is more on the line after its value or header");
  };

  const basicString = (multi: boolean): string => {
    let out = "";
    for (;;) {
      if (i >= text.length) fail("a string is not closed");
      const c = text[i];
      if (multi && text.startsWith('"""', i)) {
        let n = 3;
        while (n < 5 && text[i + n] === '"') n++;
        out += '"'.repeat(n - 3);
        i += n;
        return out;
      }
      if (!multi && c === '"') return (i++, out);
      // One or two quotes that close nothing are the string's own.
      if (multi && c === '"') {
        out += c;
        i++;
        continue;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e in ESCAPES) {
          out += ESCAPES[e];
          i += 2;
        } else if (e === "u" || e === "U" || e === "x") {
          const n = e === "u" ? 4 : e === "U" ? 8 : 2;
          const hex = text.slice(i + 2, i + 2 + n);
          const code = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === n ? parseInt(hex, 16) : -1;
          if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            fail("a string has a \\u escape that is no character");
          }
          out += String.fromCodePoint(code);
          i += 2 + n;
        } else if (multi) {
          // A line-ending backslash: the newline and the white space after it go.
          let j = i + 1;
          while (text[j] === " " || text[j] === "\t") j++;
          if (text[j] !== "\n" && !(text[j] === "\r" && text[j + 1] === "\n")) {
            fail("a string has an escape TOML does not know");
          }
          i = j;
          while (newline() || text[i] === " " || text[i] === "\t") {
            if (text[i] === " " || text[i] === "\t") i++;
          }
        } else fail("a string has an escape TOML does not know");
        continue;
      }
      if (multi && (c === "\n" || (c === "\r" && text[i + 1] === "\n"))) {
        out += "\n";
        newline();
        continue;
      }
      // A run of plain characters at once.
      let j = i;
      for (;;) {
        const code = text.charCodeAt(j);
        if (code === 34 || code === 92 || !allowed(code)) break;
        j++;
      }
      if (j === i) {
        fail(multi ? "a string holds a control character" : "a string is not closed");
      }
      out += text.slice(i, j);
      i = j;
    }
  };

  const literalString = (multi: boolean): string => {
    const close = multi ? "'''" : "'";
    const start = i;
    for (;;) {
      if (i >= text.length) fail("a string is not closed");
      if (text.startsWith(close, i)) {
        let n = close.length;
        while (multi && n < 5 && text[i + n] === "'") n++;
        const out = text.slice(start, i + n - close.length);
        i += n;
        return out.replace(/\r\n/g, "\n");
      }
      const c = text[i];
      if (multi && (c === "\n" || (c === "\r" && text[i + 1] === "\n"))) {
        newline();
        continue;
      }
      if (!allowed(c.charCodeAt(0))) {
        fail(multi ? "a string holds a control character" : "a string is not closed");
      }
      i++;
    }
  };

  const keyPart = (): string => {
    if (text[i] === '"') return (i++, basicString(false));
    if (text[i] === "'") return (i++, literalString(false));
    const start = i;
    while (bare(text.charCodeAt(i))) i++;
    if (i === start) fail("a key is missing or has a character a bare key cannot");
    return text.slice(start, i);
  };
  const key = (): string[] => {
    const parts = [keyPart()];
    for (;;) {
      spaces();
      if (text[i] !== ".") return parts;
      i++;
      spaces();
      parts.push(keyPart());
    }
  };

  const value = (): TomlValue => {
    const c = text[i];
    if (text.startsWith('"""', i)) {
      i += 3;
      newline();
      return basicString(true);
    }
    if (text.startsWith("'''", i)) {
      i += 3;
      newline();
      return literalString(true);
    }
    if (c === '"') return (i++, basicString(false));
    if (c === "'") return (i++, literalString(false));
    if (c === "[") {
      i++;
      const items: TomlValue[] = [];
      for (;;) {
        gaps();
        if (text[i] === "]") return (i++, items);
        if (i >= text.length) fail("an array is not closed");
        items.push(value());
        gaps();
        if (text[i] === ",") i++;
        else if (text[i] !== "]") fail("an array's values need a comma between them");
      }
    }
    if (c === "{") {
      i++;
      const table: Record<string, TomlValue> = {};
      const seen = new Set<string>();
      for (;;) {
        gaps();
        if (text[i] === "}") return (i++, { table });
        if (i >= text.length) fail("an inline table is not closed");
        const parts = key();
        const name = pathKey(parts);
        if (seen.has(name)) fail(`the key ${parts.join(".")} is set twice in an inline table`);
        seen.add(name);
        spaces();
        if (text[i] !== "=") fail("a key has no = after it");
        i++;
        spaces();
        table[parts.join(".")] = value();
        gaps();
        if (text[i] === ",") i++;
        else if (text[i] !== "}") fail("an inline table's keys need a comma between them");
      }
    }
    const start = i;
    while (scalar(text.charCodeAt(i))) i++;
    // A date and a time may stand apart by one space.
    if (
      text[i] === " " && /^\d{4}-\d{2}-\d{2}$/.test(text.slice(start, i)) &&
      /\d/.test(text[i + 1] ?? "")
    ) {
      i++;
      while (scalar(text.charCodeAt(i))) i++;
    }
    const raw = text.slice(start, i);
    if (raw === "") fail("a value is missing");
    if (raw === "true" || raw === "false") return raw === "true";
    if (!NUMBER.some((re) => re.test(raw))) fail(`${raw.slice(0, 40)} is not a TOML value`, start);
    return { scalar: raw };
  };

  // Which paths are defined: a table by its header, a value by its key; array tables by count.
  const defined = new Map<string, "table" | "value" | "implicit" | "array">();
  const arrays = new Map<string, number>();
  /** A header's path with each array table's current element named. */
  const resolve = (parts: string[]): string[] => {
    const out: string[] = [];
    for (const part of parts) {
      out.push(part);
      const n = arrays.get(pathKey(out));
      if (n !== undefined) out.push(`#${n}`);
    }
    return out;
  };
  const implicit = (parts: string[]) => {
    for (let n = 1; n < parts.length; n++) {
      const name = pathKey(parts.slice(0, n));
      if (!defined.has(name)) defined.set(name, "implicit");
    }
  };

  let table: string[] = [];
  let current: string[] = [];
  try {
    while (i < text.length) {
      spaces();
      if (newline()) continue;
      if (i >= text.length) break;
      const start = i;
      const first = lineOf(start);
      if (text[i] === "#") {
        const said = comment();
        statements.push({ kind: "comment", first, last: first, table, comment: said });
        newline();
        continue;
      }
      if (text[i] === "[") {
        const array = text[i + 1] === "[";
        i += array ? 2 : 1;
        spaces();
        const parts = key();
        if (!text.startsWith(array ? "]]" : "]", i)) fail("a table's header is not closed");
        i += array ? 2 : 1;
        endOfLine();
        if (array) {
          const path = resolve(parts.slice(0, -1));
          path.push(parts[parts.length - 1]);
          const name = pathKey(path);
          const was = defined.get(name);
          if (was !== undefined && was !== "array") {
            fail(`[[${parts.join(".")}]] names a table or value defined before`, start);
          }
          defined.set(name, "array");
          const n = (arrays.get(name) ?? -1) + 1;
          arrays.set(name, n);
          implicit(path);
          current = [...path, `#${n}`];
        } else {
          const path = resolve(parts);
          const name = pathKey(path);
          const was = defined.get(name);
          if (was === "table" || was === "value" || was === "array") {
            fail(`the table [${parts.join(".")}] is defined twice`, start);
          }
          defined.set(name, "table");
          implicit(path);
          current = path;
        }
        table = parts;
        statements.push({
          kind: array ? "array-table" : "table",
          first,
          last: first,
          table: parts,
        });
        continue;
      }
      const parts = key();
      spaces();
      if (text[i] !== "=") fail("a key has no = after it");
      i++;
      spaces();
      const got = value();
      const last = lineOf(i);
      endOfLine();
      const full = [...current, ...parts];
      const name = pathKey(full);
      if (defined.has(name) && defined.get(name) !== "implicit") {
        fail(`the key ${[...table, ...parts].join(".")} is set twice`, start);
      }
      defined.set(name, "value");
      implicit(full);
      statements.push({ kind: "pair", first, last, table, key: parts, value: got });
    }
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const line = lineOf(Math.min(error.at, text.length));
    return { ok: false, line: line + 1, column: error.at - lineStarts[line] + 1, why: error.why };
  }
  return { ok: true, statements };
}

/** Why a TOML text does not parse, as a sentence's end ("line 2, column 8: …"), or null. */
export function tomlProblem(text: string): string | null {
  const scan = scanToml(text);
  return scan.ok ? null : `line ${scan.line}, column ${scan.column}: ${scan.why}`;
}
