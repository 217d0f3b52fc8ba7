import { assertEquals } from "../../../tests/assert.ts";
import { type Repo, tempDir, withRepo } from "../../../tests/helpers.ts";
import { operationsInProgress } from "./operation.ts";

/** f.txt changed on both main and feature: picking, merging or rebasing one onto the other stops. */
async function clash(repo: Repo) {
  await repo.commit("Base", { "f.txt": "one\n" });
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit("Feature", { "f.txt": "feature\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("Main", { "f.txt": "main\n" });
}

Deno.test("operationsInProgress: none, then each operation git leaves half-done", async () => {
  await using repo = await withRepo();
  await clash(repo);
  assertEquals(await operationsInProgress(repo.path), []);

  await repo.git("merge", "feature").catch(() => {});
  assertEquals(await operationsInProgress(repo.path), ["merge"]);
  await repo.git("merge", "--abort");

  await repo.git("cherry-pick", "feature").catch(() => {});
  assertEquals(await operationsInProgress(repo.path), ["cherry-pick"]);
  await repo.git("cherry-pick", "--abort");

  await repo.git("revert", "--no-edit", "HEAD~1").catch(() => {});
  assertEquals(await operationsInProgress(repo.path), ["revert"]);
  await repo.git("revert", "--abort");

  const patch = await repo.git("format-patch", "-1", "feature", "--stdout");
  await Deno.writeTextFile(`${repo.path}/p.patch`, patch);
  await repo.git("am", "p.patch").catch(() => {});
  assertEquals(await operationsInProgress(repo.path), ["am"]);
  await repo.git("am", "--abort");
  await Deno.remove(`${repo.path}/p.patch`);

  await repo.git("checkout", "-q", "feature");
  await repo.git("rebase", "main").catch(() => {});
  assertEquals(await operationsInProgress(repo.path), ["rebase"]);
  await repo.git("rebase", "--abort");

  await repo.git("bisect", "start", "HEAD", "HEAD~1");
  assertEquals(await operationsInProgress(repo.path), ["bisect"]);
});

Deno.test("operationsInProgress: nothing outside a repository", async () => {
  await using dir = await tempDir();
  assertEquals(await operationsInProgress(dir.path), []);
});
