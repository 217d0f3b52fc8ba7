/**
 * This machine's key stays out of every project: a home kept in git (dotfiles), an
 * XDG_STATE_HOME inside the project, or a relative HOME must not leave the key where `git add -A`
 * would commit it, letting whoever reads it seal records as the person's.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { git, mpm, withRepo } from "../helpers.ts";

/** What git would add in the repository: every untracked file, ignored ones left out. */
async function untracked(path: string): Promise<string[]> {
  const out = await git(path, "status", "--porcelain", "--untracked-files=all");
  return out.split("\n").filter((line) => line !== "" && !line.includes(".claude-mpm/"));
}

Deno.test("a home kept in git: the key's folder is ignored by git, and so never committed", async () => {
  await using repo = await withRepo();
  const run = await mpm(["pause", "-s", "home is the repo"], {
    cwd: repo.path,
    env: { HOME: repo.path },
  });
  assertEquals(run.code, 0, run.stderr);
  const folder = join(repo.path, ".local", "state", "mpm");
  assert((await Deno.stat(join(folder, "machine.json"))).isFile);
  assertEquals(await Deno.readTextFile(join(folder, ".gitignore")), "*\n");
  assertEquals(await untracked(repo.path), []);
});

Deno.test("an XDG_STATE_HOME inside the project: the key's folder is ignored by git", async () => {
  await using repo = await withRepo();
  const state = join(repo.path, "state");
  const run = await mpm(["pause", "-s", "state in the project"], {
    cwd: repo.path,
    env: { HOME: repo.home, XDG_STATE_HOME: state },
  });
  assertEquals(run.code, 0, run.stderr);
  assert((await Deno.stat(join(state, "mpm", "machine.json"))).isFile);
  assertEquals(await untracked(repo.path), []);
});

Deno.test("a relative HOME or XDG_STATE_HOME makes no key in the folder mpm runs in", async () => {
  await using repo = await withRepo();
  // A process: a relative path is taken from the process's own folder.
  const relative = await mpm(["pause", "-s", "relative home"], {
    cwd: repo.path,
    env: { HOME: "relhome" },
    spawn: true,
  });
  assertEquals(relative.code, 0, relative.stderr);
  assertStringIncludes(relative.stderr, "There is no home folder for this machine's key");
  const state = await mpm(["pause", "-s", "relative state"], {
    cwd: repo.path,
    env: { HOME: repo.home, XDG_STATE_HOME: "relstate" },
    spawn: true,
  });
  assertEquals(state.code, 0, state.stderr);
  assertEquals(state.stderr, "");
  assert((await Deno.stat(join(repo.home, ".local", "state", "mpm", "machine.json"))).isFile);
  assertEquals(await untracked(repo.path), []);
});
