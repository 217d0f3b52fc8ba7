/**
 * A fresh project's first conversation: before its first pause there is no session to record what
 * the hooks see under, so it waits (hooks-state/unfiled-sightings.jsonl) and the SessionEnd whose
 * pause makes the session files it there: the conversation's start and end, its summary, and its
 * prompts in replay. Conversations that began meanwhile are filed there too. Hook runs in this
 * process, on a clock the test sets.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, type Repo, withRepo } from "../../helpers.ts";
import { CLAUDE_SESSION, listFiles, payload, seedClaudeHome } from "../hooks_helpers.ts";
import { readyStart } from "../../../src/hooks/events/ready_start.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** The transcript fixture's prompt ("hi") is dated 2026-11-20 10:01. */
const at = (time: string) => new Date(`2026-11-20T${time}.000Z`);

const OTHER = "0c0ffee0-1111-4222-8333-444455556666";
const FAST = "0c0ffee0-2222-4222-8333-444455556666";

async function hook(repo: Repo, event: string, stdin: string, now: Date) {
  const out = await mpm(["hook", event], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin,
    now: () => now,
  });
  assertEquals([out.code, out.stderr], [0, ""]);
  return out;
}

/** Another conversation's payload, its own transcript beside the seeded one. */
function other(repo: Repo, name: string, id: string, extra: Json = {}): string {
  const transcript = join(repo.home, ".claude", "projects", `${id}.jsonl`);
  Deno.writeTextFileSync(transcript, "", { append: true });
  return payload(name, repo, { session_id: id, transcript_path: transcript, ...extra });
}

async function sightings(repo: Repo): Promise<Json[]> {
  const threads = join(repo.path, ".claude-mpm", "threads");
  const files = (await listFiles(threads)).filter((f) => f.endsWith("claude-sessions.jsonl"));
  assertEquals(files.length, 1, `one session's sightings: ${files}`);
  const text = await Deno.readTextFile(join(threads, files[0]));
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

const seen = (lines: Json[], id: string) =>
  lines.filter((s) => s.claude_session_id === id).map((s) => s.event).sort();

Deno.test("a fresh project's first conversation is recorded under the session its pause makes", async () => {
  await using repo = await withRepo();
  await seedClaudeHome(repo, { transcript: "transcript-30pct.jsonl", tasks: "none" });
  // Something to tell, so the first start makes the next one's answer ready (ready_make.ts).
  await repo.write(".claude/context.md", "# Context\n\nRefunds are counted in cents.\n");
  await hook(repo, "session-start", payload("session-start-startup.json", repo), at("10:00:00"));
  // A second conversation, its start the answer made ready by the first (main.ts's fast path).
  const fast = await readyStart({
    payload: other(repo, "session-start-startup.json", FAST),
    vars: { HOME: repo.home },
    cwd: repo.path,
    now: at("10:00:10"),
  });
  assert(fast !== null, "the start made ready answers");
  await hook(
    repo,
    "session-start",
    other(repo, "session-start-startup.json", OTHER),
    at("10:00:20"),
  );
  await hook(repo, "checkpoint", payload("stop.json", repo), at("10:01:10"));
  await repo.write("refunds.ts", "export {};\n");
  await hook(repo, "checkpoint", payload("stop.json", repo), at("10:01:40"));
  await hook(repo, "session-end", payload("session-end.json", repo), at("10:02:00"));

  const [snapshot] = JSON.parse(
    (await mpm(["list", "--json"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      now: () => at("10:02:30"),
    })).stdout,
  ) as Json[];
  const key = snapshot.line;
  const filed = await sightings(repo);
  assertEquals(seen(filed, CLAUDE_SESSION), ["SessionEnd", "SessionStart"]);
  assertEquals(seen(filed, FAST), ["SessionStart"]);
  assertEquals(seen(filed, OTHER), ["SessionStart"]);
  assert(filed.every((line) => typeof line.seal === "string"), "each line keeps its seal");
  const start = filed.find((s) => s.claude_session_id === CLAUDE_SESSION && s.detail === "startup");
  assertEquals(start?.time, at("10:00:00").toISOString());
  const hooksState = await listFiles(join(repo.path, ".claude-mpm", "hooks-state"));
  assertEquals(hooksState.filter((name) => name.includes("unfiled")), []);
  const summary = await repo.read(`.claude-mpm/threads/${key}/summary.md`);
  assertStringIncludes(summary, "hi");

  // The conversations that began before the first pause end under it too.
  await hook(repo, "session-end", other(repo, "session-end.json", OTHER), at("10:05:00"));
  await hook(repo, "session-end", other(repo, "session-end.json", FAST), at("10:06:00"));
  const all = await sightings(repo);
  assertEquals(seen(all, OTHER), ["SessionEnd", "SessionStart"]);
  assertEquals(seen(all, FAST), ["SessionEnd", "SessionStart"]);

  const replay = await mpm(["replay", key], {
    cwd: repo.path,
    env: { HOME: repo.home },
    now: () => at("10:07:00"),
  });
  assertEquals(replay.code, 0, replay.stderr);
  assertStringIncludes(replay.stdout, "hi");
  assertNotIncludes(replay.stdout + replay.stderr, "outside the session's time");
});
