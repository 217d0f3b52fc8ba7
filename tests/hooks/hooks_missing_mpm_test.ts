/**
 * Which mpm the shipped hook scripts run, run as Claude Code runs them (`sh script`, payload on
 * stdin) with a PATH that holds no mpm: the plugin's own `bin/mpm` first, then MPM_BIN, then mpm
 * on PATH; and with none at all, SessionStart tells the person once, in a systemMessage, what to
 * install, remembered in their cache folder, while every event exits 0.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { exists, ROOT, runProcess, type RunResult, tempDir } from "../helpers.ts";
import { SHELLS } from "./hooks_helpers.ts";

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
    const marker = join(home, ".cache", "mpm", "told-mpm-missing");
    assertEquals(await exists(marker), false);

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
    assert(await exists(marker), "the marker is in the user's cache folder");
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
    assert(await exists(join(xdg, "mpm", "told-mpm-missing")));
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
