/**
 * mpm's block at the end of the person's Codex `config.toml`, between markers, so uninstall
 * restores the file byte for byte; an inline `hooks` table gets none.
 */

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

function blockText(block: Block, joined: boolean): string {
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
  return lines.join("\n") + "\n";
}

/** The text split into the person's part and mpm's block (undefined when there is none). */
export function splitBlock(text: string): { theirs: string; block?: string } {
  const lines = text.split("\n");
  const begin = lines.findIndex((line) => line === BEGIN || line === BEGIN_JOINED);
  if (begin < 0) return { theirs: text };
  const end = lines.indexOf(END, begin);
  if (end < 0) return { theirs: text };
  const before = lines.slice(0, begin).join("\n");
  const after = lines.slice(end + 1).join("\n");
  const joined = lines[begin] === BEGIN_JOINED;
  // "before" ends where the block's line began; its newline stays the person's unless `joined`.
  const head = begin === 0 ? "" : joined ? before : before + "\n";
  return {
    theirs: head + after,
    block: lines.slice(begin, end + 1).join("\n") + "\n",
  };
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

/** A header's dotted name as parts: `hooks.state."a:b"` → ["hooks", "state", "a:b"]. */
function headerParts(header: string): string[] | undefined {
  const parts: string[] = [];
  let rest = header.trim();
  while (rest !== "") {
    const m = rest.match(/^(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.\s*)?/);
    if (!m) return undefined;
    parts.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2] ?? m[3]);
    rest = rest.slice(m[0].length);
    if (m[4] === undefined && rest !== "") return undefined;
  }
  return parts;
}

/** Reads what the person's part defines (see `Theirs`). */
export function readTheirs(text: string): Theirs {
  const theirs: Theirs = { trusted: new Map() };
  let table: string[] = [];
  for (const raw of splitBlock(text).theirs.split("\n")) {
    const line = raw.trim();
    const header = line.match(/^\[(?!\[)(.*)\]\s*(#.*)?$/);
    if (header) {
      table = headerParts(header[1]) ?? ["?"];
      if (table[0] === "hooks" && table[1] === "state" && table.length === 3) {
        theirs.trusted.set(table[2], undefined);
      }
      if (table[0] === "mcp_servers" && table[1] === "mpm" && table.length === 2) {
        theirs.mcp ??= "";
      }
      continue;
    }
    const key = line.match(/^([A-Za-z0-9_."'-]+?)\s*=\s*(.*)$/);
    if (!key) continue;
    const name = [...table, ...(headerParts(key[1]) ?? [key[1]])];
    const dotted = name.join(".");
    if (
      dotted === "hooks" || dotted === "hooks.state" || dotted === "mcp_servers" ||
      dotted === "mcp_servers.mpm" ||
      (name[0] === "hooks" && name[1] === "state" && name.length === 3)
    ) {
      theirs.clash ??= `${dotted} is set inline (${line.slice(0, 60)})`;
    }
    if (name[0] === "hooks" && name[1] === "state" && name[3] === "trusted_hash") {
      const value = key[2].match(/^"([^"]*)"/);
      theirs.trusted.set(name[2], value?.[1]);
    }
    if (name[0] === "mcp_servers" && name[1] === "mpm" && name[2] === "command") {
      theirs.mcp = `${theirs.mcp ?? ""}${key[2]}`;
    }
    if (name[0] === "mcp_servers" && name[1] === "mpm" && name[2] === "args") {
      theirs.mcp = `${theirs.mcp ?? ""} ${key[2]}`;
    }
  }
  return theirs;
}

/** The file with mpm's block as `block` says, or without one when it is empty. */
export function withBlock(text: string | undefined, block: Block): string {
  const theirs = splitBlock(text ?? "").theirs;
  if (block.trust.length === 0 && block.mcp === undefined && !block.created?.length) return theirs;
  const joined = theirs !== "" && !theirs.endsWith("\n");
  return theirs + (joined ? "\n" : "") + blockText(block, joined);
}

/** The file without mpm's block: what it was before install. */
export function withoutBlock(text: string): string {
  return splitBlock(text).theirs;
}

/** The trust mpm's block records: key → hash. */
export function blockTrust(text: string | undefined): Map<string, string> {
  const block = splitBlock(text ?? "").block ?? "";
  const trust = new Map<string, string>();
  const lines = block.split("\n");
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i].match(/^\[hooks\.state\.(".*")\]$/);
    const hash = lines[i + 1].match(/^trusted_hash = "(.*)"$/);
    if (header && hash) trust.set(JSON.parse(header[1]), hash[1]);
  }
  return trust;
}

/** The files mpm's block says install created. */
export function blockCreated(text: string | undefined): string[] {
  return (splitBlock(text ?? "").block ?? "").split("\n")
    .filter((line) => line.startsWith(CREATED)).map((line) => line.slice(CREATED.length));
}

/** Whether mpm's block registers `mpm mcp`. */
export function blockHasMcp(text: string | undefined): boolean {
  return (splitBlock(text ?? "").block ?? "").includes("\n[mcp_servers.mpm]\n");
}

/** Whether the person's config trusts the project (`[projects."<root>"] trust_level`). */
export function projectTrusted(config: string | undefined, root: string): boolean {
  const lines = (config ?? "").split("\n");
  const header = lines.findIndex((line) =>
    line.trim() === `[projects.${JSON.stringify(root)}]` ||
    line.trim() === `[projects.'${root}']`
  );
  if (header < 0) return false;
  for (const line of lines.slice(header + 1)) {
    if (line.trim().startsWith("[")) break;
    if (/^\s*trust_level\s*=\s*"trusted"/.test(line)) return true;
  }
  return false;
}
