import { join } from "node:path";
import { assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import {
  parseTreeStatus,
  readTreeRecord,
  restoreFromHead,
  setIndexEntries,
} from "./tree_record.ts";

const Z = "0".repeat(40);
const A = "a".repeat(40);
const B = "b".repeat(40);

Deno.test("parseTreeStatus reads HEAD and index ids, untracked files, conflicts and submodules", () => {
  const out = [
    `1 M. N... 100644 100644 100644 ${A} ${B} staged.txt`,
    `1 A. N... 000000 100644 100644 ${Z} ${B} added.txt`,
    `1 D. N... 100644 000000 000000 ${A} ${Z} gone.txt`,
    `1 .M S.M. 160000 160000 160000 ${A} ${A} vendor/lib`,
    `u UU N... 100644 100644 100644 100644 ${A} ${B} ${A} both.txt`,
    `? new file.txt`,
    `? .claude-mpm/state.json`,
    "",
  ].join("\0");
  const record = parseTreeStatus(out);
  assertEquals(record.paths.map((p) => [p.path, p.head, p.index, p.mode]), [
    ["added.txt", null, B, "100644"],
    ["both.txt", B, null, null],
    ["gone.txt", A, null, null],
    ["new file.txt", null, null, null],
    ["staged.txt", A, B, "100644"],
    ["vendor/lib", A, A, "160000"],
  ]);
  assertEquals(record.paths.find((p) => p.path === "both.txt")?.conflicted, true);
  assertEquals(record.paths.find((p) => p.path === "new file.txt")?.untracked, true);
  assertEquals(record.submodules, [{ path: "vendor/lib", changes: ["modified content"] }]);
});

Deno.test("readTreeRecord hashes the work tree as git would, and reads clean paths asked about", async () => {
  await using repo = await withRepo();
  await repo.commit("base", { "a.txt": "a\n", "b.txt": "b\n" });
  await repo.write("a.txt", "a staged\n");
  await repo.git("add", "a.txt");
  await repo.write("a.txt", "a then more\n");
  await repo.write("dir/new.txt", "new\n");
  const record = await readTreeRecord(repo.path, ["b.txt"]);
  const a = record.paths.find((p) => p.path === "a.txt")!;
  assertEquals(a.index, (await repo.git("rev-parse", ":a.txt")).trim());
  assertEquals(a.head, (await repo.git("rev-parse", "HEAD:a.txt")).trim());
  await Deno.writeTextFile(join(repo.path, "probe.tmp"), "a then more\n");
  assertEquals(a.work, (await repo.git("hash-object", "--no-filters", "probe.tmp")).trim());
  await Deno.remove(join(repo.path, "probe.tmp"));
  const b = record.paths.find((p) => p.path === "b.txt")!;
  assertEquals(
    [b.head, b.index, b.work],
    Array(3).fill((await repo.git("rev-parse", ":b.txt")).trim()),
  );
  assertEquals(record.paths.find((p) => p.path === "dir/new.txt")?.untracked, true);
});

Deno.test("setIndexEntries stages exact blobs; restoreFromHead puts paths back as HEAD has them", async () => {
  await using repo = await withRepo();
  await repo.commit("base", { "a.txt": "a\n" });
  await repo.write("a.txt", "a staged\n");
  await repo.git("add", "a.txt");
  const staged = (await repo.git("rev-parse", ":a.txt")).trim();
  await repo.git("reset", "-q");
  await setIndexEntries(repo.path, [{ path: "a.txt", oid: staged, mode: "100644" }]);
  assertEquals(await repo.git("status", "--porcelain"), "M  a.txt\n");
  await repo.write("extra.txt", "x\n");
  await repo.git("add", "extra.txt");
  await restoreFromHead(repo.path, ["a.txt", "extra.txt"]);
  assertEquals(await repo.git("status", "--porcelain"), "");
  assertEquals(await Deno.readTextFile(join(repo.path, "a.txt")), "a\n");
});

Deno.test("readTreeRecord hashes with the repository's object format, sha256 included", async () => {
  await using repo = await withRepo({ git: false });
  await repo.git("init", "-q", "-b", "main", "--object-format=sha256");
  await repo.write("new.txt", "new\n");
  const [entry] = (await readTreeRecord(repo.path)).paths;
  assertEquals(entry.path, "new.txt");
  assertEquals(entry.work, (await repo.git("hash-object", "new.txt")).trim());
  assertEquals(entry.work?.length, 64);
});
