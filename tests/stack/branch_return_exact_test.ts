/**
 * `mpm branch` / `mpm return` give the parent's work back exactly, or say exactly what they
 * could not, and survive a kill at any step. Kills are injected at named points (MPM_TEST_FAIL_AT, a real SIGKILL), not raced.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { git, mpm, ok, type Repo, stashes, statusJson, tempDir, withRepo } from "../helpers.ts";

/** The index and the work tree, exactly: what is staged, what is not, what is untracked. */
async function exactTree(repo: Repo) {
  const porcelain = (await repo.git("status", "--porcelain", "--untracked-files=all"))
    .split("\n").filter(Boolean).sort();
  const untracked = porcelain.filter((l) => l.startsWith("?? ")).map((l) => l.slice(3));
  const contents: Record<string, string> = {};
  for (const file of untracked) contents[file] = await repo.read(file);
  return {
    porcelain,
    staged: await repo.git("diff", "--cached"),
    unstaged: await repo.git("diff"),
    untracked: contents,
  };
}

/** mpm with MPM_TEST_FAIL_AT set: the process kills itself at that point. */
function killedAt(repo: Repo, point: string, ...args: string[]) {
  return mpm(args, { cwd: repo.path, env: { HOME: repo.home, MPM_TEST_FAIL_AT: point } });
}

const TEN = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
const withLine = (i: number, text: string) =>
  TEN.map((l, n) => (n === i ? text : l)).join("\n") + "\n";

Deno.test("return names a staged change the child's commit made impossible to re-stage, keeps the stash, exit 1", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", {
    "app.txt": withLine(-1, ""),
    "other.txt": "o\n",
    "notes.txt": "n\n",
  });
  await ok(repo, "start", "payments");
  await repo.write("app.txt", withLine(0, "parent's staged edit"));
  await repo.git("add", "app.txt");
  await repo.write("other.txt", "o staged\n");
  await repo.git("add", "other.txt");
  await repo.write("notes.txt", "n unstaged\n");
  await ok(repo, "branch", "hotfix", "--stash");
  const id = (await statusJson(repo)).stack[0].snapshot_id;
  // The child commits to app.txt, on the same git branch, near the parent's staged line.
  await repo.commit("Hotfix", { "app.txt": withLine(2, "child's commit") });

  const result = await repo.run("return", "--json");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(
    result.stderr,
    "app.txt: your staged change is in the work tree, unstaged — a commit since `mpm branch` " +
      `changed this file; stash kept as \`mpm: ${id}\``,
  );
  assertEquals(await stashes(repo), [`mpm: ${id}`]);
  const out = JSON.parse(result.stdout);
  assertEquals(out.stash.status, "inexact");
  assertEquals(out.restore.exact, false);
  assertEquals(out.restore.stash_kept, `mpm: ${id}`);
  assertEquals(
    out.restore.files.map((f: { path: string; was: string; now: string }) => [
      f.path,
      f.was,
      f.now,
    ]),
    [["app.txt", "staged", "unstaged"]],
  );
  assertEquals(out.active.name, "payments");
  assertEquals(out.orphan_stashes, []);
  const after = await statusJson(repo);
  assertEquals(after.stack, []);
  // Kept on purpose, and said so: not an orphan to re-apply on top of the work.
  assertEquals(after.orphan_stashes, []);
  assertEquals(after.kept_stashes.map((k: { message: string }) => k.message), [`mpm: ${id}`]);
  assertStringIncludes((await ok(repo, "status")).stdout, "Kept by `mpm return`");
  // Both edits are in app.txt; the files the child left alone are staged (or not) as they were.
  const app = await repo.read("app.txt");
  assertStringIncludes(app, "parent's staged edit");
  assertStringIncludes(app, "child's commit");
  assertEquals((await exactTree(repo)).porcelain, [" M app.txt", " M notes.txt", "M  other.txt"]);
});

Deno.test("on a stash conflict the staging of every other file is kept, the stash too, exit 1", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", { "a.txt": "one\ntwo\n", "b.txt": "b\n", "c.txt": "c\n" });
  await ok(repo, "start", "A");
  await repo.write("a.txt", "one\nA's edit\n");
  await repo.git("add", "a.txt");
  await repo.write("b.txt", "b staged\n");
  await repo.git("add", "b.txt");
  await repo.write("c.txt", "c unstaged\n");
  await ok(repo, "branch", "hotfix", "--stash");
  const id = (await statusJson(repo)).stack[0].snapshot_id;
  await repo.commit("Hotfix on the same line", { "a.txt": "one\nhotfix edit\n" });

  const result = await repo.run("return");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "did not re-apply cleanly");
  assertStringIncludes(
    result.stderr,
    "a.txt: your staged change conflicts with what the branch holds now",
  );
  assertEquals(await stashes(repo), [`mpm: ${id}`]);
  // git alone would leave c.txt staged after a conflict; mpm puts the staging back as it was.
  assertEquals((await exactTree(repo)).porcelain, ["M  b.txt", "UU a.txt", " M c.txt"].sort());
  assertEquals(await repo.read("c.txt"), "c unstaged\n");
});

Deno.test("branch with nothing active starts a child with no parent; return says so and invents nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds", "--no-prune-worktrees");
  const paused = (await statusJson(repo)).latest;
  const sessionsBefore = [...Deno.readDirSync(join(repo.path, ".claude-mpm/sessions"))].length;
  await repo.write("wip.txt", "half-done\n");

  const branched = JSON.parse((await ok(repo, "branch", "hotfix", "--stash", "--json")).stdout);
  assertEquals(branched.parent, null);
  assertEquals(branched.session.parent, null);
  // No "branched" snapshot of an invented session was written.
  const sessionsAfter = [...Deno.readDirSync(join(repo.path, ".claude-mpm/sessions"))].length;
  assertEquals(sessionsAfter, sessionsBefore);
  const st = await statusJson(repo);
  assertEquals(st.stack[0].snapshot_id, null);
  assertStringIncludes((await ok(repo, "status")).stdout, "no parent session");
  // Inside the parentless child, resuming the paused session is refused in words, not "null".
  const inside = await repo.run("resume", paused, "--no-changes");
  assertEquals(inside.code, 1);
  assertStringIncludes(inside.stderr, "branched with nothing active");
  assert(!inside.stderr.includes("null"), inside.stderr);

  const back = await ok(repo, "return", "-s", "fixed");
  assertStringIncludes(back.stdout, "hotfix had no parent session");
  assertStringIncludes(back.stdout, "no session is active now");
  assertEquals(await repo.read("wip.txt"), "half-done\n");
  assertEquals((await statusJson(repo)).active, null);
  // A plain resume brings back what the user paused, not something mpm made up.
  const resumed = JSON.parse((await ok(repo, "resume", "--json", "--no-changes")).stdout);
  assertEquals(resumed.session.session_id, paused);
  assertEquals(resumed.session.conversation.summary, "Payment work");
});

Deno.test("return names the untracked files the child created and left", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("mine.txt", "parent's untracked\n");
  await ok(repo, "branch", "hotfix", "--stash");
  await repo.write("hotfix-notes.txt", "child's scratch\n");
  const result = await ok(repo, "return");
  assertStringIncludes(
    result.stdout,
    "Left by hotfix, untracked, still in the work tree: hotfix-notes.txt",
  );
  assertEquals(await repo.read("mine.txt"), "parent's untracked\n");

  // The same without --stash, where the tree was shared, and in --json.
  await ok(repo, "branch", "review");
  await repo.write("review.txt", "r\n");
  const json = JSON.parse((await ok(repo, "return", "--json")).stdout);
  assertEquals(json.restore.untracked_left, ["review.txt"]);
});

Deno.test("a kill right after `branch --stash` stashed leaves a frame naming the stash; return undoes it", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", { "a.txt": "a\n", "b.txt": "b\n" });
  await ok(repo, "start", "A");
  await ok(repo, "todo", "add", "A's todo");
  await repo.write("a.txt", "a modified\n");
  await repo.write("b.txt", "b staged\n");
  await repo.git("add", "b.txt");
  await repo.write("new.txt", "untracked\n");
  const before = await exactTree(repo);

  const killed = await killedAt(repo, "branch-after-stash", "branch", "hotfix", "--stash");
  assert(killed.code !== 0, "the process was killed");
  assertEquals((await exactTree(repo)).porcelain, [], "the work is in the stash");
  let st = await statusJson(repo);
  assertEquals(st.stack.length, 1);
  assertEquals(st.stack[0].phase, "branching");
  assertEquals(await stashes(repo), [st.stack[0].stash]);
  assertStringIncludes((await ok(repo, "status")).stdout, "an interrupted `mpm branch`");
  // Nothing may be stacked on top of a half-made frame.
  const again = await repo.run("branch", "other");
  assertEquals(again.code, 1);
  assertStringIncludes(again.stderr, "mpm return");

  const undone = await ok(repo, "return");
  assertStringIncludes(undone.stdout, "Undid the interrupted `mpm branch hotfix`");
  assertEquals(await exactTree(repo), before);
  assertEquals(await stashes(repo), []);
  st = await statusJson(repo);
  assertEquals(st.stack, []);
  assertEquals(st.active.name, "A");
});

Deno.test("a kill after the switch of `branch --stash -b` is undone: branch and work come back", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("README.md", "# staged\n");
  await repo.git("add", "README.md");
  await repo.write("README.md", "# staged, then more\n");
  const before = await exactTree(repo);
  const killed = await killedAt(repo, "branch-after-switch", "branch", "h", "--stash", "-b", "hot");
  assert(killed.code !== 0);
  assertEquals((await repo.git("branch", "--show-current")).trim(), "hot");
  await ok(repo, "return");
  assertEquals((await repo.git("branch", "--show-current")).trim(), "main");
  assertEquals(await exactTree(repo), before);
  assertEquals(await stashes(repo), []);
});

Deno.test("a kill before the stash is made leaves the work in place; return just removes the frame", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("x.txt", "x\n");
  const before = await exactTree(repo);
  assert((await killedAt(repo, "branch-after-intent", "branch", "h", "--stash")).code !== 0);
  assertEquals(await exactTree(repo), before);
  const out = JSON.parse((await ok(repo, "return", "--json")).stdout);
  assertEquals(out.kind, "undo-branch");
  assertEquals(out.stash.status, "in-place");
  assertEquals(await exactTree(repo), before);
  assertEquals((await statusJson(repo)).stack, []);
});

Deno.test("return killed with its stash half-applied: the next return undoes that half and finishes", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", { "app.txt": "app\n", "lib.txt": "lib\n" });
  await ok(repo, "start", "A");
  await repo.write("app.txt", "app staged\n");
  await repo.git("add", "app.txt");
  await repo.write("lib.txt", "lib unstaged\n");
  await repo.write("draft.txt", "untracked draft\n");
  const before = await exactTree(repo);
  await ok(repo, "branch", "hotfix", "--stash", "-b", "hotfix/x");
  await repo.commit("Hotfix", { "fix.txt": "fix\n" });
  const stash = (await statusJson(repo)).stack[0].stash;

  assert((await killedAt(repo, "return-before-apply", "return", "-s", "fixed")).code !== 0);
  let st = await statusJson(repo);
  assertEquals(st.stack[0].phase, "returning");
  assertEquals((await repo.git("branch", "--show-current")).trim(), "main");
  // What a kill in the middle of `git stash apply` leaves: some files written, one truncated.
  await repo.git("checkout", "stash@{0}", "--", "app.txt");
  await repo.write("draft.txt", "untr");
  assertEquals(await stashes(repo), [stash]);

  const finished = await ok(repo, "return");
  assertStringIncludes(finished.stdout, "finishing an interrupted `mpm return`");
  assertEquals(await exactTree(repo), before);
  assertEquals(await stashes(repo), []);
  st = await statusJson(repo);
  assertEquals(st.stack, []);
  assertEquals(st.active.name, "A");
  // The child's final snapshot was written once, with the words of the first run.
  const completed = [...Deno.readDirSync(join(repo.path, ".claude-mpm/sessions"))]
    .filter((e) => e.name.endsWith(".json"))
    .map((e) => JSON.parse(Deno.readTextFileSync(join(repo.path, ".claude-mpm/sessions", e.name))))
    .filter((s) => s.mpm.state === "completed");
  assertEquals(completed.length, 1);
  assertEquals(completed[0].conversation.summary, "fixed");
});

Deno.test("return killed after applying, before dropping: the next return drops the copy and pops", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await repo.write("README.md", "# wip\n");
  const before = await exactTree(repo);
  await ok(repo, "branch", "hotfix", "--stash");
  assert((await killedAt(repo, "return-after-apply", "return")).code !== 0);
  assertEquals(await exactTree(repo), before);
  assertEquals((await stashes(repo)).length, 1);
  const out = JSON.parse((await ok(repo, "return", "--json")).stdout);
  assertEquals(out.resumed, true);
  assertEquals(out.stash.status, "in-place");
  assertEquals(await stashes(repo), []);
  assertEquals(await exactTree(repo), before);
});

Deno.test("status, doctor and return name an mpm stash no frame names, with the command that restores it", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "# lost work\n");
  // What a frame lost to a hand edit of state.json leaves: the stash, and no frame.
  await repo.git("stash", "push", "-u", "-m", "mpm: session-20250101-000000");
  await repo.write("other.txt", "x\n");
  await repo.git("stash", "push", "-u", "-m", "my own stash");

  const human = (await ok(repo, "status")).stdout;
  assertStringIncludes(human, `stash@{1} "mpm: session-20250101-000000"`);
  assertStringIncludes(human, "git stash pop --index 'stash@{1}'");
  const st = await statusJson(repo);
  assertEquals(st.orphan_stashes, [{
    ref: "stash@{1}",
    message: "mpm: session-20250101-000000",
    restore: "git stash pop --index 'stash@{1}'",
  }]);
  const doctor = JSON.parse((await repo.run("doctor", "--json")).stdout);
  const check = doctor.checks.find((c: { id: string }) => c.id === "orphan-stash");
  assertEquals(check?.fix, "git stash pop --index 'stash@{1}'");
  const back = await repo.run("return");
  assertEquals(back.code, 3);
  assertStringIncludes(back.stderr, "stack is empty");
  assertStringIncludes(back.stderr, "git stash pop --index 'stash@{1}'");
  // The command shown does restore it.
  await repo.git("stash", "pop", "--index", "stash@{1}");
  assertEquals(await repo.read("README.md"), "# lost work\n");
});

Deno.test("branch --stash refuses a dirty submodule up front, naming it", async () => {
  await using dir = await tempDir();
  const lib = join(dir.path, "lib");
  await Deno.mkdir(lib);
  await git(lib, "init", "-q", "-b", "main");
  await Deno.writeTextFile(join(lib, "lib.txt"), "lib\n");
  await git(lib, "add", "-A");
  await git(
    lib,
    "-c",
    "user.name=T",
    "-c",
    "user.email=t@example.com",
    "commit",
    "-q",
    "-m",
    "lib",
  );
  await using repo = await withRepo();
  await repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "vendor/lib");
  await repo.git("commit", "-q", "-m", "add submodule");
  await ok(repo, "start", "A");
  await repo.write("vendor/lib/lib.txt", "changed inside the submodule\n");
  const stateBefore = await repo.read(".claude-mpm/state.json");
  const result = await repo.run("branch", "hotfix", "--stash");
  assertEquals(result.code, 1);
  assertMatch(result.stderr, /submodule vendor\/lib \(modified content\)/);
  assertEquals(await repo.read(".claude-mpm/state.json"), stateBefore);
  assertEquals(await stashes(repo), []);
  assertEquals(await repo.read("vendor/lib/lib.txt"), "changed inside the submodule\n");
});
