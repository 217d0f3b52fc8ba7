import { join } from "node:path";
import { assertEquals } from "../../../tests/assert.ts";
import { git, tempDir, withRepo } from "../../../tests/helpers.ts";
import { entriesAt, untrackedFilesUnder } from "./tree_files.ts";

Deno.test("untrackedFilesUnder expands git's dir/ entries, skipping ignored files and .claude-mpm", async () => {
  await using repo = await withRepo();
  await repo.write(".gitignore", "*.log\n");
  await repo.write("a/one.txt", "1");
  await repo.write("a/b/two.txt", "2");
  await repo.write("a/skip.log", "ignored");
  await repo.write("elsewhere/three.txt", "3");
  await repo.write(".claude-mpm/sessions/x.json", "{}");
  await Deno.mkdir(join(repo.path, "a/nested"));
  await git(join(repo.path, "a/nested"), "init", "-q");
  await repo.write("a/nested/inner.txt", "inner");
  assertEquals((await untrackedFilesUnder(repo.path, ["a/"]))?.sort(), [
    "a/b/two.txt",
    "a/nested/",
    "a/one.txt",
  ]);
  assertEquals(await untrackedFilesUnder(repo.path, []), []);
});

Deno.test("entriesAt names each path's blob in a commit, null where absent", async () => {
  await using repo = await withRepo();
  const first = await repo.commit("files", { "x.txt": "x\n", "dir/y.txt": "y\n" });
  await repo.commit("later", { "z.txt": "z\n" });
  const entries = await entriesAt(repo.path, first, ["x.txt", "dir/y.txt", "z.txt", "dir"]);
  assertEquals(entries?.get("x.txt"), {
    oid: (await repo.git("rev-parse", `${first}:x.txt`)).trim(),
    type: "blob",
  });
  assertEquals(entries?.get("dir/y.txt")?.type, "blob");
  assertEquals(entries?.get("z.txt"), null);
  assertEquals(entries?.get("dir")?.type, "tree");
  assertEquals(await entriesAt(repo.path, "f".repeat(40), ["x.txt"]), null);
  assertEquals(await entriesAt(repo.path, "--output=x", ["x.txt"]), null);
  await using plain = await tempDir();
  assertEquals(await entriesAt(plain.path, first, ["x.txt"]), null);
});

Deno.test("entriesAt names what a commit holds at a path with a line break in its name", async () => {
  await using repo = await withRepo();
  const first = await repo.commit("odd names", { "a\nb.txt": "1\n", "d\nir/c.txt": "2\n" });
  const entries = await entriesAt(repo.path, first, ["a\nb.txt", "d\nir", "d\nir/", "gone\n"]);
  assertEquals(entries?.get("a\nb.txt"), {
    oid: (await repo.git("rev-parse", `${first}:a\nb.txt`)).trim(),
    type: "blob",
  });
  assertEquals(entries?.get("d\nir")?.type, "tree");
  assertEquals(entries?.get("d\nir/")?.type, "tree");
  assertEquals(entries?.get("gone\n"), null);
});
