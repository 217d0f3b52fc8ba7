/**
 * The local and project settings run the same scripts and share one MCP server: uninstalling
 * one scope leaves what the other still uses, and the last one takes it all away.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { exists, mpm, type Repo, withRepo } from "../../helpers.ts";
import { fakeClaude } from "../hooks_helpers.ts";

async function run(repo: Repo, ...args: string[]) {
  const bin = await fakeClaude(join(repo.home, ".."), "2.1.90");
  const result = await mpm(args, {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stdout}${result.stderr}`);
  return result;
}

/** The MCP servers ~/.claude.json registers for the project; undefined without the file. */
async function servers(repo: Repo): Promise<string[] | undefined> {
  const file = join(repo.home, ".claude.json");
  if (!(await exists(file))) return undefined;
  const projects = JSON.parse(await Deno.readTextFile(file)).projects ?? {};
  return Object.keys(projects[await Deno.realPath(repo.path)]?.mcpServers ?? {});
}

Deno.test("uninstalling the project scope keeps the MCP server the local settings' hooks still use", async () => {
  await using repo = await withRepo();
  await run(repo, "hooks", "install");
  await run(repo, "hooks", "install", "--scope", "project");
  assertEquals(await servers(repo), ["mpm"]);

  const project = await run(repo, "hooks", "uninstall", "--scope", "project");
  assertStringIncludes(project.stdout, "The scripts stay: the local settings still run them.");
  assertEquals(await servers(repo), ["mpm"]);
  const doctor = await mpm(["doctor", "--json"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(doctor.stdout.includes("not registered for this project"), false, doctor.stdout);

  // The last scope takes it away, with the file install created for it.
  const local = await run(repo, "hooks", "uninstall");
  assertStringIncludes(local.stdout, 'MCP server: "mpm" removed');
  assertEquals(await servers(repo), undefined);
});
