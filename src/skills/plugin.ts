/**
 * `mpm plugin export`'s files (pure): a Claude Code plugin that is its own marketplace, and
 * `.mpm-export.json` so the next export removes what is no longer shipped.
 */
import { checkedJson, object, type Out, record, string } from "../kernel/check.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import {
  HOOK_SCRIPTS,
  type HookScript,
  MPM_HOOK_ENTRIES,
} from "../claude/settings/hooks/hook_entries.ts";
import type { ShippedSkill } from "./assets.ts";
import { MPM_PLUGIN_NAME } from "../claude/settings/plugins/plugins.ts";
import { INSTALL_COMMAND } from "../upgrade/plan.ts";
import license from "../../LICENSE" with { type: "text" };

/** The licence plugin.json and deno.json name (LICENSE at the repository's top). */
export const LICENSE_NAME = "MIT";

/** The plugin's name, by which plugins.ts finds it enabled. */
export const PLUGIN_NAME = MPM_PLUGIN_NAME;
export const DEFAULT_MARKETPLACE = "mpm";

const ABOUT = "Keep coding-session context alive across interruptions: /mpm-pause " +
  "(Claude writes the summary), /mpm-resume, /mpm-handoff (a fresh conversation starts from " +
  "Claude's handoff after /clear), checkpoints, a branch/return stack, and hooks " +
  "that save and restore context around Claude Code sessions.";

export { INSTALL_COMMAND };

/** What `mpm mcp` says without mpm, inside a double-quoted shell word (no `$`, quote, backquote). */
const MPM_MISSING_LINE_PLAIN = "the mpm program is not installed (see the plugin's README.md).";

/** Claude Code fetches plugin.json's `binaries` only for its official marketplaces. */
function description(): string {
  return `${ABOUT} Needs the mpm program installed (${INSTALL_COMMAND}).`;
}

/**
 * Claude Code 2.1.330's `binaries` names: macOS by Deno's triples, Linux as `…-unknown-linux-musl`,
 * no Windows.
 */
const BINARY_NAMES: Record<string, string> = {
  "mpm-aarch64-apple-darwin": "mpm-aarch64-apple-darwin",
  "mpm-x86_64-apple-darwin": "mpm-x86_64-apple-darwin",
  "mpm-aarch64-unknown-linux-gnu": "mpm-aarch64-unknown-linux-musl",
  "mpm-x86_64-unknown-linux-gnu": "mpm-x86_64-unknown-linux-musl",
};

/** plugin.json's `binaries`: each file's name, as Claude Code looks for it, and its sha256. */
export type Binaries = Record<string, { sha256: string }>;

/** The binaries of a release's SHA256SUMS, or what is wrong with it; Windows files are left out. */
export function binariesFromSums(text: string): { binaries: Binaries } | { problem: string } {
  const binaries: Binaries = {};
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const match = /^([0-9a-fA-F]{64}) [ *](\S+)$/.exec(line);
    if (!match) {
      return { problem: `line ${i + 1} is not "<sha256>  <file>" (sha256sum's format)` };
    }
    const name = BINARY_NAMES[match[2]];
    if (name) binaries[name] = { sha256: match[1].toLowerCase() };
  }
  if (Object.keys(binaries).length === 0) {
    return {
      problem: `it names none of the release's macOS or Linux binaries (${
        Object.keys(BINARY_NAMES).join(", ")
      })`,
    };
  }
  return { binaries };
}

export interface PluginFile {
  /** "/"-separated, relative to the export folder. */
  path: string;
  text: string;
  /** A hook script: written executable. */
  executable?: boolean;
}

export interface PluginOptions {
  version: string;
  /** The marketplace's name: users install `mpm@<marketplace>`. */
  marketplace: string;
  /** The marketplace's owner (a team or person). */
  owner: string;
  /** The release's binaries, for plugin.json (binariesFromSums). */
  binaries?: Binaries;
}

/**
 * Through `sh` (a copy may lose its execute bit), quoted; `MPM_FROM_PLUGIN=1` makes mpm write
 * nothing outside a project and yield to the same installed hook.
 */
export function pluginHookCommand(script: HookScript): string {
  return `MPM_FROM_PLUGIN=1 sh "\${CLAUDE_PLUGIN_ROOT}/hooks/${script}.sh"`;
}

interface HookHandler {
  type: "command";
  command: string;
  timeout: number;
  async?: true;
}

/** hooks/hooks.json: the same events, matchers and timeouts as `mpm hooks install`. */
export function pluginHooks(): { description: string; hooks: Record<string, unknown[]> } {
  const hooks: Record<string, { matcher?: string; hooks: HookHandler[] }[]> = {};
  for (const entry of MPM_HOOK_ENTRIES) {
    const blocks = hooks[entry.event] ??= [];
    let block = blocks.find((b) => b.matcher === entry.matcher);
    if (!block) {
      block = entry.matcher === undefined ? { hooks: [] } : { matcher: entry.matcher, hooks: [] };
      blocks.push(block);
    }
    block.hooks.push({
      type: "command",
      command: pluginHookCommand(entry.script),
      timeout: entry.timeout,
      ...(entry.async ? { async: true as const } : {}),
    });
  }
  return { description: "mpm's session hooks (the same as `mpm hooks install`).", hooks };
}

/** The plugin's MCP server finds mpm as the hook scripts do, or says so on stderr. */
export const PLUGIN_MCP_SCRIPT = 'for m in "${CLAUDE_PLUGIN_ROOT:-}/bin/mpm" "${MPM_BIN:-}" ' +
  '"$(command -v mpm)" "$HOME/.local/bin/mpm"; do [ -n "$m" ] && [ -x "$m" ] && exec "$m" mcp; ' +
  `done; echo "mpm mcp: ${MPM_MISSING_LINE_PLAIN}" >&2; exit 1`;

/** `.mcp.json`: mpm's MCP server, which Claude Code starts with the plugin's other parts. */
export function pluginMcpServers(): { mcpServers: Record<string, unknown> } {
  return { mcpServers: { mpm: { command: "sh", args: ["-c", PLUGIN_MCP_SCRIPT, "mpm-mcp"] } } };
}

function jsonText(data: unknown): string {
  return JSON.stringify(data, null, 2) + "\n";
}

/** Marketplace and plugin names: lowercase letters, digits and "-" (kebab-case). */
export function marketplaceNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) {
    return "use lowercase letters, digits and single hyphens (e.g. acme-tools)";
  }
  // Claude Code reserves the official marketplaces' names and ones that impersonate them.
  if (/anthropic|claude/.test(name)) return 'names with "anthropic" or "claude" are reserved';
  return undefined;
}

export function pluginFiles(
  skills: readonly ShippedSkill[],
  scripts: Readonly<Record<HookScript, string>>,
  options: PluginOptions,
): PluginFile[] {
  const plugin = {
    name: PLUGIN_NAME,
    version: options.version,
    description: description(),
    author: { name: options.owner },
    license: LICENSE_NAME,
    keywords: ["session", "context", "pause", "resume", "checkpoint"],
    ...(options.binaries ? { binaries: options.binaries } : {}),
  };
  const marketplace = {
    name: options.marketplace,
    owner: { name: options.owner },
    description: "mpm's skills and hooks for Claude Code, exported by `mpm plugin export`.",
    plugins: [{
      name: PLUGIN_NAME,
      source: "./",
      description: description(),
      version: options.version,
    }],
  };
  return [
    { path: ".claude-plugin/plugin.json", text: jsonText(plugin) },
    { path: ".claude-plugin/marketplace.json", text: jsonText(marketplace) },
    ...skills.map((skill) => ({ path: `skills/${skill.name}/SKILL.md`, text: skill.text })),
    { path: "hooks/hooks.json", text: jsonText(pluginHooks()) },
    { path: ".mcp.json", text: jsonText(pluginMcpServers()) },
    ...HOOK_SCRIPTS.map((script) => ({
      path: `hooks/${script}.sh`,
      text: scripts[script],
      executable: true,
    })),
    { path: "README.md", text: readme(options) },
    { path: "LICENSE", text: license },
  ];
}

function readme(options: PluginOptions): string {
  const id = `${PLUGIN_NAME}@${options.marketplace}`;
  return `# mpm for Claude Code

Exported by \`mpm plugin export\` (mpm ${options.version}). Regenerate it with the same command
after upgrading mpm; do not edit these files by hand.

Install, in Claude Code:

\`\`\`
/plugin marketplace add OWNER/REPO        (or the path of this folder)
/plugin install ${id}
\`\`\`

or from a shell: \`claude plugin marketplace add OWNER/REPO\` then \`claude plugin install ${id}\`.

The plugin holds the skills /mpm-pause, /mpm-resume, /mpm-handoff, /mpm-checkpoint, /mpm-branch,
/mpm-return and /mpm-status (Claude Code may list them as /mpm:mpm-pause and so on), and the hooks that
\`mpm hooks install\` wires, and \`mpm mcp\` as an MCP server (\`.mcp.json\`: Claude searches mpm's
records with it; \`/mcp\` in Claude Code shows it and turns it off). They run the \`mpm\` program,
which the plugin does not bring: install it once on each machine, from a shell:

\`\`\`
${INSTALL_COMMAND}
\`\`\`

The hooks look for mpm in the plugin's \`bin/\`, then MPM_BIN, then PATH, then \`~/.local/bin\`
(where the installer puts it); the skills run \`mpm\` from PATH. Without mpm, the first session
start says so in one line, and the skills answer with the same line.${
    options.binaries
      ? `

\`.claude-plugin/plugin.json\` names the release's macOS and Linux binaries, each pinned to its
sha256 (\`binaries\`). Claude Code fetches them into the plugin's \`bin/\` only for plugins of its
official marketplaces; from this marketplace, install mpm as above.`
      : ""
  }

mpm is free software under the MIT licence (LICENSE).
`;
}

/** The export's own record of what it wrote, at the folder's top (not part of the plugin). */
export const EXPORT_MANIFEST = ".mpm-export.json";

/** `.mpm-export.json`: the only export file read back. */
export const exportManifestCheck = object({
  /** The mpm that wrote the export. */
  version: string(),
  /** Each file written, "/"-separated from the folder, with the sha256 of what was written. */
  files: record(string(), string({ pattern: /^[0-9a-f]{64}$/ })),
}, "strip");
export type ExportManifest = Out<typeof exportManifestCheck>;

export function exportManifestText(files: readonly PluginFile[], version: string): string {
  const recorded = Object.fromEntries(files.map((f) => [f.path, sha256Hex(f.text)]));
  return jsonText({ version, files: recorded });
}

/** The manifest of an earlier export, or null when there is none or it is not one. */
export function parseExportManifest(text: string | undefined): ExportManifest | null {
  return checkedJson(exportManifestCheck, text);
}

/** A path the manifest may name: relative, "/"-separated, no `.` or `..` step, nothing odd. */
function isExportPath(path: string): boolean {
  const steps = path.split("/");
  return path.length <= 500 && !path.includes("\\") && !path.includes("\0") &&
    steps.every((s) => s !== "" && s !== "." && s !== "..") && !/^[A-Za-z]:/.test(path);
}

/** Files an earlier export wrote and this one does not, removed only while unchanged. */
export function retiredFiles(
  previous: ExportManifest | null,
  shipping: readonly PluginFile[],
): { path: string; sha256: string }[] {
  if (previous === null) return [];
  const now = new Set(shipping.map((f) => f.path));
  return Object.entries(previous.files)
    .filter(([path]) => !now.has(path) && path !== EXPORT_MANIFEST && isExportPath(path))
    .map(([path, sha256]) => ({ path, sha256 }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
