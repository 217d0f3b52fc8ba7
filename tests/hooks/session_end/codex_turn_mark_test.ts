/**
 * Codex's Stop as Codex runs it (a process: main.ts tries src/hooks/events/turn_mark.ts first) is
 * the cheap mark: the conversation's sealed mark and nothing else — no state, snapshot or sighting
 * read or written — and the next start pauses for it as for the full hook's mark. What is not a
 * plain turn's end is left to the full hook.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { codexRollout, snapshots, writeCodexRollout } from "../hooks_helpers.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { unendedNames } from "../../../src/sessions/store/session/unended.ts";
import { codexTurnMark } from "../../../src/hooks/events/turn_mark.ts";

const STAMP = "2026-11-27T10-00-00";

function stop(repo: Repo, session: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    session_id: session,
    turn_id: "t1",
    transcript_path: codexRollout(repo, session, STAMP),
    cwd: repo.path,
    hook_event_name: "Stop",
    model: "gpt-mock",
    permission_mode: "bypassPermissions",
    stop_hook_active: false,
    last_assistant_message: "Noted.",
    ...extra,
  });
}

/** Every file under `.claude-mpm/` with its bytes, to tell what a run wrote. */
async function store(repo: Repo): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else files.set(path, await Deno.readTextFile(path));
    }
  };
  await walk(join(repo.path, ".claude-mpm"));
  return files;
}

Deno.test("a Codex Stop run as Codex runs it leaves its mark alone, and the next start pauses for it", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
  const session = crypto.randomUUID();
  await writeCodexRollout(repo, session, STAMP);
  const before = await store(repo);
  const run = await mpm(["hook", "checkpoint", "--agent", "codex"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: stop(repo, session),
    spawn: true,
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout + run.stderr, "");
  const after = await store(repo);
  const added = [...after.keys()].filter((path) => before.get(path) !== after.get(path));
  // The mark, and not one sighting (SessionStart and SessionEnd record the conversation).
  assertEquals(added.map((path) => path.slice(repo.path.length + 1)), [
    join(".claude-mpm", "spool", `unended-${session}.json`),
  ]);
  const snapshotsBefore = (await snapshots(repo)).length;
  await repo.write("ledger.ts", "export const route = 1;\n");
  const next = await mpm(["hook", "session-start", "--agent", "codex"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: JSON.stringify({
      session_id: crypto.randomUUID(),
      transcript_path: codexRollout(repo, crypto.randomUUID(), STAMP),
      cwd: repo.path,
      hook_event_name: "SessionStart",
      model: "gpt-mock",
      source: "startup",
    }),
    spawn: true,
  });
  assertEquals(next.code, 0, next.stderr);
  const paused = (await snapshots(repo)).filter((s) =>
    (s.mpm as { claude_session_id?: string }).claude_session_id === session
  );
  assertEquals(paused.length, 1, "the next start paused for the unended conversation");
  assertEquals((paused[0].mpm as { agent?: string }).agent, "codex");
  assertEquals((await snapshots(repo)).length, snapshotsBefore + 1);
  assertEquals(unendedNames(projectPaths(repo.path)), []);
});

Deno.test("what is no plain Codex turn's end is left to the full hook", async () => {
  await using repo = await withRepo();
  const now = new Date(Date.UTC(2026, 10, 27, 10));
  const vars = { HOME: repo.home };
  const session = crypto.randomUUID();
  const mark = (
    payload: string,
    more: Partial<{ cwd: string; vars: Record<string, string> }> = {},
  ) => codexTurnMark({ payload, vars: more.vars ?? vars, cwd: more.cwd ?? repo.path, now });
  // No `.claude-mpm/` yet: the full hook makes the store.
  assertEquals(await mark(stop(repo, session)), false);
  await ok(repo, "pause", "-s", "First");
  assertEquals(await mark(stop(repo, session, { hook_event_name: "SessionEnd" })), false);
  assertEquals(await mark("{not json"), false);
  assertEquals(await mark(stop(repo, session), { vars: {} }), false, "no HOME");
  const outside = await Deno.makeTempDir();
  try {
    assertEquals(await mark(stop(repo, session, { cwd: outside })), false, "no git work tree");
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
  assertEquals(unendedNames(projectPaths(repo.path)), []);
  // A plain one, from a subfolder; a FIFO named as its rollout is named as none.
  await Deno.mkdir(join(repo.path, "src"));
  const fifo = join(repo.home, "fifo");
  await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert(await mark(stop(repo, session, { cwd: join(repo.path, "src"), transcript_path: fifo })));
  const names = unendedNames(projectPaths(repo.path));
  assertEquals(names, [`unended-${session}.json`]);
  const text = await Deno.readTextFile(join(repo.path, ".claude-mpm", "spool", names[0]));
  assert(text.includes(`"transcript_path":""`), text);
  assert(text.includes(`"time":"2026-11-27T10:00:00.000Z"`), text);
});

Deno.test("a Codex Stop that comes once its SessionEnd began leaves no mark; a later one does", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Ledger API half done");
  const session = crypto.randomUUID();
  await writeCodexRollout(repo, session, STAMP);
  const ended = new Date(Date.UTC(2026, 10, 27, 10));
  // Codex runs Stop and SessionEnd at once, in the background: here the end comes first.
  const end = await mpm(["hook", "session-end", "--agent", "codex"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: JSON.stringify({
      session_id: session,
      transcript_path: codexRollout(repo, session, STAMP),
      cwd: repo.path,
      hook_event_name: "SessionEnd",
      reason: "other",
    }),
    now: () => ended,
  });
  assertEquals(end.code, 0, end.stderr);
  const vars = { HOME: repo.home };
  const at = (ms: number) => new Date(ended.getTime() + ms);
  assert(await codexTurnMark({ payload: stop(repo, session), vars, cwd: repo.path, now: at(400) }));
  assertEquals(unendedNames(projectPaths(repo.path)), [], "the ended conversation is not marked");
  // The conversation resumed a minute later: its turns are marked again.
  assert(
    await codexTurnMark({ payload: stop(repo, session), vars, cwd: repo.path, now: at(60_000) }),
  );
  assertEquals(unendedNames(projectPaths(repo.path)), [`unended-${session}.json`]);
});
