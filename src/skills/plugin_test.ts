import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import {
  MPM_HOOK_ENTRIES,
  SESSION_END_EXIT_MATCHER,
} from "../claude/settings/hooks/hook_entries.ts";
import { SHIPPED_SCRIPTS } from "../hooks/install/scripts/scripts.ts";
import { SHIPPED_SKILLS } from "./assets.ts";
import {
  binariesFromSums,
  INSTALL_COMMAND,
  marketplaceNameProblem,
  pluginFiles,
  pluginHookCommand,
  pluginHooks,
  pluginMcpServers,
} from "./plugin.ts";

const files = pluginFiles(SHIPPED_SKILLS, SHIPPED_SCRIPTS, {
  version: "1.2.3",
  marketplace: "acme-tools",
  owner: "Acme",
});
const byPath = new Map(files.map((file) => [file.path, file]));

Deno.test("plugin.json and marketplace.json: name mpm, the binary's version, source ./", () => {
  const plugin = JSON.parse(byPath.get(".claude-plugin/plugin.json")!.text);
  assertEquals(plugin.name, "mpm");
  assertEquals(plugin.version, "1.2.3");
  const marketplace = JSON.parse(byPath.get(".claude-plugin/marketplace.json")!.text);
  assertEquals(marketplace.name, "acme-tools");
  assertEquals(marketplace.owner, { name: "Acme" });
  assertEquals(marketplace.plugins.length, 1);
  assertEquals(marketplace.plugins[0].name, "mpm");
  assertEquals(marketplace.plugins[0].source, "./");
  assertStringIncludes(byPath.get("README.md")!.text, "/plugin install mpm@acme-tools");
});

Deno.test("the plugin carries every skill and every hook script", () => {
  for (const skill of SHIPPED_SKILLS) {
    assertEquals(byPath.get(`skills/${skill.name}/SKILL.md`)?.text, skill.text);
  }
  for (const [script, text] of Object.entries(SHIPPED_SCRIPTS)) {
    const file = byPath.get(`hooks/${script}.sh`);
    assertEquals(file?.text, text);
    assertEquals(file?.executable, true);
  }
  assert(files.every((file) => !file.path.startsWith("/") && !file.path.includes("..")));
});

Deno.test("hooks.json runs the same events, matchers, timeouts and async flags as `mpm hooks install`", () => {
  const hooks = JSON.parse(byPath.get("hooks/hooks.json")!.text).hooks as Record<
    string,
    {
      matcher?: string;
      hooks: { type: string; command: string; timeout: number; async?: boolean }[];
    }[]
  >;
  const flat = Object.entries(hooks).flatMap(([event, blocks]) =>
    blocks.flatMap((block) =>
      block.hooks.map((hook) => ({
        event,
        matcher: block.matcher,
        command: hook.command,
        timeout: hook.timeout,
        async: hook.async,
        type: hook.type,
      }))
    )
  );
  assertEquals(
    flat.map(({ event, matcher, command, timeout, async }) => ({
      event,
      matcher,
      command,
      timeout,
      async,
    })),
    MPM_HOOK_ENTRIES.map((entry) => ({
      event: entry.event,
      matcher: entry.matcher,
      command: pluginHookCommand(entry.script),
      timeout: entry.timeout,
      async: entry.async,
    })),
  );
  // SessionEnd at exit runs in the background; /clear and /resume wait for the pause.
  assertEquals(
    hooks.SessionEnd.map((block) => [block.matcher, block.hooks[0].async ?? false]),
    [["clear|resume", false], [SESSION_END_EXIT_MATCHER, true]],
  );
  assert(flat.every((hook) => hook.type === "command"));
  // The plugin's runs say so, for mpm's one-run-per-event claim and its no-project rule.
  assertEquals(
    pluginHookCommand("pre-session"),
    'MPM_FROM_PLUGIN=1 sh "${CLAUDE_PLUGIN_ROOT}/hooks/pre-session.sh"',
  );
  assertEquals(
    Object.keys(pluginHooks().hooks).length,
    new Set(MPM_HOOK_ENTRIES.map((e) => e.event)).size,
  );
});

Deno.test("marketplace names: kebab-case, not impersonating the official ones", () => {
  assertEquals(marketplaceNameProblem("mpm"), undefined);
  assertEquals(marketplaceNameProblem("acme-tools2"), undefined);
  assert(marketplaceNameProblem("Acme Tools"));
  assert(marketplaceNameProblem("-x"));
  assert(marketplaceNameProblem("official-claude-plugins"));
});

/** A release's SHA256SUMS as scripts/build/build.ts writes it: one line per binary. */
const SUMS = [
  ["a".repeat(64), "mpm-x86_64-unknown-linux-gnu"],
  ["B".repeat(64), "mpm-aarch64-unknown-linux-gnu"],
  ["c".repeat(64), "mpm-x86_64-apple-darwin"],
  ["d".repeat(64), "mpm-aarch64-apple-darwin"],
  ["e".repeat(64), "mpm-x86_64-pc-windows-msvc.exe"],
].map(([sum, name]) => `${sum}  ${name}\n`).join("");

Deno.test("binariesFromSums: the release's binaries by the names Claude Code looks for", () => {
  assertEquals(binariesFromSums(SUMS), {
    binaries: {
      // Claude Code names every Linux -unknown-linux-musl; it fetches nothing for Windows.
      "mpm-x86_64-unknown-linux-musl": { sha256: "a".repeat(64) },
      "mpm-aarch64-unknown-linux-musl": { sha256: "b".repeat(64) },
      "mpm-x86_64-apple-darwin": { sha256: "c".repeat(64) },
      "mpm-aarch64-apple-darwin": { sha256: "d".repeat(64) },
    },
  });
  const bad = binariesFromSums(`${"a".repeat(64)}  mpm-x86_64-apple-darwin\nnot a sum line\n`);
  assertEquals(bad, { problem: 'line 2 is not "<sha256>  <file>" (sha256sum\'s format)' });
  const none = binariesFromSums(`${"e".repeat(64)}  mpm-x86_64-pc-windows-msvc.exe\n`);
  assert("problem" in none && none.problem.includes("names none of the release's"));
});

Deno.test("with the release's binaries, plugin.json names them and the texts say so", () => {
  const read = binariesFromSums(SUMS);
  assert("binaries" in read);
  const withBinaries = new Map(
    pluginFiles(SHIPPED_SKILLS, SHIPPED_SCRIPTS, {
      version: "1.2.3",
      marketplace: "acme-tools",
      owner: "Acme",
      binaries: read.binaries,
    }).map((file) => [file.path, file.text]),
  );
  const plugin = JSON.parse(withBinaries.get(".claude-plugin/plugin.json")!);
  assertEquals(plugin.binaries, read.binaries);
  // Claude Code fetches `binaries` only for its official marketplaces: no text says it brings mpm.
  for (const text of [plugin.description, withBinaries.get("README.md")!]) {
    assert(!/brings (the )?mpm/i.test(text), text);
    assertStringIncludes(text, INSTALL_COMMAND);
  }
  assertStringIncludes(withBinaries.get("README.md")!, "only for plugins of its");
  // Without them, nothing names a binary.
  const plain = JSON.parse(byPath.get(".claude-plugin/plugin.json")!.text);
  assertEquals(plain.binaries, undefined);
  assertStringIncludes(plain.description, `Needs the mpm program installed (${INSTALL_COMMAND})`);
  assertStringIncludes(byPath.get("README.md")!.text, "which the plugin does not bring");
  assertStringIncludes(byPath.get("README.md")!.text, "then PATH, then `~/.local/bin`");
});

Deno.test("the plugin names its licence, MIT, and carries LICENSE; deno.json names it too", async () => {
  const plugin = JSON.parse(byPath.get(".claude-plugin/plugin.json")!.text);
  assertEquals(plugin.license, "MIT");
  const license = await Deno.readTextFile(new URL("../../LICENSE", import.meta.url));
  assertEquals(byPath.get("LICENSE")?.text, license);
  assert(license.startsWith("MIT License\n"), license);
  assertStringIncludes(license, "the mpm authors");
  const deno = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assertEquals(deno.license, "MIT");
});

Deno.test("without mpm, every skill answers with the line SessionStart gives", async () => {
  const MPM_MISSING_LINE = `The mpm program is not installed. Install it with ${INSTALL_COMMAND}`;
  const start = await Deno.readTextFile(new URL("../../hooks/pre-session.sh", import.meta.url));
  assertStringIncludes(start.toLowerCase(), MPM_MISSING_LINE.toLowerCase());
  for (const skill of SHIPPED_SKILLS) {
    assertStringIncludes(skill.text, `\n${MPM_MISSING_LINE}\n`, skill.name);
    assertStringIncludes(skill.text, "If the shell says `mpm` is not found", skill.name);
  }
});

Deno.test("the plugin's .mcp.json starts `mpm mcp`, found as the hooks find mpm", async () => {
  const config = JSON.parse(byPath.get(".mcp.json")!.text);
  assertEquals(config, pluginMcpServers());
  const { command, args } = config.mcpServers.mpm;
  assertEquals(command, "sh");
  const dir = await Deno.makeTempDir();
  try {
    const fake = `${dir}/mpm`;
    await Deno.writeTextFile(fake, '#!/bin/sh\necho "ran mpm $*"\n');
    await Deno.chmod(fake, 0o755);
    const run = (env: Record<string, string>) =>
      new Deno.Command("sh", {
        args,
        env: { PATH: "/usr/bin:/bin", HOME: dir, ...env },
        clearEnv: true,
      })
        .output();
    const found = await run({ MPM_BIN: fake });
    assertEquals(new TextDecoder().decode(found.stdout), "ran mpm mcp\n");
    const missing = await run({});
    assertEquals(missing.code, 1);
    assertStringIncludes(new TextDecoder().decode(missing.stderr), "mpm program is not installed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
