/**
 * `deno task bundle`: dist/mpm.js (with its dist/mpm-chunks/) runs on its own. It is built once
 * for the run (helpers.ts testBundle), copied into an empty folder, and run from a fresh git
 * repository with reading the source tree denied, for --version, --help and every command's --help
 * (walked from the command tree, so new commands are covered).
 */
import { dirname, join } from "node:path";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { git, ROOT, tempDir, testBundle, withRepo } from "../helpers.ts";
import { root as registry } from "../../src/commands.ts";
import { type Command, loadTree } from "../../src/cli/command.ts";
import { VERSION } from "../../src/kernel/version.ts";
import { SHIPPED_SKILLS } from "../../src/skills/assets.ts";

/** The --help runs at once: each mostly waits on Deno's start and the chunk it reads. */
const HELPS_AT_ONCE = 4;

/** Every command path, the registry's lazy entries loaded (the bundle must load each one). */
const root = await loadTree(registry);

function commandPaths(command: Command, prefix: string[] = []): [string[], Command][] {
  return (command.subcommands ?? []).flatMap((sub) => {
    const path = [...prefix, sub.name];
    return [[path, sub] as [string[], Command], ...commandPaths(sub, path)];
  });
}

Deno.test("dist/mpm.js runs from an empty folder with the source tree out of reach", async (t) => {
  // Made once for the run (helpers.ts testBundle), as `deno task bundle` makes dist/mpm.js.
  const built = dirname(await testBundle());
  const decoder = new TextDecoder();
  // Its runs deny reading the source tree, so they have less than --allow-all.
  await using app = await tempDir("mpm-app-", { onDisk: true });
  await Deno.copyFile(join(built, "mpm.js"), join(app.path, "mpm.js"));
  // The chunks each command loads when chosen (scripts/build/bundle.ts) go beside it, and only
  // they.
  const chunks = join(app.path, "mpm-chunks");
  await Deno.mkdir(chunks);
  for await (const file of Deno.readDir(join(built, "mpm-chunks"))) {
    assert(file.name.endsWith(".js"), file.name);
    await Deno.copyFile(join(built, "mpm-chunks", file.name), join(chunks, file.name));
  }
  await using repo = await withRepo({ onDisk: true });
  // An empty Deno cache: the bundle needs nothing that a download would have brought.
  await using cache = await tempDir("mpm-no-cache-", { onDisk: true });
  const runIn = async (cwd: string, ...args: string[]) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-config",
        "--allow-all",
        `--deny-read=${ROOT}`,
        join(app.path, "mpm.js"),
        ...args,
      ],
      cwd,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: repo.home,
        DENO_DIR: cache.path,
        NO_COLOR: "1",
      },
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
    input = "";
    const out = await child.output();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  };
  /** What the next run reads on stdin (then nothing again). */
  let input = "";
  const run = (...args: string[]) => runIn(repo.path, ...args);

  await t.step("mpm --version names the build it was bundled from", async () => {
    const out = await run("--version");
    assertEquals(out.code, 0, out.stderr);
    const sha = (await git(ROOT, "rev-parse", "--short=7", "HEAD").catch(() => "nogit")).trim();
    assertMatch(
      out.stdout,
      new RegExp(`^mpm ${VERSION.replaceAll(".", "\\.")} \\(build ${sha}-\\d{8}(-dirty)?, deno `),
    );
  });

  await t.step("mpm --help", async () => {
    const out = await run("--help");
    assertEquals(out.code, 0, out.stderr);
    assert(out.stdout.startsWith(root.summary), out.stdout);
  });

  await t.step("mpm completions bash (the command tree is imported lazily)", async () => {
    const out = await run("completions", "bash");
    assertEquals(out.code, 0, out.stderr);
    assert(out.stdout.includes("complete -F _mpm mpm"), out.stdout);
  });

  await t.step("mpm pause, list, show and resume work from the bundle", async () => {
    await repo.commit("Add cart", { "cart.ts": "v1\n" });
    const paused = await run("pause", "-s", "Bundled pause", "-n", "Ship it", "--json");
    assertEquals(paused.code, 0, paused.stderr);
    const id = JSON.parse(paused.stdout).session_id;
    await repo.commit("After the pause", { "cart.ts": "v2\n" });
    const listed = await run("list", "--json");
    assertEquals(JSON.parse(listed.stdout)[0].session_id, id);
    const shown = await run("show", id, "--format", "md");
    assert(shown.stdout.includes("Bundled pause"), shown.stdout);
    const resumed = await run("resume", "--json");
    assertEquals(resumed.code, 0, resumed.stderr);
    const { session, changes } = JSON.parse(resumed.stdout);
    assertEquals(session.conversation.next_steps, ["Ship it"]);
    assertEquals(changes.new_commits.map((c: { subject: string }) => c.subject), [
      "After the pause",
    ]);
  });

  await t.step("mpm hook session-start tells Claude the session, from the bundle", async () => {
    input = JSON.stringify({
      session_id: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
      transcript_path: join(repo.home, "transcript.jsonl"),
      cwd: repo.path,
      hook_event_name: "SessionStart",
      source: "startup",
    });
    const out = await run("hook", "session-start");
    assertEquals(out.code, 0, out.stderr);
    const told = JSON.parse(out.stdout).hookSpecificOutput.additionalContext;
    assert(told.includes("Bundled pause"), told);
    assert(told.includes("After the pause"), told);
  });

  await t.step(
    "mpm hooks install writes the embedded scripts; templates come from inside",
    async () => {
      const installed = await run("hooks", "install");
      assertEquals(installed.code, 0, installed.stderr);
      for (const name of ["pre-session", "post-session", "checkpoint", "on-error"]) {
        const script = await Deno.readTextFile(join(repo.path, ".claude-mpm/hooks", `${name}.sh`));
        assert(script.startsWith("#!/bin/sh"), script);
        assert(script.includes(`mpm hook`), script);
      }
      const settings = JSON.parse(
        await Deno.readTextFile(join(repo.path, ".claude/settings.local.json")),
      );
      assert(JSON.stringify(settings.hooks).includes(".claude-mpm/hooks/pre-session.sh"));
      const template = await run("template", "show", "hotfix");
      assertEquals(template.code, 0, template.stderr);
      assert(template.stdout.includes("- [ ]"), template.stdout);
    },
  );

  await t.step("mpm skills install writes the embedded skills into an empty folder", async () => {
    await using empty = await tempDir("mpm-skills-", { onDisk: true });
    const installed = await runIn(empty.path, "skills", "install", "--json");
    assertEquals(installed.code, 0, installed.stderr);
    const skills = join(empty.path, ".claude", "skills");
    const names = (await Array.fromAsync(Deno.readDir(skills)))
      .filter((e) => e.isDirectory).map((e) => e.name).sort();
    assertEquals(names, SHIPPED_SKILLS.map((s) => s.name).sort());
    for (const { name, text } of SHIPPED_SKILLS) {
      const skill = await Deno.readTextFile(join(skills, name, "SKILL.md"));
      assertEquals(skill, text, name);
      assert(skill.includes("user-invocable: true"), skill);
    }
  });

  // Each command's --help is a process of its own (the bundle must load that command's chunk);
  // they change nothing, so they run a few at once, and each is checked in a step of its own.
  const paths = commandPaths(root);
  const helps = new Map<string, ReturnType<typeof run>>();
  const pending = [...paths];
  const helper = async () => {
    for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
      const out = run(...next[0], "--help");
      helps.set(next[0].join(" "), out);
      await out;
    }
  };
  await Promise.all(Array.from({ length: HELPS_AT_ONCE }, helper));
  for (const [path, command] of paths) {
    await t.step(`mpm ${path.join(" ")} --help`, async () => {
      const out = await helps.get(path.join(" "))!;
      assertEquals(out.code, 0, out.stderr);
      assertEquals(out.stderr, "");
      assert(out.stdout.startsWith(command.summary), out.stdout);
      assert(out.stdout.includes(`Usage: mpm ${path.join(" ")}`), out.stdout);
    });
  }
});
