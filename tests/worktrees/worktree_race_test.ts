/**
 * `mpm branch NAME --worktree` against a link put at `.claude/worktrees` after mpm checked the
 * place and before git made the worktree: the step hook (src/git/run/kill_step.ts) swaps it at
 * the moment `git worktree add` starts, as a racing process would, without racing one.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { exists, mpm, statusJson, tempDir, withRepo } from "../helpers.ts";
import { raceAtStep } from "../../src/git/run/kill_step.ts";

Deno.test("branch --worktree: a link swapped in before git's add gets the checkout removed and refused", async () => {
  await using repo = await withRepo();
  await using outside = await tempDir();
  await repo.commit("ignore .claude", { ".gitignore": ".claude/\n" });
  const folder = join(repo.path, ".claude", "worktrees");
  await Deno.mkdir(folder, { recursive: true });
  const before = await repo.git("worktree", "list", "--porcelain");
  const stop = raceAtStep((kind, what) => {
    if (kind !== "git-start" || what[0] !== "worktree" || what[1] !== "add") return;
    Deno.removeSync(folder);
    Deno.symlinkSync(outside.path, folder);
  });
  let out;
  try {
    // In this process (a clock given keeps it so under MPM_TEST_SPAWN=1), where the hook is.
    out = await mpm(["branch", "hot", "--worktree"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      now: () => new Date(),
    });
  } finally {
    stop();
  }
  assertEquals(out.code, 1, out.stderr);
  const real = await Deno.realPath(outside.path);
  assertStringIncludes(out.stderr, `Refused the worktree git made at ${join(real, "hot")}`);
  assertStringIncludes(out.stderr, "the worktree was removed again.");
  assertEquals(await Array.fromAsync(Deno.readDir(outside.path)), []);
  assertEquals(await repo.git("worktree", "list", "--porcelain"), before);
  assertEquals((await repo.git("branch", "--list", "worktree-hot")).trim(), "");
  assertEquals((await statusJson(repo)).worktrees, []);

  // With the folder real again, the same command makes it where it was checked.
  await Deno.remove(folder);
  await Deno.mkdir(folder);
  const made = await repo.run("branch", "hot", "--worktree");
  assertEquals(made.code, 0, made.stderr);
  assert(await exists(join(folder, "hot", "README.md")));
});
