import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { ensureExcluded } from "../run/exclude.ts";
import {
  commitExists,
  findStashByMessage,
  listStashes,
  ownedBy,
  stashApply,
  stashCommit,
  stashDrop,
  stashFailure,
  stashPushNamed,
  stashUntrackedPaths,
  worktreeName,
} from "./stash.ts";

const NAME = "mpm: session-20250101-000000";

Deno.test("stashPushNamed stashes tracked and untracked work, but not .claude-mpm/", async () => {
  await using repo = await withRepo();
  await ensureExcluded(repo.path);
  await repo.write(".claude-mpm/state.json", "{}\n");
  await repo.write("README.md", "changed\n");
  await repo.write("new file ✓.txt", "untracked\n");
  assertEquals(await stashPushNamed(repo.path, NAME), true);
  assertEquals(await repo.git("status", "--porcelain"), "");
  assertEquals(await Deno.readTextFile(join(repo.path, ".claude-mpm", "state.json")), "{}\n");
  assertEquals(await findStashByMessage(repo.path, NAME), "stash@{0}");
});

Deno.test("stashPushNamed returns false when there is nothing to stash", async () => {
  await using repo = await withRepo();
  assertEquals(await stashPushNamed(repo.path, NAME), false);
  assertEquals(await repo.git("stash", "list"), "");
  assertEquals(await findStashByMessage(repo.path, NAME), undefined);
});

Deno.test("findStashByMessage finds the stash after another one was made", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "mine\n");
  assert(await stashPushNamed(repo.path, NAME));
  await repo.write("other.txt", "someone else's\n");
  await repo.git("stash", "push", "-u", "-m", `${NAME} and more`);
  await repo.write("third.txt", "plain stash\n");
  await repo.git("stash", "push", "-u");
  assertEquals(await findStashByMessage(repo.path, NAME), "stash@{2}");
  assertEquals(
    await findStashByMessage(repo.path, "mpm"),
    undefined,
    "the whole message must match",
  );
  const ref = (await findStashByMessage(repo.path, NAME))!;
  assertEquals(await stashApply(repo.path, ref), { applied: true, index: true, message: "" });
  assertEquals(await Deno.readTextFile(join(repo.path, "README.md")), "mine\n");
  assertEquals(await findStashByMessage(repo.path, NAME), "stash@{2}");
  assertEquals((await repo.git("stash", "list")).split("\n").filter(Boolean).length, 3);
});

Deno.test("stashApply restores staged changes as staged and keeps the stash", async () => {
  await using repo = await withRepo();
  await repo.write("staged.txt", "s\n");
  await repo.git("add", "staged.txt");
  await repo.write("README.md", "unstaged\n");
  assert(await stashPushNamed(repo.path, NAME));
  assertEquals(await stashApply(repo.path, "stash@{0}"), {
    applied: true,
    index: true,
    message: "",
  });
  assertEquals(await repo.git("status", "--porcelain"), " M README.md\nA  staged.txt\n");
  assertEquals(await findStashByMessage(repo.path, NAME), "stash@{0}");
});

Deno.test("stashApply falls back to the files alone when the staged part no longer applies, and says so", async () => {
  await using repo = await withRepo();
  const lines = Array.from({ length: 10 }, (_, i) => `${i + 1}`);
  await repo.commit("ten lines", { "n.txt": lines.join("\n") + "\n" });
  await repo.write("n.txt", ["one", ...lines.slice(1)].join("\n") + "\n");
  await repo.git("add", "n.txt");
  assert(await stashPushNamed(repo.path, NAME));
  await repo.commit("nearby change", {
    "n.txt": [...lines.slice(0, 2), "three", ...lines.slice(3)].join("\n") + "\n",
  });
  assertEquals(await stashApply(repo.path, "stash@{0}"), {
    applied: true,
    index: false,
    message: "",
  });
  assertEquals((await Deno.readTextFile(join(repo.path, "n.txt"))).split("\n").slice(0, 3), [
    "one",
    "2",
    "three",
  ]);
});

Deno.test("stashApply on a conflict reports it and keeps the stash", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "stashed version\n");
  assert(await stashPushNamed(repo.path, NAME));
  await repo.commit("conflicting", { "README.md": "committed version\n" });
  const result = await stashApply(repo.path, "stash@{0}");
  assertEquals(result.applied, false);
  assertMatch(result.message, /CONFLICT .*README\.md/);
  assertEquals(await repo.git("status", "--porcelain"), "UU README.md\n");
  assertEquals(await findStashByMessage(repo.path, NAME), "stash@{0}", "nothing is lost");
});

Deno.test("stashApply refuses what is not a stash reference", async () => {
  await using repo = await withRepo();
  await assertRejects(() => stashApply(repo.path, "--index"), /not a stash/);
  await assertRejects(() => stashApply(repo.path, "stash@{0}"), /git stash failed/);
});

Deno.test("listStashes names every stash by its message; stashDrop drops one by position", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "mine\n");
  assert(await stashPushNamed(repo.path, NAME));
  await repo.write("other.txt", "x\n");
  await repo.git("stash", "push", "-u", "-m", "user: other");
  const mine = { here: true, worktree: null };
  assertEquals(await listStashes(repo.path), [
    { ref: "stash@{0}", message: "user: other", ...mine },
    { ref: "stash@{1}", message: NAME, ...mine },
  ]);
  await stashDrop(repo.path, "stash@{1}");
  assertEquals(await listStashes(repo.path), [
    { ref: "stash@{0}", message: "user: other", ...mine },
  ]);
  await assertRejects(() => stashDrop(repo.path, "HEAD~1"), /not a stash/);
});

Deno.test("listStashes: a stash marked with a linked worktree's name is that worktree's", async () => {
  await using repo = await withRepo();
  const w1 = `${repo.path}-w1`;
  await repo.git("worktree", "add", "-q", "-b", "one", w1);
  try {
    assertEquals(await worktreeName(repo.path), null);
    assertEquals(await worktreeName(w1), "project-w1");
    await Deno.writeTextFile(`${w1}/README.md`, "w1\n");
    assert(await stashPushNamed(w1, ownedBy(NAME, "project-w1")));
    const [inMain] = await listStashes(repo.path);
    assertEquals(inMain.here, false);
    assertEquals(inMain.worktree, "project-w1");
    const [inW1] = await listStashes(w1);
    assertEquals(inW1.here, true);
    assertEquals(await findStashByMessage(w1, ownedBy(NAME, "project-w1")), "stash@{0}");
  } finally {
    await Deno.remove(w1, { recursive: true });
  }
});

Deno.test("stashUntrackedPaths lists the stash's untracked part, [] when it has none", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "changed\n");
  assert(await stashPushNamed(repo.path, NAME));
  assertEquals(await stashUntrackedPaths(repo.path, "stash@{0}"), []);
  await repo.write("new.txt", "untracked\n");
  await repo.write("sub dir/deep.txt", "untracked\n");
  assert(await stashPushNamed(repo.path, "second"));
  assertEquals(await stashUntrackedPaths(repo.path, "stash@{0}"), ["new.txt", "sub dir/deep.txt"]);
  await assertRejects(() => stashUntrackedPaths(repo.path, "HEAD; rm"), /is not a stash/);
});

Deno.test("stashFailure quotes git's first line, cut to one, and gives the step for intent-to-add", () => {
  const out = {
    code: 1,
    stdout: "",
    stderr:
      "error: Entry 'a b.txt' not uptodate. Cannot merge.\nCannot save the current worktree state\n",
  };
  const error = stashFailure(out, { lock: null, intentToAdd: ["a b.txt"] });
  assertEquals(error.message, "git stash failed: Entry 'a b.txt' not uptodate. Cannot merge.");
  assertMatch(error.hint!, /^a b\.txt was added with `git add -N`/);
  assertMatch(error.hint!, /`git rm --cached -- 'a b\.txt'`/);
  const long = stashFailure({ code: 1, stdout: "", stderr: `fatal: ${"x".repeat(500)}\n` }, {
    lock: null,
    intentToAdd: [],
  });
  assert(long.message.length < 240, long.message);
  assert(!long.message.includes("\n"));
});

Deno.test("stashFailure: a silent git and a held lock name the lock; git's own lock line too", () => {
  const lock = "/r/.git/index.lock";
  const silent = stashFailure({ code: 1, stdout: "", stderr: "" }, { lock, intentToAdd: [] });
  assertEquals(silent.message, `git stash could not run: the index is locked (${lock} exists).`);
  assertMatch(silent.hint!, /^Another git command holds \/r\/\.git\/index\.lock/);
  const said = stashFailure(
    { code: 128, stdout: "", stderr: `fatal: Unable to create '${lock}': File exists.\n` },
    { lock: null, intentToAdd: [] },
  );
  assertEquals(said.message, silent.message);
  const unknown = stashFailure({ code: 1, stdout: "", stderr: "" }, {
    lock: null,
    intentToAdd: [],
  });
  assertEquals(unknown.message, "git stash failed without saying why (exit code 1).");
  assert(unknown.hint);
});

Deno.test("stashCommit gives the stash's commit, which commitExists still finds once dropped", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "changed\n");
  assert(await stashPushNamed(repo.path, NAME));
  const commit = (await stashCommit(repo.path, "stash@{0}"))!;
  assertMatch(commit, /^[0-9a-f]{40}$/);
  await stashDrop(repo.path, "stash@{0}");
  assertEquals(await commitExists(repo.path, commit), true);
  assertEquals(await commitExists(repo.path, "0".repeat(40)), false);
  assertEquals(await commitExists(repo.path, "HEAD"), false);
  assertEquals(await stashCommit(repo.path, "stash@{0}"), null);
});
