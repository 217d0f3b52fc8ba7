/**
 * A `.claude-mpm` that is itself a symbolic link out of the project (a cloned repository can
 * commit one) is refused by every command, reading or writing; one inside the project is fine.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { mpm, withRepo } from "../helpers.ts";

Deno.test({
  name: "a .claude-mpm linking outside the project is refused everywhere, and doctor names it",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    const outside = join(repo.home, "elsewhere");
    await Deno.mkdir(join(outside, "sessions"), { recursive: true });
    await Deno.writeTextFile(join(outside, "state.json"), "not json");
    await Deno.symlink(outside, join(repo.path, ".claude-mpm"));
    const listing = async () => (await Array.fromAsync(Deno.readDir(outside))).map((e) => e.name);
    const before = await listing();

    for (
      const args of [
        ["pause", "-s", "x"],
        ["list"],
        ["status"],
        ["resume"],
        ["start", "work"],
        ["checkpoint", "save", "cp"],
        ["todo", "add", "x"],
        ["migrate"],
        ["hooks", "install"],
        ["template", "list"],
      ]
    ) {
      const run = await repo.run(...args);
      assertEquals(run.code, 1, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
      assertStringIncludes(run.stderr, "is a symbolic link to", args.join(" "));
      assertStringIncludes(run.stderr, "outside the project", args.join(" "));
      assertNotIncludes(run.stderr, "    at ");
    }
    // A hook says why on stderr and exits 0 (a hook never breaks Claude Code); no write.
    // (A conversation's SessionEnd: its transcript is there.)
    await Deno.writeTextFile(join(repo.home, "none.jsonl"), "");
    for (
      const [hook, event] of [["session-end", "SessionEnd"], ["on-error", "PostToolUseFailure"]]
    ) {
      const payload = {
        session_id: "abc",
        transcript_path: join(repo.home, "none.jsonl"),
        cwd: repo.path,
        hook_event_name: event,
        reason: "exit",
        tool_name: "Bash",
        tool_input: {},
        error: "boom",
      };
      const run = await mpm(["hook", hook], {
        cwd: repo.path,
        env: { HOME: repo.home },
        stdin: JSON.stringify(payload),
      });
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(run.stderr, "outside the project");
    }
    assertEquals(await listing(), before);
    assertEquals(await Array.fromAsync(Deno.readDir(join(outside, "sessions"))), []);

    const doctor = await repo.run("doctor", "--json");
    assertEquals(doctor.code, 1, doctor.stderr);
    const checks = JSON.parse(doctor.stdout).checks as { id: string; status: string }[];
    assertEquals(checks.filter((c) => c.id === "symlinks").map((c) => c.status), ["fail"]);
  },
});

Deno.test({
  name: "a .claude-mpm linking to a folder inside the project works",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    await Deno.mkdir(join(repo.path, "store"));
    await Deno.symlink("store", join(repo.path, ".claude-mpm"));
    const run = await repo.run("pause", "-s", "kept inside");
    assertEquals(run.code, 0, run.stderr);
    const names = await Array.fromAsync(Deno.readDir(join(repo.path, "store/sessions")));
    assertEquals(names.some((e) => e.name.endsWith(".json")), true);
  },
});
