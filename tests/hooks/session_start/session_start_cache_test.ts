/**
 * SessionStart's git status made before the start (src/hooks/start/record/start_git.ts): the status kept
 * when work ended is told while HEAD, the index and the refs are as they were — state changes
 * told all the same — and git is asked again when any of them moved. A kept status sealed by
 * another machine (a clone's committed or copied cache) is never told.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { payload } from "../hooks_helpers.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { emptyStatus } from "../../../src/git/tree/porcelain.ts";
import { keepStatus, KEPT_PATHS, stampNow } from "../../../src/hooks/start/record/start_git.ts";
import { startRecordFile } from "../../../src/hooks/start/record/start_record.ts";

/** SessionStart's text; `noGit`: with no git on PATH, so that only a kept status can be told. */
async function injected(repo: Repo, noGit = false): Promise<string> {
  const result = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home, ...(noGit ? { PATH: join(repo.home, "no-git-here") } : {}) },
    stdin: payload("session-start-startup.json", repo, { session_id: crypto.randomUUID() }),
  });
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).hookSpecificOutput.additionalContext;
}

/** A status no git would give, kept for the git state as it is now, sealed with `home`'s key. */
async function keptByHand(repo: Repo, home: string): Promise<void> {
  useMachineKeyFrom({ HOME: home });
  await ok({ ...repo, home }, "list"); // makes that home's machine key, as any run there does
  useMachineKeyFrom({ HOME: home });
  const status = { ...emptyStatus(), branch: "kept-when-work-ended", head: "f".repeat(40) };
  await keepStatus(projectPaths(repo.path), repo.path, await stampNow(repo.path), status);
}

Deno.test("SessionStart tells the status kept when work ended until HEAD, the index or a ref moves", async () => {
  await using repo = await withRepo();
  await repo.commit("First", { "a.txt": "a\n" });
  await ok(repo, "pause", "-s", "The first words");
  // The first start asks git, and keeps what it said.
  let text = await injected(repo);
  assertStringIncludes(text, "Branch: main at ");
  await Deno.stat(startRecordFile(projectPaths(repo.path)));

  // Git as it was: the kept status is told, and the state's change all the same.
  await keptByHand(repo, repo.home);
  text = await injected(repo);
  assertStringIncludes(text, "Branch: kept-when-work-ended");
  await ok(repo, "todo", "add", "A todo added since");
  text = await injected(repo);
  assertStringIncludes(text, "A todo added since");
  assertStringIncludes(text, "Branch: kept-when-work-ended");

  // The index moved (`git add`): git is asked again.
  await repo.write("b.txt", "b\n");
  await repo.git("add", "b.txt");
  text = await injected(repo);
  assertNotIncludes(text, "kept-when-work-ended");
  assertStringIncludes(text, "Uncommitted: 1 staged");

  // HEAD moved (a commit).
  await keptByHand(repo, repo.home);
  await repo.git("commit", "-qm", "Second");
  text = await injected(repo);
  assertNotIncludes(text, "kept-when-work-ended");
  assertStringIncludes(text, "Working tree clean");

  // Another branch checked out.
  await keptByHand(repo, repo.home);
  await repo.git("checkout", "-qb", "other");
  text = await injected(repo);
  assertNotIncludes(text, "kept-when-work-ended");
  assertStringIncludes(text, "Branch: other at ");
});

Deno.test("SessionStart never tells a kept status this machine did not seal (a clone's committed cache)", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Words");
  await injected(repo);
  // Sealed with another machine's key, for exactly this git state.
  await keptByHand(repo, join(repo.home, "..", "another-machine"));
  const text = await injected(repo);
  assertNotIncludes(text, "kept-when-work-ended");
  assertStringIncludes(text, "Branch: main at ");
  // And the same file sealed here is told: the seal alone made the difference.
  await keptByHand(repo, repo.home);
  assertStringIncludes(await injected(repo), "Branch: kept-when-work-ended");
});

Deno.test("SessionEnd keeps the status its pause read, and the next start runs no git for it", async () => {
  await using repo = await withRepo();
  await repo.commit("First", { "a.txt": "a\n" });
  await ok(repo, "pause", "-s", "Words");
  await repo.write("c.txt", "c\n");
  const paths = projectPaths(repo.path);
  await Deno.remove(startRecordFile(paths)).catch(() => {});
  const end = await mpm(["hook", "session-end"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-end.json", repo, { session_id: crypto.randomUUID() }),
  });
  assertEquals(end.code, 0, end.stderr);
  const kept = JSON.parse(await Deno.readTextFile(startRecordFile(paths)));
  assertEquals(kept.status.untracked, ["c.txt"]);
  // The next start tells it with no git to run.
  const text = await injected(repo, true);
  assertStringIncludes(text, "Branch: main at ");
  assertStringIncludes(text, "Uncommitted: 1 untracked");
  // Without it, no git means no branch part.
  await Deno.remove(startRecordFile(paths));
  assertNotIncludes(await injected(repo, true), "Branch: main");
});

Deno.test("a status of more paths than a record keeps is not kept: the next start asks git", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "kept");
  const file = startRecordFile(projectPaths(repo.path));
  useMachineKeyFrom({ HOME: repo.home });
  const paths = Array.from({ length: KEPT_PATHS + 1 }, (_, i) => `vendor/f${i}.js`);
  const huge = { ...emptyStatus(), branch: "huge", head: "f".repeat(40), untracked: paths };
  await Deno.remove(file).catch(() => {});
  await keepStatus(projectPaths(repo.path), repo.path, await stampNow(repo.path), huge);
  const kept = await Deno.readTextFile(file).catch(() => "");
  assertNotIncludes(kept, "vendor/f0.js");
  // One path fewer is kept, as any status is.
  await keepStatus(projectPaths(repo.path), repo.path, await stampNow(repo.path), {
    ...huge,
    untracked: paths.slice(1),
  });
  assertStringIncludes(await Deno.readTextFile(file), "vendor/f1.js");
});
