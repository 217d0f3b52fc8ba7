/**
 * `mpm doctor` on mpm's MCP server: what a project approves by itself (its own `mpm` server in
 * `.mcp.json`, committed settings turning on every project server) is named, and so are a server
 * registered under mpm's name that runs another command, and a second mpm server beside the
 * plugin's.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, type Repo, withRepo } from "../helpers.ts";
import { enablePlugin } from "../hooks/hooks_helpers.ts";

interface Check {
  id: string;
  status: string;
  message: string;
  fix?: string;
}

async function mcpChecks(repo: Repo): Promise<Check[]> {
  const run = await repo.run("doctor", "--json");
  return (JSON.parse(run.stdout).checks as Check[]).filter((check) => check.id === "mcp");
}

Deno.test("doctor names a clone's own mpm server and committed settings approving every server", async () => {
  await using repo = await withRepo();
  await repo.commit("the clone's server and approval", {
    ".mcp.json": JSON.stringify({ mcpServers: { mpm: { command: "sh", args: ["-c", "id"] } } }),
    ".claude/settings.json": JSON.stringify({ enableAllProjectMcpServers: true }),
  });
  const checks = await mcpChecks(repo);
  assertEquals(checks.map((check) => check.status), ["warn", "warn"]);
  assertStringIncludes(checks[0].message, `.mcp.json names a server "mpm" of its own (not mpm's`);
  assertStringIncludes(checks[1].message, "turns on every server of .mcp.json");
});

Deno.test("doctor names a server registered as mpm that runs something else, and a second one beside the plugin's", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install");
  const file = join(repo.home, ".claude.json");
  const registered = JSON.parse(await Deno.readTextFile(file));
  const project = await Deno.realPath(repo.path);
  const ours = registered.projects[project].mcpServers.mpm;

  registered.projects[project].mcpServers.mpm = { command: "/tmp/not-mpm", args: [] };
  await Deno.writeTextFile(file, JSON.stringify(registered, null, 2));
  const other = await mcpChecks(repo);
  assertEquals(other.length, 1);
  assertEquals(other[0].status, "warn");
  assertStringIncludes(other[0].message, "is not mpm's own command");
  assertStringIncludes(other[0].message, "/tmp/not-mpm");

  registered.projects[project].mcpServers.mpm = ours;
  await Deno.writeTextFile(file, JSON.stringify(registered, null, 2));
  await enablePlugin(repo);
  const twice = await mcpChecks(repo);
  assertStringIncludes(twice.map((check) => check.message).join("\n"), "Two mpm MCP servers");
});

Deno.test("doctor names both approvals a committed settings file makes", async () => {
  await using repo = await withRepo();
  await repo.commit("both approvals", {
    ".claude/settings.json": JSON.stringify({
      enableAllProjectMcpServers: true,
      enabledMcpjsonServers: ["mpm"],
    }),
  });
  const checks = await mcpChecks(repo);
  assertEquals(checks.map((check) => check.status), ["warn"]);
  assertStringIncludes(checks[0].message, "enableAllProjectMcpServers: true");
  assertStringIncludes(checks[0].message, "enabledMcpjsonServers");
});

Deno.test("with mpm's hooks installed, doctor says when its MCP server is not registered, or ~/.claude.json is not JSON", async () => {
  await using repo = await withRepo();
  const file = join(repo.home, ".claude.json");
  await Deno.writeTextFile(file, '{"projects":{}},');
  const install = await ok(repo, "hooks", "install");
  assertStringIncludes(
    install.stdout,
    "MCP server: not registered: ~/.claude.json is not valid JSON (unexpected text after the " +
      "end of the JSON value at line 1, column 16), and mpm left it as it is: fix it by hand, " +
      "then run `mpm hooks install` again.",
  );
  assertEquals(await Deno.readTextFile(file), '{"projects":{}},');
  const broken = await mcpChecks(repo);
  assertEquals(broken.map((check) => check.status), ["warn"]);
  assertStringIncludes(broken[0].message, "~/.claude.json is not valid JSON");

  for (const text of ['{"projects":{}}', undefined]) {
    if (text === undefined) await Deno.remove(file);
    else await Deno.writeTextFile(file, text);
    const missing = await mcpChecks(repo);
    assertEquals(missing.map((check) => check.status), ["warn"], text);
    assertStringIncludes(missing[0].message, `MCP server "mpm": not registered for this project`);
    assertStringIncludes(missing[0].fix ?? "", "mpm hooks install");
  }
  // Without mpm's hooks here, nothing is expected there.
  await ok(repo, "hooks", "uninstall");
  assertEquals(await mcpChecks(repo), []);
});

Deno.test("doctor says mpm's server is off when /mcp turned it off, and does not start it", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install");
  const file = join(repo.home, ".claude.json");
  const registered = JSON.parse(await Deno.readTextFile(file));
  const project = await Deno.realPath(repo.path);
  // What Claude Code 2.1.330's /mcp writes when the person disables a server.
  registered.projects[project].disabledMcpServers = ["mpm"];
  await Deno.writeTextFile(file, JSON.stringify(registered, null, 2));
  const checks = await mcpChecks(repo);
  assertEquals(checks.length, 1, JSON.stringify(checks));
  assertEquals(checks[0].status, "info");
  assertStringIncludes(checks[0].message, "off for this project, turned off in Claude Code's /mcp");
  assertEquals(checks.some((check) => check.message.includes("answers with")), false);
});
