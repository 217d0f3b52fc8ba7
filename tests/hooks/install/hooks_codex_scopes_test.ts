/**
 * Codex's trust for mpm's hooks lives in one block of `~/.codex/config.toml` for both scopes, so an
 * install or uninstall at one scope keeps the other scope's trust: Codex skips an untrusted hook
 * without a word, and `mpm doctor` is what says so.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, type Repo, withRepo } from "../../helpers.ts";

/** Doctor's Codex hook checks: each status and message. */
async function codexHooks(repo: Repo): Promise<string[]> {
  const report = await okJson(repo, "doctor", "--json");
  return report.checks.filter((check: { id: string }) => check.id === "codex-hooks")
    .map((check: { status: string; message: string }) => `${check.status}: ${check.message}`);
}

/** The hooks keys mpm's block trusts, by the file they are in. */
async function trustedFiles(repo: Repo): Promise<string[]> {
  const config = await Deno.readTextFile(join(repo.home, ".codex", "config.toml"));
  const keys = [...config.matchAll(/^\[hooks\.state\."([^"]+):[a-z_]+:\d+:\d+"\]$/gm)];
  return [...new Set(keys.map((key) => key[1]))].sort();
}

for (const first of ["user", "project"] as const) {
  const second = first === "user" ? "project" : "user";
  Deno.test(`codex hooks at ${first} scope, then ${second}: both stay trusted, and either uninstall keeps the other's`, async () => {
    await using repo = await withRepo();
    const root = await Deno.realPath(repo.path);
    const codex = join(repo.home, ".codex");
    await Deno.mkdir(codex, { recursive: true });
    // The person trusts the project, as Codex asks at its first start there.
    await Deno.writeTextFile(
      join(codex, "config.toml"),
      `[projects.${JSON.stringify(root)}]\ntrust_level = "trusted"\n`,
    );
    const files = { user: join(codex, "hooks.json"), project: join(root, ".codex", "hooks.json") };
    await ok(repo, "hooks", "install", "--agent", "codex", "--scope", first);
    await ok(repo, "hooks", "install", "--agent", "codex", "--scope", second);
    assertEquals(await trustedFiles(repo), [files.user, files.project].sort());
    const checks = await codexHooks(repo);
    assertEquals(checks.length, 2, checks.join("\n"));
    assertEquals(checks.every((check) => check.startsWith("ok: ")), true, checks.join("\n"));

    const said = (await ok(repo, "hooks", "uninstall", "--agent", "codex", "--scope", second))
      .stdout;
    assertStringIncludes(said, "the other scope's and the MCP server stay");
    assertEquals(await trustedFiles(repo), [files[first]]);
    const left = await codexHooks(repo);
    assertEquals(left.length, 1, left.join("\n"));
    assertEquals(left[0].startsWith("ok: Codex CLI runs mpm's hooks"), true, left[0]);
  });
}
