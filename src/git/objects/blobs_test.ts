import { assertEquals } from "../../../tests/assert.ts";
import { tempDir, withRepo } from "../../../tests/helpers.ts";
import { hashWorkTreeFiles, keptAsIs, lookAtFiles } from "./blobs.ts";

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

Deno.test("lookAtFiles hashes a file itself only where git stores its bytes as they are", async () => {
  await using repo = await withRepo();
  await repo.git("config", "core.autocrlf", "true");
  await repo.git("config", "filter.upper.clean", "tr a-z A-Z");
  await repo.write("plain.txt", "plain\n");
  await repo.write("crlf.txt", "a\r\nb\r\n");
  await repo.write("binary.bin", "a\0\r\nb");
  await repo.write("sub/.gitattributes", "*.up filter=upper\n*.id ident\n");
  await repo.write("sub/x.up", "shout\n");
  await repo.write("sub/x.id", "$Id: abc $\n");
  await repo.write("sub/plain.txt", "sub\n");
  await repo.write("eol/.gitattributes", "* text eol=lf\n");
  await repo.write("eol/lf.txt", "lf\n");
  await repo.write("eol/crlf.bin", "a\0\r\nb");
  await repo.git("add", "sub/.gitattributes", "eol/.gitattributes");
  await repo.git("commit", "-q", "-m", "attributes");
  const paths = [
    "plain.txt",
    "crlf.txt",
    "binary.bin",
    "sub/x.up",
    "sub/x.id",
    "sub/plain.txt",
    "eol/lf.txt",
    "eol/crlf.bin",
  ];
  const looked = (await lookAtFiles(repo.path, paths, { write: true }))!;
  const byGit = (await repo.git("hash-object", ...paths)).trim().split("\n");
  const ids = paths.map((path) => {
    const found = looked.get(path);
    return found?.kind === "file" ? found.blob : found?.kind;
  });
  assertEquals(ids, byGit);
  // Kept (hashed here, written by the mark) only where no rule of git's can change the bytes:
  // not beside a file naming a filter, whatever its pattern.
  const kept = paths.filter((path) => {
    const found = looked.get(path);
    return found?.kind === "file" && found.bytes !== undefined;
  });
  assertEquals(kept, ["plain.txt", "binary.bin", "eol/lf.txt"]);
});

Deno.test("keptAsIs: only a carriage return can be turned, and never in a NUL file without attributes", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assertEquals(keptAsIs(bytes("a\nb"), false), true);
  assertEquals(keptAsIs(bytes("a\r\nb"), true), false);
  assertEquals(keptAsIs(bytes("a\0\r\nb"), true), true);
  assertEquals(keptAsIs(bytes("a\0\r\nb"), false), false);
});
