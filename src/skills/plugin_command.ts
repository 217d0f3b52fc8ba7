/**
 * `mpm plugin export DIR`: writes mpm's skills and hooks as a Claude Code plugin that is its
 * own marketplace (plugin.ts says what is in it). Into a new or empty folder, or over an earlier
 * export; any other folder is refused unless --force.
 */
import { join, resolve } from "node:path";
import { SHIPPED_SCRIPTS } from "../hooks/scripts.ts";
import { exists, readTextIfExists, writeAtomic } from "../disk/atomic.ts";
import { MpmError, UsageError } from "../kernel/errors.ts";
import { style } from "../kernel/style.ts";
import { VERSION } from "../kernel/version.ts";
import { boolFlag, type Command, type Parsed, stringFlag } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { SHIPPED_SKILLS } from "./assets.ts";
import { DEFAULT_MARKETPLACE, marketplaceNameProblem, PLUGIN_NAME, pluginFiles } from "./plugin.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const SCRIPT_MODE = 0o700;

/** What is at DIR: nothing (or an empty folder), an earlier export, or something else. */
async function folderKind(dir: string): Promise<"empty" | "export" | "other"> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "empty";
    throw error;
  }
  if (!info.isDirectory) return "other";
  if (await isEmptyDir(dir)) return "empty";
  const manifest = await readTextIfExists(join(dir, ".claude-plugin", "plugin.json"))
    .catch(() => undefined);
  try {
    return manifest !== undefined && JSON.parse(manifest).name === PLUGIN_NAME ? "export" : "other";
  } catch {
    return "other";
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  for await (const _ of Deno.readDir(dir)) return false;
  return true;
}

async function exportPlugin(env: Env, parsed: Parsed) {
  const given = parsed.args[0];
  if (given.trim() === "") throw new UsageError("`mpm plugin export` needs a folder.");
  const dir = resolve(env.cwd, given);
  const marketplace = stringFlag(parsed, "marketplace") ?? DEFAULT_MARKETPLACE;
  const problem = marketplaceNameProblem(marketplace);
  if (problem) {
    throw new UsageError(`--marketplace ${JSON.stringify(marketplace)}: ${problem}.`);
  }
  const owner = stringFlag(parsed, "owner")?.trim() || marketplace;
  const kind = await folderKind(dir);
  if (kind === "other" && !(boolFlag(parsed, "force") ?? false)) {
    throw new MpmError(
      `${given} is not empty and is not an earlier mpm plugin export; nothing was written.`,
      "Export into a new or empty folder, or add --force to write the plugin's files there.",
    );
  }
  const files = pluginFiles(SHIPPED_SKILLS, SHIPPED_SCRIPTS, {
    version: VERSION,
    marketplace,
    owner,
  });
  for (const file of files) {
    const path = join(dir, ...file.path.split("/"));
    // With --force into someone else's folder, their README stays theirs.
    if (kind === "other" && file.path === "README.md" && await exists(path)) continue;
    await writeAtomic(path, file.text, { root: dir });
    if (file.executable && !IS_WINDOWS) await Deno.chmod(path, SCRIPT_MODE);
  }
  const id = `${PLUGIN_NAME}@${marketplace}`;
  if (boolFlag(parsed, "json")) {
    return json({
      dir,
      plugin: PLUGIN_NAME,
      version: VERSION,
      marketplace,
      install: id,
      files: files.map((file) => file.path),
    });
  }
  const s = style(env.color);
  return text([
    `${s.green("✓")} Claude Code plugin ${PLUGIN_NAME} ${VERSION} written to ${dir}`,
    `  ${SHIPPED_SKILLS.length} skills, ${files.filter((f) => f.executable).length} hook ` +
    `scripts, marketplace "${marketplace}" (${files.length} files${
      kind === "export" ? ", the earlier export replaced" : ""
    }).`,
    "",
    "Publish the folder as a git repository, then in Claude Code:",
    "  /plugin marketplace add OWNER/REPO",
    `  /plugin install ${id}`,
    `Or try it from here: claude plugin marketplace add ${dir} && claude plugin install ${id}`,
  ]);
}

export const pluginCommand: Command = {
  name: "plugin",
  summary: "Pack mpm's skills and hooks as a Claude Code plugin (its own marketplace).",
  subcommands: [
    {
      name: "export",
      summary: "Write the plugin into DIR, ready to publish as a marketplace repository.",
      details: `Writes .claude-plugin/plugin.json (name "mpm", this mpm's version), .claude-plugin/
marketplace.json (one plugin, source "./"), skills/ (the skills of \`mpm skills install\`),
hooks/hooks.json (the events \`mpm hooks install\` wires, through \${CLAUDE_PLUGIN_ROOT}) with
the hook scripts, and a README. DIR must be new, empty, or an earlier export (its files are
replaced). The skills and hooks run the mpm program, which must be on PATH.`,
      args: [{
        name: "DIR",
        description: "The folder to write the plugin into.",
        complete: "files",
      }],
      flags: [
        {
          name: "marketplace",
          value: "NAME",
          description:
            `The marketplace's name; users install mpm@NAME (default: ${DEFAULT_MARKETPLACE}).`,
        },
        {
          name: "owner",
          value: "NAME",
          description: "The marketplace's owner, a team or person (default: the marketplace name).",
        },
        { name: "force", description: "Write into a folder that holds other things." },
        { name: "json", description: "Print the result as JSON." },
      ],
      examples: [
        "mpm plugin export ../mpm-plugin",
        "mpm plugin export ./plugin --marketplace acme-tools --owner 'Acme platform team'",
      ],
      run: exportPlugin,
    },
  ],
};
