/**
 * `mpm hooks install|uninstall --agent gemini`, into the user's settings by default: a trusted
 * project's hooks run for every teammate.
 */
import { geminiAgent } from "../../agents/gemini/agent.ts";
import {
  geminiContainers,
  geminiPolicyFile,
  type GeminiScope,
  geminiSettingsFile,
  isServer,
  mcpServerIn,
  MPM_POLICY,
  withMcpServer,
  withoutMcpServer,
} from "../../agents/gemini/hooks.ts";
import { geminiFolder } from "../../agents/gemini/chat_files.ts";
import { dirname, join } from "../../kernel/path.ts";
import { removeEmptyFolders, removeIfPresent } from "../../disk/files/entries.ts";
import { ensureDir } from "../../disk/files/confine/folders.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import { writeAtomic } from "../../disk/files/atomic.ts";
import type { Env } from "../../cli/env.ts";
import {
  addedWord,
  agentAnswer,
  type AgentOptions,
  agentScope,
  editedText,
  isBlank,
  ownServer,
  readSettingsFile,
  removedWord,
  writeSettingsFile,
} from "./settings/settings_file.ts";
import { MCP_COMMAND as SERVER } from "./mcp_entry.ts";

type GeminiTarget = Awaited<ReturnType<typeof openGemini>>;

async function openGemini(env: Env, scope: GeminiScope) {
  const at = await agentScope(env, scope, {
    what: "Gemini's settings",
    homeVar: "GEMINI_CLI_HOME",
    dir: geminiFolder,
  });
  const path = geminiSettingsFile(scope, at.where);
  await at.confine(path);
  const policy = geminiPolicyFile(at.home, env.vars);
  return {
    ...at,
    settings: await readSettingsFile(path, at.show(path)),
    shown: at.show(path),
    policy,
    policyShown: at.show(policy),
    backups: { ...at.backups, label: `gemini-${scope}` },
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

async function readNote(target: GeminiTarget): Promise<InstallNote | undefined> {
  const text = await readTextIfExists(join(target.mpmFolder, NOTE_FILE), NOTE_MAX_BYTES)
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

async function writeNote(target: GeminiTarget, note: InstallNote | null) {
  const folder = target.mpmFolder;
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

export async function installGemini(env: Env, options: AgentOptions<GeminiScope>) {
  const target = await openGemini(env, options.scope);
  const { shown, policyShown } = target;
  const before = target.settings.text;
  const notes: string[] = [];
  let next = editedText(geminiAgent.hooks.install(before), shown);
  const other = mcpServerIn(next, "mpm");
  let mcp = false;
  if (other !== undefined && !isServer(other, SERVER)) {
    notes.push(ownServer(shown, 'an "mpm" server'));
  } else {
    next = editedText(withMcpServer(next, "mpm", SERVER), shown);
    mcp = true;
  }
  const changed = next !== (before ?? "");
  if (!options.dryRun && changed) {
    // What was the person's before mpm's first install here (an earlier one's note stands).
    const note = await readNote(target) ?? {
      settings: target.settings.path,
      created: before === undefined,
      kept: geminiContainers(before),
    };
    await writeNote(target, note);
    if (before === undefined) await ensureDir(dirname(target.settings.path));
    await writeSettingsFile(target.settings, next, target.backups);
  }
  const policy = mcp && target.scope === "user" ? await placePolicy(target, options) : null;
  if (policy === "theirs") {
    notes.push(
      `${policyShown} is not mpm's: left as it is (mpm's read-only tools ask before they run, ` +
        "and gemini -p offers none of them).",
    );
  }
  const placed = policy === "placed" || policy === "there";
  return agentAnswer("gemini", options, [
    `${addedWord(options, changed)} mpm's Gemini hooks (SessionStart, AfterAgent, SessionEnd) ` +
    `in ${shown}.`,
    ...(mcp
      ? [
        `MCP server: mpm mcp ${
          options.dryRun ? "would be registered" : "registered"
        } for Gemini (mcpServers.mpm in ${shown}).`,
      ]
      : []),
    ...(placed
      ? [
        `  Its read-only tools ${
          options.dryRun ? "would run" : "run"
        } without a question (${policyShown}); todo_add and todo_done ask.`,
      ]
      : []),
    ...(target.scope === "project" ? PROJECT_WARNING : []),
    ...notes,
  ], { settings_file: shown, changed, mcp_server: mcp, policy: policy ?? "none", notes });
}

export async function uninstallGemini(env: Env, options: AgentOptions<GeminiScope>) {
  const target = await openGemini(env, options.scope);
  const { shown } = target;
  const before = target.settings.text;
  const note = await readNote(target);
  const kept = note?.kept ?? [];
  let next = before;
  if (before !== undefined) {
    const hooks = editedText(geminiAgent.hooks.uninstall(before, "", kept), shown);
    next = withoutMcpServer(hooks, "mpm", SERVER, kept);
  }
  const changed = next !== before;
  // A file install created goes once nothing else is in it.
  const empty = next !== undefined && note?.created === true && isBlank(next);
  if (!options.dryRun && changed && next !== undefined) {
    if (empty) await removeIfPresent(target.settings.path);
    else await writeSettingsFile(target.settings, next, target.backups);
    await writeNote(target, null);
  }
  const policyGone = target.scope === "user" && !options.dryRun &&
    await readTextIfExists(target.policy).catch(() => undefined) === MPM_POLICY;
  if (policyGone) await removeIfPresent(target.policy);
  // The folders install made for nothing else: an empty ~/.gemini would pass for Gemini here.
  if (!options.dryRun && changed) {
    await removeEmptyFolders(
      target.scope === "user"
        ? [dirname(target.policy), target.mpmFolder, target.dir]
        : [dirname(target.settings.path)],
    );
  }
  const word = removedWord(options);
  return agentAnswer("gemini", options, [
    changed
      ? `${word} mpm's Gemini hooks and MCP server from ${shown}.`
      : `${shown}: nothing of mpm's to remove.`,
    ...(changed && empty ? [`${word.replace("✓ ", "")} ${shown}: nothing else was in it.`] : []),
  ], { settings_file: shown, changed, removed: changed && empty });
}

/** mpm's policy file: placed, already there, or a file of that name not mpm's (left alone). */
async function placePolicy(
  target: GeminiTarget,
  options: { dryRun: boolean },
): Promise<"placed" | "there" | "theirs"> {
  const path = target.policy;
  await target.confine(path, true);
  const now = await readTextIfExists(path).catch(() => null);
  if (now === MPM_POLICY) return "there";
  if (now !== undefined) return "theirs";
  if (!options.dryRun) {
    await ensureDir(dirname(path));
    await writeAtomic(path, MPM_POLICY, { root: dirname(path) });
  }
  return "placed";
}
