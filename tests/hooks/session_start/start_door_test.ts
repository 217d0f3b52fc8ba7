/**
 * One door for every agent's start (src/hooks/events/ready_start.ts, tried by main.ts): a new
 * Codex or Gemini conversation gets the answer made ready as a Claude Code one does — no state,
 * snapshot or git read — in the shape its agent takes (no title), and its sighting names the
 * agent, as the full hook's would.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { payload } from "../hooks_helpers.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { readClaudeSessions } from "../../../src/sessions/store/claude/claude_sessions_store.ts";
import { startRecordFile } from "../../../src/hooks/start/record/start_record.ts";

/** A new Codex conversation's payload: its rollout in today's folder under `$CODEX_HOME`. */
function codexStart(repo: Repo, id = crypto.randomUUID()): string {
  const rollout = join(
    repo.home,
    ".codex",
    "sessions",
    "2026",
    "11",
    "26",
    `rollout-2026-11-26T16-54-30-${id}.jsonl`,
  );
  return payload("session-start-startup.json", repo, {
    session_id: id,
    source: "startup",
    transcript_path: rollout,
    model: "gpt-5",
  });
}

Deno.test("a new Codex conversation comes in by the door: the ready answer, in Codex's shape, no git run", async () => {
  await using repo = await withRepo();
  await repo.commit("First", { "a.txt": "a\n" });
  await ok(repo, "start", "Refunds");
  await ok(repo, "pause", "-s", "Wired the refund call", "--next-step", "Handle partial refunds");
  // The first Codex start works its answer out, and makes the next one ready (both are
  // processes, as Codex runs them: a cache is this build's only).
  const full = await mpm(["hook", "session-start", "--agent", "codex"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: codexStart(repo),
    spawn: true,
  });
  assertEquals(full.code, 0, full.stderr);
  assertStringIncludes(full.stdout, "Handle partial refunds");

  // The next, with no git to run and no status kept for the full hook: only the ready answer
  // can tell the branch.
  await Deno.remove(startRecordFile(projectPaths(repo.path)));
  const id = crypto.randomUUID();
  const next = await mpm(["hook", "session-start", "--agent", "codex"], {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: join(repo.home, "no-git-here") },
    stdin: codexStart(repo, id),
    spawn: true,
  });
  assertEquals(next.code, 0, next.stderr);
  const output = JSON.parse(next.stdout).hookSpecificOutput;
  assertStringIncludes(output.additionalContext, "Handle partial refunds");
  assertStringIncludes(output.additionalContext, "Branch: main at ");
  assertEquals(output.sessionTitle, undefined);

  // Its sighting is the full hook's: under the session, naming Codex.
  useMachineKeyFrom({ HOME: repo.home });
  const key = JSON.parse(
    await Deno.readTextFile(join(repo.path, ".claude-mpm/cache/ready.json")),
  ).key;
  const { sessions } = await readClaudeSessions(projectPaths(repo.path), key);
  const seen = sessions.find((s) => s.id === id);
  assert(seen !== undefined, "the sighting was not recorded");
  assertEquals(seen.agent, "codex");
});

Deno.test("a Claude Code start's ready answer goes to Gemini without its title, and back with it", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Ledger");
  await ok(repo, "pause", "-s", "Ledger route half done");
  const claudeStart = (id: string) =>
    payload("session-start-startup.json", repo, {
      session_id: id,
      source: "startup",
      transcript_path: join(repo.home, ".claude", "projects", "-project", `${id}.jsonl`),
    });
  const made = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: claudeStart(crypto.randomUUID()),
    spawn: true,
  });
  assertEquals(JSON.parse(made.stdout).hookSpecificOutput.sessionTitle, "Ledger");
  const spawned = (args: string[], stdin: string) =>
    mpm(args, {
      cwd: repo.path,
      env: { HOME: repo.home, PATH: join(repo.home, "no-git-here") },
      stdin,
      spawn: true,
    });
  await Deno.remove(startRecordFile(projectPaths(repo.path)));
  const claude = await spawned(["hook", "session-start"], claudeStart(crypto.randomUUID()));
  assertEquals(JSON.parse(claude.stdout).hookSpecificOutput.sessionTitle, "Ledger");
  assertStringIncludes(claude.stdout, "Branch: main at ");
  // The same kind of start with `--agent=gemini`: the door answers it too (no git, yet the
  // branch), in Gemini's shape.
  const gemini = await spawned(
    ["hook", "session-start", "--agent=gemini"],
    claudeStart(crypto.randomUUID()),
  );
  assertEquals(gemini.code, 0, gemini.stderr);
  const output = JSON.parse(gemini.stdout).hookSpecificOutput;
  assertStringIncludes(output.additionalContext, "Ledger route half done");
  assertStringIncludes(output.additionalContext, "Branch: main at ");
  assertEquals(output.sessionTitle, undefined);
});
