/**
 * `mpm diff` and `mpm revert`, run as a user would in a real repository: a session edits two
 * files (one through a shell `sed`, as Claude's Bash tool would), commits one and leaves the
 * other dirty, while a file that was dirty before it began stays out of it.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, okJson, type Repo, stashes, withRepo } from "../helpers.ts";

const ORIGINAL = {
  "app.txt": "one\ntwo\nthree\n",
  "notes.txt": "first notes\n",
  "config.txt": "debug=false\n",
};

/** The content of each file, and git's short status, to compare before and after. */
async function tree(repo: Repo) {
  const files: Record<string, string | null> = {};
  for (const name of ["app.txt", "notes.txt", "config.txt", "scratch.txt", "later.txt"]) {
    files[name] = await repo.read(name).catch(() => null);
  }
  return files;
}

async function sh(repo: Repo, script: string) {
  const out = await new Deno.Command("sh", { args: ["-c", script], cwd: repo.path }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test("mpm diff shows the session's own changes; mpm revert undoes them; its stash undoes that", async (t) => {
  await using repo = await withRepo();
  await repo.commit("project files", ORIGINAL);
  // Dirty before the session begins: never the session's.
  await repo.write("config.txt", "debug=true\n");
  await repo.write("scratch.txt", "my own notes\n");

  const key = (await okJson(repo, "start", "feature", "--json")).key as string;

  await t.step("the session edits two files, one through sed, and commits one", async () => {
    await sh(repo, "sed 's/two/TWO/' app.txt > app.tmp && mv app.tmp app.txt");
    await repo.git("commit", "-q", "-m", "app: shout", "--", "app.txt");
    await repo.write("notes.txt", "first notes\nmore notes\n");
    await ok(repo, "pause", "-s", "halfway");
  });
  const atEnd = await tree(repo);

  await t.step("mpm diff names those two files, not the one dirty before", async () => {
    const diff = await okJson(repo, "diff", key, "--json");
    assertEquals(diff.session.key, key);
    assertEquals(diff.session.active, false);
    assertEquals(diff.files.map((f: { path: string; status: string }) => [f.path, f.status]), [
      ["app.txt", "modified"],
      ["notes.txt", "modified"],
    ]);
    assertStringIncludes(diff.patch, "-two\n+TWO\n");
    assertStringIncludes(diff.patch, "+more notes\n");
    const stat = (await ok(repo, "diff", "--stat")).stdout;
    assertStringIncludes(stat, "changed 2 files");
    assert(!stat.includes("config.txt") && !stat.includes("scratch.txt"), stat);
    // Paths narrow it; one the session did not change is said so.
    const only = await okJson(repo, "diff", "--json", "--", "notes.txt", "config.txt");
    assertEquals(only.files.map((f: { path: string }) => f.path), ["notes.txt"]);
    assertEquals(only.outside, ["config.txt"]);
  });

  await t.step("what changes while the session is paused is not its own", async () => {
    await repo.write("later.txt", "written while paused\n");
    await ok(repo, "resume");
    await ok(repo, "pause", "-s", "again");
    const diff = await okJson(repo, "diff", key, "--json");
    assertEquals(diff.files.map((f: { path: string }) => f.path), ["app.txt", "notes.txt"]);
  });
  const ended = await tree(repo);
  let undo = "";

  await t.step("revert refuses, changing nothing, when a file changed after the end", async () => {
    await repo.write("notes.txt", "edited after the session\n");
    const refused = await repo.run("revert", key);
    assertEquals(refused.code, 1, refused.stderr);
    assertStringIncludes(
      refused.stderr,
      `notes.txt changed after session ${key} ended, so mpm revert leaves every file as it is.`,
    );
    assertEquals(await stashes(repo), []);
    assertEquals((await tree(repo))["app.txt"], ended["app.txt"]);
    await repo.write("notes.txt", ended["notes.txt"]!);
    // A path the session did not change is refused by name.
    const outside = await repo.run("revert", key, "--", "config.txt");
    assertEquals(outside.code, 2, outside.stderr);
    assertStringIncludes(outside.stderr, "config.txt is not among the files session");
  });

  await t.step("mpm revert puts the two files back and touches nothing else", async () => {
    const plan = await okJson(repo, "revert", key, "--dry-run", "--json");
    assertEquals(plan.files.map((f: { path: string }) => f.path), ["app.txt", "notes.txt"]);
    assertEquals(await tree(repo), ended);
    const done = await okJson(repo, "revert", key, "--json");
    assertEquals(done.stash.message, `mpm revert: ${key}`);
    undo = done.stash.undo;
    const sha = (await repo.git("rev-parse", "stash@{0}")).trim();
    assertEquals(
      undo,
      `git stash apply -q ${sha} && git reset -q ${sha}^2 -- app.txt notes.txt && ` +
        `git stash drop -q "$(git stash list --format='%gd %H' | sed -n 's/ ${sha}$//p')"`,
    );
    assertEquals(await tree(repo), {
      ...ended,
      "app.txt": ORIGINAL["app.txt"],
      "notes.txt": ORIGINAL["notes.txt"],
    });
    // The commit stays; only the file is back.
    assertEquals((await repo.git("log", "-1", "--format=%s")).trim(), "app: shout");
    assertEquals(await stashes(repo), [`mpm revert: ${key}`]);
  });

  await t.step(
    "the undo the revert names undoes it, the index too",
    async () => {
      await sh(repo, undo);
      assertEquals(await stashes(repo), []);
      assertEquals(await tree(repo), ended);
      assertEquals(ended["app.txt"], atEnd["app.txt"]);
      // Nothing stays staged: the index is as it was before the revert.
      const status = await repo.git("status", "--porcelain=v1", "--untracked-files=all");
      assertEquals(
        status.split("\n").filter((l) => l && !l.includes(".claude-mpm")).sort(),
        [" M config.txt", " M notes.txt", "?? later.txt", "?? scratch.txt"],
      );
    },
  );
});

Deno.test("mpm diff of the active session runs to now; a session with no record says so", async () => {
  await using repo = await withRepo();
  await repo.commit("files", ORIGINAL);
  // A snapshot from before any mark: nothing recorded to compare with.
  await ok(repo, "pause", "-s", "old work");
  await Deno.remove(join(repo.path, ".claude-mpm", "threads"), { recursive: true });
  const none = await repo.run("diff");
  assertEquals(none.code, 3, none.stderr);
  assertStringIncludes(none.stderr, "No work tree was recorded for session");

  await ok(repo, "start", "live");
  // Another size than before: git (built without nanosecond times) trusts a same-size file
  // changed in the second its index was written, and mpm reads the work tree through git.
  await repo.write("notes.txt", "changed just now\n");
  await repo.write("new.txt", "new\n");
  const diff = await okJson(repo, "diff", "--json");
  assertEquals(diff.session.active, true);
  assertEquals(diff.to.moment, "now");
  assertEquals(diff.files.map((f: { path: string; status: string }) => [f.path, f.status]), [
    ["new.txt", "added"],
    ["notes.txt", "modified"],
  ], JSON.stringify(diff));
  // Reverting the active session removes what it created, restores what it changed.
  await ok(repo, "revert");
  assertEquals(await repo.read("notes.txt"), ORIGINAL["notes.txt"]);
  assertEquals(await repo.read("new.txt").catch(() => null), null);
  await repo.git("stash", "pop", "-q");
  assertEquals(await repo.read("new.txt"), "new\n");
});

Deno.test("a resume right after its pause keeps the pause's commit: nothing is made twice", async () => {
  await using repo = await withRepo();
  await repo.write("draft.txt", "draft\n");
  const key = (await okJson(repo, "start", "feature", "--json")).key as string;
  await repo.write("draft.txt", "draft, edited\n");
  await ok(repo, "pause", "-s", "halfway");
  await ok(repo, "resume");
  const record = JSON.parse(await repo.read(`.claude-mpm/threads/${key}/work-tree.json`));
  const [start, pause, resume] = record.marks;
  assertEquals([start.moment, pause.moment, resume.moment], ["start", "pause", "resume"]);
  assert(start.commit !== pause.commit);
  assertEquals(resume.commit, pause.commit);
  assertEquals(resume.tree, pause.tree);
  // The ref is at the pause's commit: HEAD's commit and the two marks made, no third.
  assertEquals((await repo.git("rev-parse", `refs/mpm/marks/${key}`)).trim(), pause.commit);
  assertEquals((await repo.git("rev-list", "--count", `refs/mpm/marks/${key}`)).trim(), "3");
});

Deno.test("a folder that became a file and a file that became a folder: pause, resume, diff", async () => {
  await using repo = await withRepo();
  await repo.commit("shapes", { "d/x.txt": "x\n", "f": "f\n" });
  const key = (await okJson(repo, "start", "reshape", "--json")).key as string;
  await Deno.remove(join(repo.path, "d"), { recursive: true });
  await repo.write("d", "now a file\n");
  await Deno.remove(join(repo.path, "f"));
  await repo.write("f/in.txt", "now a folder\n");
  await ok(repo, "pause", "-s", "reshaped");
  await ok(repo, "resume");
  const diff = await okJson(repo, "diff", key, "--json");
  assertEquals(
    diff.files.map((file: { path: string }) => file.path).sort(),
    ["d", "d/x.txt", "f", "f/in.txt"],
  );
});
