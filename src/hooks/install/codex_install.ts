/**
 * `mpm hooks install|uninstall --agent codex`: the hooks file, and a block in `config.toml`
 * trusting exactly mpm's hooks; uninstall restores both.
 */
import { codexAgent } from "../../agents/codex/agent.ts";
import {
  codexConfigFile,
  codexHooksFile,
  type CodexScope,
  hooksIn,
  isMpmCommand,
  keyFile,
  mpmHooksIn,
} from "../../agents/codex/hooks.ts";
import { tomlProblem } from "../../agents/codex/toml_scan.ts";
import { MpmError } from "../../kernel/errors.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import {
  blockCreated,
  blockHasMcp,
  blockTrust,
  CODEX_MCP,
  projectTrusted,
  readTheirs,
  type TrustedHook,
  trustIn,
  withBlock,
  withoutBlock,
} from "../../agents/codex/config_toml.ts";
import { codexHome } from "../../agents/codex/rollout_files.ts";
import { dirname } from "../../kernel/path.ts";
import { removeEmptyFolders, removeIfPresent } from "../../disk/files/entries.ts";
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

async function openCodex(env: Env, scope: CodexScope) {
  const at = await agentScope(env, scope, {
    what: "Codex's config",
    homeVar: "CODEX_HOME",
    dir: codexHome,
  });
  const hooksPath = codexHooksFile(scope, at.where);
  const configPath = codexConfigFile(at.home, env.vars);
  const [hooks, config] = await Promise.all([
    readSettingsFile(hooksPath, at.show(hooksPath)),
    readSettingsFile(configPath, at.show(configPath)),
  ]);
  await at.confine(configPath, true);
  await at.confine(hooksPath);
  const configShown = at.show(configPath);
  const problem = config.text === undefined ? null : tomlProblem(config.text);
  if (problem !== null) {
    throw new MpmError(
      `Refusing to change ${configShown}: it is not valid TOML (${problem}), so Codex cannot ` +
        "read it either; nothing was written.",
      `Fix ${configShown} at that line and run the command again.`,
    );
  }
  return {
    ...at,
    hooks,
    config,
    hooksShown: at.show(hooksPath),
    configShown,
    ...await trustOwners(config.text, { [hooks.path]: hooks.text }),
  };
}

/**
 * Whose hook each trust key in config.toml names, read from the hooks files the keys name: the
 * person's (Codex's hooks review may write their trust inside mpm's block) or mpm's.
 */
async function trustOwners(config: string | undefined, known: Record<string, string | undefined>) {
  const theirs = new Set<string>();
  const mpm = new Set<string>();
  const files = new Set([...trustIn(config).keys()].map(keyFile));
  for (const file of files) {
    const text = Object.hasOwn(known, file)
      ? known[file]
      : await readTextIfExists(file).catch(() => undefined);
    for (const hook of hooksIn(file, text)) {
      (isMpmCommand(hook.command) ? mpm : theirs).add(hook.key);
    }
  }
  return { theirs, mpm };
}

/**
 * The trust mpm's block records for mpm's hooks in files other than the target's (the other
 * scope, other projects) that are still there: one block serves them all, so an install or
 * uninstall here keeps theirs.
 */
function otherTrust(target: Awaited<ReturnType<typeof openCodex>>): TrustedHook[] {
  return [...blockTrust(target.config.text, target.theirs)]
    .filter(([key]) => keyFile(key) !== target.hooks.path && target.mpm.has(key))
    .map(([key, hash]) => ({ key, hash }));
}

export async function installCodex(env: Env, options: AgentOptions<CodexScope>) {
  const target = await openCodex(env, options.scope);
  const { hooksShown, configShown } = target;
  const hooksText = editedText(codexAgent.hooks.install(target.hooks.text), hooksShown);
  const theirs = readTheirs(target.config.text ?? "", target.theirs);
  const notes: string[] = [];
  // Trust each of mpm's hooks, unless the person's part of the file already keys it.
  const trust: TrustedHook[] = [];
  for (const hook of mpmHooksIn(target.hooks.path, hooksText)) {
    if (!theirs.trusted.has(hook.key)) trust.push({ key: hook.key, hash: hook.hash });
    else if (theirs.trusted.get(hook.key) !== hook.hash) {
      notes.push(
        `Your config.toml already records trust for ${hook.key} (not mpm's hash): Codex will ` +
          "skip that hook until you trust it in the Codex TUI's hooks review (/hooks).",
      );
    }
  }
  const mcp = theirs.mcp === undefined ? CODEX_MCP : undefined;
  if (theirs.mcp !== undefined) notes.push(ownServer(configShown, "an [mcp_servers.mpm]"));
  const created = [
    ...(target.hooks.text === undefined ? [target.hooks.path] : []),
    ...(target.config.text === undefined ? [target.config.path] : []),
    // What an earlier install created stays recorded.
    ...blockCreated(target.config.text),
  ];
  const kept = otherTrust(target);
  const configText = theirs.clash === undefined
    ? withBlock(target.config.text, {
      trust: [...kept, ...trust],
      mcp,
      created: [...new Set(created)],
    }, target.theirs)
    : target.config.text ?? "";
  const before = blockTrust(target.config.text, target.theirs);
  const fresh = trust.filter((t) => before.get(t.key) !== t.hash).length > 0;
  const servedBefore = blockHasMcp(target.config.text);
  if (theirs.clash !== undefined) {
    notes.push(
      `Codex will skip mpm's hooks: ${configShown} sets ${theirs.clash}, so mpm added nothing ` +
        "to it. Trust them once in the Codex TUI's hooks review (/hooks).",
    );
  }
  if (target.scope === "project" && !projectTrusted(target.config.text, target.root)) {
    notes.push(
      "Codex runs a project's hooks only in a trusted project: trust this one when Codex asks " +
        `(or set [projects.${JSON.stringify(target.root)}] trust_level = "trusted").`,
    );
  }
  const hooksChanged = hooksText !== (target.hooks.text ?? "");
  const configChanged = configText !== (target.config.text ?? "");
  if (!options.dryRun && hooksChanged) {
    await writeSettingsFile(target.hooks, hooksText, { ...target.backups, label: "codex-hooks" });
  }
  if (!options.dryRun && configChanged) {
    await writeSettingsFile(target.config, configText, {
      ...target.backups,
      label: "codex-config",
    });
  }
  const added = trust.length > 0 && theirs.clash === undefined;
  const served = mcp !== undefined && theirs.clash === undefined;
  return agentAnswer("codex", options, [
    `${addedWord(options, hooksChanged)} mpm's Codex hooks (SessionStart, Stop, SessionEnd) in ` +
    `${hooksShown}.`,
    ...(added
      ? [
        `  ${
          options.dryRun ? "Would be trusted" : fresh ? "Trusted" : "Already trusted"
        } in ${configShown} (Codex runs only hooks it trusts): ${trust.length} of mpm's hooks, nothing else.`,
      ]
      : []),
    ...(served
      ? [
        `MCP server: mpm mcp ${
          options.dryRun
            ? "would be registered"
            : servedBefore
            ? "already registered"
            : "registered"
        } for Codex ([mcp_servers.mpm] in ${configShown}).`,
      ]
      : []),
    ...notes,
  ], {
    hooks_file: hooksShown,
    hooks_changed: hooksChanged,
    config_file: configShown,
    config_changed: configChanged,
    trusted: trust.map((t) => t.key),
    mcp_server: served,
    notes,
  });
}

export async function uninstallCodex(env: Env, options: AgentOptions<CodexScope>) {
  const target = await openCodex(env, options.scope);
  const { hooksShown, configShown } = target;
  const created = new Set(blockCreated(target.config.text));
  let hooksText = target.hooks.text;
  if (hooksText !== undefined) {
    hooksText = editedText(codexAgent.hooks.uninstall(hooksText), hooksShown);
  }
  // mpm's hooks at the other scope still need their trust and the server: only this scope's go.
  const keep = otherTrust(target);
  let configText = target.config.text;
  if (configText !== undefined) {
    const mcp = keep.length > 0 && blockHasMcp(configText) ? CODEX_MCP : undefined;
    const stillCreated = keep.length > 0 ? [...created] : [];
    configText = keep.length > 0
      ? withBlock(configText, { trust: keep, mcp, created: stillCreated }, target.theirs)
      : withoutBlock(configText, target.theirs);
  }
  const hooksChanged = hooksText !== target.hooks.text;
  const configChanged = configText !== target.config.text;
  // A file mpm created goes once nothing else is in it (or, with --dry-run, would go).
  const removed: string[] = [];
  for (
    const [file, next, changed, label] of [
      [target.hooks, hooksText, hooksChanged, "codex-hooks"],
      [target.config, configText, configChanged, "codex-config"],
    ] as const
  ) {
    if (!changed || next === undefined) continue;
    const gone = created.has(file.path) && isBlank(next);
    if (gone) removed.push(target.show(file.path));
    if (options.dryRun) continue;
    if (gone) await removeIfPresent(file.path);
    else await writeSettingsFile(file, next, { ...target.backups, label });
  }
  // The folders install made for nothing else: an empty ~/.codex would pass for Codex here. A
  // CODEX_HOME the person named stays (Codex wants it to exist).
  if (!options.dryRun && (hooksChanged || configChanged)) {
    await removeEmptyFolders(
      target.scope === "user"
        ? [target.mpmFolder, ...(env.vars.CODEX_HOME ? [] : [target.dir])]
        : [dirname(target.hooks.path)],
    );
  }
  const word = removedWord(options);
  return agentAnswer("codex", options, [
    hooksChanged
      ? `${word} mpm's Codex hooks from ${hooksShown}.`
      : `${hooksShown}: no mpm hooks to remove.`,
    ...(configChanged
      ? [
        keep.length > 0
          ? `${word} the trust of these hooks from ${configShown} (the other scope's and the ` +
            "MCP server stay)."
          : `${word} mpm's trust and MCP server from ${configShown}.`,
      ]
      : []),
    ...(removed.length > 0
      ? [
        `${word.replace("✓ ", "")} ${removed.join(" and ")}: mpm had created ${
          removed.length === 1 ? "it" : "them"
        }.`,
      ]
      : []),
  ], { hooks_changed: hooksChanged, config_changed: configChanged, removed });
}
