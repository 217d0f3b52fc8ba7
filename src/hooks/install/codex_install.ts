/**
 * `mpm hooks install|uninstall --agent codex`: the hooks file, and a block in `config.toml`
 * trusting exactly mpm's hooks; uninstall restores both.
 */
import { codexAgent } from "../../agents/codex/agent.ts";
import {
  codexConfigFile,
  codexHome,
  codexHooksFile,
  type CodexScope,
  mpmHooksIn,
} from "../../agents/codex/hooks.ts";
import {
  blockCreated,
  blockHasMcp,
  blockTrust,
  projectTrusted,
  readTheirs,
  type TrustedHook,
  withBlock,
  withoutBlock,
} from "../../agents/codex/config_toml.ts";
import { join } from "../../kernel/path.ts";
import { removeIfPresent } from "../../disk/files/entries.ts";
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

interface CodexTarget {
  scope: CodexScope;
  root: string;
  home: string;
  hooks: SettingsFile;
  config: SettingsFile;
  show: (path: string) => string;
}

async function openCodex(env: Env, scope: CodexScope): Promise<CodexTarget> {
  const { root, home } = await agentPlaces(env, "Codex's config", "CODEX_HOME");
  const where = { root, home, vars: env.vars };
  const hooksPath = codexHooksFile(scope, where);
  const configPath = codexConfigFile(home, env.vars);
  const show = (path: string) => shownPath(path, root, home);
  const [hooks, config] = await Promise.all([
    readSettingsFile(hooksPath),
    readSettingsFile(configPath),
  ]);
  const codexDir = codexHome(home, env.vars);
  // The user's files: their own links (a dotfiles setup) are followed, not one git tracks.
  await refuseBorrowedPath(configPath, { inside: codexDir, project: root, ownLinks: true, show });
  await refuseBorrowedPath(hooksPath, {
    inside: scope === "user" ? codexDir : root,
    project: root,
    ownLinks: scope === "user",
    show,
  });
  return { scope, root, home, hooks, config, show };
}

/** Where the previous text of a file is kept: the project's `.claude-mpm/`, or `~/.codex/mpm/`. */
function backupsFor(target: CodexTarget, env: Env) {
  const base = target.scope === "user"
    ? join(codexHome(target.home, env.vars), "mpm")
    : join(target.root, ".claude-mpm");
  return { paths: backupFolder(base), now: env.now() };
}

export async function installCodex(
  env: Env,
  options: { scope: CodexScope; dryRun: boolean; asJson: boolean },
) {
  const target = await openCodex(env, options.scope);
  const edit = codexAgent.hooks.install(target.hooks.text);
  if (!edit.ok) throw refusal(target.show(target.hooks.path), edit.reason);
  const hooksText = edit.text;
  const theirs = readTheirs(target.config.text ?? "");
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
  const mcp = theirs.mcp === undefined
    ? { command: "sh", args: ["-c", MCP_FINDER, "mpm-mcp"] }
    : undefined;
  if (theirs.mcp !== undefined) {
    notes.push(
      `MCP server: not registered: ${target.show(target.config.path)} has an [mcp_servers.mpm] ` +
        "of its own, which is left as it is.",
    );
  }
  const created = [
    ...(target.hooks.text === undefined ? [target.hooks.path] : []),
    ...(target.config.text === undefined ? [target.config.path] : []),
    // What an earlier install created stays recorded.
    ...blockCreated(target.config.text),
  ];
  const configText = theirs.clash === undefined
    ? withBlock(target.config.text, { trust, mcp, created: [...new Set(created)] })
    : target.config.text ?? "";
  if (theirs.clash !== undefined) {
    notes.push(
      `Codex will skip mpm's hooks: ${target.show(target.config.path)} sets ${theirs.clash}, so ` +
        "mpm added nothing to it. Trust them once in the Codex TUI's hooks review (/hooks).",
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
  if (!options.dryRun) {
    if (hooksChanged) {
      await writeSettingsFile(target.hooks, hooksText, {
        ...backupsFor(target, env),
        label: "codex-hooks",
      });
    }
    if (configChanged) {
      await writeSettingsFile(target.config, configText, {
        ...backupsFor(target, env),
        label: "codex-config",
      });
    }
  }
  const lines = [
    `${
      options.dryRun ? "Would add" : hooksChanged ? "✓ Added" : "Already there:"
    } mpm's Codex hooks ` +
    `(SessionStart, Stop, SessionEnd) in ${target.show(target.hooks.path)}.`,
    ...(trust.length > 0 && theirs.clash === undefined
      ? [
        `  Trusted in ${
          target.show(target.config.path)
        } (Codex runs only hooks it trusts): ${trust.length} of mpm's hooks, nothing else.`,
      ]
      : []),
    ...(mcp && theirs.clash === undefined
      ? [
        `MCP server: mpm mcp registered for Codex ([mcp_servers.mpm] in ${
          target.show(target.config.path)
        }).`,
      ]
      : []),
    ...notes,
  ];
  if (options.asJson) {
    return json({
      agent: "codex",
      scope: target.scope,
      dry_run: options.dryRun,
      hooks_file: target.show(target.hooks.path),
      hooks_changed: hooksChanged,
      config_file: target.show(target.config.path),
      config_changed: configChanged,
      trusted: trust.map((t) => t.key),
      mcp_server: mcp !== undefined && theirs.clash === undefined,
      notes,
    });
  }
  return text(lines);
}

export async function uninstallCodex(
  env: Env,
  options: { scope: CodexScope; dryRun: boolean; asJson: boolean },
) {
  const target = await openCodex(env, options.scope);
  const created = new Set(blockCreated(target.config.text));
  let hooksText = target.hooks.text;
  if (hooksText !== undefined) {
    const edit = codexAgent.hooks.uninstall(hooksText);
    if (!edit.ok) throw refusal(target.show(target.hooks.path), edit.reason);
    hooksText = edit.text;
  }
  // mpm's hooks at the other scope still need their trust and the server: only this scope's go.
  const other = codexHooksFile(target.scope === "user" ? "project" : "user", {
    root: target.root,
    home: target.home,
    vars: env.vars,
  });
  const otherFile = await readSettingsFile(other).catch(() => undefined);
  const stillTrusted = mpmHooksIn(other, otherFile?.text);
  let configText = target.config.text;
  if (configText !== undefined) {
    const keep = [...blockTrust(configText)].filter(([key]) =>
      stillTrusted.some((h) => h.key === key)
    ).map(([key, hash]) => ({ key, hash }));
    const mcp = keep.length > 0 && blockHasMcp(configText)
      ? { command: "sh", args: ["-c", MCP_FINDER, "mpm-mcp"] }
      : undefined;
    const stillCreated = keep.length > 0 ? [...created] : [];
    configText = keep.length > 0
      ? withBlock(configText, { trust: keep, mcp, created: stillCreated })
      : withoutBlock(configText);
  }
  const hooksChanged = hooksText !== target.hooks.text;
  const configChanged = configText !== target.config.text;
  const lines: string[] = [];
  const removed: string[] = [];
  if (!options.dryRun) {
    const backups = backupsFor(target, env);
    for (
      const [file, next, changed, label] of [
        [target.hooks, hooksText, hooksChanged, "codex-hooks"],
        [target.config, configText, configChanged, "codex-config"],
      ] as const
    ) {
      if (!changed || next === undefined) continue;
      if (created.has(file.path) && isBlank(next)) {
        await removeIfPresent(file.path);
        removed.push(target.show(file.path));
      } else await writeSettingsFile(file, next, { ...backups, label });
    }
  }
  lines.push(
    hooksChanged
      ? `✓ Removed mpm's Codex hooks from ${target.show(target.hooks.path)}.`
      : `${target.show(target.hooks.path)}: no mpm hooks to remove.`,
  );
  if (configChanged) {
    lines.push(`✓ Removed mpm's trust and MCP server from ${target.show(target.config.path)}.`);
  }
  if (removed.length > 0) lines.push(`Removed ${removed.join(" and ")}: mpm had created them.`);
  if (options.asJson) {
    return json({
      agent: "codex",
      scope: target.scope,
      dry_run: options.dryRun,
      hooks_changed: hooksChanged,
      config_changed: configChanged,
      removed,
    });
  }
  return text(lines);
}
