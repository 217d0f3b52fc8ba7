/**
 * `mpm branch NAME --worktree` when git itself fails in the middle of `git worktree add`'s
 * checkout: a clean filter that fails (`filter.*.required`) is git failing there, every time,
 * without a race. git removes the folder it made, but not the branch `-b` created; mpm removes
 * whatever git made of it, wherever git made it, so nothing is left outside the repository: no
 * folder with a `.git` file, no `worktree-NAME` branch, no worktree git lists, no pending entry.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, type Repo, statusJson, tempDir, withRepo } from "../helpers.ts";
import { raceAtStep } from "../../src/git/run/kill_step.ts";

/** A committed file whose checkout runs `filter`, which git must run and which fails. */
async function failingCheckout(repo: Repo, filter: string): Promise<void> {
  await repo.commit("a filtered file", {
    ".gitignore": ".claude/\n",
    ".gitattributes": "data.bin filter=broken\n",
    "data.bin": "payload\n",
  });
  await repo.git("config", "filter.broken.smudge", filter);
  await repo.git("config", "filter.broken.clean", "cat");
  await repo.git("config", "filter.broken.required", "true");
}

/** `mpm branch hot --worktree` in this process, where a step hook can act. */
function branchHot(repo: Repo) {
  return mpm(["branch", "hot", "--worktree"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    now: () => new Date(),
  });
}

async function assertNothingLeft(repo: Repo, before: string): Promise<void> {
  assertEquals(await repo.git("worktree", "list", "--porcelain"), before);
  assertEquals((await repo.git("branch", "--list", "worktree-hot")).trim(), "");
  assertEquals((await statusJson(repo)).worktrees, []);
}

Deno.test("branch --worktree: git failing mid-checkout leaves no branch, folder or worktree", async () => {
  await using repo = await withRepo();
  await failingCheckout(repo, "false");
  const before = await repo.git("worktree", "list", "--porcelain");
  const out = await branchHot(repo);
  assertEquals(out.code, 1, out.stderr);
  assertStringIncludes(out.stderr, "external filter");
  assertEquals(await Array.fromAsync(Deno.readDir(join(repo.path, ".claude", "worktrees"))), []);
  await assertNothingLeft(repo, before);
});

Deno.test("branch --worktree: git failing mid-checkout through a link swapped in leaves nothing outside", async () => {
  await using repo = await withRepo();
  await using outside = await tempDir();
  await failingCheckout(repo, "false");
  const folder = join(repo.path, ".claude", "worktrees");
  await Deno.mkdir(folder, { recursive: true });
  const before = await repo.git("worktree", "list", "--porcelain");
  // The link goes in as git's add starts, after mpm checked the place: git makes the worktree
  // outside, then fails while checking it out.
  const stop = raceAtStep((kind, what) => {
    if (kind !== "git-start" || what[0] !== "worktree" || what[1] !== "add") return;
    Deno.removeSync(folder);
    Deno.symlinkSync(outside.path, folder);
  });
  let out;
  try {
    out = await branchHot(repo);
  } finally {
    stop();
  }
  assertEquals(out.code, 1, out.stderr);
  assertEquals(await Array.fromAsync(Deno.readDir(outside.path)), []);
  await assertNothingLeft(repo, before);
});
