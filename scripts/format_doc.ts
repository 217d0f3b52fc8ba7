/**
 * docs/format.md's field tables, generated from the record declarations (src/kernel/check.ts), so
 * the reference cannot drift from what mpm reads. Each table stands between two markers naming
 * its declaration:
 *
 *   <!-- fields src/kernel/snapshot.ts snapshotCheck -->
 *   …the table, written by `deno task docs`…
 *   <!-- end fields -->
 *
 * A row is a field (a nested one by its dotted path, `[]` for a list's items): its type, from
 * what the check accepts, and its one-line meaning, from the doc comment on the field in the
 * declaration. The prose around the tables is the hand-written story of each store.
 * `deno task docs` (scripts/commands_doc.ts) writes them; tests/cli/format_doc_test.ts fails
 * when the committed file is stale.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { About, Check } from "../src/kernel/check.ts";
import { ROOT } from "./build/stamp.ts";

export const FORMAT_DOC = join(ROOT, "docs", "format.md");

const MARKER = /<!-- fields (\S+) (\w+) -->\n[\s\S]*?<!-- end fields -->/g;

export interface FieldRow {
  path: string;
  type: string;
  meaning: string;
}

/**
 * The doc comments on the fields of the declaration `const NAME = object({…})` in `source`, by
 * dotted path (`status.modified`). A scan of the text, not a parse: strings, template literals,
 * regular expressions and comments are skipped, brackets counted, and a key is a name or a quoted
 * name followed by `:` right after `{` or `,`.
 */
export function fieldComments(
  source: string,
  name: string,
  refs?: Map<string, string>,
): Map<string, string> {
  const found = new Map<string, string>();
  const start = source.search(new RegExp(`const ${name}(: [^=]+)? =\\s*object\\(`));
  if (start < 0) return found;
  type Frame = { kind: string; path: string[]; key?: string };
  const frames: Frame[] = [];
  let comment: string | undefined;
  let last = "=";
  let i = source.indexOf("object(", start) + "object".length;
  for (; i < source.length; i++) {
    const c = source[i];
    const rest = source.slice(i, i + 2);
    if (/\s/.test(c)) continue;
    if (rest === "/*") {
      const end = source.indexOf("*/", i + 2);
      if (rest === "/*" && source[i + 2] === "*") comment = cleanComment(source.slice(i + 3, end));
      i = end + 1;
      continue;
    }
    if (rest === "//") {
      i = source.indexOf("\n", i);
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (source[j] !== c) j += source[j] === "\\" ? 2 : 1;
      const text = source.slice(i + 1, j);
      const top = frames.at(-1);
      if (
        top?.kind === "{" && (last === "{" || last === ",") && /^\s*:/.test(source.slice(j + 1))
      ) {
        key(top, text);
      }
      i = j;
      last = "s";
      continue;
    }
    if (c === "/" && "(,:=[!&|?{};".includes(last)) {
      let j = i + 1;
      let inClass = false;
      while (source[j] !== "/" || inClass) {
        if (source[j] === "[") inClass = true;
        if (source[j] === "]") inClass = false;
        j += source[j] === "\\" ? 2 : 1;
      }
      i = j;
      last = "r";
      continue;
    }
    if (c === "{" || c === "(" || c === "[") {
      const brace = frames.findLast((frame) => frame.kind === "{");
      const path = brace ? (brace.key ? [...brace.path, brace.key] : brace.path) : [];
      frames.push({ kind: c, path });
      last = c;
      continue;
    }
    if (c === "}" || c === ")" || c === "]") {
      frames.pop();
      if (frames.length === 0) break;
      last = c;
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(source.slice(i));
    if (word) {
      const top = frames.at(-1);
      const after = source.slice(i + word[0].length);
      if (top?.kind === "{" && (last === "{" || last === ",") && /^\s*:/.test(after)) {
        key(top, word[0]);
      } else if (refs && word[0].endsWith("Check")) {
        // A field whose value is another declaration (`files: array(vaultFileCheck)`).
        const brace = frames.findLast((frame) => frame.kind === "{");
        const path = brace?.key ? [...brace.path, brace.key].join(".") : undefined;
        if (path && !refs.has(path)) refs.set(path, word[0]);
      }
      i += word[0].length - 1;
      last = "w";
      continue;
    }
    last = c;
  }
  return found;

  function key(frame: Frame, name: string) {
    frame.key = name;
    if (comment !== undefined) found.set([...frame.path, name].join("."), comment);
    comment = undefined;
  }
}

/** A doc comment's text on one line, its `*` margins gone. */
function cleanComment(body: string): string {
  return body.split("\n").map((line) => line.replace(/^\s*\*\s?/, "")).join(" ")
    .replace(/\s+/g, " ").trim();
}

/** What a check accepts, in words, and the object shape to list below it (if any). */
function typeOf(check: Check<unknown>): { type: string; inner?: About; list: boolean } {
  const what = check.about;
  if (!what) return { type: "(checked in code)", list: false };
  const inner = (of: Check<unknown> | undefined) => of ? typeOf(of) : { type: "?", list: false };
  switch (what.kind) {
    case "string":
    case "number":
    case "boolean":
      return { type: what.kind, list: false };
    case "int":
      return { type: "integer", list: false };
    case "unknown":
      return { type: "any JSON", list: false };
    case "literal":
    case "oneOf":
      return {
        type: (what.values ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(", "),
        list: false,
      };
    case "nullable": {
      const of = inner(what.of);
      return { ...of, type: `${of.type} or null` };
    }
    case "optional": {
      const of = inner(what.of);
      return { ...of, type: `${of.type}; optional` };
    }
    case "default": {
      const of = inner(what.of);
      return { ...of, type: `${of.type}; default \`${JSON.stringify(what.fallback)}\`` };
    }
    case "array": {
      const of = inner(what.of);
      return { ...of, type: `list of ${of.type}`, list: of.inner !== undefined || of.list };
    }
    case "record": {
      const of = inner(what.of);
      return { ...of, type: `map of ${of.type}` };
    }
    case "object":
      return { type: "object", inner: what, list: false };
    default:
      return { type: what.kind, list: false };
  }
}

/** The rows of an object check, nested objects' fields after their own row. */
export function fieldRows(
  check: Check<unknown>,
  comments: (path: string, owner: Check<unknown>) => string | undefined,
): FieldRow[] {
  const rows: FieldRow[] = [];
  // An object met again (one declaration used twice) is named, not listed twice.
  const listed = new Map<About, string>();
  const visit = (shape: Record<string, Check<unknown>>, prefix: string, bare: string[]) => {
    for (const [name, field] of Object.entries(shape)) {
      const { type, inner, list } = typeOf(field);
      const path = `${prefix}${name}`;
      const meaning = comments([...bare, name].join("."), field) ?? "";
      const seen = inner && listed.get(inner);
      rows.push({ path, type: seen ? `${type}, as \`${seen}\`` : type, meaning });
      if (!inner?.shape || seen) continue;
      listed.set(inner, path);
      visit(inner.shape, `${path}${list ? "[]" : ""}.`, [...bare, name]);
    }
  };
  const shape = check.about?.shape;
  if (shape) visit(shape, "", []);
  return rows;
}

/** A Markdown table of `rows`; `|` in a cell escaped. */
export function fieldTable(rows: FieldRow[]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  return [
    "| Field | Type | Meaning |",
    "| --- | --- | --- |",
    ...rows.map((row) => `| \`${row.path}\` | ${cell(row.type)} | ${cell(row.meaning)} |`),
  ].join("\n");
}

/**
 * The table for the declaration `name` of `file`. A nested object declared on its own (another
 * exported check of a module a table names) brings its own fields' comments.
 */
async function tableFor(file: string, name: string, named: Map<Check<unknown>, string[]>) {
  const module = await import(pathToFileURL(join(ROOT, file)).href);
  const check = module[name] as Check<unknown> | undefined;
  if (!check?.about?.shape) throw new Error(`${file} has no exported object check ${name}.`);
  const sources = new Map<string, string>();
  const source = async (path: string) => {
    if (!sources.has(path)) sources.set(path, await Deno.readTextFile(join(ROOT, path)));
    return sources.get(path)!;
  };
  const refs = new Map<string, string>();
  const own = fieldComments(await source(file), name, refs);
  // Comments of objects declared apart, each found by its declaration's name.
  const apart = new Map<string, Map<string, string>>();
  for (const [path, declared] of named.values()) {
    apart.set(`${path}:${declared}`, fieldComments(await source(path), declared));
  }
  const owners = new Map<string, string>();
  const rows = fieldRows(check, (path) => own.get(path));
  // Fields of a nested object declared apart: their comments from that declaration.
  const fill = (shape: Record<string, Check<unknown>>, prefix: string) => {
    for (const [field, sub] of Object.entries(shape)) {
      let at: Check<unknown> | undefined = sub;
      while (at?.about && at.about.kind !== "object") at = at.about.of;
      if (!at?.about?.shape) continue;
      const where = named.get(at);
      if (where) owners.set(`${prefix}${field}`, `${where[0]}:${where[1]}`);
      fill(at.about.shape, `${prefix}${field}.`);
    }
  };
  fill(check.about.shape, "");
  // A field of a declaration of the same file that a field names: its comment there.
  const local = (declared: string, path: string[], text: string, depth: number): string => {
    const inner = new Map<string, string>();
    const comments = fieldComments(text, declared, inner);
    const found = comments.get(path.join("."));
    if (found !== undefined || depth > 8) return found ?? "";
    for (let cut = path.length - 1; cut > 0; cut--) {
      const ref = inner.get(path.slice(0, cut).join("."));
      if (ref) return local(ref, path.slice(cut), text, depth + 1);
    }
    return "";
  };
  for (const row of rows) {
    if (row.meaning) continue;
    const bare = row.path.replaceAll("[]", "");
    const parts = bare.split(".");
    for (let cut = parts.length - 1; cut > 0; cut--) {
      const owner = owners.get(parts.slice(0, cut).join("."));
      if (!owner) continue;
      row.meaning = apart.get(owner)?.get(parts.slice(cut).join(".")) ?? "";
      break;
    }
    if (!row.meaning) row.meaning = local(name, parts, await source(file), 0);
  }
  return fieldTable(rows);
}

/** docs/format.md with every table between its markers made again from the declarations. */
export async function formatMarkdown(current: string): Promise<string> {
  const wanted = [...current.matchAll(MARKER)].map((match) => ({ file: match[1], name: match[2] }));
  // Every exported object check of the modules the tables name, by identity.
  const named = new Map<Check<unknown>, string[]>();
  for (const file of new Set(wanted.map((table) => table.file))) {
    const module = await import(pathToFileURL(join(ROOT, file)).href);
    for (const [name, value] of Object.entries(module)) {
      const check = value as Check<unknown>;
      if (typeof check === "function" && check.about?.kind === "object" && !named.has(check)) {
        named.set(check, [file, name]);
      }
    }
  }
  const tables = new Map<string, string>();
  for (const { file, name } of wanted) {
    tables.set(`${file} ${name}`, await tableFor(file, name, named));
  }
  return await denoFmt(current.replace(
    MARKER,
    (_, file: string, name: string) =>
      `<!-- fields ${file} ${name} -->\n\n${tables.get(`${file} ${name}`)}\n\n<!-- end fields -->`,
  ));
}

/** `markdown` as `deno fmt` leaves it (its tables padded), so the formatter's check agrees. */
async function denoFmt(markdown: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", "--ext=md", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(markdown));
  await writer.close();
  const { success, stdout, stderr } = await child.output();
  if (!success) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}
