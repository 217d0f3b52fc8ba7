import { assertEquals } from "../../../tests/assert.ts";
import { tempDir, withRepo } from "../../../tests/helpers.ts";
import { hashWorkTreeFiles } from "./blobs.ts";

Deno.test("hashWorkTreeFiles: git's blob id of each file, null when absent, links and folders unknown", async () => {
  await using repo = await withRepo();
  await repo.write("a.txt", "hello\n");
  // A line break in a name is given to git quoted: hashed as any other.
  await repo.write("x\ny", "hello\n");
  await repo.write("dir/b.txt", "b\n");
  await Deno.symlink("a.txt", `${repo.path}/link`);
  const blobs = await hashWorkTreeFiles(repo.path, ["a.txt", "gone.txt", "link", "dir/", "x\ny"]);
  // `git hash-object` of "hello\n".
  assertEquals(
    blobs,
    new Map([
      ["a.txt", "ce013625030ba8dba906f756967f9e9ca394464a"],
      ["gone.txt", null],
      ["x\ny", "ce013625030ba8dba906f756967f9e9ca394464a"],
    ]),
  );
  assertEquals(await hashWorkTreeFiles(repo.path, []), new Map());
});

Deno.test("hashWorkTreeFiles needs no repository: the id is the content's", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/a.txt`, "hello\n");
  assertEquals(
    await hashWorkTreeFiles(dir.path, ["a.txt"]),
    new Map([["a.txt", "ce013625030ba8dba906f756967f9e9ca394464a"]]),
  );
});
