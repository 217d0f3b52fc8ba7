import { assert, assertEquals, assertNotEquals } from "../../../tests/assert.ts";
import { tempDir, withRepo } from "../../../tests/helpers.ts";
import type { FileStatus } from "./porcelain.ts";
import { readGitState, readStatus } from "./status.ts";

const isClean = (s: FileStatus) =>
  [s.staged, s.modified, s.untracked, s.deleted, s.renamed, s.conflicted].every((l) =>
    l.length === 0
  );

Deno.test("readGitState of a clean repository: branch, HEAD and its subject", async () => {
  await using repo = await withRepo();
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const state = await readGitState(repo.path);
  assert(state !== null);
  assertEquals(state.subject, "Initial commit");
  assertEquals(state.status.branch, "main");
  assertEquals(state.status.head, head);
  assertEquals(state.status.detached, false);
  assertEquals(state.status.upstream, null);
  assertEquals(state.status.ahead_behind, null);
  assert(isClean(state.status));
});

Deno.test("readGitState keeps staged, modified, deleted, renamed and untracked apart", async () => {
  await using repo = await withRepo();
  await repo.commit("files", { "a.txt": "a\n", "b.txt": "b\n", "old.txt": "same content here\n" });
  await repo.write("a.txt", "a staged\n");
  await repo.git("add", "a.txt");
  await repo.write("a.txt", "a staged then changed\n");
  await repo.write("README.md", "changed, not staged\n");
  await Deno.remove(`${repo.path}/b.txt`);
  await repo.git("mv", "old.txt", "new.txt");
  await repo.write("fresh.txt", "new\n");
  const status = (await readGitState(repo.path))!.status;
  assertEquals(status.staged, ["a.txt", "new.txt"]);
  assertEquals(status.modified, ["README.md", "a.txt"]);
  assertEquals(status.deleted, ["b.txt"]);
  assertEquals(status.renamed, [{ from: "old.txt", to: "new.txt" }]);
  assertEquals(status.untracked, ["fresh.txt"]);
  assertEquals(status.conflicted, []);
});

Deno.test("readStatus keeps file names with newlines, spaces and unicode", async () => {
  await using repo = await withRepo();
  const odd = "line\nbreak and ünïcødé ✓.txt";
  await repo.write(odd, "x\n");
  await repo.write("日本語/file name.md", "y\n");
  await repo.commit("odd names");
  await repo.write(odd, "changed\n");
  await repo.write("spaced dir/new ✓", "z\n");
  const status = (await readStatus(repo.path))!;
  assertEquals(status.modified, [odd]);
  assertEquals(status.untracked, ["spaced dir/"]);
});

Deno.test("readStatus never shows .claude-mpm/, even before it is excluded", async () => {
  await using repo = await withRepo();
  await repo.write(".claude-mpm/state.json", "{}\n");
  await repo.write("work.txt", "w\n");
  const status = (await readStatus(repo.path))!;
  assertEquals(status.untracked, ["work.txt"]);
});

Deno.test("readGitState of a detached HEAD", async () => {
  await using repo = await withRepo();
  const first = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.commit("second");
  await repo.git("checkout", "-q", "--detach", first);
  const state = (await readGitState(repo.path))!;
  assertEquals(state.status.detached, true);
  assertEquals(state.status.branch, null);
  assertEquals(state.status.head, first);
  assertEquals(state.subject, "Initial commit");
});

Deno.test("readGitState of a repository with no commit yet", async () => {
  await using repo = await withRepo({ commit: false });
  await repo.write("a.txt", "a\n");
  await repo.git("add", "a.txt");
  await repo.write("b.txt", "b\n");
  const state = (await readGitState(repo.path))!;
  assertEquals(state.subject, null);
  assertEquals(state.status.head, null);
  assertEquals(state.status.branch, "main");
  assertEquals(state.status.staged, ["a.txt"]);
  assertEquals(state.status.untracked, ["b.txt"]);
});

Deno.test("readGitState outside a repository is null", async () => {
  await using dir = await tempDir();
  assertEquals(await readGitState(dir.path), null);
});

Deno.test("readGitState reports the upstream and ahead/behind", async () => {
  await using repo = await withRepo();
  await repo.git("branch", "base");
  await repo.commit("ahead 1");
  await repo.commit("ahead 2");
  await repo.git("branch", "--set-upstream-to=base");
  const status = (await readGitState(repo.path))!.status;
  assertEquals(status.upstream, "base");
  assertEquals(status.ahead_behind, { ahead: 2, behind: 0 });
});

Deno.test("readGitState reports unmerged paths as conflicted", async () => {
  await using repo = await withRepo();
  await repo.git("checkout", "-q", "-b", "other");
  await repo.commit("other side", { "README.md": "other\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("main side", { "README.md": "main\n" });
  await repo.git("merge", "-q", "other").catch(() => {});
  const status = (await readGitState(repo.path))!.status;
  assertEquals(status.conflicted, ["README.md"]);
  assertEquals(status.modified, []);
});

Deno.test("readStatus leaves the index alone (no optional lock, no refresh written)", async () => {
  await using repo = await withRepo();
  const index = `${repo.path}/.git/index`;
  const before = await Deno.readFile(index);
  // A new mtime on a tracked file makes a plain `git status` refresh and rewrite the index.
  await Deno.utime(`${repo.path}/README.md`, new Date(), new Date(Date.now() + 5_000));
  assert(isClean((await readStatus(repo.path))!));
  assertEquals(await Deno.readFile(index), before);
  await repo.git("status");
  assertNotEquals(await Deno.readFile(index), before, "a plain status rewrites it");
});

Deno.test("readGitState names HEAD's subject and tree whether its commit is loose or packed", async () => {
  await using repo = await withRepo();
  const tree = (await repo.git("rev-parse", "HEAD^{tree}")).trim();
  const loose = (await readGitState(repo.path))!;
  await repo.git("gc", "-q", "--prune=now");
  const packed = (await readGitState(repo.path))!;
  for (const state of [loose, packed]) {
    assertEquals(state.subject, "Initial commit");
    assertEquals(state.tree, tree);
  }
});
