/**
 * `mpm mcp` registered in the project's local scope of `~/.claude.json`, where no repository can
 * commit a server; the edit is redone if Claude Code rewrote the file meanwhile.
 */
import { join } from "../../kernel/path.ts";
import { isRecord } from "../../kernel/check.ts";
import { discardStaged, placeStaged, removeFile, stageAtomic } from "../../disk/files/atomic.ts";
import { lstatIfExists } from "../../disk/read/stat.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import {
  holdsBytes,
  OthersFileError,
  readOthersText,
} from "../../disk/files/shared/others_file.ts";
import { setMode } from "../../disk/files/entries.ts";
import { gitTracks, jsonObject, realOr } from "./settings/settings_file.ts";
import {
  type AddedLevel,
  localServers,
  withLocalServer,
  withoutLocalServer,
} from "../../claude/settings/mcp/claude_json.ts";
import {
  SharedFileBusy,
  type SharedLockOptions,
  withSharedLock,
} from "../../disk/files/shared/shared_lock.ts";
import {
  type InstallRecord,
  readInstallRecord,
  writeInstallRecord,
} from "./settings/install_record.ts";
import type { ScriptHome } from "./store.ts";

export const MCP_SERVER = "mpm";

/** Where a project's own MCP servers are, at its root. */
export const MCP_FILE = ".mcp.json";

/** The server's command: mpm found as the hooks find it, or one line on stderr. */
export const MCP_FINDER = 'for m in "${MPM_BIN:-}" "$(command -v mpm)" "$HOME/.local/bin/mpm"; ' +
  'do [ -n "$m" ] && [ -x "$m" ] && exec "$m" mcp; done; ' +
  'echo "mpm mcp: mpm is not installed (put it on PATH or set MPM_BIN)." >&2; exit 1';

/** mpm's server as every agent's settings run it. */
export const MCP_COMMAND: { command: string; args: readonly string[] } = {
  command: "sh",
  args: ["-c", MCP_FINDER, "mpm-mcp"],
};

/** mpm's server, in the shape `claude mcp add --scope local` writes. */
export function mcpEntry(): { type: "stdio"; command: string; args: string[]; env: object } {
  return { type: "stdio", ...MCP_COMMAND, args: [...MCP_COMMAND.args], env: {} };
}

/** Quoted for a POSIX shell: MCP_FINDER holds no `'`, and this keeps it so. */
const shellWord = (word: string) => `'${word.replaceAll("'", `'"'"'`)}'`;

/** `claude mcp add --scope local`, which writes exactly mcpEntry() (checked with 2.1.330). */
export function mcpAddCommand(): string {
  const [flag, finder, name] = mcpEntry().args;
  return `claude mcp add --scope local ${MCP_SERVER} -- sh ${flag} ${shellWord(finder)} ${name}`;
}

/** Whether a registered server is mpm's own: its command, whatever `type` and empty `env`. */
export function isMpmEntry(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { type, env, ...rest } = value as Record<string, unknown>;
  const noEnv = env === undefined ||
    (env !== null && typeof env === "object" && Object.keys(env).length === 0);
  return (type === undefined || type === "stdio") && noEnv &&
    JSON.stringify(rest) === JSON.stringify({ command: "sh", args: mcpEntry().args });
}

type Json = Record<string, unknown>;

/** The servers a project's `.mcp.json` names, by name; empty when it names none. Pure. */
export function projectServerNames(text: string | undefined): string[] {
  const servers = jsonObject(text)?.mcpServers;
  return servers !== null && typeof servers === "object" && !Array.isArray(servers)
    ? Object.keys(servers)
    : [];
}

/** Claude Code's list of approved `.mcp.json` servers. */
const APPROVED = "enabledMcpjsonServers";
/** Claude Code's switch that approves every `.mcp.json` server. */
const APPROVE_ALL = "enableAllProjectMcpServers";

/** What a settings text approves of `.mcp.json` by itself: `mpm` by name, or every server. Pure. */
export function projectApprovals(text: string | undefined): { mpm: boolean; all: boolean } {
  return approvalsIn(jsonObject(text));
}

/** What settings' values approve of `.mcp.json`: `mpm` by name, or every server. Pure. */
export function approvalsIn(values: unknown): { mpm: boolean; all: boolean } {
  const data = isRecord(values) ? values : {};
  const list = data[APPROVED];
  return { mpm: Array.isArray(list) && list.includes(MCP_SERVER), all: data[APPROVE_ALL] === true };
}

/** Where mpm registers its server: Claude Code's state file and the project's key in it. */
export interface Registry {
  /** `~/.claude.json` (claude_json.ts `claudeJsonPath`). */
  file: string;
  /** The project as Claude Code keys it: its main work tree, links resolved. */
  project: string;
  /** The scripts folder whose install record keeps what install added (store.ts). */
  home: ScriptHome;
}

/** The project's key in `~/.claude.json`: Claude Code's for the main work tree `root`. */
export function registryProject(root: string): Promise<string> {
  return realOr(root);
}

const same = (value: unknown) => isMpmEntry(value);

/** How many times an edit is made again when Claude Code wrote the file meanwhile. */
const TRIES = 20;

/** Edits `path` under Claude Code's own lock, redone if it changed before the rename. */
export function editShared<T extends { text: string | undefined } | null>(
  path: string,
  edit: (text: string | undefined) => T,
  lock: SharedLockOptions = {},
): Promise<T> {
  return withSharedLock(path, () => editUnlocked(path, edit, lock.shown ?? path), lock);
}

async function editUnlocked<T extends { text: string | undefined } | null>(
  path: string,
  edit: (text: string | undefined) => T,
  shown: string,
): Promise<T> {
  const real = await realOr(path);
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const before = await readOthersText(real);
    const mode = (await lstatIfExists(real))?.mode ?? null;
    const result = edit(before?.text);
    if (result === null || result.text === before?.text) return result;
    if (result.text === undefined) {
      if (!(await holdsBytes(real, before?.bytes))) continue;
      await removeFile(real, { root: join(real, "..") });
      return result;
    }
    const staged = await stageAtomic(real, result.text, { root: join(real, "..") });
    if (!(await holdsBytes(real, before?.bytes))) {
      await discardStaged([staged]);
      continue;
    }
    await placeStaged([staged]);
    if (Deno.build.os !== "windows" && mode !== null && (mode & 0o777) !== 0o600) {
      await setMode(real, mode & 0o777);
    }
    return result;
  }
  throw new SharedFileBusy(
    `${shown} kept changing while mpm edited it (Claude Code writes it as it runs); nothing was ` +
      "changed there.",
    "Run the command again.",
  );
}

/** The line the install report gives; the file is written unless `dryRun`. */
export async function registerMcpServer(
  registry: Registry,
  shown: string,
  dryRun: boolean,
): Promise<string> {
  const edit = (text: string | undefined) => {
    const result = withLocalServer(text, registry.project, MCP_SERVER, mcpEntry(), same);
    return "problem" in result ? null : result;
  };
  const unreadable = (error: OthersFileError) =>
    `MCP server: not registered: ${shown} ${unreadableClause(error.reason)}; mpm left it as it ` +
    `is. To register mpm's server yourself, run in the project: ${mcpAddCommand()}`;
  let text: string | undefined;
  try {
    text = (await readOthersText(await realOr(registry.file)))?.text;
  } catch (error) {
    if (!(error instanceof OthersFileError)) throw error;
    return unreadable(error);
  }
  const planned = withLocalServer(text, registry.project, MCP_SERVER, mcpEntry(), same);
  if ("problem" in planned) {
    return `MCP server: not registered: ${unregistrable(planned, shown)}${
      planned.invalidJson === undefined
        ? "."
        : ": fix it by hand, then run `mpm hooks install` again."
    }`;
  }
  if (!planned.changed) {
    return `MCP server: "${MCP_SERVER}" (\`mpm mcp\`) is registered already (${shown}, this ` +
      "project's local scope).";
  }
  if (!dryRun) {
    let done;
    try {
      done = await editShared(registry.file, edit, { shown });
    } catch (error) {
      if (error instanceof OthersFileError) return unreadable(error);
      if (!(error instanceof SharedFileBusy)) throw error;
      return `MCP server: not registered: ${error.message} Run \`mpm hooks install\` again ` +
        "to register it.";
    }
    if (done === null) return await registerMcpServer(registry, shown, dryRun);
    const record = await readInstallRecord(registry.home.dir);
    const added = [...new Set([...addedBefore(record, registry), ...done.added])];
    const mcp = { file: registry.file, project: registry.project, added };
    await writeInstallRecord(registry.home.dir, { ...record, mcp }, registry.home.root);
  }
  return `MCP server: "${MCP_SERVER}" (\`mpm mcp\`) ${dryRun ? "would be " : ""}registered` +
    ` in ${shown} for this project (Claude Code's local scope: yours alone, no approval by ` +
    "name): Claude can search mpm's records.";
}

/** What install added to the registry, as the install record keeps it. */
function addedBefore(record: InstallRecord, registry: Registry) {
  const { mcp } = record;
  return mcp?.file === registry.file && mcp.project === registry.project ? mcp.added : [];
}

/** OthersFileError's reason as the rest of a sentence naming the file. Pure. */
export function unreadableClause(reason: string): string {
  return reason.replace(/^it /, "");
}

/** Why mpm's server cannot be registered in `shown` (no full stop). Pure. */
export function unregistrable(
  planned: { problem: string; invalidJson?: string },
  shown: string,
): string {
  return planned.invalidJson === undefined
    ? `in ${shown}, ${planned.problem} for this project (yours: left as it is)`
    : `${shown} is not valid JSON (${planned.invalidJson}), and mpm left it as it is`;
}

/** mpm's server in `~/.claude.json` as doctor tells it. Pure. */
export function mcpRegistration(
  text: string | undefined,
  project: string,
):
  | { state: "registered" }
  | { state: "missing" }
  | { state: "other"; other: unknown }
  | { state: "problem"; problem: string; invalidJson?: string } {
  const found = registeredMpm(text, project);
  if (found !== undefined) {
    return found.ours ? { state: "registered" } : { state: "other", other: found.other };
  }
  const planned = withLocalServer(text, project, MCP_SERVER, mcpEntry(), same);
  return "problem" in planned ? { state: "problem", ...planned } : { state: "missing" };
}

/** The line the uninstall report gives, or null when nothing of mpm's was registered. */
export async function unregisterMcpServer(
  registry: Registry,
  shown: string,
  dryRun: boolean,
): Promise<string | null> {
  const record = await readInstallRecord(registry.home.dir);
  const added = addedBefore(record, registry);
  const edit = (text: string | undefined) => {
    const next = withoutLocalServer(text, registry.project, MCP_SERVER, same, added);
    return next === null ? null : { text: next };
  };
  const left = (reason: string) =>
    `MCP server: not looked for: ${shown} ${unreadableClause(reason)}; mpm left it as it is. ` +
    `If you registered mpm's server there, run in the project: claude mcp remove --scope local ${MCP_SERVER}`;
  let text: string | undefined;
  try {
    text = (await readOthersText(await realOr(registry.file)))?.text;
  } catch (error) {
    if (!(error instanceof OthersFileError)) throw error;
    return record.mcp ? left(error.reason) : null;
  }
  if (edit(text) === null) return null;
  if (!dryRun) {
    try {
      await editShared(registry.file, edit, { shown });
    } catch (error) {
      if (error instanceof OthersFileError) return left(error.reason);
      if (!(error instanceof SharedFileBusy)) throw error;
      return `MCP server: left in ${shown}: ${error.message} Run \`mpm hooks uninstall\` ` +
        "again to remove it.";
    }
    if (record.mcp) {
      const { mcp: _, ...rest } = record;
      await writeInstallRecord(registry.home.dir, rest, registry.home.root);
    }
  }
  return `MCP server: "${MCP_SERVER}" ${dryRun ? "would be " : ""}removed from ${shown}.`;
}

/** Whether git tracks `name` at the project's root. */
const tracked = (root: string, name: string) => gitTracks(root, join(root, name));

/** What a clone's files approve of its own `.mcp.json`, one sentence each. */
export async function borrowedApprovals(root: string, approved = false): Promise<string[]> {
  const said: string[] = [];
  const mcp = await readTextIfExists(join(root, MCP_FILE)).catch(() => undefined);
  const names = projectServerNames(mcp);
  // An approved one is said by approved_server.ts, with what it runs.
  if (names.includes(MCP_SERVER) && !approved) {
    said.push(
      `${MCP_FILE} names a server "${MCP_SERVER}" of its own${
        isMpmEntry((jsonObject(mcp)?.mcpServers as Json)[MCP_SERVER]) ? "" : " (not mpm's command)"
      }: mpm does not approve it; Claude Code runs mpm's own, registered for you alone.`,
    );
  }
  for (const name of [".claude/settings.json", ".claude/settings.local.json"]) {
    if (!(await tracked(root, name))) continue;
    const text = await readTextIfExists(join(root, name)).catch(() => undefined);
    const approval = approvalSentence(name, projectApprovals(text));
    if (approval !== undefined) said.push(approval);
  }
  return said;
}

/** What committed settings `name` approve of `.mcp.json`, in one sentence, or undefined. Pure. */
export function approvalSentence(
  name: string,
  approves: { mpm: boolean; all: boolean },
): string | undefined {
  const all = `turns on every server of ${MCP_FILE} (${APPROVE_ALL}: true)`;
  const mpm = `approves ${MCP_FILE}'s "${MCP_SERVER}" server by name (${APPROVED})`;
  if (approves.all && approves.mpm) {
    return `${name}, committed, ${all} and ${mpm}: a cloned repository's servers would run ` +
      `unasked; remove both (mpm's own server needs no approval) unless you trust them.`;
  }
  if (approves.all) {
    return `${name}, committed, ${all}: a cloned repository's servers would run unasked; ` +
      "remove it unless you trust them.";
  }
  if (approves.mpm) {
    return `${name}, committed, ${mpm}: a cloned repository's server of that name would run ` +
      "unasked; remove that, as mpm's own server needs no approval.";
  }
  return undefined;
}

/** The project's registered servers (local scope) other than mpm's own, named `mpm` or not. */
export function registeredMpm(
  text: string | undefined,
  project: string,
): { ours: boolean; other: unknown } | undefined {
  const value = localServers(text, project)?.[MCP_SERVER];
  return value === undefined ? undefined : { ours: isMpmEntry(value), other: value };
}

export type { AddedLevel };
