import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { withRepo } from "../../../tests/helpers.ts";
import { ensureExcluded } from "../run/exclude.ts";
import {
  findStashByMessage,
  listStashes,
  ownedBy,
  stashApply,
  stashDrop,
  stashPop,
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
  assertEquals(await stashPop(repo.path, ref), { applied: true, index: true, message: "" });
  assertEquals(await Deno.readTextFile(join(repo.path, "README.md")), "mine\n");
  assertEquals(await findStashByMessage(repo.path, NAME), undefined);
  assertEquals((await repo.git("stash", "list")).split("\n").filter(Boolean).length, 2);
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

Deno.test("stashPop on a conflict reports it and keeps the stash", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "stashed version\n");
  assert(await stashPushNamed(repo.path, NAME));
  await repo.commit("conflicting", { "README.md": "committed version\n" });
  const result = await stashPop(repo.path, "stash@{0}");
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
