/**
 * SessionEnd's pause of a large change (a vendored tree staged): the snapshot it writes holds
 * every path, and the summary it writes after (threads/<key>/summary.md), made from records read
 * without their paths (their bytes scanned, never decoded whole), tells what the person said. The
 * memory it takes is the bench's to show (scripts/bench/history/bench_big_pause.ts), not this test's.
 */
import { join } from "node:path";
import { assertEquals } from "../../assert.ts";
import { mpm, type Repo, withRepo } from "../../helpers.ts";
import { payload, seedClaudeHome } from "../hooks_helpers.ts";

const PATHS = 100_000;
const at = (time: string) => new Date(`2026-11-20T${time}.000Z`);

async function run(repo: Repo, args: string[], now: Date, stdin?: string) {
  const out = await mpm(args, { cwd: repo.path, env: { HOME: repo.home }, stdin, now: () => now });
  assertEquals([out.code, out.stderr], [0, ""]);
}

/** `PATHS` empty files staged under vendor/, a thousand to a folder; their paths, sorted. */
async function vendor(repo: Repo): Promise<string[]> {
  const paths: string[] = [];
  const empty = new Uint8Array();
  for (let folder = 0; folder < PATHS / 1000; folder++) {
    Deno.mkdirSync(join(repo.path, "vendor", `pkg${folder}`), { recursive: true });
    for (let i = 0; i < 1000; i++) {
      const path = `vendor/pkg${folder}/f${i}.js`;
      Deno.writeFileSync(join(repo.path, path), empty);
      paths.push(path);
    }
  }
  await repo.git("add", "vendor");
  return paths.sort();
}

Deno.test("SessionEnd of 100,000 staged paths keeps every path, and summarizes the words", async () => {
  await using repo = await withRepo();
  await seedClaudeHome(repo, { tasks: "none" });
  const paths = await vendor(repo);
  await run(repo, ["pause", "-s", "Vendored the SDK", "-n", "Trim what we use"], at("09:00:00"));
  await repo.write("notes.txt", "one more change\n");
  const end = payload("session-end.json", repo);
  await run(repo, ["hook", "session-end"], at("09:30:00"), end);

  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const latest = Deno.readTextFileSync(join(sessions, "LATEST-SESSION.txt")).trim();
  const record = JSON.parse(Deno.readTextFileSync(join(sessions, `${latest}.json`)));
  assertEquals(record.mpm.claude_session_id, JSON.parse(end).session_id);
  assertEquals(record.conversation.summary, "Vendored the SDK");
  const staged: string[] = record.git_context.status.staged;
  assertEquals(staged.length, PATHS);
  assertEquals([...staged].sort(), paths);

  const summary = Deno.readTextFileSync(
    join(repo.path, ".claude-mpm", "threads", record.mpm.key, "summary.md"),
  ).replace(/<!-- mpm seal [0-9a-f]+ -->\n?$/, "");
  const head = (await repo.git("rev-parse", "--short", "HEAD")).trim();
  assertEquals(
    summary,
    `# Session summary: ${record.mpm.key}

Counted back from 2026-11-20 09:30 UTC; made from mpm's records and Claude Code's transcripts.

## Layer 1: Full History (0-1 hour old)

- (nothing)

## Layer 2: Detailed Summary (1-4 hours old)

### What was done

- (nothing)

### Key decisions

- You, pausing: "Vendored the SDK". Next: Trim what we use.

### Current state

- Paused at 2026-11-20T09:30:00.000Z: Vendored the SDK
- Next steps: Trim what we use
- Git: main @ ${head} Initial commit

## Layer 3: Brief Summary (4+ hours old)

- (nothing)

## Layer 4: Archived (completed sessions)

- (nothing)

`,
  );
});

Deno.test("SessionEnd after earlier large pauses: its summary reads them one by one and each record stays whole", async () => {
  await using repo = await withRepo();
  await seedClaudeHome(repo, { tasks: "none" });
  const paths = await vendor(repo);
  await run(repo, ["pause", "-s", "Vendored the SDK", "-n", "Trim what we use"], at("09:00:00"));
  // Two ends, each after one more change: the second's summary reads three large records, each
  // freed once read (disk/read/read.ts letGo), and its start digest checks the person's own.
  for (const [i, time] of [[1, "09:30:00"], [2, "10:00:00"]] as const) {
    await repo.write(`notes-${i}.txt`, "one more change\n");
    const end = payload("session-end.json", repo, { session_id: `end-${i}` });
    await run(repo, ["hook", "session-end"], at(time), end);
  }
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const listed = await mpm(["list", "--json"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(listed.code, 0);
  const ids: string[] = JSON.parse(listed.stdout).map((e: { session_id: string }) => e.session_id);
  assertEquals(ids.length, 3);
  for (const id of ids) {
    const record = JSON.parse(Deno.readTextFileSync(join(sessions, `${id}.json`)));
    assertEquals(record.conversation.summary, "Vendored the SDK");
    assertEquals([...record.git_context.status.staged].sort(), paths);
    // Read back through mpm: its checksum and seal still check out.
    const shown = await mpm(["show", id, "--json"], { cwd: repo.path, env: { HOME: repo.home } });
    assertEquals([shown.code, shown.stderr], [0, ""]);
  }
  const newest = JSON.parse(Deno.readTextFileSync(join(sessions, `${ids[0]}.json`)));
  assertEquals(newest.mpm.claude_session_id, "end-2");
  const summary = Deno.readTextFileSync(
    join(repo.path, ".claude-mpm", "threads", newest.mpm.key, "summary.md"),
  );
  assertEquals(summary.includes('You, pausing: "Vendored the SDK". Next: Trim what we use.'), true);
});
