/**
 * Which mpm the shipped hook scripts run, run as Claude Code runs them (`sh script`, payload on
 * stdin) with a PATH that holds no mpm: the plugin's own `bin/mpm` first, then MPM_BIN, then mpm
 * on PATH; and with none at all, SessionStart tells the person once, in a systemMessage, what to
 * install, remembered in their cache folder, while every event exits 0. And the commands the
 * settings wire, run as Claude Code runs them from a subfolder and in a teammate's clone.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import {
  baseEnv,
  exists,
  ok,
  type Repo,
  ROOT,
  runProcess,
  type RunResult,
  sessionFiles,
  tempDir,
  withRepo,
} from "../../helpers.ts";
import { mpmWrapper, payload, seedClaudeHome, SHELLS } from "../hooks_helpers.ts";

const SCRIPTS = ["pre-session", "post-session", "checkpoint", "on-error"];
/** The system's programs only: no mpm in them (checked below). */
const SYSTEM_PATH = "/usr/bin:/bin";
const PAYLOAD = JSON.stringify({ hook_event_name: "SessionStart", source: "startup" });

function runShipped(
  shell: string,
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<RunResult> {
  return runProcess(shell, [join(ROOT, "hooks", `${script}.sh`)], {
    cwd,
    env: { PATH: SYSTEM_PATH, ...env },
    stdin: PAYLOAD,
  });
}

/** An executable `mpm` at `path` that prints who it is, as SessionStart's output. */
async function fakeMpm(path: string, who: string): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, `#!/bin/sh\ncat >/dev/null\necho "${who} $*"\n`);
  await Deno.chmod(path, 0o755);
}

for (const shell of SHELLS) {
  Deno.test(`${shell}: with no mpm anywhere, SessionStart says what to install, once`, async () => {
    for (const dir of SYSTEM_PATH.split(":")) assert(!(await exists(join(dir, "mpm"))));
    await using tmp = await tempDir();
    const home = join(tmp.path, "home");
    const project = join(tmp.path, "project");
    await Deno.mkdir(home);
    await Deno.mkdir(project);
    const env = { HOME: home };
    // The other events only log it, and remember nothing.
    for (const script of SCRIPTS.slice(1)) {
      const run = await runShipped(shell, script, project, env);
      assertEquals([run.code, run.stdout], [0, ""], `${script}: ${run.stderr}`);
      assertStringIncludes(run.stderr, "mpm not found (put it on PATH or set MPM_BIN); skipped.");
    }
    const markers = async (dir: string) =>
      (await Array.fromAsync(Deno.readDir(dir)).catch(() => [])).map((e) => e.name);
    assertEquals(await markers(join(home, ".cache", "mpm")), []);

    const first = await runShipped(shell, "pre-session", project, env);
    assertEquals(first.code, 0);
    assertEquals(first.stdout.split("\n").length, 2, "one line");
    const told = JSON.parse(first.stdout);
    assertEquals(Object.keys(told), ["systemMessage"]);
    assertStringIncludes(told.systemMessage, "the mpm program is not installed");
    assertStringIncludes(
      told.systemMessage,
      "https://github.com/mpm-dev/mpm/releases/latest/download/install.sh",
    );
    const [marker] = await markers(join(home, ".cache", "mpm"));
    assert(marker.startsWith("told-missing-"), "the marker is in the user's cache folder");
    assertEquals(await exists(join(project, ".claude-mpm")), false, "nothing in the project");

    const second = await runShipped(shell, "pre-session", project, env);
    assertEquals([second.code, second.stdout], [0, ""], "told again");

    // XDG_CACHE_HOME, where it is set, is the cache folder.
    const xdg = join(tmp.path, "xdg");
    const elsewhere = await runShipped(shell, "pre-session", project, {
      HOME: home,
      XDG_CACHE_HOME: xdg,
    });
    assertStringIncludes(elsewhere.stdout, "systemMessage");
    assertEquals(await markers(join(xdg, "mpm")), [marker], "one marker per project");
  });

  Deno.test(`${shell}: the plugin's own bin/mpm runs first, then MPM_BIN, then mpm on PATH`, async () => {
    await using tmp = await tempDir();
    const home = join(tmp.path, "home");
    await Deno.mkdir(home);
    const plugin = join(tmp.path, "plugin");
    const onPath = join(tmp.path, "bin");
    await fakeMpm(join(plugin, "bin", "mpm"), "plugin");
    await fakeMpm(join(tmp.path, "given", "mpm"), "MPM_BIN");
    await fakeMpm(join(onPath, "mpm"), "PATH");
    const path = `${onPath}:${SYSTEM_PATH}`;
    const given = join(tmp.path, "given", "mpm");
    const cases: [Record<string, string>, string][] = [
      [{ CLAUDE_PLUGIN_ROOT: plugin, MPM_BIN: given, PATH: path }, "plugin"],
      [{ CLAUDE_PLUGIN_ROOT: join(tmp.path, "no-bin"), MPM_BIN: given, PATH: path }, "MPM_BIN"],
      [{ MPM_BIN: given, PATH: path }, "MPM_BIN"],
      [{ PATH: path }, "PATH"],
    ];
    for (const [env, who] of cases) {
      const run = await runShipped(shell, "pre-session", tmp.path, { HOME: home, ...env });
      assertEquals(run.code, 0, run.stderr);
      assertEquals(run.stdout, `${who} hook session-start\n`, JSON.stringify(env));
    }
    assertEquals(await exists(join(home, ".cache", "mpm")), false, "told when mpm was there");
  });
}

/** The commands a settings file wires for an event. */
async function wired(repo: Repo, file: string, event: string): Promise<string[]> {
  const settings = JSON.parse(await repo.read(file));
  // deno-lint-ignore no-explicit-any
  return settings.hooks[event].flatMap((block: any) => block.hooks.map((h: any) => h.command));
}

/** A settings command run as Claude Code runs it: `sh -c`, in `cwd`, the payload on stdin. */
function runWired(
  command: string,
  cwd: string,
  stdin: string,
  env: Record<string, string>,
): Promise<RunResult> {
  return runProcess("sh", ["-c", command], {
    cwd,
    env: { CLAUDE_PROJECT_DIR: cwd, ...env },
    stdin,
  });
}

Deno.test("started in a subfolder, the settings' commands find the root's scripts: the same context and snapshot", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install");
  await seedClaudeHome(repo);
  await ok(repo, "pause", "-s", "Payment work", "--next-step", "Wire the refunds");
  const sub = join(repo.path, "src", "api");
  await Deno.mkdir(sub, { recursive: true });
  const env = { ...baseEnv(repo.home), MPM_BIN: await mpmWrapper(join(repo.home, "..")) };
  const [start] = await wired(repo, ".claude/settings.local.json", "SessionStart");
  const fromRoot = await runWired(
    start,
    repo.path,
    payload("session-start-startup.json", repo),
    env,
  );
  const fromSub = await runWired(
    start,
    sub,
    payload("session-start-startup.json", repo, { cwd: sub }),
    env,
  );
  assertEquals([fromSub.code, fromSub.stderr], [0, ""]);
  assertStringIncludes(fromSub.stdout, "Wire the refunds");
  assertEquals(fromSub.stdout, fromRoot.stdout, "the same context from the subfolder");

  const before = await sessionFiles(repo.path);
  await repo.write("src/api/refunds.ts", "export const refunds = 1;\n");
  const [, end] = await wired(repo, ".claude/settings.local.json", "SessionEnd");
  const ended = await runWired(end, sub, payload("session-end.json", repo, { cwd: sub }), env);
  assertEquals([ended.code, ended.stdout], [0, ""], ended.stderr);
  assert((await sessionFiles(repo.path)).length > before.length, "a snapshot from the subfolder");
});

Deno.test("a teammate's clone without the scripts: no event fails or speaks, SessionStart says once what to install", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install", "--scope", "project");
  // A clone: the settings came with git, .claude-mpm/ (kept out of git) did not.
  await Deno.remove(join(repo.path, ".claude-mpm"), { recursive: true });
  const sub = join(repo.path, "docs");
  await Deno.mkdir(sub);
  const home = join(repo.home, "teammate");
  await Deno.mkdir(home);
  const env = { HOME: home, PATH: SYSTEM_PATH };
  for (const event of ["SessionEnd", "Stop", "PreCompact", "PostToolUseFailure", "StopFailure"]) {
    for (const command of await wired(repo, ".claude/settings.json", event)) {
      const run = await runWired(command, sub, "{}", env);
      assertEquals([run.code, run.stdout, run.stderr], [0, "", ""], `${event}: ${command}`);
    }
  }
  const [start] = await wired(repo, ".claude/settings.json", "SessionStart");
  const first = await runWired(start, sub, PAYLOAD, env);
  assertEquals([first.code, first.stderr], [0, ""]);
  assertEquals(first.stdout.split("\n").length, 2, "one line");
  assertStringIncludes(JSON.parse(first.stdout).systemMessage, "the mpm program is not installed");
  const again = await runWired(start, repo.path, PAYLOAD, env);
  assertEquals([again.code, again.stdout, again.stderr], [0, "", ""], "once per project");

  // Another project on the same machine is told too, once; with mpm there, to install the hooks.
  await using other = await withRepo();
  await other.write(".claude/settings.json", await repo.read(".claude/settings.json"));
  const bin = join(home, "bin");
  await fakeMpm(join(bin, "mpm"), "mpm");
  const told = await runWired(start, other.path, PAYLOAD, {
    HOME: home,
    PATH: `${bin}:${SYSTEM_PATH}`,
  });
  assertStringIncludes(JSON.parse(told.stdout).systemMessage, "run mpm hooks install");
});
