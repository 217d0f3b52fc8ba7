/**
 * `mpm hooks install` allows mpm's read-only MCP tools in the local settings, and only those;
 * uninstall takes away exactly what it added. (That Claude Code then runs them unasked is
 * tests/claude_code/mcp/mcp_quiet_claude_code_test.ts.)
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { exists, type Repo, withRepo } from "../../helpers.ts";
import { mpm } from "../../helpers.ts";
import { READ_ONLY_RULES, READ_ONLY_TOOLS } from "../../../src/hooks/install/mcp_allow.ts";
import { TOOL_LIST } from "../../../src/mcp/tool_list.ts";

const LOCAL = ".claude/settings.local.json";

const run = (repo: Repo, ...args: string[]) =>
  mpm(args, { cwd: repo.path, env: { HOME: repo.home } });

Deno.test("the tools install allows unasked are exactly those mpm mcp marks read-only", () => {
  const readOnly = TOOL_LIST.filter((tool) => tool.annotations.readOnlyHint).map((t) => t.name);
  assertEquals([...READ_ONLY_TOOLS].sort(), readOnly.sort());
  assertEquals(READ_ONLY_RULES.includes("mcp__mpm__todo_add"), false);
});

Deno.test("hooks install allows the read-only tools in a new local settings file; uninstall removes it", async () => {
  await using repo = await withRepo();
  const installed = await run(repo, "hooks", "install");
  assertEquals(installed.code, 0, installed.stderr);
  assertStringIncludes(installed.stdout, "MCP tools: the read-only ones (search, current_work");
  const settings = JSON.parse(await repo.read(LOCAL));
  assertEquals(settings.permissions, { allow: READ_ONLY_RULES });
  const again = await run(repo, "hooks", "install");
  assertEquals(again.code, 0, again.stderr);
  assertEquals(JSON.parse(await repo.read(LOCAL)).permissions, { allow: READ_ONLY_RULES });

  const removed = await run(repo, "hooks", "uninstall");
  assertEquals(removed.code, 0, removed.stderr);
  // mpm created the file; with its hooks and rules gone nothing is left, so it goes.
  assertEquals(await exists(join(repo.path, LOCAL)), false);
});

Deno.test("hooks uninstall keeps an allow rule the person had before install, byte for byte", async () => {
  await using repo = await withRepo();
  const theirs = '{\n  "permissions": {\n    "allow": [\n      "mcp__mpm__search"\n    ],\n' +
    '    "deny": []\n  }\n}\n';
  await repo.write(LOCAL, theirs);
  const installed = await run(repo, "hooks", "install");
  assertEquals(installed.code, 0, installed.stderr);
  assertEquals(JSON.parse(await repo.read(LOCAL)).permissions.allow, READ_ONLY_RULES);
  const removed = await run(repo, "hooks", "uninstall");
  assertEquals(removed.code, 0, removed.stderr);
  assertEquals(await repo.read(LOCAL), theirs);
});

Deno.test("hooks install --scope project allows nothing in the committed settings", async () => {
  await using repo = await withRepo();
  const installed = await run(repo, "hooks", "install", "--scope", "project");
  assertEquals(installed.code, 0, installed.stderr);
  const settings = JSON.parse(await repo.read(".claude/settings.json"));
  assertEquals(settings.permissions, undefined);
  assertEquals(await exists(join(repo.path, LOCAL)), false);
});
