import { join, relative } from "node:path";
import { assertEquals } from "../../../tests/assert.ts";
import { tempDir, withRepo } from "../../../tests/helpers.ts";
import { coreWorkTree, findGitDirs, findGitRoot, headCommit, mayHoldRef } from "./root.ts";

Deno.test("findGitRoot walks up from a subfolder to the top level", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.path, "a", "b"), { recursive: true });
  assertEquals(await findGitRoot(join(repo.path, "a", "b")), repo.path);
  assertEquals(await findGitRoot(repo.path), repo.path);
});

Deno.test("findGitRoot is undefined outside a repository, even with an empty .git folder", async () => {
  await using dir = await tempDir();
  assertEquals(await findGitRoot(dir.path), undefined);
  await Deno.mkdir(join(dir.path, ".git"));
  assertEquals(await findGitRoot(dir.path), undefined);
});

Deno.test("findGitRoot and findGitDirs follow a worktree's .git file to the common dir", async () => {
  await using repo = await withRepo();
  const wt = join(repo.path, "..", "wt");
  await repo.git("worktree", "add", "-q", "-b", "wt", wt);
  await Deno.mkdir(join(wt, "sub"));
  assertEquals(await findGitRoot(join(wt, "sub")), wt);
  assertEquals(await findGitDirs(wt), {
    gitDir: join(repo.path, ".git", "worktrees", "wt"),
    commonDir: join(repo.path, ".git"),
  });
  assertEquals(await findGitDirs(repo.path), {
    gitDir: join(repo.path, ".git"),
    commonDir: join(repo.path, ".git"),
  });
});

Deno.test("findGitDirs reads a relative gitdir line", async () => {
  await using repo = await withRepo();
  await using dir = await tempDir();
  // Relative to the folder holding the .git file, as submodules write it.
  const rel = relative(dir.path, join(repo.path, ".git"));
  await Deno.writeTextFile(join(dir.path, ".git"), `gitdir: ${rel}\n`);
  assertEquals((await findGitDirs(dir.path))?.commonDir, join(repo.path, ".git"));
});

Deno.test("mayHoldRef: no stash ref until one is made, loose or packed, and none after the last drop", async () => {
  await using repo = await withRepo();
  await repo.commit("one", { "a.txt": "a\n" });
  const dirs = (await findGitDirs(repo.path))!;
  assertEquals(await mayHoldRef(dirs, "refs/stash"), false);
  await repo.write("a.txt", "changed\n");
  await repo.git("stash", "push", "-q");
  assertEquals(await mayHoldRef(dirs, "refs/stash"), true);
  await repo.git("pack-refs", "--all");
  assertEquals(
    await Deno.stat(join(dirs.commonDir, "refs/stash")).then(() => true, () => false),
    false,
  );
  assertEquals(await mayHoldRef(dirs, "refs/stash"), true);
  await repo.git("stash", "drop", "-q");
  assertEquals(await mayHoldRef(dirs, "refs/stash"), false);
});

Deno.test("headCommit reads HEAD's commit from loose and packed refs, detached and in a worktree", async () => {
  await using repo = await withRepo();
  const revParse = async (cwd: string) => {
    const out = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], cwd, stdout: "piped" })
      .output();
    return new TextDecoder().decode(out.stdout).trim();
  };
  const first = await revParse(repo.path);
  assertEquals(headCommit(repo.path), first);
  await repo.commit("Second", { "a.txt": "a\n" });
  const second = await revParse(repo.path);
  assertEquals(headCommit(repo.path), second);
  // Packed: the loose ref is gone, packed-refs names it.
  await repo.git("pack-refs", "--all");
  assertEquals(headCommit(repo.path), second);
  await repo.git("checkout", "-q", "--detach", "HEAD~1");
  assertEquals(headCommit(repo.path), first);
  await repo.git("checkout", "-q", "main");
  const wt = join(repo.path, "..", "wt-head");
  await repo.git("worktree", "add", "-q", "-b", "side", wt, "HEAD~1");
  assertEquals(headCommit(wt), first);
  assertEquals(headCommit(repo.path), second);
});

Deno.test("headCommit is undefined where the files do not say: no commit, no repository, reftable", async () => {
  await using empty = await withRepo({ commit: false });
  assertEquals(headCommit(empty.path), undefined);
  await using dir = await tempDir();
  assertEquals(headCommit(dir.path), undefined);
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.path, ".git", "reftable"));
  assertEquals(headCommit(repo.path), undefined);
});

Deno.test("coreWorkTree reads core.bare as git does, and whether core.worktree names one", () => {
  assertEquals(coreWorkTree("[core]\n\tbare = false\n"), { bare: false, worktree: false });
  assertEquals(coreWorkTree("[core]\n\tbare = true\n"), { bare: true, worktree: false });
  assertEquals(coreWorkTree("[Core]\n  Bare = Yes ; a comment\n"), { bare: true, worktree: false });
  assertEquals(coreWorkTree("[core]\n\tbare\n"), { bare: true, worktree: false });
  assertEquals(coreWorkTree("[core] bare = on\n"), { bare: true, worktree: false });
  assertEquals(coreWorkTree('[core "x"]\n\tbare = true\n'), { bare: false, worktree: false });
  assertEquals(coreWorkTree("[user]\n\tbare = true\n"), { bare: false, worktree: false });
  assertEquals(coreWorkTree("[core]\n\tbare = true\n\tworktree = ../w\n"), {
    bare: true,
    worktree: true,
  });
  assertEquals(coreWorkTree(undefined), { bare: false, worktree: false });
});
