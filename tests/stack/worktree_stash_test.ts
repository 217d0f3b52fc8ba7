/**
 * Worktrees share one stash list: a stash `mpm branch --stash` made in one worktree is that
 * worktree's, never an orphan in another, never advised to pop there; its own `mpm return`
 * still brings it back.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { git, mpm, stashes, withRepo } from "../helpers.ts";

Deno.test("a stash made in worktree w1 is w1's: status, doctor and return in w2 and main leave it alone", async () => {
  await using repo = await withRepo();
  const w1 = join(repo.path, "..", "w1");
  const w2 = join(repo.path, "..", "w2");
  await repo.git("worktree", "add", "-q", "-b", "one", w1);
  await repo.git("worktree", "add", "-q", "-b", "two", w2);
  const run = (cwd: string, ...args: string[]) => mpm(args, { cwd, env: { HOME: repo.home } });

  await Deno.writeTextFile(join(w1, "README.md"), "# w1's work in progress\n");
  await Deno.writeTextFile(join(w1, "new.txt"), "untracked in w1\n");
  assertEquals((await run(w1, "start", "c0")).code, 0);
  const branched = await run(w1, "branch", "c1", "--stash", "-b", "hot1", "--json");
  assertEquals(branched.code, 0, branched.stderr);
  const message = JSON.parse(branched.stdout).stash;
  assertStringIncludes(message, "(worktree w1)");
  assertEquals(await stashes(repo), [message]);

  for (const where of [w2, repo.path]) {
    const status = await run(where, "status", "--json");
    assertEquals(status.code, 0, status.stderr);
    assertEquals(JSON.parse(status.stdout).orphan_stashes, [], where);
    const text = await run(where, "status");
    assert(!text.stdout.includes("git stash pop"), text.stdout);
    const doctor = await run(where, "doctor");
    assert(!doctor.stdout.includes(message), doctor.stdout);
    assert(!doctor.stdout.includes("git stash pop"), doctor.stdout);
    const back = await run(where, "return");
    assertEquals(back.code, 3, back.stderr);
    assert(!back.stderr.includes("git stash pop"), back.stderr);
  }
  assertEquals(await stashes(repo), [message], "nobody else touched it");

  // w1's own return brings its work back, exactly.
  const returned = await run(w1, "return");
  assertEquals(returned.code, 0, returned.stderr);
  assertStringIncludes(returned.stdout, "exactly as it was");
  assertEquals(await Deno.readTextFile(join(w1, "README.md")), "# w1's work in progress\n");
  assertEquals(await Deno.readTextFile(join(w1, "new.txt")), "untracked in w1\n");
  assertEquals((await git(w1, "branch", "--show-current")).trim(), "one");
  assertEquals(await stashes(repo), []);
  assertEquals(await Deno.readTextFile(join(w2, "README.md")), "# demo\n");

  // An unmarked mpm stash is the main worktree's: an orphan there, not in w2.
  await repo.write("README.md", "# lost\n");
  await repo.git("stash", "push", "-m", "mpm: 20240101-000000-abcdef");
  const orphans = async (where: string) =>
    JSON.parse((await run(where, "status", "--json")).stdout).orphan_stashes
      .map((o: { message: string }) => o.message);
  assertEquals(await orphans(repo.path), ["mpm: 20240101-000000-abcdef"]);
  assertEquals(await orphans(w2), []);
});
