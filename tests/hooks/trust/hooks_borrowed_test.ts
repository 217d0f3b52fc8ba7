/**
 * mpm writes only what is its own, inside the project. `hooks install`, `uninstall` and
 * `skills install` refuse, before anything is written, a file reached through a link a cloned
 * repository committed (`.claude → ~/.claude`, `.claude/settings.local.json →
 * ~/.claude/settings.json`) or one leading out of the project; a person's own dotfiles link of
 * `~/.claude/settings.json` keeps working at the user scope. In a linked worktree the main tree's
 * files change, never the worktree's.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { exists, git, mpm, type Repo, withRepo } from "../../helpers.ts";

/** Every file under `dir` with its bytes, links as `-> target`: what must not change. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  if (!(await exists(dir))) return found;
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isSymlink) found[path] = `-> ${await Deno.readLink(path)}`;
    else if (entry.isDirectory) Object.assign(found, await snapshot(path));
    else found[path] = await Deno.readTextFile(path);
  }
  return found;
}

/** The person's own Claude configuration, as a clone's link would reach it. */
async function personsClaude(repo: Repo): Promise<string> {
  const claude = join(repo.home, ".claude");
  await Deno.mkdir(join(claude, "skills"), { recursive: true });
  await Deno.writeTextFile(join(claude, "settings.json"), '{\n  "model": "opus"\n}\n');
  return claude;
}

const REFUSED = /Refusing to write .*symbolic link.*nothing was written\./m;

Deno.test("a committed .claude → ~/.claude: hooks install, uninstall and skills install refuse, and write nothing there", async () => {
  await using repo = await withRepo();
  const claude = await personsClaude(repo);
  await Deno.symlink(claude, join(repo.path, ".claude"));
  await repo.commit("the clone's link");
  const before = await snapshot(claude);
  for (const args of [["hooks", "install"], ["hooks", "uninstall"], ["skills", "install"]]) {
    const run = await repo.run(...args);
    assertEquals(run.code, 1, `${args.join(" ")}: ${run.stdout}`);
    assertStringIncludes(run.stderr, "that git tracks (a cloned repository's)");
    assertStringIncludes(run.stderr, "Refusing to write .claude/");
  }
  assertEquals(await snapshot(claude), before);
  assert(!(await exists(join(repo.path, ".claude-mpm", "hooks"))), "scripts were written");
});

Deno.test("settings.local.json linked to ~/.claude/settings.json, committed or not: refused before anything is written", async () => {
  for (const commit of [true, false]) {
    await using repo = await withRepo();
    const claude = await personsClaude(repo);
    await Deno.mkdir(join(repo.path, ".claude"));
    await Deno.symlink(
      join(claude, "settings.json"),
      join(repo.path, ".claude/settings.local.json"),
    );
    if (commit) await repo.commit("the clone's link");
    const before = await snapshot(claude);
    const run = await repo.run("hooks", "install");
    assertEquals(run.code, 1, run.stdout);
    assertEquals(REFUSED.test(run.stderr), true, run.stderr);
    assertStringIncludes(run.stderr, "outside the project");
    assertEquals(await snapshot(claude), before);
    assert(!(await exists(join(repo.path, ".claude-mpm", "hooks"))), "scripts were written");
  }
});

Deno.test("a person's own dotfiles link of ~/.claude/settings.json still gets mpm's user hooks", async () => {
  await using repo = await withRepo();
  const claude = await personsClaude(repo);
  const dotfiles = join(repo.home, "dotfiles", "claude-settings.json");
  await Deno.mkdir(join(dotfiles, ".."), { recursive: true });
  await Deno.rename(join(claude, "settings.json"), dotfiles);
  await Deno.symlink(dotfiles, join(claude, "settings.json"));
  const run = await repo.run("hooks", "install", "--scope", "user");
  assertEquals(run.code, 0, run.stderr);
  assert((await Deno.lstat(join(claude, "settings.json"))).isSymlink);
  assert(JSON.parse(await Deno.readTextFile(dotfiles)).hooks, "the link's target has the hooks");
});

Deno.test("hooks install in a linked worktree changes the main tree's files: the worktree stays clean for mpm return", async () => {
  await using repo = await withRepo();
  const tree = join(repo.path, ".claude", "worktrees", "feat");
  await repo.git("worktree", "add", "-q", tree, "-b", "feat");
  const run = await mpm(["hooks", "install"], { cwd: tree, env: { HOME: repo.home } });
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, "In the linked worktree");
  // Nothing in the worktree, not even an ignored file, that `mpm return` would keep it for.
  assertEquals(await git(tree, "status", "--porcelain", "--ignored=matching"), "");
  assert(await exists(join(repo.path, ".claude", "settings.local.json")));
  assert(await exists(join(repo.path, ".claude-mpm", "hooks", "pre-session.sh")));
  const removed = await mpm(["hooks", "uninstall"], { cwd: tree, env: { HOME: repo.home } });
  assertEquals(removed.code, 0, removed.stderr);
  assert(!(await exists(join(repo.path, ".claude", "settings.local.json"))));
});
