import { assert, assertEquals } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { readStatus } from "../tree/status.ts";
import { captureWorkTree } from "./work_capture.ts";
import { captureForMark, keepLooked, quotePath } from "./work_keep.ts";

const REF = "refs/mpm/marks/s-0123456789abcdef";

/** A work tree with every kind of change, and names fast-import must quote. */
async function changedRepo() {
  const repo = await withRepo();
  await repo.commit("files", {
    "keep.txt": "keep\n",
    "old.txt": "old\n",
    "gone.txt": "gone\n",
    "deep/er/file.txt": "deep\n",
  });
  await repo.write("README.md", "# changed\n");
  await repo.git("mv", "old.txt", "renamed.txt");
  await Deno.remove(`${repo.path}/gone.txt`);
  await repo.write("deep/er/file.txt", "deeper\n");
  await repo.write('a "quoted" name.txt', "quoted\n");
  await repo.write("ünïcode\\back.txt", "unicode\n");
  await repo.write("run.sh", "#!/bin/sh\n");
  await Deno.chmod(`${repo.path}/run.sh`, 0o755);
  await Deno.symlink("keep.txt", `${repo.path}/link`);
  return repo;
}

async function lookedOf(path: string) {
  const status = (await readStatus(path))!;
  const capture = await captureForMark(path, status);
  assert(capture !== null && "looked" in capture, "a plain repository is looked at");
  return capture.looked;
}

Deno.test("a mark kept by one fast-import holds the tree the index capture builds", async () => {
  await using repo = await changedRepo();
  const looked = await lookedOf(repo.path);
  assertEquals(looked.leftOut, []);
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const kept = await keepLooked(repo.path, REF, looked, null, "mpm pause: test");
  assertEquals(kept.tree, (await captureWorkTree(repo.path))?.tree);
  assertEquals((await repo.git("rev-parse", REF)).trim(), kept.commit);
  assertEquals((await repo.git("rev-parse", `${kept.commit}^{tree}`)).trim(), kept.tree);
  assertEquals(
    (await repo.git("log", "-1", "--format=%P%n%an%n%s", REF)).trim(),
    [
      head,
      "mpm",
      "mpm pause: test",
    ].join("\n"),
  );
  // The executable bit and the link are kept as git keeps them.
  const entries = await repo.git("ls-tree", kept.tree, "run.sh", "link");
  assert(/^100755 blob /m.test(entries) && /^120000 blob /m.test(entries), entries);

  // The next mark's parents are HEAD and the previous mark; the user's index is untouched.
  await repo.write("keep.txt", "kept again\n");
  const next = await keepLooked(repo.path, REF, await lookedOf(repo.path), kept.commit, "again");
  assertEquals((await repo.git("log", "-1", "--format=%P", REF)).trim(), `${head} ${kept.commit}`);
  assertEquals(next.tree, (await captureWorkTree(repo.path))?.tree);
  assertEquals(
    (await repo.git("diff", "--cached", "--name-only", "--no-renames")).trim(),
    "old.txt\nrenamed.txt",
  );
});

Deno.test("in a repository without commits, a mark holds the dirty files alone", async () => {
  await using repo = await withRepo({ commit: false });
  await repo.write("a.txt", "a\n");
  await repo.git("add", "a.txt");
  await repo.write("b.txt", "b\n");
  const first = await keepLooked(repo.path, REF, await lookedOf(repo.path), null, "first");
  assertEquals(first.tree, (await captureWorkTree(repo.path))?.tree);
  assertEquals((await repo.git("log", "-1", "--format=%P", REF)).trim(), "");
  await Deno.remove(`${repo.path}/b.txt`);
  const second = await keepLooked(repo.path, REF, await lookedOf(repo.path), first.commit, "2");
  assertEquals(second.tree, (await captureWorkTree(repo.path))?.tree);
  assertEquals((await repo.git("log", "-1", "--format=%P", REF)).trim(), first.commit);
});

Deno.test("where git's config makes the disk a poor guide, a mark goes through the index", async () => {
  await using repo = await changedRepo();
  await repo.git("config", "core.fileMode", "false");
  const status = (await readStatus(repo.path))!;
  const capture = await captureForMark(repo.path, status);
  assert(capture !== null && "made" in capture);
  assertEquals(capture.made, await captureWorkTree(repo.path));
});

Deno.test("quotePath quotes what fast-import would misread", () => {
  assertEquals(quotePath("plain.txt"), '"plain.txt"');
  assertEquals(quotePath('a "b"\\c'), '"a \\"b\\"\\\\c"');
  assertEquals(quotePath("tab\there"), '"tab\\011here"');
  assertEquals(quotePath("ünï"), '"ünï"');
});

Deno.test("the same work tree looks the same twice; a changed file, mode or HEAD does not", async () => {
  await using repo = await changedRepo();
  const first = await lookedOf(repo.path);
  assertEquals((await lookedOf(repo.path)).fingerprint, first.fingerprint);
  await repo.write("README.md", "# changed again\n");
  const edited = await lookedOf(repo.path);
  assert(edited.fingerprint !== first.fingerprint);
  await Deno.chmod(`${repo.path}/README.md`, 0o755);
  assert((await lookedOf(repo.path)).fingerprint !== edited.fingerprint);
  await repo.commit("more", { "other.txt": "other\n" });
  const moved = await lookedOf(repo.path);
  assert(moved.fingerprint !== edited.fingerprint);
});

Deno.test("a folder that became a file, and a file that became a folder, are kept as they are", async () => {
  await using repo = await withRepo();
  await repo.commit("shapes", { "dir/inner.txt": "inner\n", "file": "file\n" });
  await Deno.remove(`${repo.path}/dir`, { recursive: true });
  await repo.write("dir", "now a file\n");
  await Deno.remove(`${repo.path}/file`);
  await repo.write("file/inside.txt", "now a folder\n");
  const looked = await lookedOf(repo.path);
  assertEquals(looked.leftOut, []);
  const kept = await keepLooked(repo.path, REF, looked, null, "shapes");
  assertEquals(kept.tree, (await captureWorkTree(repo.path))?.tree);
  assertEquals(
    (await repo.git("ls-tree", "-r", "--name-only", kept.tree)).trim().split("\n"),
    ["README.md", "dir", "file/inside.txt"],
  );
});
