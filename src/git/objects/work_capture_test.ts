import { assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { emptyStatus } from "../tree/porcelain.ts";
import { readStatus } from "../tree/status.ts";
import {
  captureWorkTree,
  dirtyCountOver,
  dirtyPathsOf,
  treeChanges,
  treeChangesEach,
} from "./work_capture.ts";

Deno.test("dirtyPathsOf lists every changed path once, renames by both names, sorted", () => {
  const status = {
    ...emptyStatus(),
    head: "a".repeat(40),
    staged: ["new.txt", "b.txt"],
    modified: ["b.txt", "c.txt"],
    untracked: ["notes.md"],
    deleted: ["gone.txt"],
    renamed: [{ from: "old.txt", to: "new.txt" }],
    conflicted: ["both.txt"],
  };
  assertEquals(dirtyPathsOf(status), {
    head: "a".repeat(40),
    paths: ["b.txt", "both.txt", "c.txt", "gone.txt", "new.txt", "notes.md", "old.txt"],
  });
});

Deno.test("dirtyPathsOf gives up on an untracked folder shown whole: its files are not named", () => {
  assertEquals(dirtyPathsOf({ ...emptyStatus(), untracked: ["drafts/", "a.txt"] }), null);
});

/** A work tree with every kind of change a status reports. */
async function changedRepo() {
  const repo = await withRepo();
  await repo.commit("files", { "keep.txt": "keep\n", "old.txt": "old\n", "gone.txt": "gone\n" });
  await repo.write("README.md", "# changed\n");
  await repo.git("mv", "old.txt", "renamed.txt");
  await Deno.remove(`${repo.path}/gone.txt`);
  await repo.write("new.txt", "new\n");
  return repo;
}

Deno.test("a capture from the caller's status holds the same tree as one that reads its own", async () => {
  await using repo = await changedRepo();
  const own = await captureWorkTree(repo.path);
  const status = await readStatus(repo.path);
  const fromStatus = await captureWorkTree(repo.path, status!);
  assertEquals(fromStatus, own);
  assertEquals(own?.dirty, 5);
});

Deno.test("an untracked folder or a hidden-untracked setting: the capture reads its own status", async () => {
  await using repo = await changedRepo();
  await repo.write("drafts/idea.md", "idea\n");
  const status = await readStatus(repo.path);
  assertEquals(status?.untracked.includes("drafts/"), true);
  assertEquals(await captureWorkTree(repo.path, status!), await captureWorkTree(repo.path));

  await repo.git("config", "status.showUntrackedFiles", "no");
  const hiding = await readStatus(repo.path);
  assertEquals(hiding?.untracked, []);
  const captured = await captureWorkTree(repo.path, hiding!);
  assertEquals(captured, await captureWorkTree(repo.path));
  // The untracked files are in the tree all the same.
  assertEquals(captured?.dirty, 6);
});

Deno.test("a clean work tree is captured as HEAD's tree read with the status, unless it has submodules", async () => {
  await using repo = await withRepo();
  await repo.commit("files", { "a.txt": "a\n" });
  const status = (await readStatus(repo.path))!;
  const headTree = (await repo.git("rev-parse", "HEAD^{tree}")).trim();
  assertEquals((await captureWorkTree(repo.path, status, headTree))?.tree, headTree);
  // The tree given is taken as it is: no git process writes one.
  const given = "b".repeat(40);
  assertEquals((await captureWorkTree(repo.path, status, given))?.tree, given);
  // A submodule's change can hide from status: then the index is written, as for dirty work.
  await repo.commit("submodules", { ".gitmodules": "" });
  const withModules = (await readStatus(repo.path))!;
  const written = (await repo.git("rev-parse", "HEAD^{tree}")).trim();
  assertEquals((await captureWorkTree(repo.path, withModules, given))?.tree, written);
});

Deno.test("treeChangesEach: every pair of trees in one git process, as treeChanges gives each", async () => {
  await using repo = await withRepo();
  const tree = async () => (await repo.git("rev-parse", "HEAD^{tree}")).trim();
  const first = await tree();
  await repo.commit("two", { "a.ts": "a\n", "odd\nname.ts": "x\n" });
  const second = await tree();
  await repo.git("rm", "-q", "a.ts");
  await repo.commit("three");
  const third = await tree();
  const pairs = [[first, second], [second, second], [second, third], [first, third]] as const;
  const each = await treeChangesEach(repo.path, pairs);
  assertEquals(each, await Promise.all(pairs.map(([a, b]) => treeChanges(repo.path, a, b))));
  assertEquals(each.map((changes) => changes.map((c) => c.path)), [
    ["a.ts", "odd\nname.ts"],
    [],
    ["a.ts"],
    ["odd\nname.ts"],
  ]);
  assertEquals(await treeChangesEach(repo.path, [[first, first]]), [[]]);
});

Deno.test("dirtyCountOver counts what dirtyPathsOf lists, only when over the limit", () => {
  const status = {
    ...emptyStatus(),
    staged: ["a", "b", "c", "d", "moved-to"],
    modified: ["a", "e"],
    untracked: ["u"],
    deleted: ["d"],
    renamed: [{ from: "moved-from", to: "moved-to" }],
    conflicted: ["x"],
  };
  const listed = dirtyPathsOf(status)!.paths.length;
  assertEquals(dirtyCountOver(status, listed - 1), listed);
  assertEquals(dirtyCountOver(status, listed), undefined);
  const many = { ...emptyStatus(), staged: Array.from({ length: 50 }, (_, i) => `p${i}`) };
  assertEquals(dirtyCountOver({ ...many, modified: ["p1", "q"] }, 10), 51);
});
