/** `mpm hooks uninstall` for Claude Code: mpm's entries, scripts and registration taken out. */
import { isBlank, writeSettingsFile } from "./settings/settings_file.ts";
import { unregisterMcpServer } from "./mcp_entry.ts";
import { approvedProjectServer, approvedServerNote, claudeEntryReader } from "./approved_server.ts";
import { removeScripts } from "./store.ts";
import { withoutAllowed } from "./mcp_allow.ts";
import {
  createdByInstall,
  keptContainers,
  noteSettings,
  readInstallRecord,
  removeCreated,
} from "./settings/install_record.ts";
import { boolFlag, type Parsed } from "../../cli/command.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { uninstallCodex } from "./codex_install.ts";
import { uninstallGemini } from "./gemini_install.ts";
import {
  agentOf,
  agentOptions,
  backupsOf,
  openTarget,
  refuseBorrowed,
  REGISTERED,
  registryOf,
  scopeOf,
  settingsDiff,
  settingsFolderLimit,
  show,
  wiredScopes,
  withoutMpm,
  worktreeLine,
} from "./settings_target.ts";

export async function uninstall(env: Env, parsed: Parsed) {
  const agent = agentOf(parsed);
  if (agent === "codex") return await uninstallCodex(env, agentOptions(parsed, "codex"));
  if (agent === "gemini") return await uninstallGemini(env, agentOptions(parsed, "gemini"));
  const target = await openTarget(env, scopeOf(parsed));
  await refuseBorrowed(target);
  const dryRun = boolFlag(parsed, "dry-run") ?? false;
  const home = target.scripts.home;
  const keep = await keptContainers(home.dir, target.file.path);
  const edit = target.file.text === undefined
    ? undefined
    : withoutMpm(target, target.file.text, keep);
  const next = await withoutAllowed(home.dir, target.file.path, edit?.text);
  const statusLine = edit?.statusLine ?? "none";
  const changed = next !== undefined && next !== target.file.text;
  const asJson = boolFlag(parsed, "json") ?? false;
  // --json: what was (or would be) done, in the same order as the lines below.
  const report = {
    scope: target.scope,
    dry_run: dryRun,
    settings: { shown: target.shown, changed, backup: null as string | null, removed: false },
    status_line: statusLine,
    ...(dryRun && changed ? { diff: settingsDiff(target, next) } : {}),
    scripts: {
      removed: [] as string[],
      kept: [] as string[],
      foreign: [] as string[],
      still_wired_in: [] as string[],
    },
  };
  const lines: string[] = worktreeLine(env, target);
  // A settings file install created, left empty, goes with its created folder.
  const emptied = (text: string) => text === target.file.text && isBlank(next);
  const limit = { upTo: settingsFolderLimit(target), root: home.root };
  // What install made, before the settings file's removal forgets its folders.
  const made = new Set((await readInstallRecord(home.dir)).created);
  if (!changed) {
    lines.push(`${target.shown}: no mpm hooks to remove.`);
    // One the person deleted since: its record and empty folder go all the same.
    if (!dryRun && target.file.text === undefined) {
      await removeCreated(home.dir, target.file.path, () => false, limit);
    }
  } else if (dryRun) {
    lines.push(
      "Dry run: nothing was written.",
      "",
      settingsDiff(target, next),
    );
    if (isBlank(next) && await createdByInstall(home.dir, target.file.path)) {
      lines.push(
        "",
        `${target.shown} would be removed: mpm created it, and nothing else is in it.`,
      );
    }
  } else if ((await removeCreated(home.dir, target.file.path, emptied, limit)).length > 0) {
    lines.push(
      `✓ Removed mpm's hooks from ${target.shown}; mpm had created the file and nothing else ` +
        "was in it, so it is gone (with its folder, when mpm made that too and it is empty).",
    );
    report.settings.removed = true;
  } else {
    const backup = await writeSettingsFile(target.file, next, {
      paths: backupsOf(target),
      label: target.scope,
      now: env.now(),
    });
    lines.push(`✓ Removed mpm's hooks from ${target.shown}.`);
    if (statusLine === "removed") lines.push("  mpm's status line went with them.");
    if (statusLine === "restored") lines.push("  Your own status line is back as it was.");
    if (backup) lines.push(`  Previous file backed up to ${show(env, target.root, backup)}`);
    report.settings.backup = backup ? show(env, target.root, backup) : null;
  }
  // mpm's entries are out of the file: what install noted of it goes from its record.
  if (!dryRun) await noteSettings(home.dir, target.file.path, undefined, home.root);
  // Scripts go when no settings run them; the MCP server when no local or project settings do.
  const stillWired = target.scope === "user"
    ? []
    : await wiredScopes(env, target.root, target.scope);
  const serverUsed = stillWired.some((scope) => scope !== "user");
  const registry = target.scope === "user" || serverUsed
    ? undefined
    : await registryOf(env, target);
  const mcpServer = registry === undefined
    ? null
    : await unregisterMcpServer(registry, show(env, target.root, registry.file), dryRun);
  if (mcpServer) lines.push(mcpServer);
  // A clone's approved server of mpm's name runs from now on: said, with its command.
  const approved = registry === undefined ? undefined : await approvedProjectServer(
    target.root,
    claudeEntryReader(registry, show(env, target.root, registry.file)),
  ).catch(() => undefined);
  if (approved !== undefined) {
    lines.push(
      approvedServerNote(approved, mcpServer?.startsWith(REGISTERED) ? "uninstalled" : "missing"),
    );
  }
  Object.assign(report, { mcp_server: mcpServer });
  if (dryRun) return asJson ? json(report) : text(lines);
  if (stillWired.length > 0) {
    lines.push(`The scripts stay: the ${stillWired.join(" and ")} settings still run them.`);
    report.scripts.still_wired_in = stillWired;
    return asJson ? json(report) : text(lines);
  }
  const files = await removeScripts(home, { made, upTo: limit.upTo });
  const [removed, kept, foreign] = [files.removed, files.kept, files.foreign].map((list) =>
    list.map((s) => `${s}.sh`)
  );
  Object.assign(report.scripts, { removed, kept, foreign });
  if (asJson) return json(report);
  if (removed.length > 0) lines.push(`Removed ${removed.join(", ")}.`);
  if (kept.length > 0) {
    const them = kept.length === 1 ? "it" : "them";
    lines.push(
      `Kept ${kept.join(", ")}: you edited ${them}; delete ${them} by hand if you no longer ` +
        `want ${them} (\`mpm doctor\` notes ${them}, nothing runs ${them}).`,
    );
  }
  if (foreign.length > 0) {
    const [it, is] = foreign.length === 1 ? ["it", "it is"] : ["them", "they are"];
    lines.push(
      `Left ${foreign.join(", ")}: no install on this machine wrote ${it} (a cloned ` +
        `repository's?), so ${is} not mpm's to delete; nothing of mpm's runs ${it}.`,
    );
  }
  return text(lines);
}

/** Above this nothing created is recorded: the project, or the config folder's parent. */
