/**
 * mpm's block at the end of the person's Codex `config.toml`, between markers, so uninstall
 * restores the file byte for byte; an inline `hooks` table gets none.
 */
import { scanToml, type TomlStatement, type TomlValue } from "./toml_scan.ts";

const BEGIN = "# >>> mpm: trusts mpm's Codex hooks and registers mpm mcp";
/** The begin line when install added the newline the file's last line lacked. */
const BEGIN_JOINED = `${BEGIN} (after a line that had no newline)`;
const END = "# <<< mpm (mpm hooks uninstall --agent codex takes this block away)";

export interface TrustedHook {
  key: string;
  hash: string;
}

export interface McpServer {
  command: string;
  args: readonly string[];
}

export interface Block {
  trust: readonly TrustedHook[];
  mcp?: McpServer;
  /** Files install created (the hooks file, this config), which uninstall removes again. */
  created?: readonly string[];
}

const CREATED = "# mpm created: ";

/**
 * How Codex starts mpm's server: MPM_BIN where set (Codex passes it on: `env_vars`), else mpm on
 * PATH, else `~/.local/bin/mpm`, else one line on stderr. One shell that execs mpm: its own
 * `command -v` looks PATH up in the shell (Claude's registration, mcp_entry.ts, keeps
 * `$(command -v mpm)`, a second process), and Codex waits for the server before the first turn.
 */
export const CODEX_MCP_FINDER = 'if [ -n "${MPM_BIN:-}" ] && [ -x "$MPM_BIN" ]; then ' +
  'exec "$MPM_BIN" mcp; fi; if command -v mpm >/dev/null 2>&1; then exec mpm mcp; fi; ' +
  'if [ -x "$HOME/.local/bin/mpm" ]; then exec "$HOME/.local/bin/mpm" mcp; fi; ' +
  'echo "mpm mcp: mpm is not installed (put it on PATH or set MPM_BIN)." >&2; exit 1';

/** mpm's server as mpm's block in config.toml registers it. */
export const CODEX_MCP: McpServer = { command: "sh", args: ["-c", CODEX_MCP_FINDER, "mpm-mcp"] };

/** A TOML basic string. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function blockText(block: Block, joined: boolean, eol: string): string {
  const lines = [joined ? BEGIN_JOINED : BEGIN];
  for (const path of block.created ?? []) lines.push(`${CREATED}${path}`);
  for (const { key, hash } of block.trust) {
    lines.push(`[hooks.state.${quoted(key)}]`, `trusted_hash = ${quoted(hash)}`);
  }
  if (block.mcp) {
    lines.push(
      "[mcp_servers.mpm]",
      `command = ${quoted(block.mcp.command)}`,
      `args = [${block.mcp.args.map(quoted).join(", ")}]`,
      // Codex hands an MCP server only a few variables: MPM_BIN, where set, finds mpm.
      'env_vars = ["MPM_BIN"]',
    );
  }
  lines.push(END);
  return lines.join(eol) + eol;
}

/**
 * Which lines of the file are mpm's, and what they say. Codex rewrites config.toml as it runs
 * (`codex mcp add`, `features enable`, a project trusted at its first start) and puts a table it
 * adds before mpm's last line, inside the block, and may move `[mcp_servers.mpm]` out of it: so
 * mpm's lines are its markers, the `[hooks.state]` tables between them (save those of a hook of
 * the person's, `theirs`), and its MCP server wherever it is, not every line between them.
 */
interface MpmLines {
  /** Line indexes (of `text.split("\n")`) that are mpm's. */
  lines: Set<number>;
  /** The begin line, when there is one: `joined` when install added the newline before it. */
  begin?: { line: number; joined: boolean };
  trust: Map<string, string>;
  mcp: boolean;
  created: string[];
}

type Statement = TomlStatement;

/** A table's header with the pairs under it. */
function tablesOf(statements: readonly Statement[]): { head: Statement; pairs: Statement[] }[] {
  const tables: { head: Statement; pairs: Statement[] }[] = [];
  for (const statement of statements) {
    if (statement.kind === "table" || statement.kind === "array-table") {
      tables.push({ head: statement, pairs: [] });
    } else if (statement.kind === "pair" && tables.length > 0) {
      tables[tables.length - 1].pairs.push(statement);
    }
  }
  return tables;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((part, n) => part === b[n]);

/** Whether a `[mcp_servers.mpm]` table's pairs are the registration mpm writes. */
function mpmServer(pairs: readonly Statement[], exact: boolean): boolean {
  const names = pairs.map((pair) => pair.key!.join("."));
  if (!names.includes("command") || names.some((n) => !MCP_KEYS.includes(n))) return false;
  if (!exact) return true;
  const value = (name: string) => pairs.find((pair) => pair.key!.join(".") === name)?.value;
  const args = value("args");
  return value("command") === CODEX_MCP.command && Array.isArray(args) &&
    same(args.map((a) => typeof a === "string" ? a : ""), CODEX_MCP.args);
}
const MCP_KEYS = ["command", "args", "env_vars"];

function mpmLines(text: string, theirs: ReadonlySet<string> = new Set()): MpmLines | undefined {
  const scan = scanToml(text);
  if (!scan.ok) return undefined;
  const found: MpmLines = { lines: new Set(), trust: new Map(), mcp: false, created: [] };
  const marker = (s: Statement) => s.kind === "comment" ? s.comment!.trimEnd() : undefined;
  const begin = scan.statements.find((s) => marker(s) === BEGIN || marker(s) === BEGIN_JOINED);
  const end = begin &&
    scan.statements.find((s) => s.first > begin.first && marker(s) === END);
  const inBlock = (s: Statement) =>
    begin !== undefined && s.first > begin.first && (end === undefined || s.first < end.first);
  if (begin) found.begin = { line: begin.first, joined: marker(begin) === BEGIN_JOINED };
  for (const s of scan.statements) {
    const said = marker(s);
    if (said === BEGIN || said === BEGIN_JOINED || said === END) found.lines.add(s.first);
    if (said?.startsWith(CREATED) && (inBlock(s) || begin === undefined)) {
      found.lines.add(s.first);
      found.created.push(said.slice(CREATED.length));
    }
  }
  const lines = text.split("\n");
  const blank = (n: number) => n >= 0 && n < lines.length && lines[n].trim() === "";
  const taken: [number, number][] = [];
  const take = (head: Statement, pairs: readonly Statement[]) => {
    const last = Math.max(head.last, ...pairs.map((pair) => pair.last));
    for (let n = head.first; n <= last; n++) found.lines.add(n);
    taken.push([head.first, last]);
  };
  for (const { head, pairs } of tablesOf(scan.statements)) {
    if (head.kind !== "table") continue;
    const path = head.table;
    const hash = pairs.length === 1 && same(pairs[0].key!, ["trusted_hash"]) &&
      typeof pairs[0].value === "string" && pairs[0].value;
    if (
      inBlock(head) && path.length === 3 && path[0] === "hooks" && path[1] === "state" &&
      hash && !theirs.has(path[2])
    ) {
      take(head, pairs);
      found.trust.set(path[2], hash);
    } else if (same(path, ["mcp_servers", "mpm"]) && mpmServer(pairs, !inBlock(head))) {
      take(head, pairs);
      found.mcp = true;
    }
  }
  // The blank line Codex puts before a table it rewrote goes with it, unless it is all that
  // stands between two lines of the person's.
  for (const [first, last] of taken) {
    const endsFile = last + 1 >= lines.length - 1 && lines[lines.length - 1] === "";
    if (blank(first - 1) && (found.lines.has(first - 2) || blank(last + 1) || endsFile)) {
      found.lines.add(first - 1);
    }
  }
  return found;
}

/** The file without the lines `mine` names (the person's part), undoing a joining newline. */
function withoutLines(text: string, mine: MpmLines): string {
  const lines = text.split("\n");
  const kept = lines.filter((_, n) => !mine.lines.has(n));
  if (mine.begin?.joined) {
    // Install added the newline the person's last line lacked: nothing of theirs came after.
    const after = lines.slice(mine.begin.line).some((line, n) =>
      !mine.lines.has(mine.begin!.line + n) && line !== ""
    );
    if (!after && kept[kept.length - 1] === "") {
      kept.pop();
      const last = kept.length - 1;
      if (last >= 0 && kept[last].endsWith("\r")) kept[last] = kept[last].slice(0, -1);
    }
  }
  return kept.join("\n");
}

/** The text split into the person's part and mpm's (see `MpmLines`); unread, all theirs. */
export function splitBlock(
  text: string,
  theirs?: ReadonlySet<string>,
): { theirs: string; mine?: MpmLines } {
  const mine = mpmLines(text, theirs);
  if (mine === undefined || mine.lines.size === 0) return { theirs: text };
  return { theirs: withoutLines(text, mine), mine };
}

/** What the person's part of the file already defines that mpm's block would. */
export interface Theirs {
  /** Trust keys they have themselves (a `[hooks.state."<key>"]` table). */
  trusted: Map<string, string | undefined>;
  /** Their own `[mcp_servers.mpm]`, when they have one: its command line. */
  mcp?: string;
  /** Why no table can be appended (an inline `hooks` or `mcp_servers`), if so. */
  clash?: string;
}

/** A value as a person reads it in a command line. */
function shown(value: TomlValue | undefined): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(shown).join(" ");
  return value === undefined ? "" : JSON.stringify(value);
}

/**
 * Reads what the person's part defines (see `Theirs`); `theirs` names the trust keys of hooks of
 * theirs found inside mpm's block. Nothing for a file that does not parse.
 */
export function readTheirs(text: string, theirs?: ReadonlySet<string>): Theirs {
  const found: Theirs = { trusted: new Map() };
  const scan = scanToml(text);
  if (!scan.ok) return found;
  const mine = mpmLines(text, theirs)?.lines ?? new Set();
  let command: string | undefined;
  let args = "";
  for (const s of scan.statements) {
    if (mine.has(s.first) || s.kind === "comment") continue;
    if (s.kind === "table") {
      const t = s.table;
      if (t.length === 3 && t[0] === "hooks" && t[1] === "state") {
        found.trusted.set(t[2], undefined);
      }
      if (same(t, ["mcp_servers", "mpm"])) command ??= "";
      continue;
    }
    if (s.kind !== "pair") continue;
    const name = [...s.table, ...s.key!];
    const dotted = name.join(".");
    if (
      ["hooks", "hooks.state", "mcp_servers", "mcp_servers.mpm"].includes(dotted) ||
      (name[0] === "hooks" && name[1] === "state" && name.length === 3)
    ) {
      found.clash ??= `${dotted} is set inline (${shown(s.value).slice(0, 60)})`;
    }
    if (name[0] === "hooks" && name[1] === "state" && name[3] === "trusted_hash") {
      found.trusted.set(name[2], typeof s.value === "string" ? s.value : undefined);
    }
    if (same(name, ["mcp_servers", "mpm", "command"])) command = shown(s.value);
    if (same(name, ["mcp_servers", "mpm", "args"])) args = ` ${shown(s.value)}`;
  }
  if (command !== undefined) found.mcp = `${command}${args}`;
  return found;
}

/** The file with mpm's block as `block` says, or without one when it is empty. */
export function withBlock(
  text: string | undefined,
  block: Block,
  theirs?: ReadonlySet<string>,
): string {
  const kept = splitBlock(text ?? "", theirs).theirs;
  if (block.trust.length === 0 && block.mcp === undefined && !block.created?.length) return kept;
  const eol = kept.includes("\r\n") ? "\r\n" : "\n";
  const joined = kept !== "" && !kept.endsWith("\n");
  return kept + (joined ? eol : "") + blockText(block, joined, eol);
}

/** The file without mpm's lines: what it was before install, with what Codex added since. */
export function withoutBlock(text: string, theirs?: ReadonlySet<string>): string {
  return splitBlock(text, theirs).theirs;
}

/** The trust mpm's block records: key → hash. */
export function blockTrust(
  text: string | undefined,
  theirs?: ReadonlySet<string>,
): Map<string, string> {
  return mpmLines(text ?? "", theirs)?.trust ?? new Map();
}

/** Every trust the file records, whoever wrote it: key → hash (what Codex goes by). */
export function trustIn(text: string | undefined): Map<string, string> {
  const trust = new Map<string, string>();
  const scan = scanToml(text ?? "");
  if (!scan.ok) return trust;
  for (const s of scan.statements) {
    if (s.kind !== "pair" || typeof s.value !== "string") continue;
    const name = [...s.table, ...s.key!];
    if (name.length === 4 && name[0] === "hooks" && name[1] === "state") {
      if (name[3] === "trusted_hash") trust.set(name[2], s.value);
    }
  }
  return trust;
}

/** The files mpm's block says install created. */
export function blockCreated(text: string | undefined): string[] {
  return mpmLines(text ?? "")?.created ?? [];
}

/** Whether mpm's block (or a table Codex moved out of it) registers `mpm mcp`. */
export function blockHasMcp(text: string | undefined): boolean {
  return mpmLines(text ?? "")?.mcp ?? false;
}

/** Whether the person's config trusts the project (`[projects."<root>"] trust_level`). */
export function projectTrusted(config: string | undefined, root: string): boolean {
  const scan = scanToml(config ?? "");
  if (!scan.ok) return false;
  return scan.statements.some((s) => {
    if (s.kind !== "pair") return false;
    const name = [...s.table, ...s.key!];
    const value = name.length === 2 && s.value && typeof s.value === "object" && "table" in s.value
      ? s.value.table.trust_level
      : name.length === 3 && name[2] === "trust_level"
      ? s.value
      : undefined;
    return name[0] === "projects" && name[1] === root && value === "trusted";
  });
}
