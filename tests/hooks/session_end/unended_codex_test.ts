/**
 * A Codex conversation that ended without SessionEnd (its TUI's daemon lives on, or the terminal
 * went away): its Stop left a mark, and the next start of another conversation, or the next
 * command that changes state, pauses as the missing end would have, once, with the person's
 * words carried; a SessionEnd that does come takes the mark away, and a resumed conversation is
 * not paused by its own start.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { codexRollout, snapshots, writeCodexRollout } from "../hooks_helpers.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { queueUnended, unendedNames } from "../../../src/sessions/store/session/unended.ts";

const FIRST = "019ac1f4-7e55-7b31-9c1a-3f2d8e6b5a10";
const SECOND = "019ac1f5-0a11-7c22-8d33-4e5f6a7b8c90";

function codexPayload(repo: Repo, event: string, session: string, extra = {}): string {
  return JSON.stringify({
    session_id: session,
    transcript_path: codexRollout(repo, session),
    cwd: repo.path,
    hook_event_name: event,
    model: "gpt-mock",
    ...extra,
  });
}

async function codexHook(repo: Repo, verb: string, stdin: string, now: Date) {
  const run = await mpm(["hook", verb, "--agent", "codex"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin,
    now: () => now,
  });
  assertEquals(run.code, 0, run.stderr);
  return run;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 14, minute));

/** A person's pause, then a Codex turn that changed a file and left its mark, and no end. */
async function unendedTurn(repo: Repo) {
  await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
  // Codex writes the rollout as the conversation goes (a SessionEnd names one that is there).
  for (const session of [FIRST, SECOND]) {
    await writeCodexRollout(repo, session);
  }
  await codexHook(
    repo,
    "session-start",
    codexPayload(repo, "SessionStart", FIRST, {
      source: "startup",
    }),
    at(1),
  );
  await repo.write("ledger.ts", "export const route = 1;\n");
  await codexHook(
    repo,
    "checkpoint",
    codexPayload(repo, "Stop", FIRST, {
      turn_id: "t1",
      stop_hook_active: false,
      last_assistant_message: "done",
    }),
    at(2),
  );
  assertEquals(unendedNames(projectPaths(repo.path)).length, 1, "the Stop left its mark");
}

Deno.test("the next Codex start pauses for a conversation that ended without SessionEnd, once", async () => {
  await using repo = await withRepo();
  await unendedTurn(repo);
  const before = (await snapshots(repo)).length;

  await codexHook(
    repo,
    "session-start",
    codexPayload(repo, "SessionStart", SECOND, {
      source: "startup",
    }),
    at(30),
  );
  const after = await snapshots(repo);
  assertEquals(after.length, before + 1);
  const newest = after.find((s) =>
    (s.mpm as { claude_session_id?: string }).claude_session_id === FIRST
  );
  assert(newest, "a snapshot names the conversation that ended");
  assertEquals((newest.mpm as { agent?: string }).agent, "codex", "the recovered pause is Codex's");
  // The person's words are carried; mpm's own note says why it was saved.
  assertEquals((newest.conversation as { summary: string }).summary, "Ledger API half done");
  assertStringIncludes(
    JSON.stringify(newest.mpm),
    "Codex CLI conversation ended without its end hook",
  );
  assertStringIncludes(JSON.stringify(newest.git_context), "ledger.ts");
  assertEquals(unendedNames(projectPaths(repo.path)), []);

  // Again: nothing more.
  await codexHook(
    repo,
    "session-start",
    codexPayload(repo, "SessionStart", SECOND, {
      source: "resume",
    }),
    at(31),
  );
  await ok(repo, "todo", "add", "Check the ledger totals");
  assertEquals((await snapshots(repo)).length, before + 1);
});

Deno.test("the next command that changes state pauses for an unended Codex conversation", async () => {
  await using repo = await withRepo();
  await unendedTurn(repo);
  const before = (await snapshots(repo)).length;
  await ok(repo, "todo", "add", "Check the ledger totals");
  const after = await snapshots(repo);
  assertEquals(after.length, before + 1);
  assert(
    after.some((s) => (s.mpm as { claude_session_id?: string }).claude_session_id === FIRST),
  );
  assertEquals(unendedNames(projectPaths(repo.path)), []);
});

Deno.test("a Codex SessionEnd takes its mark away: no second pause for it", async () => {
  await using repo = await withRepo();
  await unendedTurn(repo);
  await codexHook(
    repo,
    "session-end",
    codexPayload(repo, "SessionEnd", FIRST, {
      reason: "other",
    }),
    at(3),
  );
  assertEquals(unendedNames(projectPaths(repo.path)), []);
  const ended = await snapshots(repo);
  const mine = ended.filter((s) =>
    (s.mpm as { claude_session_id?: string }).claude_session_id === FIRST
  );
  assertEquals(mine.length, 1);
  assertEquals(
    (mine[0].mpm as { notes?: string[] }).notes?.[0],
    `Paused by the SessionEnd hook of Codex CLI conversation ${FIRST}.`,
  );
  await repo.write("ledger.ts", "export const route = 2;\n");
  await codexHook(
    repo,
    "session-start",
    codexPayload(repo, "SessionStart", SECOND, {
      source: "startup",
    }),
    at(30),
  );
  assertEquals((await snapshots(repo)).length, ended.length);
});

Deno.test("a resumed Codex conversation is not paused by its own start", async () => {
  await using repo = await withRepo();
  await unendedTurn(repo);
  const before = (await snapshots(repo)).length;
  await codexHook(
    repo,
    "session-start",
    codexPayload(repo, "SessionStart", FIRST, {
      source: "resume",
    }),
    at(30),
  );
  assertEquals((await snapshots(repo)).length, before);
  assertEquals(unendedNames(projectPaths(repo.path)).length, 1);
});

Deno.test("two runs that find one mark queue one pause", async () => {
  await using repo = await withRepo();
  await unendedTurn(repo);
  const paths = projectPaths(repo.path);
  const counts = await Promise.all([
    queueUnended(paths, at(40)),
    queueUnended(paths, at(40)),
  ]);
  assertEquals(counts[0] + counts[1], 1);
  const spool = [...Deno.readDirSync(join(paths.base, "spool"))].map((e) => e.name);
  assertEquals(spool.filter((name) => name.startsWith("pause-")).length, 1);
});

Deno.test("a Claude Code start pauses for an unended Codex conversation too", async () => {
  await using repo = await withRepo();
  await unendedTurn(repo);
  const before = (await snapshots(repo)).length;
  const run = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: JSON.stringify({
      session_id: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
      transcript_path: join(repo.home, ".claude", "projects", "p", "x.jsonl"),
      cwd: repo.path,
      hook_event_name: "SessionStart",
      source: "startup",
    }),
    now: () => at(30),
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals((await snapshots(repo)).length, before + 1);
  assertEquals(unendedNames(projectPaths(repo.path)), []);
});
