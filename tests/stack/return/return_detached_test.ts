/**
 * `mpm return` to a parent that was on a detached HEAD: back to the recorded commit before its
 * stash is re-applied, as for a named branch, with the same refusals; a child that stayed
 * detached (its commits on no branch) is not moved off them.
 */
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, okJson, type Repo, stashes, statusJson, withRepo } from "../../helpers.ts";

/** A repository whose HEAD is detached one commit behind main, with `f` changed on main. */
async function detachedBehind(repo: Repo): Promise<string> {
  await repo.commit("c1", { "f": "1\n" });
  const old = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.commit("c2", { "f": "2\n" });
  await repo.git("checkout", "-q", "--detach", old);
  return old;
}

const head = async (repo: Repo) => (await repo.git("rev-parse", "HEAD")).trim();
const branch = async (repo: Repo) => (await repo.git("branch", "--show-current")).trim();

Deno.test("return to a detached parent: back on its commit first, then its stash, exactly", async () => {
  await using repo = await withRepo();
  const old = await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await repo.write("f", "1\nmy local edit\n");
  await ok(repo, "branch", "hotfix", "--stash", "-b", "hotfix");
  await repo.commit("hotfix touches f", { "f": "hotfixed\n" });

  const out = await okJson(repo, "return", "--json");
  assertEquals(out.git_branch, { from: "hotfix", to: old, detached: true });
  assertEquals(out.stash.status, "applied");
  assertEquals(await head(repo), old);
  assertEquals(await branch(repo), "");
  assertEquals(await repo.read("f"), "1\nmy local edit\n");
  assertEquals(await stashes(repo), []);
  assertEquals((await statusJson(repo)).active.name, "inspect");
  // The child's commit stays on its branch.
  assertEquals((await repo.git("log", "-1", "--format=%s", "hotfix")).trim(), "hotfix touches f");
});

Deno.test("return to a detached parent says where it went back to", async () => {
  await using repo = await withRepo();
  const old = await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await ok(repo, "branch", "hotfix", "-b", "hotfix");
  const out = await ok(repo, "return");
  assertStringIncludes(out.stdout, `Back on a detached HEAD at ${old.slice(0, 7)}`);
  assert(!out.stdout.includes("goes back there"), out.stdout);
  assertEquals(await head(repo), old);
});

Deno.test("return to a detached parent with uncommitted changes on the child's branch: refused, nothing changed", async () => {
  await using repo = await withRepo();
  await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await ok(repo, "branch", "hotfix", "-b", "hotfix");
  await repo.write("f", "half done\n");
  const refused = await repo.run("return");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "uncommitted changes (f)");
  assertEquals(await branch(repo), "hotfix");
  assertEquals(await repo.read("f"), "half done\n");
  const status = await statusJson(repo);
  assertEquals(status.active.name, "hotfix");
  assertEquals(status.stack.length, 1);
});

Deno.test("a child that committed on the parent's detached HEAD stays on its commits", async () => {
  await using repo = await withRepo();
  const old = await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await ok(repo, "branch", "hotfix");
  const fix = await repo.commit("fix on the detached HEAD", { "g": "fix\n" });
  const out = await ok(repo, "return");
  assertStringIncludes(out.stdout, `\`git switch --detach ${old.slice(0, 7)}\` goes back there`);
  assertEquals(await head(repo), fix);
});

Deno.test("a child that stayed on the parent's detached HEAD: nothing to switch, nothing to say", async () => {
  await using repo = await withRepo();
  const old = await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await repo.write("f", "1\nedit\n");
  await ok(repo, "branch", "hotfix", "--stash");
  const out = await ok(repo, "return");
  assert(!out.stdout.includes("goes back there"), out.stdout);
  assertStringIncludes(out.stdout, "exactly as it was");
  assertEquals(await head(repo), old);
});

Deno.test("an interrupted return to a detached parent: the next return switches back, then re-applies", async () => {
  await using repo = await withRepo();
  const old = await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await repo.write("f", "1\nmy local edit\n");
  await ok(repo, "branch", "hotfix", "--stash", "-b", "hotfix");
  await repo.commit("hotfix touches f", { "f": "hotfixed\n" });
  const killed = await mpm(["return"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAIL_AT: "return-after-intent" },
  });
  assertEquals(killed.code, 137, killed.stderr);
  const out = await okJson(repo, "return", "--json");
  assertEquals(out.resumed, true);
  assertEquals(out.git_branch, { from: "hotfix", to: old, detached: true });
  assertEquals(out.stash.status, "applied");
  assertEquals(await repo.read("f"), "1\nmy local edit\n");
});

Deno.test("--keep-branch stays on the child's branch when the parent was detached", async () => {
  await using repo = await withRepo();
  await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await ok(repo, "branch", "hotfix", "-b", "hotfix");
  const out = await okJson(repo, "return", "--keep-branch", "--json");
  assertEquals(out.git_branch, null);
  assertEquals(await branch(repo), "hotfix");
});

Deno.test("an interrupted `branch --stash -b` from a detached HEAD is undone: back on the commit, work back", async () => {
  await using repo = await withRepo();
  const old = await detachedBehind(repo);
  await ok(repo, "start", "inspect");
  await repo.write("f", "1\nmy local edit\n");
  const killed = await mpm(["branch", "hotfix", "--stash", "-b", "hotfix"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAIL_AT: "branch-after-switch" },
  });
  assert(killed.code !== 0);
  assertEquals(await branch(repo), "hotfix");
  const out = await okJson(repo, "return", "--json");
  assertEquals(out.kind, "undo-branch");
  assertEquals(out.git_branch, { from: "hotfix", to: old, detached: true });
  assertEquals(await head(repo), old);
  assertEquals(await branch(repo), "");
  assertEquals(await repo.read("f"), "1\nmy local edit\n");
  assertEquals(await stashes(repo), []);
});
