/**
 * `mpm return` run from a subfolder: it works on the whole repository, and when switching back
 * removed the folder it was run in (only the child's branch had it), it says so and gives the
 * `cd` to the repository's top, as `mpm branch` does when a stash takes the folder.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, stashes, withRepo } from "../../helpers.ts";

Deno.test("return from a subfolder the parent's branch does not have: back, and the `cd` to the top", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("README.md", "# wip\n");
  await ok(repo, "branch", "B", "--stash", "-b", "hot");
  await repo.commit("child folder", { "newdir/x.txt": "x\n" });
  const out = await mpm(["return"], { cwd: join(repo.path, "newdir"), env: { HOME: repo.home } });
  assertEquals(out.code, 0, out.stderr);
  assertStringIncludes(out.stdout, "The folder you ran this in is not on main");
  assertStringIncludes(out.stdout, `\`cd ${repo.path}\``);
  assertEquals((await repo.git("branch", "--show-current")).trim(), "main");
  assertEquals(await repo.read("README.md"), "# wip\n");
  assertEquals(await stashes(repo), []);
});

Deno.test("return from a subfolder both branches have: nothing to say about the folder", async () => {
  await using repo = await withRepo();
  await repo.commit("a folder", { "lib/a.txt": "a\n" });
  await ok(repo, "start", "A");
  await repo.write("lib/a.txt", "a wip\n");
  await ok(repo, "branch", "B", "--stash", "-b", "hot");
  const out = await mpm(["return"], { cwd: join(repo.path, "lib"), env: { HOME: repo.home } });
  assertEquals(out.code, 0, out.stderr);
  assert(!out.stdout.includes("The folder you ran this in"), out.stdout);
  assertEquals(await repo.read("lib/a.txt"), "a wip\n");
});
