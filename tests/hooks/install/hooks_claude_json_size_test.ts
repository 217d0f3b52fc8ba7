/**
 * `~/.claude.json` is Claude Code's, whatever its size: a heavy user's (65–101 MB are reported)
 * gets mpm's server with every other byte as it was, and uninstall gives the file back byte for
 * byte. One mpm cannot edit (a folder at that path) costs only the registration, with the
 * `claude mcp add` line that makes it, and never advice to move or remove Claude Code's file.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, type Repo, withRepo } from "../../helpers.ts";
import { bigClaudeJson, insertion } from "./big_claude_json.ts";

const MB = 1024 * 1024;

async function project(repo: Repo): Promise<string> {
  return await Deno.realPath(repo.path);
}

async function mcpChecks(repo: Repo) {
  const run = await repo.run("doctor", "--json");
  return (JSON.parse(run.stdout).checks as {
    id: string;
    status: string;
    message: string;
    fix?: string;
  }[])
    .filter((check) => check.id === "mcp");
}

Deno.test("a 60 MB ~/.claude.json: install registers mpm's server, every other byte kept; uninstall gives it back", async () => {
  await using repo = await withRepo();
  const file = join(repo.home, ".claude.json");
  await Deno.writeTextFile(file, bigClaudeJson(await project(repo), 60 * MB));
  const before = await Deno.readFile(file);
  assert(before.length > 60 * MB);

  const installed = await ok(repo, "hooks", "install");
  assertStringIncludes(
    installed.stdout,
    'MCP server: "mpm" (`mpm mcp`) registered in ~/.claude.json',
  );
  const after = await Deno.readFile(file);
  const added = insertion(before, after);
  assert(added !== undefined, "bytes other than mpm's server changed");
  // What came in is mpm's server alone, in the project's (empty) mcpServers.
  const inserted = new TextDecoder().decode(added.inserted);
  assertEquals(Object.keys(JSON.parse(`{${inserted}}`)), ["mpm"]);
  const servers = new TextDecoder().decode(after.subarray(added.at - 200, added.at));
  assertStringIncludes(servers, `"mcpServers": {`);

  const doctor = await mcpChecks(repo);
  assertNotIncludes(JSON.stringify(doctor), "not registered");
  assertNotIncludes(JSON.stringify(doctor), "cannot be read");

  await ok(repo, "hooks", "uninstall");
  assertEquals(await Deno.readFile(file), before);
});

Deno.test("~/.claude.json that is a folder: the rest installs (exit 0), the claude mcp add line given, nothing says remove it", async () => {
  await using repo = await withRepo();
  const file = join(repo.home, ".claude.json");
  await Deno.mkdir(file);
  const installed = await ok(repo, "hooks", "install");
  assertStringIncludes(installed.stdout, "MCP server: not registered: ~/.claude.json is a folder");
  assertStringIncludes(installed.stdout, "claude mcp add --scope local mpm -- sh -c '");
  assertNotIncludes(installed.stdout.toLowerCase(), "remove it");
  assertNotIncludes(installed.stdout.toLowerCase(), "out of the way");
  assert((await Deno.lstat(file)).isDirectory);

  const [check] = await mcpChecks(repo);
  assertStringIncludes(check.message, "~/.claude.json is a folder");
  assertNotIncludes(check.fix ?? "", "yours");
  assertNotIncludes((check.fix ?? "").toLowerCase(), "remove");
  assertStringIncludes(check.fix ?? "", "claude mcp add --scope local mpm");
  await ok(repo, "hooks", "uninstall");
  assert((await Deno.lstat(file)).isDirectory);
});
