import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { baseEnv, endRun, withRepo } from "../../../tests/helpers.ts";
import { hookEnv, listFiles, payload } from "../../../tests/hooks/hooks_helpers.ts";
import { projectPaths } from "../../disk/paths.ts";
import { readGitState } from "../../git/tree/status.ts";
import { spoolDir, spoolPause } from "../../sessions/store/session/spool.ts";
import { runHook } from "./hook_command.ts";
import { keepRecord, startRecordFile } from "../start/record/start_record.ts";
import { headCommit } from "../../git/run/root.ts";
import { useMachineKeyFrom } from "../../disk/machine_key.ts";

function injected(result: { stdout?: string }): string {
  return JSON.parse(result.stdout!).hookSpecificOutput.additionalContext as string;
}

Deno.test("SessionStart folds a queued pause first and tells of it, not of what was read before", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "Earlier work")).code, 0);
  const paths = projectPaths(repo.path);
  const queuedAt = new Date(Date.now() + 2_000);
  // Queued as SessionEnd would on this machine: sealed with the person's key.
  useMachineKeyFrom(baseEnv(repo.home));
  await spoolPause(
    paths,
    queuedAt,
    { summary: "Queued work", accomplishments: [], nextSteps: [], todos: [] },
    null,
    await readGitState(repo.path),
  ).finally(endRun);
  const now = new Date(queuedAt.getTime() + 1_000);
  const result = await runHook(
    hookEnv(repo, payload("session-start-startup.json", repo), now),
    "session-start",
  );
  const text = injected(result);
  assertStringIncludes(text, "Queued work");
  assert(!text.includes("Earlier work"), text);
  assertEquals(await listFiles(spoolDir(paths)), []);
});

Deno.test("SessionStart after a branch switch at the paused commit says so (git status's branch)", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "On main")).code, 0);
  await repo.git("switch", "-q", "-c", "other");
  const result = await runHook(
    hookEnv(repo, payload("session-start-startup.json", repo), new Date()),
    "session-start",
  );
  const text = injected(result);
  assertStringIncludes(text, "- Branch: main → other");
  assertStringIncludes(text, "No new commits");
  assertStringIncludes(text, "Branch: other at ");
});

Deno.test("SessionStart at the commit the last one told gives the kept commits; a new one asks git", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "Work")).code, 0);
  const paths = projectPaths(repo.path);
  const start = async () =>
    injected(
      await runHook(
        hookEnv(repo, payload("session-start-startup.json", repo), new Date()),
        "session-start",
      ),
    );
  assertStringIncludes(await start(), "Initial commit");
  // What was kept is what is told while HEAD stays (a kept text of this test's own, to see it).
  const head = headCommit(repo.path)!;
  await keepRecord(paths, {
    commits: { head, count: 10, title: "Last commit", text: "- kept for HEAD" },
  });
  assertStringIncludes(await start(), "- kept for HEAD");
  // A new commit: git log is asked, and what it said is kept in its place.
  await repo.commit("Another change", { "b.txt": "b\n" });
  const moved = await start();
  assertStringIncludes(moved, "Another change");
  assert(!moved.includes("kept for HEAD"), moved);
  // A kept file changed by hand no longer checks out against its seal: git is asked again.
  const file = startRecordFile(paths);
  const kept = await Deno.readTextFile(file);
  assertStringIncludes(kept, "Another change");
  await Deno.writeTextFile(file, kept.replace("Another change", "Forged change"));
  const told = await start();
  assertStringIncludes(told, "Another change");
  assert(!told.includes("Forged change"), told);
});
