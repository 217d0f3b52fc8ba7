/**
 * `mpm revert` puts the tree back as it was: an untracked file the session deleted or changed
 * comes back untracked, and the undo the revert prints, run as printed, gives back the files and
 * the index exactly as they were before the revert.
 */
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, okJson, type Repo, stashes, withRepo } from "../helpers.ts";

/** git's view of the tree (status and index) and what each file holds. */
async function snapshot(repo: Repo) {
  const files: Record<string, string | null> = {};
  for (const name of ["t.txt", "s.txt", "U.txt", "V.txt", "N.txt", "k.txt"]) {
    files[name] = await repo.read(name).catch(() => null);
  }
  const status = (await repo.git("status", "--porcelain=v1", "--untracked-files=all"))
    .split("\n").filter((line) => line !== "" && !line.includes(".claude-mpm"));
  return { files, status, index: await repo.git("ls-files", "-s") };
}

async function sh(repo: Repo, script: string) {
  const out = await new Deno.Command("sh", { args: ["-c", script], cwd: repo.path }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test("revert brings untracked files back untracked; its undo restores files and index", async () => {
  await using repo = await withRepo();
  await repo.commit("three files", {
    "t.txt": "tracked\n",
    "s.txt": "staged\n",
    "k.txt": "removed with git rm\n",
  });
  await repo.write("U.txt", "untracked, deleted by the session\n");
  await repo.write("V.txt", "untracked, changed by the session\n");
  await ok(repo, "start", "work");
  await Deno.remove(`${repo.path}/U.txt`);
  await repo.write("V.txt", "changed\n");
  await repo.write("N.txt", "new\n");
  await repo.write("t.txt", "tracked, changed\n");
  await repo.write("s.txt", "staged, changed\n");
  await repo.git("add", "s.txt");
  await repo.git("rm", "-q", "k.txt");
  await ok(repo, "pause", "-s", "end");
  const before = await snapshot(repo);

  const done = await okJson(repo, "revert", "--json");
  const undo = done.stash.undo as string;
  const sha = (await repo.git("rev-parse", "stash@{0}")).trim();
  assertEquals(
    undo,
    `rm -f -- U.txt V.txt && git stash apply -q ${sha} && ` +
      `git reset -q ${sha}^2 -- k.txt s.txt t.txt && ` +
      `git stash drop -q "$(git stash list --format='%gd %H' | sed -n 's/ ${sha}$//p')"`,
  );
  const after = await snapshot(repo);
  assertEquals(after.status, ["?? U.txt", "?? V.txt"]);
  assertEquals(after.files, {
    "t.txt": "tracked\n",
    "s.txt": "staged\n",
    "U.txt": "untracked, deleted by the session\n",
    "V.txt": "untracked, changed by the session\n",
    "N.txt": null,
    "k.txt": "removed with git rm\n",
  });

  // A stash of the person's own made since is stash@{0} now: the undo still takes mpm's, by its
  // commit, and leaves theirs.
  await repo.write("t.txt", "my own change\n");
  await repo.git("stash", "push", "-q", "-m", "mine", "--", "t.txt");
  await sh(repo, undo);
  assertEquals(await snapshot(repo), before);
  assertEquals(await stashes(repo), ["mine"]);
});

Deno.test("the undo revert prints names the untracked files, from the repository's top", async () => {
  await using repo = await withRepo();
  await repo.write("notes/U.txt", "mine\n");
  await ok(repo, "start", "work");
  await Deno.remove(`${repo.path}/notes/U.txt`);
  await ok(repo, "pause", "-s", "end");
  const out = await ok(repo, "revert");
  assertStringIncludes(
    out.stdout,
    "`rm -f -- notes/U.txt && git stash apply -q ",
  );
  assertEquals(await repo.git("status", "--porcelain", "--", "notes"), "?? notes/\n");
});
