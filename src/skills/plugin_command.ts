/**
 * `mpm plugin export DIR`: mpm's skills and hooks as a Claude Code plugin (plugin.ts), into an
 * empty folder or over an earlier export; anything else needs --force.
 */
import { dirname, join, resolve, sep } from "../kernel/path.ts";
import { SHIPPED_SCRIPTS } from "../hooks/install/scripts/scripts.ts";
import { jsonObject } from "../hooks/install/settings/settings_file.ts";
import { confine } from "../disk/files/confine/confine.ts";
import { exists, lstatIfExists } from "../disk/read/stat.ts";
import { readBytesIfExists, readTextIfExists } from "../disk/read/read.ts";
import { writeAtomic } from "../disk/files/atomic.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { MpmError, NothingToDo, UsageError } from "../kernel/errors.ts";
import { style } from "../kernel/format/style.ts";
import { VERSION } from "../kernel/version.ts";
import { refuseProtectedFolder } from "../disk/files/user_file.ts";
import { removeEntry, removeQuietly, setMode } from "../disk/files/entries.ts";
import { boolFlag, type Declared, type Parsed, stringFlag } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { SHIPPED_SKILLS } from "./assets.ts";
import {
  type Binaries,
  binariesFromSums,
  DEFAULT_MARKETPLACE,
  EXPORT_MANIFEST,
  exportManifestText,
  INSTALL_COMMAND,
  marketplaceNameProblem,
  parseExportManifest,
  PLUGIN_NAME,
  type PluginFile,
  pluginFiles,
  retiredFiles,
} from "./plugin.ts";

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
  return jsonObject(manifest)?.name === PLUGIN_NAME ? "export" : "other";
}

async function isEmptyDir(dir: string): Promise<boolean> {
  for await (const _ of Deno.readDir(dir)) return false;
  return true;
}

/**
 * Removes an earlier export's unshipped files while unchanged, and emptied folders up to DIR; never
 * through a link out of DIR.
 */
async function removeRetired(
  dir: string,
  shipping: readonly PluginFile[],
): Promise<{ removed: string[]; kept: string[] }> {
  const previous = parseExportManifest(
    await readTextIfExists(join(dir, EXPORT_MANIFEST)).catch(() => undefined),
  );
  const removed: string[] = [];
  const kept: string[] = [];
  // Compared with confined (link-resolved) paths below, so resolved the same way.
  const top = await confine(dir, dir);
  for (const file of retiredFiles(previous, shipping)) {
    const path = await confine(dir, join(dir, ...file.path.split("/")));
    const info = await lstatIfExists(path);
    if (!info) continue;
    const bytes = info.isFile ? await readBytesIfExists(path) : undefined;
    if (bytes === undefined || sha256Hex(bytes) !== file.sha256) {
      kept.push(file.path);
      continue;
    }
    await removeEntry(path);
    removed.push(file.path);
    for (let at = dirname(path); at.startsWith(top + sep);) {
      // Only an empty folder can be removed without `recursive`: anything of the user's stays.
      if (!await removeQuietly(at)) break;
      at = dirname(at);
    }
  }
  return { removed, kept };
}

/** The binaries named by the release's SHA256SUMS given with --sums, read before any write. */
async function releaseBinaries(env: Env, given: string | undefined): Promise<Binaries | undefined> {
  if (given === undefined) return undefined;
  const text = await readTextIfExists(resolve(env.cwd, given));
  if (text === undefined) {
    throw new NothingToDo(
      `--sums ${given}: no such file; nothing was written.`,
      "Pass the SHA256SUMS of the mpm release the plugin is for (`deno task compile` writes " +
        "dist/SHA256SUMS).",
    );
  }
  const read = binariesFromSums(text);
  if ("problem" in read) {
    throw new UsageError(`--sums ${given}: ${read.problem}; nothing was written.`);
  }
  return read.binaries;
}

async function exportPlugin(env: Env, parsed: Parsed) {
  const given = parsed.args[0];
  if (given.trim() === "") throw new UsageError("`mpm plugin export` needs a folder.");
  const dir = resolve(env.cwd, given);
  await refuseProtectedFolder(given, dir, "nothing was written");
  const marketplace = stringFlag(parsed, "marketplace") ?? DEFAULT_MARKETPLACE;
  const problem = marketplaceNameProblem(marketplace);
  if (problem) {
    throw new UsageError(`--marketplace ${JSON.stringify(marketplace)}: ${problem}.`);
  }
  const owner = stringFlag(parsed, "owner")?.trim() || marketplace;
  const binaries = await releaseBinaries(env, stringFlag(parsed, "sums"));
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
    binaries,
  });
  const retired = kind === "export"
    ? await removeRetired(dir, files)
    : { removed: [] as string[], kept: [] as string[] };
  const written: PluginFile[] = [];
  for (const file of files) {
    const path = join(dir, ...file.path.split("/"));
    // With --force into someone else's folder, their README stays theirs.
    if (kind === "other" && file.path === "README.md" && await exists(path)) continue;
    await writeAtomic(path, file.text, { root: dir });
    if (file.executable) await setMode(path, SCRIPT_MODE);
    written.push(file);
  }
  // Last: what this export wrote, for the next one to know what it may take away.
  await writeAtomic(join(dir, EXPORT_MANIFEST), exportManifestText(written, VERSION), {
    root: dir,
  });
  const id = `${PLUGIN_NAME}@${marketplace}`;
  if (boolFlag(parsed, "json")) {
    return json({
      dir,
      plugin: PLUGIN_NAME,
      version: VERSION,
      marketplace,
      install: id,
      binaries: binaries ?? null,
      files: files.map((file) => file.path),
      removed: retired.removed,
      kept: retired.kept,
    });
  }
  const s = style(env.color);
  return text([
    `${s.green("✓")} Claude Code plugin ${PLUGIN_NAME} ${VERSION} written to ${dir}`,
    `  ${SHIPPED_SKILLS.length} skills, ${files.filter((f) => f.executable).length} hook ` +
    `scripts, marketplace "${marketplace}" (${files.length} files${
      kind === "export" ? ", the earlier export replaced" : ""
    }).`,
    ...(binaries
      ? [
        `  plugin.json names ${Object.keys(binaries).length} binaries of the release (` +
        `${Object.keys(binaries).join(", ")}); Claude Code fetches them only for its official ` +
        "marketplaces.",
      ]
      : []),
    `  The plugin does not bring mpm: each user installs it once (${INSTALL_COMMAND}).`,
    ...(retired.removed.length > 0
      ? [`  Removed what this mpm no longer ships: ${retired.removed.join(", ")}.`]
      : []),
    ...(retired.kept.length > 0
      ? [`  Kept, edited since the last export (no longer shipped): ${retired.kept.join(", ")}.`]
      : []),
    "",
    "Publish the folder as a git repository, then in Claude Code:",
    "  /plugin marketplace add OWNER/REPO",
    `  /plugin install ${id}`,
    `Or try it from here: claude plugin marketplace add ${dir} && claude plugin install ${id}`,
  ]);
}

export const pluginCommand: Declared = {
  subcommands: [
    {
      name: "export",
      summary: "Write the plugin into DIR, ready to publish as a marketplace repository.",
      json: `- \`mpm plugin export --json\`:
  \`{"dir", "plugin", "version", "marketplace", "install", "binaries", "files",
  "removed", "kept"}\`
  (\`install\` is \`mpm@<marketplace>\`; \`binaries\` what plugin.json names, as there, or \`null\` without
  \`--sums\`; \`removed\`/\`kept\`: files an earlier export wrote that this mpm no longer ships).`,
      details: `Writes .claude-plugin/plugin.json (name "mpm", this mpm's version), .claude-plugin/
marketplace.json (one plugin, source "./"), skills/ (the skills of \`mpm skills install\`),
hooks/hooks.json (the events \`mpm hooks install\` wires, through \${CLAUDE_PLUGIN_ROOT}) with
the hook scripts, a README, and .mpm-export.json (what it wrote). DIR must be new, empty, or
an earlier export: its files are replaced, and those it wrote that this mpm no longer ships are
removed (unless edited since; files it did not write are never touched).`,
      more:
        `The plugin does not bring mpm: its skills and hooks run the mpm program, which each user
installs once, from a shell:
  ${INSTALL_COMMAND}
The hooks look for it in the plugin's bin/, then MPM_BIN, then PATH, then ~/.local/bin; the
skills run mpm from PATH. A session start without mpm says so in one line, and the skills
answer with the same line. The folder holds mpm's LICENSE (MIT),
which plugin.json names.

With --sums, the SHA256SUMS of the mpm release the plugin is for (what \`deno task compile\`
writes in dist/), plugin.json names the release's macOS and Linux binaries, each pinned to its
sha256, in its "binaries" field. Claude Code fetches those into the plugin's bin/ only for
plugins of its official marketplaces, never from a marketplace a user or a team adds.`,
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
        {
          name: "sums",
          value: "FILE",
          description:
            "The release's SHA256SUMS: name its binaries in plugin.json (official marketplaces).",
          complete: "files",
        },
        { name: "force", description: "Write into a folder that holds other things." },
        { name: "json", description: "Print the result as JSON." },
      ],
      examples: [
        "mpm plugin export ../mpm-plugin",
        "mpm plugin export ./plugin --marketplace acme-tools --owner 'Acme platform team'",
        "mpm plugin export ../mpm-plugin --sums dist/SHA256SUMS",
      ],
      run: exportPlugin,
    },
  ],
};
