import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../tests/assert.ts";
import { git, type Repo, tempDir, withRepo } from "../../tests/helpers.ts";
import { parseWorktreeList, pruneWorktrees } from "./prune.ts";
import { countStatus } from "./git.ts";
import type { WorktreeReport } from "./rules.ts";

const AGENTS = ".claude/worktrees";

/** `git worktree add` under .claude/worktrees/NAME, on a new branch or detached. */
async function agent(
  repo: Repo,
  name: string,
  how: { branch?: string; detach?: boolean; at?: string } = {},
): Promise<string> {
  const path = join(repo.path, AGENTS, name);
  const args = how.branch ? ["-b", how.branch] : how.detach ? ["--detach"] : [];
  await repo.git("worktree", "add", "-q", ...args, path, ...(how.at ? [how.at] : []));
  return path;
}

async function commitIn(dir: string, file: string, text: string): Promise<string> {
  await Deno.writeTextFile(join(dir, file), text);
  await git(dir, "add", file);
  await git(dir, "commit", "-q", "-m", `add ${file}`);
  return (await git(dir, "rev-parse", "HEAD")).trim();
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** No commit became unreachable: what a data-losing prune would leave behind. */
async function assertNoLostCommits(repo: Repo): Promise<void> {
  const out = await repo.git("fsck", "--unreachable", "--no-reflogs", "--no-progress");
  assert(!/commit/.test(out), `fsck found lost commits:\n${out}`);
}

function paths(entries: { path: string }[]): string[] {
  return entries.map((e) => e.path);
}

function only(report: WorktreeReport, key: keyof WorktreeReport) {
  for (const k of ["pruned", "preserved", "swept", "orphans_preserved"] as const) {
    if (k !== key) assertEquals(report[k], [], `${k} should be empty`);
  }
}

Deno.test("a clean worktree whose branch is merged is removed; its branch stays", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "agent-1", { branch: "agent-1" });
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.pruned, [{
    path: wt,
    branch: "agent-1",
    reason: "clean; branch agent-1 is merged into main",
  }]);
  only(report, "pruned");
  assert(!(await exists(wt)));
  assertEquals((await repo.git("branch", "--list", "agent-1")).trim(), "agent-1");
  await assertNoLostCommits(repo);
});

Deno.test("uncommitted changes keep a worktree, staged or not", async () => {
  await using repo = await withRepo();
  const unstaged = await agent(repo, "unstaged", { branch: "u" });
  const staged = await agent(repo, "staged", { branch: "s" });
  await Deno.writeTextFile(join(unstaged, "README.md"), "changed\n");
  await Deno.writeTextFile(join(staged, "new.txt"), "new\n");
  await git(staged, "add", "new.txt");
  const report = await pruneWorktrees(repo.path);
  only(report, "preserved");
  assertEquals(paths(report.preserved), [staged, unstaged].sort());
  for (const p of report.preserved) assertMatch(p.reason, /uncommitted changes \(1 file\)/);
  assertEquals(await Deno.readTextFile(join(unstaged, "README.md")), "changed\n");
});

Deno.test("an untracked file keeps a worktree", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "agent", { branch: "agent" });
  await Deno.writeTextFile(join(wt, "notes.txt"), "work\n");
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.preserved, [{ path: wt, reason: "has untracked files (1 entry)" }]);
  assert(await exists(join(wt, "notes.txt")));
});

Deno.test("commits not merged into main keep a worktree until merged or pushed", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "agent", { branch: "feature" });
  await commitIn(wt, "a.txt", "a\n");
  let report = await pruneWorktrees(repo.path);
  assertEquals(report.preserved, [{
    path: wt,
    reason: "branch has 1 commit not merged into main and it has no upstream",
  }]);
  await using remote = await tempDir();
  await git(remote.path, "init", "-q", "--bare");
  await repo.git("remote", "add", "origin", remote.path);
  await git(wt, "push", "-q", "-u", "origin", "feature");
  await commitIn(wt, "b.txt", "b\n");
  report = await pruneWorktrees(repo.path);
  assertMatch(
    report.preserved[0].reason,
    /1 commit not merged into main or pushed to origin\/feature/,
  );
  await git(wt, "push", "-q");
  report = await pruneWorktrees(repo.path);
  assertEquals(report.pruned.map((p) => p.reason), [
    "clean; branch feature is merged into main or pushed to origin/feature",
  ]);
  await assertNoLostCommits(repo);
});

Deno.test("a branch merged into the main worktree's branch is pruned", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "agent", { branch: "feature" });
  await commitIn(wt, "a.txt", "a\n");
  await repo.git("merge", "-q", "--ff-only", "feature");
  const report = await pruneWorktrees(repo.path);
  assertEquals(paths(report.pruned), [wt]);
  await assertNoLostCommits(repo);
});

Deno.test("a locked worktree is kept", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "agent", { branch: "agent" });
  await repo.git("worktree", "lock", "--reason", "agent busy", wt);
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.preserved, [{ path: wt, reason: "locked by git (agent busy)" }]);
  assert(await exists(wt));
});

Deno.test("a detached HEAD at a commit on no ref is kept (claude-mpm lost these)", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "agent", { detach: true });
  const sha = await commitIn(wt, "work.txt", "only here\n");
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.preserved, [{
    path: wt,
    reason: `detached HEAD at ${sha.slice(0, 7)} is reachable from no branch or tag`,
  }]);
  assertEquals((await git(wt, "rev-parse", "HEAD")).trim(), sha);
  await assertNoLostCommits(repo);
});

Deno.test("a detached HEAD at a commit a branch or tag holds is pruned", async () => {
  await using repo = await withRepo();
  const onMain = await agent(repo, "on-main", { detach: true });
  const tagged = await agent(repo, "tagged", { detach: true });
  await commitIn(tagged, "t.txt", "t\n");
  await git(tagged, "tag", "kept");
  const report = await pruneWorktrees(repo.path);
  assertEquals(paths(report.pruned), [onMain, tagged]);
  assertMatch(report.pruned[1].reason, /detached HEAD \w+ is on refs\/tags\/kept/);
  assertEquals(report.pruned[0].branch, null);
  await assertNoLostCommits(repo);
});

Deno.test("an empty unregistered folder is swept", async () => {
  await using repo = await withRepo();
  const dir = join(repo.path, AGENTS, "leftover");
  await Deno.mkdir(dir, { recursive: true });
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.swept, [{ path: dir, reason: "empty folder" }]);
  only(report, "swept");
  assert(!(await exists(dir)));
});

for (const ignored of [false, true]) {
  Deno.test(`a plain folder with files is kept${ignored ? " when .claude/ is git-ignored" : ""}`, async () => {
    await using repo = await withRepo();
    if (ignored) await repo.commit("ignore .claude", { ".gitignore": ".claude/\n" });
    const dir = join(repo.path, AGENTS, "notes");
    await repo.write(`${AGENTS}/notes/plan.md`, "precious\n");
    const report = await pruneWorktrees(repo.path);
    assertEquals(report.orphans_preserved, [{
      path: dir,
      reason: "plain folder with files (not a git checkout)",
    }]);
    only(report, "orphans_preserved");
    assertEquals(await Deno.readTextFile(join(dir, "plan.md")), "precious\n");
  });
}

Deno.test("an unregistered checkout with uncommitted work is kept", async () => {
  await using repo = await withRepo();
  const dir = join(repo.path, AGENTS, "clone");
  await repo.git("clone", "-q", repo.path, dir);
  await Deno.writeTextFile(join(dir, "README.md"), "edited\n");
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.orphans_preserved, [{
    path: dir,
    reason: "has uncommitted changes (1 file)",
  }]);
  assertEquals(await Deno.readTextFile(join(dir, "README.md")), "edited\n");
});

Deno.test("an unregistered checkout is swept only when every commit is in the main repo", async () => {
  await using repo = await withRepo();
  const clean = join(repo.path, AGENTS, "clean");
  const ahead = join(repo.path, AGENTS, "ahead");
  const ignoredFiles = join(repo.path, AGENTS, "ignored");
  for (const dir of [clean, ahead, ignoredFiles]) await repo.git("clone", "-q", repo.path, dir);
  await git(ahead, "config", "user.name", "T");
  await git(ahead, "config", "user.email", "t@example.com");
  await git(ahead, "switch", "-q", "-c", "side");
  const lost = await commitIn(ahead, "side.txt", "side\n");
  await git(ahead, "switch", "-q", "main");
  await Deno.writeTextFile(join(ignoredFiles, ".git/info/exclude"), "*.env\n");
  await Deno.writeTextFile(join(ignoredFiles, "secret.env"), "KEY=1\n");
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.swept, [{
    path: clean,
    reason: "clean checkout whose commits are all in the main repository",
  }]);
  assertEquals(report.orphans_preserved, [
    { path: ahead, reason: "has commits the main repository does not have" },
    { path: ignoredFiles, reason: "has ignored files (1 entry)" },
  ]);
  assert(!(await exists(clean)));
  assertEquals((await git(ahead, "rev-parse", "side")).trim(), lost);
});

Deno.test("a symlink under .claude/worktrees is kept and its target untouched", async () => {
  await using repo = await withRepo();
  await using outside = await tempDir();
  const empty = join(outside.path, "empty");
  await Deno.mkdir(empty);
  await Deno.writeTextFile(join(outside.path, "data.txt"), "keep\n");
  await Deno.mkdir(join(repo.path, AGENTS), { recursive: true });
  await Deno.symlink(outside.path, join(repo.path, AGENTS, "full"));
  await Deno.symlink(empty, join(repo.path, AGENTS, "empty"));
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.orphans_preserved.map((o) => o.reason), [
    "is a symbolic link; mpm never follows it",
    "is a symbolic link; mpm never follows it",
  ]);
  only(report, "orphans_preserved");
  assert(await exists(empty));
  assertEquals(await Deno.readTextFile(join(outside.path, "data.txt")), "keep\n");
});

Deno.test("a worktree reached through a symlinked folder lives outside and is left alone", async () => {
  await using repo = await withRepo();
  await using outside = await tempDir();
  await Deno.mkdir(join(repo.path, AGENTS), { recursive: true });
  await Deno.symlink(outside.path, join(repo.path, AGENTS, "link"));
  await repo.git("worktree", "add", "-q", "-b", "out", join(repo.path, AGENTS, "link", "wt"));
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.pruned, []);
  assertEquals(paths(report.orphans_preserved), [join(repo.path, AGENTS, "link")]);
  assert(await exists(join(outside.path, "wt", "README.md")));
});

Deno.test("a registered worktree whose folder is gone is left to git worktree prune", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "gone", { branch: "gone" });
  await Deno.remove(wt, { recursive: true });
  const report = await pruneWorktrees(repo.path);
  assertEquals(report.preserved, [{
    path: wt,
    reason: "its folder is missing; `git worktree prune` cleans up such entries",
  }]);
  assertStringIncludes(await repo.git("worktree", "list", "--porcelain"), wt);
});

Deno.test("a worktree whose .git file is gone is kept, not judged by the parent repo", async () => {
  await using repo = await withRepo();
  await repo.commit("ignore .claude", { ".gitignore": ".claude/\n" });
  const wt = await agent(repo, "agent", { branch: "agent" });
  await Deno.writeTextFile(join(wt, "draft.txt"), "draft\n");
  await Deno.remove(join(wt, ".git"));
  let report = await pruneWorktrees(repo.path);
  assertEquals(report.preserved, [{
    path: wt,
    reason: "git calls it prunable (gitdir file points to non-existent location)",
  }]);
  await git(wt, "init", "-q");
  report = await pruneWorktrees(repo.path);
  assertEquals(report.preserved, [{
    path: wt,
    reason: "its .git is not a file linking it to this repository",
  }]);
  assert(await exists(join(wt, "draft.txt")));
});

Deno.test("--dry-run reports the same decisions and changes nothing", async () => {
  await using repo = await withRepo();
  const wt = await agent(repo, "merged", { branch: "merged" });
  const empty = join(repo.path, AGENTS, "empty");
  await Deno.mkdir(empty);
  const before = await repo.git("worktree", "list", "--porcelain");
  const dry = await pruneWorktrees(repo.path, { dryRun: true });
  assertEquals(paths(dry.pruned), [wt]);
  assertEquals(paths(dry.swept), [empty]);
  assertEquals(await repo.git("worktree", "list", "--porcelain"), before);
  assert(await exists(wt) && await exists(empty));
  assertEquals(await pruneWorktrees(repo.path), dry);
});

Deno.test("the main worktree, worktrees elsewhere and mpm's own worktree are left alone", async () => {
  await using repo = await withRepo();
  const elsewhere = join(repo.path, "..", "elsewhere");
  await repo.git("worktree", "add", "-q", "-b", "elsewhere", elsewhere);
  const here = await agent(repo, "here", { branch: "here" });
  const other = await agent(repo, "other", { branch: "other" });
  const report = await pruneWorktrees(here);
  assertEquals(report.preserved, [{ path: here, reason: "mpm is running inside it" }]);
  assertEquals(paths(report.pruned), [other]);
  assert(await exists(elsewhere) && await exists(join(repo.path, "README.md")));
});

Deno.test("outside a repository or without .claude/worktrees the report is empty", async () => {
  await using plain = await withRepo({ git: false });
  await Deno.mkdir(join(plain.path, AGENTS), { recursive: true });
  const empty = { pruned: [], preserved: [], swept: [], orphans_preserved: [] };
  assertEquals(await pruneWorktrees(plain.path), empty);
  assert(await exists(join(plain.path, AGENTS)));
  await using repo = await withRepo();
  assertEquals(await pruneWorktrees(repo.path), empty);
});

Deno.test("porcelain parsers read -z and newline output, renames and ignored entries", () => {
  const z = "worktree /r\0HEAD abc\0branch refs/heads/main\0\0worktree /r/w\0HEAD def\0" +
    "detached\0locked\0\0worktree /r/x\0HEAD 000\0prunable gone\0\0";
  const entries = parseWorktreeList(z, "\0");
  assertEquals(entries.map((e) => [e.path, e.branch, e.locked, e.prunable]), [
    ["/r", "refs/heads/main", false, false],
    ["/r/w", null, "", false],
    ["/r/x", null, false, "gone"],
  ]);
  assertEquals(parseWorktreeList(z.replaceAll("\0", "\n"), "\n"), entries);
  const status = "1 .M N... 100644 100644 100644 a a f\0" +
    "2 R. N... 100644 100644 100644 a a R100 new\0old\0? u.txt\0! build/\0";
  assertEquals(countStatus(status), { changed: 2, untracked: 1, ignored: 1 });
});
