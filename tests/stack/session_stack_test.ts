/**
 * `mpm branch` and `mpm return` in real repositories: a three-level stack with dirty, staged
 * and untracked files and a stash of the user's own, every refusal, and the same outside git.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { ok, type Repo, stashes, statusJson, withRepo } from "../helpers.ts";

async function todos(repo: Repo): Promise<string[]> {
  const rows = JSON.parse((await ok(repo, "todo", "list", "--json")).stdout);
  return rows.map((t: { status: string; content: string }) =>
    `${t.status === "completed" ? "x" : " "} ${t.content}`
  );
}

async function branchNow(repo: Repo): Promise<string> {
  return (await repo.git("branch", "--show-current")).trim();
}

async function tree(repo: Repo): Promise<string[]> {
  return (await repo.git("status", "--porcelain")).split("\n").filter(Boolean).sort();
}

const exists = (repo: Repo, file: string) =>
  Deno.stat(join(repo.path, file)).then(() => true, () => false);

async function snapshotRecord(repo: Repo, id: string) {
  return JSON.parse(await repo.read(`.claude-mpm/sessions/${id}.json`));
}

/** Everything a refused command must leave as it was. */
async function fingerprint(repo: Repo) {
  const state = await repo.read(".claude-mpm/state.json").catch(() => null);
  const sessions: string[] = [];
  try {
    for await (const e of Deno.readDir(join(repo.path, ".claude-mpm/sessions"))) {
      sessions.push(e.name);
    }
  } catch {
    // No sessions yet.
  }
  return {
    state,
    sessions: sessions.sort(),
    branch: await branchNow(repo),
    tree: await tree(repo),
    stashes: await stashes(repo),
  };
}

Deno.test("A → hotfix → review → back to A: files, branches, todos and stashes at every step", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", { "a.txt": "a1\n", "b.txt": "b1\n", "shared.txt": "s1\n" });
  await repo.git("checkout", "-q", "-b", "feature/a");
  await repo.commit("A work", { "a.txt": "a2\n" });

  // Level 0: feature A, with todos and every kind of uncommitted work.
  await ok(repo, "start", "feature-a", "--task", "Build A");
  for (const t of ["A1", "A2", "A3"]) await ok(repo, "todo", "add", t);
  await ok(repo, "todo", "done", "2");
  const todosA = await todos(repo);
  assertEquals(todosA, ["  A1", "x A2", "  A3"]);
  await repo.write("a.txt", "a2 + wip\n");
  await repo.write("b.txt", "b1 staged\n");
  await repo.git("add", "b.txt");
  await repo.write("new-a.txt", "draft\n");
  const treeA = await tree(repo);
  assertEquals(treeA, [" M a.txt", "?? new-a.txt", "M  b.txt"]);

  // Level 1: hotfix on its own branch, A's work stashed by name.
  const toHotfix = await ok(
    repo,
    "branch",
    "hotfix",
    "--git-branch",
    "hotfix/login",
    "--stash",
    "--task",
    "Login is down",
  );
  assertStringIncludes(toHotfix.stdout, "Created and switched to git branch hotfix/login");
  let st = await statusJson(repo);
  const idA = st.stack[0].snapshot_id;
  assertEquals(await branchNow(repo), "hotfix/login");
  assertEquals(await tree(repo), []);
  assertEquals(await repo.read("a.txt"), "a2\n");
  assertEquals(await exists(repo, "new-a.txt"), false);
  assertEquals(await stashes(repo), [`mpm: ${idA}`]);
  assertEquals(st.active.name, "hotfix");
  assertEquals(st.active.depth, 1);
  assertEquals(st.active.parent, idA);
  assertEquals(st.stack.length, 1);
  assertEquals(st.stack[0].name, "feature-a");
  assertEquals(st.stack[0].git_branch, "feature/a");
  assertEquals(st.stack[0].stash, `mpm: ${idA}`);
  assertEquals(await todos(repo), []);
  const branchedA = await snapshotRecord(repo, idA);
  assertEquals(branchedA.mpm.state, "branched");
  assertEquals(branchedA.mpm.name, "feature-a");
  assertEquals(branchedA.todos.active.map((t: { content: string }) => t.content), ["A1", "A3"]);
  assertEquals(branchedA.todos.completed.map((t: { content: string }) => t.content), ["A2"]);
  assertEquals(branchedA.git_context.status.untracked, ["new-a.txt"]);

  // Work in the hotfix: a commit, a stash of the user's own, untracked and modified files.
  await ok(repo, "todo", "add", "H1");
  await repo.commit("Fix login", { "a.txt": "a2 hotfixed\n" });
  await repo.write("b.txt", "user scratch\n");
  await repo.git("stash", "push", "-q", "-m", "user scratch");
  assertEquals(await stashes(repo), ["user scratch", `mpm: ${idA}`]);
  await repo.write("hotfix-notes.txt", "notes\n");
  await repo.write("shared.txt", "s1 hotfix edit\n");

  // Level 2: a review, branched from the hotfix.
  await ok(repo, "branch", "review", "-b", "review/pr-123", "--stash", "--task", "Review #123");
  st = await statusJson(repo);
  const idH = st.stack[0].snapshot_id;
  assertEquals(await branchNow(repo), "review/pr-123");
  assertEquals(await tree(repo), []);
  assertEquals(await stashes(repo), [`mpm: ${idH}`, "user scratch", `mpm: ${idA}`]);
  assertEquals(st.active.depth, 2);
  assertEquals(st.stack.map((f: { name: string }) => f.name), ["hotfix", "feature-a"]);
  assertEquals(st.stack.map((f: { git_branch: string }) => f.git_branch), [
    "hotfix/login",
    "feature/a",
  ]);
  assertEquals(st.stack.map((f: { depth: number }) => f.depth), [1, 0]);
  const human = (await ok(repo, "status")).stdout;
  assertStringIncludes(human, "Stack (2, the direct parent first)");
  assert(human.indexOf("hotfix") < human.indexOf("feature-a"), human);
  await ok(repo, "todo", "add", "R1");
  await ok(repo, "todo", "done", "1");
  await repo.commit("Review fixups", { "r.txt": "r\n" });

  // Back to the hotfix: its branch, its stash (not the user's), its todos.
  const backToH = await ok(repo, "return", "-s", "Reviewed #123", "-a", "Left 3 comments");
  assertStringIncludes(backToH.stdout, "Back on git branch hotfix/login");
  assertStringIncludes(backToH.stdout, "Re-applied");
  assertEquals(await branchNow(repo), "hotfix/login");
  assertEquals(await tree(repo), [" M shared.txt", "?? hotfix-notes.txt"]);
  assertEquals(await repo.read("shared.txt"), "s1 hotfix edit\n");
  assertEquals(await stashes(repo), ["user scratch", `mpm: ${idA}`]);
  assertEquals(await todos(repo), ["  H1"]);
  st = await statusJson(repo);
  assertEquals(st.active.name, "hotfix");
  assertEquals(st.active.depth, 1);
  assertEquals(st.stack.map((f: { name: string }) => f.name), ["feature-a"]);
  const reviewDone = await snapshotRecord(repo, st.latest);
  assertEquals(reviewDone.mpm.state, "completed");
  assertEquals(reviewDone.mpm.name, "review");
  assertEquals(reviewDone.mpm.parent, idH);
  assertEquals(reviewDone.conversation.summary, "Reviewed #123");
  assertEquals(reviewDone.todos.completed.map((t: { content: string }) => t.content), ["R1"]);
  assertEquals(reviewDone.git_context.branch, "review/pr-123");

  // Back to A: its branch, its staged/modified/untracked work, its todos exactly as they were.
  await repo.commit("Hotfix notes");
  const backToA = await ok(repo, "return", "-s", "Fixed the login outage");
  assertEquals(await branchNow(repo), "feature/a");
  assertEquals(await tree(repo), treeA);
  assertEquals(await repo.read("a.txt"), "a2 + wip\n");
  assertEquals(await repo.read("b.txt"), "b1 staged\n");
  assertEquals(await repo.read("new-a.txt"), "draft\n");
  assertEquals(await stashes(repo), ["user scratch"]);
  assertEquals(await todos(repo), todosA);
  st = await statusJson(repo);
  assertEquals(st.stack, []);
  assertEquals(st.active.name, "feature-a");
  assertEquals(st.active.task, "Build A");
  assertEquals(st.active.depth, 0);
  for (const part of ["feature-a is active again", "Build A", "Changes since the branch", "A1"]) {
    assertStringIncludes(backToA.stdout, part);
  }
  // mpm never deletes a branch.
  const branches = (await repo.git("branch", "--format=%(refname:short)")).split("\n");
  for (const b of ["hotfix/login", "review/pr-123", "feature/a"]) assert(branches.includes(b), b);

  const empty = await repo.run("return");
  assertEquals(empty.code, 3);
  assertStringIncludes(empty.stderr, "stack is empty");
  assertEquals(await stashes(repo), ["user scratch"]);

  const events = (await repo.read(".claude-mpm/events.jsonl")).trim().split("\n")
    .map((l) => JSON.parse(l));
  assertEquals(events.filter((e) => e.command === "branch").length, 2);
  assertEquals(events.filter((e) => e.command === "return").length, 2);
  for (const e of events) {
    assertMatch(e.time, /^\d{4}-\d\d-\d\dT/);
    assert("before" in e && "after" in e && "session" in e, JSON.stringify(e));
  }
});

Deno.test("a stash that does not re-apply cleanly stays in the stash list; the stack is popped", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", { "a.txt": "one\ntwo\n" });
  await ok(repo, "start", "A");
  await ok(repo, "todo", "add", "keep me");
  await repo.write("a.txt", "one\nA's edit\n");
  await ok(repo, "branch", "hotfix", "--stash");
  const idA = (await statusJson(repo)).stack[0].snapshot_id;
  assertEquals(await branchNow(repo), "main");
  await repo.commit("Hotfix on the same lines", { "a.txt": "one\nhotfix edit\n" });
  await repo.write("other.txt", "mine\n");
  await repo.git("stash", "push", "-q", "-u", "-m", "mine");

  const result = await repo.run("return");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "did not re-apply cleanly");
  assertStringIncludes(result.stderr, `mpm: ${idA}`);
  assertStringIncludes(result.stderr, "git stash drop");
  assertStringIncludes(result.stdout, "A is active again");
  // The report of the working tree shows the half-applied file, never "no changes".
  assertStringIncludes(result.stdout, "Unmerged (1): a.txt; resolve these first");
  assertEquals(await stashes(repo), ["mine", `mpm: ${idA}`]);
  const st = await statusJson(repo);
  assertEquals(st.stack, []);
  assertEquals(st.active.name, "A");
  assertEquals(await todos(repo), ["  keep me"]);
  // Nothing is lost: the stash still holds A's edit.
  const shown = await repo.git("stash", "show", "-p", "stash@{1}");
  assertStringIncludes(shown, "+A's edit");
});

Deno.test("mpm branch refuses, changing nothing: dirty tree without --stash, names git refuses", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("README.md", "# changed\n");
  await repo.write("untracked.txt", "u\n");
  const before = await fingerprint(repo);

  const dirty = await repo.run("branch", "hotfix", "--git-branch", "hotfix/x");
  assertEquals(dirty.code, 1);
  assertStringIncludes(dirty.stderr, "--stash");
  assertEquals(await fingerprint(repo), before);

  for (
    const args of [
      ["branch", "bad name"],
      ["branch", "a..b"],
      ["branch", "x.lock"],
      ["branch", "ok", "--git-branch", "has space"],
      ["branch", "ok", "--git-branch", "feature..x"],
      ["branch", "ok", "--git-branch", "@{-1}", "--stash"],
      ["branch", "ok", "--template", "feature", "--stash"],
    ]
  ) {
    const result = await repo.run(...args);
    assertEquals(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assertEquals(result.stderr.split("\n").filter(Boolean).length <= 2, true, result.stderr);
    assertEquals(await fingerprint(repo), before, args.join(" "));
  }
  const unknownTemplate = await repo.run("branch", "ok", "--template", "nope");
  assertEquals(unknownTemplate.code, 3);
  assertEquals(await fingerprint(repo), before);
});

Deno.test("--stash on a clean tree stashes nothing and says so; the same git branch is kept", async () => {
  await using repo = await withRepo();
  const out = await ok(repo, "branch", "quick", "--stash", "--git-branch", "main");
  assertStringIncludes(out.stdout, "Nothing to stash");
  assertStringIncludes(out.stdout, "No session was active: the child has no parent session");
  const st = await statusJson(repo);
  assertEquals(st.stack[0].stash, null);
  assertEquals(st.stack[0].git_branch, "main");
  assertEquals(st.stack[0].snapshot_id, null);
  assertEquals(await stashes(repo), []);
  await ok(repo, "return");
  // Nothing was invented to stand for a parent: no session is active afterwards.
  assertEquals((await statusJson(repo)).active, null);
});

Deno.test("mpm return with the parent's branch deleted says so and changes nothing; --keep-branch stays", async () => {
  await using repo = await withRepo();
  await repo.git("checkout", "-q", "-b", "feature/a");
  await ok(repo, "start", "A");
  await ok(repo, "branch", "hotfix", "-b", "hotfix/x");
  const head = (await statusJson(repo)).stack[0].git_head;
  await repo.git("branch", "-D", "feature/a");
  const before = await fingerprint(repo);

  const result = await repo.run("return");
  assertEquals(result.code, 1);
  assertStringIncludes(result.stderr, '"feature/a"');
  assertStringIncludes(result.stderr, "no longer exists");
  assertStringIncludes(result.stderr, `git branch feature/a ${head}`);
  assertStringIncludes(result.stderr, "--keep-branch");
  assertEquals(await fingerprint(repo), before);

  const kept = await ok(repo, "return", "--keep-branch");
  assertStringIncludes(kept.stdout, "Stayed on git branch hotfix/x");
  assertEquals(await branchNow(repo), "hotfix/x");
  assertEquals((await statusJson(repo)).stack, []);
});

Deno.test("mpm return refuses uncommitted changes it would mix with the parent's work", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await ok(repo, "branch", "hotfix", "-b", "hotfix/y");
  await repo.write("README.md", "# hotfix, not committed\n");
  const before = await fingerprint(repo);
  const result = await repo.run("return");
  assertEquals(result.code, 1);
  assertStringIncludes(result.stderr, "README.md");
  assertStringIncludes(result.stderr, "Commit them");
  assertEquals(await fingerprint(repo), before);
  await repo.commit("hotfix");
  await ok(repo, "return");
  assertEquals(await branchNow(repo), "main");
});

Deno.test("mpm return refuses, changing nothing, untracked files the parent's stash also holds", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("notes.txt", "parent\n");
  await repo.write("drafts/plan.txt", "parent plan\n");
  await ok(repo, "branch", "hotfix", "--stash");
  // The child leaves an untracked file by the same name, and one where the stash has a folder.
  await repo.write("notes.txt", "child\n");
  await repo.write("drafts", "child\n");
  const before = await fingerprint(repo);

  const result = await repo.run("return");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "Untracked files in the working tree (drafts, notes.txt)");
  assertStringIncludes(result.stderr, "Commit, move or remove them, then run `mpm return` again.");
  assertEquals(result.stderr.split("\n").filter(Boolean).length, 2, result.stderr);
  assertEquals(await fingerprint(repo), before);
  assertEquals((await statusJson(repo)).stack[0].phase, "ready");

  await Deno.remove(join(repo.path, "notes.txt"));
  await Deno.remove(join(repo.path, "drafts"));
  const back = await ok(repo, "return");
  assertStringIncludes(back.stdout, "exactly as it was");
  assertEquals(await repo.read("notes.txt"), "parent\n");
  assertEquals(await repo.read("drafts/plan.txt"), "parent plan\n");
  assertEquals(await stashes(repo), []);
});

Deno.test("mpm return refuses, changing nothing, a parent branch checked out in another worktree", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("README.md", "# A's work\n");
  await ok(repo, "branch", "hotfix", "--stash", "-b", "hotfix/z");
  const other = join(repo.path, "..", "other tree");
  await repo.git("worktree", "add", "-q", other, "main");
  const before = await fingerprint(repo);

  const result = await repo.run("return");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, `"main", is checked out in the worktree at ${other}`);
  assertStringIncludes(result.stderr, `\`git worktree remove '${other}'\``);
  assertStringIncludes(result.stderr, "`mpm return --keep-branch` to stay on hotfix/z");
  assertEquals(await fingerprint(repo), before);
  assertEquals((await statusJson(repo)).stack[0].phase, "ready");

  const kept = await ok(repo, "return", "--keep-branch");
  assertStringIncludes(kept.stdout, "Stayed on git branch hotfix/z");
  assertEquals(await repo.read("README.md"), "# A's work\n");
  assertEquals((await statusJson(repo)).stack, []);
});

Deno.test("concurrent mpm branch and mpm return keep the stack and the branches consistent", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  const branched = await Promise.all(
    // Processes, so that the four really race.
    [1, 2, 3, 4].map((i) => repo.spawn("branch", `c${i}`, "--git-branch", `b${i}`)),
  );
  for (const r of branched) assertEquals(r.code, 0, r.stderr);
  let st = await statusJson(repo);
  assertEquals(st.stack.length, 4);
  assertEquals(st.active.depth, 4);
  // Bottom first, each frame's branch is the branch the previous child switched to.
  const frames = [...st.stack].reverse();
  assertEquals(frames[0].git_branch, "main");
  for (let i = 1; i < frames.length; i++) {
    assertEquals(frames[i].git_branch, frames[i - 1].child_git_branch);
    assertEquals(frames[i].depth, i);
  }
  assertEquals(await branchNow(repo), frames[3].child_git_branch);

  const returned = await Promise.all([1, 2, 3, 4].map(() => repo.spawn("return")));
  for (const r of returned) assertEquals(r.code, 0, r.stderr);
  st = await statusJson(repo);
  assertEquals(st.stack, []);
  assertEquals(st.active.name, "A");
  assertEquals(await branchNow(repo), "main");
  assertEquals((await repo.run("return")).code, 3);
  const events = (await repo.read(".claude-mpm/events.jsonl")).trim().split("\n");
  assertEquals(events.length, 9); // start, 4 branches, 4 returns
});

Deno.test("outside git, branch and return still work, without branches or stashes", async () => {
  await using repo = await withRepo({ git: false });
  await ok(repo, "start", "A", "--task", "plain folder");
  await ok(repo, "todo", "add", "a todo");
  const out = await ok(repo, "branch", "urgent", "--stash", "--git-branch", "x");
  assertStringIncludes(out.stderr, "not a git repository");
  let st = await statusJson(repo);
  assertEquals(st.stack[0].git_branch, null);
  assertEquals(st.stack[0].stash, null);
  assertEquals(st.active.depth, 1);
  await ok(repo, "todo", "add", "urgent todo");
  const back = await ok(repo, "return", "-s", "done");
  assertStringIncludes(back.stdout, "A is active again");
  st = await statusJson(repo);
  assertEquals(st.stack, []);
  assertEquals(await todos(repo), ["  a todo"]);
  assertEquals((await repo.run("return")).code, 3);
});

Deno.test("a paused child can be resumed and returned from; other sessions cannot be resumed inside it", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "unrelated", "--no-prune-worktrees");
  const unrelated = (await statusJson(repo)).latest;
  await ok(repo, "start", "A");
  await ok(repo, "branch", "child");
  await ok(repo, "todo", "add", "child todo");
  await ok(repo, "pause", "-s", "end of day", "--no-prune-worktrees");
  let st = await statusJson(repo);
  assertEquals(st.active, null);
  assertEquals(st.stack.length, 1);

  const wrong = await repo.run("resume", unrelated, "--no-changes");
  assertEquals(wrong.code, 1);
  assertStringIncludes(wrong.stderr, "mpm return");

  await ok(repo, "resume", "--no-changes");
  st = await statusJson(repo);
  assertEquals(st.active.name, "child");
  assertEquals(st.active.depth, 1);
  assertEquals(await todos(repo), ["  child todo"]);
  await ok(repo, "return");
  assertEquals((await statusJson(repo)).active.name, "A");
});

Deno.test("mpm resume of the parent on the stack says `mpm return` brings it back", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await ok(repo, "branch", "child");
  const parent = (await statusJson(repo)).stack[0].snapshot_id;
  const before = await fingerprint(repo);
  const result = await repo.run("resume", parent, "--no-changes");
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr.split("\n")[0],
    `mpm: ${parent} is A, put aside by \`mpm branch\`: it comes back with \`mpm return\`, ` +
      "not `mpm resume`.",
  );
  assertEquals(await fingerprint(repo), before);
});

Deno.test("mpm resume names the clean session it replaces", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await ok(repo, "pause", "-s", "A's day", "--no-prune-worktrees");
  const a = (await statusJson(repo)).latest;
  await ok(repo, "start", "B");
  await ok(repo, "pause", "-s", "B's day", "--no-prune-worktrees");
  await ok(repo, "resume", a, "--no-changes");
  const result = await ok(repo, "resume", "0", "--no-changes");
  assertStringIncludes(result.stdout, `A is no longer active (saved in ${a}).`);
  assertStringIncludes(result.stdout, "B is active again");
});

Deno.test("after mpm return, a bare mpm resume brings back the parent, not the completed child", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await ok(repo, "todo", "add", "A's todo");
  await ok(repo, "branch", "child");
  const parent = (await statusJson(repo)).stack[0].snapshot_id;
  await ok(repo, "return", "-s", "child done");
  const completed = (await statusJson(repo)).latest;
  assert(completed !== parent);
  const resumed = JSON.parse((await ok(repo, "resume", "--json", "--no-changes")).stdout);
  assertEquals(resumed.session.session_id, parent);
  assertEquals((await statusJson(repo)).active.name, "A");
  assertEquals(await todos(repo), ["  A's todo"]);
  // Named, a completed session comes back only with --reopen.
  assertEquals((await repo.run("resume", completed, "--no-changes")).code, 2);
  const named = JSON.parse(
    (await ok(repo, "resume", completed, "--reopen", "--json", "--no-changes")).stdout,
  );
  assertEquals(named.session.mpm.state, "completed");
});
