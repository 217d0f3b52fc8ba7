import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { MPM_HOOK_ENTRIES, SESSION_END_EXIT_MATCHER } from "../claude/hook_entries.ts";
import { SHIPPED_SCRIPTS } from "../hooks/install/scripts.ts";
import { SHIPPED_SKILLS } from "./assets.ts";
import { marketplaceNameProblem, pluginFiles, pluginHookCommand, pluginHooks } from "./plugin.ts";

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
  assertEquals(pluginHookCommand("pre-session"), 'sh "${CLAUDE_PLUGIN_ROOT}/hooks/pre-session.sh"');
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
