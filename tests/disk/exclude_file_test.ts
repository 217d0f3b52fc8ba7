/**
 * `.git/info/exclude` as mpm finds it: a link (to a file many clones share) is never written
 * through, and a folder where git wants the file is named with the fix, not git's raw text.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { ok, withRepo } from "../helpers.ts";

Deno.test({
  name: "a pause never writes through a linked .git/info/exclude, nor a linked .git/info/",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    const shared = join(repo.home, "shared");
    await Deno.mkdir(shared);
    const outside = join(shared, "exclude");
    await Deno.writeTextFile(outside, "# shared excludes\n");
    const info = join(repo.path, ".git", "info");
    await Deno.remove(join(info, "exclude"));
    await Deno.symlink(outside, join(info, "exclude"));

    await ok(repo, "pause", "-s", "x");
    await ok(repo, "checkpoint", "save", "c1");
    assertEquals(await Deno.readTextFile(outside), "# shared excludes\n");
    assertEquals((await Deno.lstat(join(info, "exclude"))).isSymlink, true);

    // The folder linked instead of the file.
    await Deno.remove(info, { recursive: true });
    await Deno.symlink(shared, info);
    await ok(repo, "pause", "-s", "y");
    assertEquals(await Deno.readTextFile(outside), "# shared excludes\n");
  },
});

Deno.test("a folder where .git/info/exclude should be: one sentence naming it and the fix", async () => {
  await using repo = await withRepo();
  const exclude = join(repo.path, ".git", "info", "exclude");
  await Deno.remove(exclude);
  await Deno.mkdir(exclude);
  for (const args of [["start", "feat"], ["pause", "-s", "x"]]) {
    const run = await repo.run(...args);
    const what = `${args.join(" ")}: ${run.stderr}`;
    assertEquals(run.code, 1, what);
    assertStringIncludes(run.stderr, "info/exclude as its exclude file", what);
    assertStringIncludes(run.stderr, "`mv ", what);
    assertNotIncludes(run.stderr, "git status failed", what);
    assertNotIncludes(run.stderr, "unexpected failure", what);
  }
});
