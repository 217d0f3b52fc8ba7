/**
 * The lifecycle is the session's, not the snapshot's: `cancel`, `done` and `resume` named by an
 * older snapshot of a finished session follow the rules of its newest one, and SessionStart never
 * tells a finished session's older snapshot as the active one.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, okJson, type Repo, sessionFiles, withRepo } from "../../helpers.ts";
import { payload } from "../../hooks/hooks_helpers.ts";

/** A session paused once ("first pause"), then ended by `action`; returns the old id. */
async function finishedLine(repo: Repo, action: "done" | "cancel"): Promise<string> {
  await ok(repo, "start", "feature");
  const first = await okJson(repo, "pause", "-s", "first pause of the feature", "--json");
  await ok(repo, "resume", first.session_id, "--no-changes");
  await ok(repo, action, action === "done" ? "-s" : "--reason", `feature ${action}`);
  return first.session_id;
}

async function refused(repo: Repo, args: string[], words: string) {
  const before = await sessionFiles(repo.path);
  const events = await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl"));
  const run = await repo.run(...args);
  assertEquals(run.code, 2, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
  assertStringIncludes(run.stderr, words, args.join(" "));
  assertEquals(await sessionFiles(repo.path), before, `${args.join(" ")} wrote a snapshot`);
  assertEquals(
    await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl")),
    events,
    `${args.join(" ")} recorded a move`,
  );
}

Deno.test("cancel, done and resume named by an older snapshot of a cancelled line are refused", async () => {
  await using repo = await withRepo();
  const old = await finishedLine(repo, "cancel");
  await refused(repo, ["cancel", old], "cancelled, so it cannot be cancelled");
  await refused(repo, ["done", old], "cancelled, so it cannot be completed");
  await refused(repo, ["resume", old, "--no-changes"], "--reopen");
  // --reopen brings the session back, from the snapshot named.
  const reopened = await okJson(repo, "resume", old, "--reopen", "--no-changes", "--json");
  assertEquals(reopened.session.session_id, old);
});

Deno.test("cancel and done named by an older snapshot of a completed session are refused", async () => {
  await using repo = await withRepo();
  const old = await finishedLine(repo, "done");
  await refused(repo, ["cancel", old], "completed, so it cannot be cancelled");
  await refused(repo, ["done", old], "completed, so it cannot be completed");
  await refused(repo, ["resume", old, "--no-changes"], "--reopen");
});

Deno.test("an older snapshot of a session still open may be ended by name, as the session", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "feature");
  const first = await okJson(repo, "pause", "-s", "first", "--json");
  await ok(repo, "resume", first.session_id, "--no-changes");
  await ok(repo, "pause", "-s", "second");
  const done = await okJson(repo, "done", first.session_id, "--json");
  assertEquals(done.transition, { from: "paused", to: "completed" });
  await refused(repo, ["cancel", first.session_id], "completed, so it cannot be cancelled");
});

Deno.test("after mpm done, SessionStart does not tell the finished session's older snapshot", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "older work");
  await ok(repo, "pause", "-s", "older work still open");
  await finishedLine(repo, "done");
  const start = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-start-startup.json", repo),
  });
  assertEquals(start.code, 0, start.stderr);
  const text = JSON.parse(start.stdout).hookSpecificOutput.additionalContext as string;
  assertNotIncludes(text, "first pause of the feature");
  assertStringIncludes(text, "older work still open");
});
