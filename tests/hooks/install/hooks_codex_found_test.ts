/**
 * `mpm hooks install` for Claude Code on a machine that has Codex CLI too says so, with the
 * command for it, once: not where there is no Codex, not once mpm's Codex hooks are in, and
 * never when `--agent` was given.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";

const LINE = "Codex CLI is here too: mpm hooks install --agent codex adds mpm's hooks for it.";

const install = async (repo: Repo, ...more: string[]) =>
  (await ok(repo, "hooks", "install", ...more)).stdout;

Deno.test("hooks install names Codex CLI where its folder is, and the command for it", async () => {
  await using repo = await withRepo();
  assertNotIncludes(await install(repo), "Codex");
  await Deno.mkdir(join(repo.home, ".codex"), { recursive: true });
  const said = await install(repo);
  assertStringIncludes(said, LINE);
  assertEquals(said.split("\n").filter((line) => line.includes("Codex")).length, 1);
  await install(repo, "--agent", "codex");
  assertNotIncludes(await install(repo), "Codex");
});

Deno.test("hooks install names Codex CLI found on PATH", async () => {
  await using repo = await withRepo();
  const bin = join(repo.home, "bin");
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(join(bin, "codex"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  const run = await repo.run("hooks", "install");
  assertNotIncludes(run.stdout, "Codex");
  const withCodex = await mpm(["hooks", "install", "--scope", "project"], {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` },
  });
  assertEquals(withCodex.code, 0, withCodex.stderr);
  assertStringIncludes(withCodex.stdout, LINE);
});
