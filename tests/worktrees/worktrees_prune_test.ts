import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { exists, git, loggingGit, mpm, type Repo, tempDir, withRepo } from "../helpers.ts";

const AGENTS = ".claude/worktrees";

/**
 * The helpers' HOME-per-test hides Deno's module cache, so the CLI could not load its npm
 * imports offline; point it back at the real one. (Belongs in tests/helpers.ts.)
 */
const DENO_DIR = JSON.parse(
  new TextDecoder().decode(
    (await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output()).stdout,
  ),
).denoDir as string;

function run(repo: Repo, ...args: string[]) {
  return mpm(args, { cwd: repo.path, env: { HOME: repo.home, DENO_DIR } });
}

/**
 * A project whose `.claude/` is git-ignored (as it usually is), holding one agent worktree or
 * folder of each kind, and a folder outside the project that a symlink points to.
 */
async function scene(repo: Repo, outside: string) {
  await repo.commit("ignore .claude", { ".gitignore": ".claude/\n" });
  const at = (name: string) => join(repo.path, AGENTS, name);
  await repo.git("worktree", "add", "-q", "-b", "merged", at("merged"));
  await repo.git("worktree", "add", "-q", "-b", "dirty", at("dirty"));
  await Deno.writeTextFile(join(at("dirty"), "wip.txt"), "wip\n");
  await repo.git("worktree", "add", "-q", "--detach", at("lost"));
  await Deno.writeTextFile(join(at("lost"), "only.txt"), "only here\n");
  await git(at("lost"), "add", "only.txt");
  await git(at("lost"), "commit", "-q", "-m", "commit on a detached HEAD");
  await Deno.mkdir(at("empty"));
  await repo.write(`${AGENTS}/notes/plan.md`, "precious\n");
  await Deno.writeTextFile(join(outside, "data.txt"), "keep\n");
  await Deno.symlink(outside, at("link"));
  return at;
}

async function assertNoLostCommits(repo: Repo): Promise<void> {
  const out = await repo.git("fsck", "--unreachable", "--no-reflogs", "--no-progress");
  assert(!/commit/.test(out), `fsck found lost commits:\n${out}`);
}

Deno.test("mpm worktrees prune --dry-run --json reports every decision and changes nothing", async () => {
  await using repo = await withRepo();
  await using outside = await tempDir();
  const at = await scene(repo, outside.path);
  const before = await repo.git("worktree", "list", "--porcelain");
  const result = await run(repo, "worktrees", "prune", "--dry-run", "--json");
  assertEquals([result.code, result.stderr], [0, ""]);
  const report = JSON.parse(result.stdout);
  assertEquals(report.dry_run, true);
  assertEquals(report.pruned.map((p: { path: string }) => p.path), [at("merged")]);
  assertEquals(report.pruned[0].branch, "merged");
  assertEquals(report.preserved.map((p: { path: string }) => p.path), [at("dirty"), at("lost")]);
  assertStringIncludes(report.preserved[1].reason, "reachable from no branch or tag");
  assertEquals(report.swept, [{ path: at("empty"), reason: "empty folder" }]);
  assertEquals(report.orphans_preserved, [
    { path: at("link"), reason: "is a symbolic link; mpm never follows it" },
    { path: at("notes"), reason: "plain folder with files (not a git checkout)" },
  ]);
  assertEquals("orphan_sweep_skipped" in report, false);
  assertEquals(await repo.git("worktree", "list", "--porcelain"), before);
  for (const name of ["merged", "dirty", "lost", "empty", "notes", "link"]) {
    assert(await exists(at(name)), `${name} should still exist`);
  }
});

Deno.test("mpm worktrees prune removes only what is safe and loses no commit", async () => {
  await using repo = await withRepo();
  await using outside = await tempDir();
  const at = await scene(repo, outside.path);
  const result = await run(repo, "worktrees", "prune");
  assertEquals([result.code, result.stderr], [0, ""]);
  assertStringIncludes(result.stdout, "Worktree Cleanup:\n  Pruned 1 stale worktree\n");
  assertStringIncludes(result.stdout, `    ${at("merged")} [merged]: clean; branch merged`);
  assertStringIncludes(result.stdout, "  Preserved 2 worktrees\n");
  assertStringIncludes(result.stdout, `    ${at("dirty")}: has untracked files (1 entry)\n`);
  assertStringIncludes(result.stdout, "  Swept 1 orphaned folder\n");
  assertStringIncludes(result.stdout, "  Preserved 2 orphaned folders\n");
  assert(!(await exists(at("merged"))) && !(await exists(at("empty"))));
  assertEquals(await Deno.readTextFile(join(at("dirty"), "wip.txt")), "wip\n");
  assertEquals(await Deno.readTextFile(join(at("notes"), "plan.md")), "precious\n");
  assertEquals(await Deno.readTextFile(join(outside.path, "data.txt")), "keep\n");
  assert(await exists(join(at("lost"), "only.txt")));
  assertEquals((await repo.git("branch", "--list", "merged")).trim(), "merged");
  await assertNoLostCommits(repo);
  const again = await run(repo, "worktrees", "prune", "--json");
  const second = JSON.parse(again.stdout);
  assertEquals([second.pruned, second.swept], [[], []]);
});

Deno.test("mpm worktrees prune outside a repository prints an empty report and exits 0", async () => {
  await using plain = await withRepo({ git: false });
  await Deno.mkdir(join(plain.path, AGENTS, "x"), { recursive: true });
  const text = await run(plain, "worktrees", "prune");
  assertEquals([text.code, text.stdout], [
    0,
    "No agent worktrees to clean under .claude/worktrees/.\n",
  ]);
  const json = await run(plain, "worktrees", "prune", "--json");
  assertEquals(JSON.parse(json.stdout), {
    dry_run: false,
    pruned: [],
    preserved: [],
    swept: [],
    orphans_preserved: [],
  });
  assert(await exists(join(plain.path, AGENTS, "x")));
});

Deno.test("mpm worktrees prune skips the orphan sweep when git worktree list fails", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.path, AGENTS, "empty"), { recursive: true });
  // Fault injection: real git for everything except `worktree list`.
  const { bin } = await loggingGit(repo.home, {
    before:
      `case " $* " in *" worktree list "*) echo "fatal: simulated failure" >&2; exit 128;; esac`,
  });
  const result = await mpm(["worktrees", "prune", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home, DENO_DIR, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
  assertEquals(result.code, 0);
  const report = JSON.parse(result.stdout);
  assertEquals(report.orphan_sweep_skipped, "git worktree list failed (fatal: simulated failure)");
  assertEquals([report.pruned, report.swept], [[], []]);
  assert(await exists(join(repo.path, AGENTS, "empty")));
});

Deno.test("mpm worktrees prune --help describes the safety rules", async () => {
  await using repo = await withRepo();
  const result = await run(repo, "worktrees", "prune", "--help");
  assertEquals(result.code, 0);
  assertStringIncludes(result.stdout, "Usage: mpm worktrees prune [options]");
  assertStringIncludes(result.stdout, "--dry-run");
  assertStringIncludes(result.stdout, "never --force");
});
