/**
 * `mpm return` in the middle of a rebase, merge or cherry-pick: refused before anything is written,
 * with the operation's own next step (committing or stashing is no way out mid-operation).
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, type Repo, stashes, statusJson, withRepo } from "../../helpers.ts";

const has = (repo: Repo, file: string) =>
  Deno.stat(join(repo.path, ".git", file)).then(() => true, () => false);

/** A, with uncommitted work, branched into B on `hot`, which has a commit of its own. */
async function branched(repo: Repo) {
  await repo.commit("Base", { "f.txt": "one\n", "g.txt": "g\n" });
  await ok(repo, "start", "A");
  await repo.write("g.txt", "A's work\n");
  await ok(repo, "branch", "B", "--stash", "-b", "hot");
  await repo.commit("Hot", { "h.txt": "hot\n" });
}

Deno.test("return during a rebase stopped at an edit: refused, nothing written", async () => {
  await using repo = await withRepo();
  await branched(repo);
  await repo.git(
    "-c",
    "sequence.editor=sed -i s/^pick/edit/",
    "rebase",
    "-q",
    "-i",
    "HEAD~1",
  );
  assert(await has(repo, "rebase-merge"));
  const before = await repo.read(".claude-mpm/state.json");

  const refused = await repo.run("return");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "A rebase is in progress; mpm will not go back to A");
  assertStringIncludes(refused.stderr, "`git rebase --continue`");
  assertStringIncludes(refused.stderr, "`git rebase --abort`");
  assertEquals(await repo.read(".claude-mpm/state.json"), before);
  assert(await has(repo, "rebase-merge"), "the rebase is still in progress");

  await repo.git("rebase", "--continue");
  await ok(repo, "return");
  assertEquals(await repo.read("g.txt"), "A's work\n");
  assertEquals(await stashes(repo), []);
});

Deno.test("return with a cherry-pick stopped on a conflict: resolve, then continue or abort", async () => {
  await using repo = await withRepo();
  await branched(repo);
  await repo.git("switch", "-q", "-c", "side", "main");
  await repo.commit("Side", { "f.txt": "side\n" });
  await repo.git("switch", "-q", "hot");
  await repo.commit("Hot f", { "f.txt": "hot\n" });
  await repo.git("cherry-pick", "side").catch(() => {});

  const refused = await repo.run("return");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "A cherry-pick is in progress with unmerged paths (f.txt)");
  assertStringIncludes(
    refused.stderr,
    "`git add` it, then finish it (`git cherry-pick --continue`)",
  );
  assert(!refused.stderr.includes("Commit them"), refused.stderr);
  assertEquals((await statusJson(repo)).active.name, "B");
  assertEquals((await stashes(repo)).length, 1);
});
