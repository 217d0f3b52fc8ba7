/**
 * `mpm hooks install` for Claude Code on a machine that has Codex CLI or Gemini CLI too says so,
 * one line for each, with the command for it: not where there is none, not once mpm's hooks are
 * in its files, and never when `--agent` was given; `--json` lists every one it found. `mpm hooks
 * list` names each found, wired or with the command.
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

const GEMINI = "Gemini CLI is here too: mpm hooks install --agent gemini adds mpm's hooks for it.";

Deno.test("hooks install names Codex CLI and Gemini CLI both, one line each, and in --json", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.home, ".codex"), { recursive: true });
  await Deno.mkdir(join(repo.home, ".gemini"), { recursive: true });
  const said = await install(repo);
  // Claude Code's hooks are installed all the same; then one line for each other agent.
  assertStringIncludes(said, "mpm's hooks for Claude Code");
  assertEquals(said.trimEnd().split("\n").slice(-2), [LINE, GEMINI]);
  const listed = JSON.parse(await install(repo, "--json"));
  assertEquals(listed.other_agents, [
    {
      agent: "codex",
      name: "Codex CLI",
      hooks_installed: false,
      command: "mpm hooks install --agent codex",
    },
    {
      agent: "gemini",
      name: "Gemini CLI",
      hooks_installed: false,
      command: "mpm hooks install --agent gemini",
    },
  ]);
  // Gemini's hooks in: its line goes, and --json says they are in.
  await install(repo, "--agent", "gemini");
  const after = await install(repo);
  assertNotIncludes(after, "Gemini");
  assertStringIncludes(after, LINE);
  const gemini = JSON.parse(await install(repo, "--json")).other_agents[1];
  assertEquals(gemini.hooks_installed, true);
  // Asked for Claude Code by name: no other agent is named.
  assertEquals(
    JSON.parse(await install(repo, "--agent", "claude-code", "--json")).other_agents,
    [],
  );
});

Deno.test("hooks list names the other agents found: wired, or the command that wires them", async () => {
  await using repo = await withRepo();
  const list = async () => (await ok(repo, "hooks", "list")).stdout;
  const none = await list();
  assertNotIncludes(none, "Other agents");
  assertStringIncludes(none, "Install them for Claude Code with `mpm hooks install`");
  assertEquals(JSON.parse((await ok(repo, "hooks", "list", "--json")).stdout).other_agents, []);
  await Deno.mkdir(join(repo.home, ".codex"), { recursive: true });
  await Deno.mkdir(join(repo.home, ".gemini"), { recursive: true });
  await install(repo, "--agent", "codex");
  const lines = (await list()).trimEnd().split("\n");
  const at = lines.indexOf("Other agents here:");
  assertEquals(lines.slice(at + 1, at + 3), [
    "  Codex CLI   mpm's hooks are in its files (`mpm doctor` checks that it runs them)",
    "  Gemini CLI  not wired: mpm hooks install --agent gemini",
  ]);
  // Claude Code's hooks are still not installed, and the hint says for which agent.
  assertEquals(
    lines.at(-1),
    "Install them for Claude Code with `mpm hooks install` (`--dry-run` shows what it would do).",
  );
  const listed = JSON.parse((await ok(repo, "hooks", "list", "--json")).stdout).other_agents;
  assertEquals(
    listed.map((a: { agent: string; hooks_installed: boolean }) => [a.agent, a.hooks_installed]),
    [["codex", true], ["gemini", false]],
  );
});

Deno.test("uninstall takes away the empty folders install made: Codex and Gemini are not named after", async () => {
  await using repo = await withRepo();
  const codex = join(repo.home, ".codex");
  const gemini = join(repo.home, ".gemini");
  const there = (path: string) => Deno.lstat(path).then(() => true, () => false);
  for (const agent of ["codex", "gemini"]) {
    await install(repo, "--agent", agent);
    await ok(repo, "hooks", "uninstall", "--agent", agent);
  }
  assertEquals([await there(codex), await there(gemini)], [false, false]);
  assertNotIncludes(await install(repo), "is here too");
  // A folder with anything of the person's in it stays, and so does the agent then.
  await Deno.mkdir(gemini);
  await Deno.writeTextFile(join(gemini, "GEMINI.md"), "theirs\n");
  await install(repo, "--agent", "gemini");
  await ok(repo, "hooks", "uninstall", "--agent", "gemini");
  assertEquals(await Deno.readTextFile(join(gemini, "GEMINI.md")), "theirs\n");
  assertEquals([...Deno.readDirSync(gemini)].map((e) => e.name), ["GEMINI.md"]);
});

Deno.test("a CODEX_HOME the person named stays after uninstall, empty or not", async () => {
  await using repo = await withRepo();
  const home = join(repo.home, "codex-home");
  await Deno.mkdir(home);
  for (const verb of ["install", "uninstall"]) {
    const run = await mpm(["hooks", verb, "--agent", "codex"], {
      cwd: repo.path,
      env: { HOME: repo.home, CODEX_HOME: home },
    });
    assertEquals(run.code, 0, run.stderr);
  }
  assertEquals([...Deno.readDirSync(home)], []);
});
