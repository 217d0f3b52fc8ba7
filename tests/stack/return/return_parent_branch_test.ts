/**
 * `mpm return` when the parent's git branch is gone: deleted or renamed after `mpm branch`. It
 * refuses before anything changes, and says both ways back.
 */
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, statusJson, withRepo } from "../../helpers.ts";

Deno.test("the parent's branch renamed after the branch: refused, naming the rename back", async () => {
  await using repo = await withRepo();
  await repo.git("switch", "-q", "-c", "feat");
  await ok(repo, "start", "A");
  await repo.write("README.md", "# wip\n");
  await ok(repo, "branch", "B", "--stash", "-b", "hot");
  await repo.git("branch", "-m", "feat", "feat2");
  const refused = await repo.run("return");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "deleted or renamed after `mpm branch`");
  assertStringIncludes(refused.stderr, "`git branch -m NEW-NAME feat`");
  assertEquals((await statusJson(repo)).active.name, "B");

  await repo.git("branch", "-m", "feat2", "feat");
  await ok(repo, "return");
  assertEquals((await repo.git("branch", "--show-current")).trim(), "feat");
  assertEquals(await repo.read("README.md"), "# wip\n");
});
