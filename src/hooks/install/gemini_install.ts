/**
 * `mpm hooks install|uninstall --agent gemini`, into the user's settings by default: a trusted
 * project's hooks run for every teammate.
 */
import { geminiAgent } from "../../agents/gemini/agent.ts";
import {
  geminiContainers,
  geminiDir,
  geminiPolicyFile,
  type GeminiScope,
  geminiSettingsFile,
  type McpServer,
  mcpServerIn,
  MPM_POLICY,
  withMcpServer,
  withoutMcpServer,
} from "../../agents/gemini/hooks.ts";
import { dirname, join } from "../../kernel/path.ts";
import { removeIfPresent } from "../../disk/files/entries.ts";
import { ensureDir } from "../../disk/files/confine/folders.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import { writeAtomic } from "../../disk/files/atomic.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import {
  agentPlaces,
  backupFolder,
  isBlank,
  readSettingsFile,
  refusal,
  refuseBorrowedPath,
  type SettingsFile,
  shownPath,
  writeSettingsFile,
} from "./settings/settings_file.ts";
import { MCP_FINDER } from "./mcp_entry.ts";

/** mpm's server as Gemini's settings hold it: the command the other agents run. */
const SERVER: McpServer = { command: "sh", args: ["-c", MCP_FINDER, "mpm-mcp"] };

interface GeminiTarget {
  scope: GeminiScope;
  root: string;
  home: string;
  settings: SettingsFile;
  show: (path: string) => string;
}

async function openGemini(env: Env, scope: GeminiScope): Promise<GeminiTarget> {
  const { root, home } = await agentPlaces(env, "Gemini's settings", "GEMINI_CLI_HOME");
  const path = geminiSettingsFile(scope, { root, home, vars: env.vars });
  const show = (at: string) => shownPath(at, root, home);
  // The user's files: their own links (a dotfiles setup) are followed, not one git tracks.
  await refuseBorrowedPath(path, {
    inside: scope === "user" ? geminiDir(home, env.vars) : root,
    project: root,
    ownLinks: scope === "user",
    show,
  });
  return { scope, root, home, settings: await readSettingsFile(path), show };
}

/** mpm's folder for a scope: `~/.gemini/mpm/`, or the project's `.claude-mpm/`. */
function mpmFolder(target: GeminiTarget, env: Env): string {
  return target.scope === "user"
    ? join(geminiDir(target.home, env.vars), "mpm")
    : join(target.root, ".claude-mpm");
}

/** Where the previous text is kept: `backups/settings/` in mpm's folder of the scope. */
function backupsFor(target: GeminiTarget, env: Env) {
  return {
    paths: backupFolder(mpmFolder(target, env)),
    now: env.now(),
    label: `gemini-${target.scope}`,
  };
}

/** What install found (a made file, the person's containers), so uninstall gives the same bytes. */
interface InstallNote {
  settings: string;
  created: boolean;
  kept: string[];
}

const NOTE_FILE = "gemini-install.json";
const NOTE_MAX_BYTES = 4096;

async function readNote(target: GeminiTarget, env: Env): Promise<InstallNote | undefined> {
  const text = await readTextIfExists(join(mpmFolder(target, env), NOTE_FILE), NOTE_MAX_BYTES)
    .catch(() => undefined);
  try {
    const note = JSON.parse(text ?? "");
    const good = note?.settings === target.settings.path && typeof note.created === "boolean" &&
      Array.isArray(note.kept) && note.kept.every((k: unknown) => typeof k === "string");
    return good ? { settings: note.settings, created: note.created, kept: note.kept } : undefined;
  } catch {
    return undefined;
  }
}

async function writeNote(target: GeminiTarget, env: Env, note: InstallNote | null) {
  const folder = mpmFolder(target, env);
  const path = join(folder, NOTE_FILE);
  if (note === null) return void await removeIfPresent(path);
  await ensureDir(folder);
  await writeAtomic(path, JSON.stringify(note) + "\n", { root: folder });
}

/** The lines that say which scope is the safe one, for a project install. */
const PROJECT_WARNING = [
  "  Gemini runs a project's hooks in every clone of this repository that someone trusts, and",
  "  trusts them itself: commit .gemini/settings.json only if every teammate runs mpm. For",
  "  yourself alone, `mpm hooks install --agent gemini` (the user's settings) is the safe one.",
];

export async function installGemini(
  env: Env,
  options: { scope: GeminiScope; dryRun: boolean; asJson: boolean },
) {
  const target = await openGemini(env, options.scope);
  const before = target.settings.text;
  const hooks = geminiAgent.hooks.install(before);
  if (!hooks.ok) throw refusal(target.show(target.settings.path), hooks.reason);
  const notes: string[] = [];
  let next = hooks.text;
  const other = mcpServerIn(next, "mpm");
  let mcp = false;
  if (other !== undefined && JSON.stringify(other) !== JSON.stringify(SERVER)) {
    notes.push(
      `MCP server: not registered: ${target.show(target.settings.path)} has an ` +
        '"mpm" server of its own, which is left as it is.',
    );
  } else {
    const served = withMcpServer(next, "mpm", SERVER);
    if (!served.ok) throw refusal(target.show(target.settings.path), served.reason);
    next = served.text;
    mcp = true;
  }
  const changed = next !== (before ?? "");
  if (!options.dryRun && changed) {
    // What was the person's before mpm's first install here (an earlier one's note stands).
    const note = await readNote(target, env) ?? {
      settings: target.settings.path,
      created: before === undefined,
      kept: geminiContainers(before),
    };
    await writeNote(target, env, note);
    if (before === undefined) await ensureDir(dirname(target.settings.path));
    await writeSettingsFile(target.settings, next, backupsFor(target, env));
  }
  const policy = mcp && target.scope === "user" ? await placePolicy(target, env, options) : null;
  if (policy === "theirs") {
    notes.push(
      `${target.show(policyPath(target, env))} is not mpm's: left as it is (mpm's read-only ` +
        "tools ask before they run, and gemini -p offers none of them).",
    );
  }
  const shown = target.show(target.settings.path);
  const lines = [
    `${
      options.dryRun ? "Would add" : changed ? "✓ Added" : "Already there:"
    } mpm's Gemini hooks (SessionStart, AfterAgent, SessionEnd) in ${shown}.`,
    ...(mcp ? [`MCP server: mpm mcp registered for Gemini (mcpServers.mpm in ${shown}).`] : []),
    ...(policy === "placed" || policy === "there"
      ? [
        `  Its read-only tools run without a question (${
          target.show(policyPath(target, env))
        }); todo_add and todo_done ask.`,
      ]
      : []),
    ...(target.scope === "project" ? PROJECT_WARNING : []),
    ...notes,
  ];
  if (options.asJson) {
    return json({
      agent: "gemini",
      scope: target.scope,
      dry_run: options.dryRun,
      settings_file: shown,
      changed,
      mcp_server: mcp,
      policy: policy ?? "none",
      notes,
    });
  }
  return text(lines);
}

export async function uninstallGemini(
  env: Env,
  options: { scope: GeminiScope; dryRun: boolean; asJson: boolean },
) {
  const target = await openGemini(env, options.scope);
  const before = target.settings.text;
  const shown = target.show(target.settings.path);
  const note = await readNote(target, env);
  const kept = note?.kept ?? [];
  let next = before;
  if (before !== undefined) {
    const hooks = geminiAgent.hooks.uninstall(before, "", kept);
    if (!hooks.ok) throw refusal(target.show(target.settings.path), hooks.reason);
    next = withoutMcpServer(hooks.text, "mpm", SERVER, kept);
  }
  const changed = next !== before;
  // A file install created goes once nothing else is in it.
  const empty = next !== undefined && note?.created === true && isBlank(next);
  if (!options.dryRun && changed && next !== undefined) {
    if (empty) await removeIfPresent(target.settings.path);
    else await writeSettingsFile(target.settings, next, backupsFor(target, env));
    await writeNote(target, env, null);
  }
  const policyGone = target.scope === "user" && !options.dryRun &&
    await readTextIfExists(policyPath(target, env)).catch(() => undefined) === MPM_POLICY;
  if (policyGone) await removeIfPresent(policyPath(target, env));
  const lines = [
    changed
      ? `✓ Removed mpm's Gemini hooks and MCP server from ${shown}.`
      : `${shown}: nothing of mpm's to remove.`,
    ...(changed && empty ? [`Removed ${shown}: nothing else was in it.`] : []),
  ];
  if (options.asJson) {
    return json({
      agent: "gemini",
      scope: target.scope,
      dry_run: options.dryRun,
      settings_file: shown,
      changed,
      removed: changed && empty,
    });
  }
  return text(lines);
}

function policyPath(target: GeminiTarget, env: Env): string {
  return geminiPolicyFile(target.home, env.vars);
}

/** mpm's policy file: placed, already there, or a file of that name not mpm's (left alone). */
async function placePolicy(
  target: GeminiTarget,
  env: Env,
  options: { dryRun: boolean },
): Promise<"placed" | "there" | "theirs"> {
  const path = policyPath(target, env);
  await refuseBorrowedPath(path, {
    inside: geminiDir(target.home, env.vars),
    project: target.root,
    ownLinks: true,
    show: target.show,
  });
  const now = await readTextIfExists(path).catch(() => null);
  if (now === MPM_POLICY) return "there";
  if (now !== undefined) return "theirs";
  if (!options.dryRun) {
    await ensureDir(dirname(path));
    await writeAtomic(path, MPM_POLICY, { root: dirname(path) });
  }
  return "placed";
}
