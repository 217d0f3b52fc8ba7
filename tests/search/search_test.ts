/**
 * `mpm search`, run as a user would, over a project with snapshots, a context file, an error
 * record and a Claude Code transcript the vault holds: what it finds, in which order, with what
 * that reopens it, and what it refuses.
 */
import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { type Repo, withRepo } from "../helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  promptLine,
  REAL,
  REAL_ID,
  runner,
} from "../vault/vault_helpers.ts";

const DAY = 86_400_000;

// deno-lint-ignore no-explicit-any
async function searchJson(repo: Repo, ...args: string[]): Promise<any> {
  return JSON.parse((await runner(repo).ok(["search", ...args, "--json"])).stdout);
}

Deno.test("a phrase typed in a prompt last week is found with its claude --resume line", async (t) => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "ledger"]);
  const week = new Date(Date.now() - 7 * DAY);
  const session = await claudeStarts(repo, REAL_ID, REAL, {
    from: week,
    to: new Date(week.getTime() + 3_600_000),
    extraLines: [promptLine(REAL_ID, "Please rework the Ledger Rounding rules for refunds", week)],
  });
  await claudeEnds(repo, REAL_ID);
  const [key] = [...Deno.readDirSync(join(repo.path, ".claude-mpm", "threads"))].map((e) => e.name);

  await t.step("found, with the session, the time and the command that reopens it", async () => {
    const found = await searchJson(repo, "ledger rounding");
    assertEquals(found.total, 1);
    const [hit] = found.hits;
    assertEquals([hit.source, hit.kind, hit.session, hit.claude_session], [
      "transcript",
      "prompt",
      key,
      REAL_ID,
    ]);
    assertEquals(hit.open, `claude --resume ${REAL_ID}`);
    assertEquals(hit.time, week.toISOString());
    assertEquals(hit.excerpt.slice(hit.match[0], hit.match[1]), "Ledger Rounding");
    const shown = (await ok(["search", "ledger rounding"])).stdout;
    assertStringIncludes(shown, "Please rework the «Ledger Rounding» rules for refunds");
    assertStringIncludes(shown, `claude --resume ${REAL_ID}`);
  });

  await t.step("the SessionEnd snapshot's note is found as a note", async () => {
    const notes = await searchJson(repo, "Paused by the SessionEnd hook");
    assertEquals(notes.hits.map((h: { source: string; kind: string }) => `${h.source} ${h.kind}`), [
      "snapshot note",
    ]);
  });

  await t.step("--since leaves it out when it is older", async () => {
    assertEquals((await searchJson(repo, "ledger rounding", "--since", "3")).total, 0);
    assertEquals((await searchJson(repo, "ledger rounding", "--since", "10d")).total, 1);
  });

  await t.step("once Claude Code has deleted it, the hit says how to replay it", async () => {
    await Deno.remove(session.transcript);
    const [hit] = (await searchJson(repo, "ledger rounding")).hits;
    assertEquals(hit.open, `mpm replay ${key}`);
  });
});

Deno.test("search finds snapshots' words, todos and notes, context files and error records, newest first", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "billing", "--task", "Move the invoices to the new ledger"]);
  await ok(["todo", "add", "migrate the ledger tables"]);
  await ok(["pause", "-s", "Ledger schema drafted", "-n", "backfill the ledger"]);
  await Deno.mkdir(join(repo.path, ".claude"), { recursive: true });
  await Deno.writeTextFile(
    join(repo.path, ".claude", "context.md"),
    "# Context\n\nThe ledger is append-only.\n",
  );
  const failure = JSON.parse(
    await Deno.readTextFile(
      join(
        import.meta.dirname!,
        "..",
        "fixtures",
        "claude-code",
        "payloads",
        "post-tool-use-failure.json",
      ),
    ),
  );
  await ok(
    ["hook", "on-error"],
    JSON.stringify({ ...failure, cwd: repo.path, error: "ledger test failed" }),
  );

  const found = await searchJson(repo, "LEDGER", "--limit", "0");
  const kinds = found.hits.map((h: { source: string; kind: string }) => `${h.source} ${h.kind}`)
    .sort();
  assertEquals(kinds, [
    "context context",
    "error error",
    "snapshot next step",
    "snapshot summary",
    "snapshot task",
    "snapshot todo",
  ]);
  const times = found.hits.map((h: { time: string }) => h.time);
  assertEquals(times, [...times].sort().reverse(), "newest first");
  const context = found.hits.find((h: { source: string }) => h.source === "context");
  assertEquals(context.file, ".claude/context.md:3");
  const summary = found.hits.find((h: { kind: string }) => h.kind === "summary");
  assertMatch(summary.open, /^mpm show session-/);

  const limited = await searchJson(repo, "ledger", "--limit", "2");
  assertEquals([limited.total, limited.hits.length], [6, 2]);
  assertStringIncludes(
    (await ok(["search", "ledger", "--limit", "2"])).stdout,
    "4 more: --limit 0 shows all.",
  );
});

Deno.test("tool output is searched only with --tools; a pattern that does not compile is refused", async () => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "payments"]);
  await claudeStarts(repo, REAL_ID, REAL);
  await claudeEnds(repo, REAL_ID);

  // The fixture's failing Bash call: its command and its error output.
  assertEquals((await searchJson(repo, "nonexistent-tests-dir")).total, 0);
  const tools = await searchJson(repo, "nonexistent-tests-dir", "--tools");
  assertEquals(tools.hits.map((h: { kind: string }) => h.kind).sort(), [
    "tool call",
    "tool output",
  ]);
  assertEquals((await searchJson(repo, "charge\\(\\) and refund", "--regex")).total, 1);
  // A subagent's words are searched too.
  const sub = await searchJson(repo, "empty cart totals");
  assertEquals(sub.hits.map((h: { kind: string }) => h.kind), ["answer (subagent)"]);

  const bad = await run(["search", "(refund", "--regex"]);
  assertEquals(bad.code, 2);
  assertEquals(bad.stdout, "");
  assertMatch(bad.stderr, /^mpm: "\(refund" is not a regular expression mpm can use \([^)]*\)\.\n/);
  const badJson = await run(["search", "(refund", "--regex", "--json"]);
  assertEquals(JSON.parse(badJson.stdout).error.code, 2);
  assertEquals((await run(["search", "x", "--since", "someday"])).code, 2);
});

Deno.test("a pattern that backtracks without end is refused, exit 2, from the index and the files", async () => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "payments"]);
  // A prompt of 50,000 a's and a b: (a+)+$ tries 2^50,000 ways on it.
  await claudeStarts(repo, REAL_ID, REAL, {
    extraLines: [promptLine(REAL_ID, "a".repeat(50_000) + "b")],
  });
  await claudeEnds(repo, REAL_ID);
  for (const files of [false, true]) {
    // A file in the cache folder's place: no index can be kept, and the files answer.
    const cache = join(repo.path, ".claude-mpm", "cache");
    if (files) {
      await Deno.remove(cache, { recursive: true }).then(() => Deno.writeTextFile(cache, ""));
    }
    const slow = await run(["search", "(a+)+$", "--regex"]);
    assertEquals([slow.code, slow.stdout], [2, ""]);
    assertMatch(slow.stderr, /^mpm: "\(a\+\)\+\$" takes too long to match: over 3 s on /);
    const slowJson = await run(["search", "(a+)+$", "--regex", "--json"]);
    assertEquals(JSON.parse(slowJson.stdout).error.code, 2);
  }
  // A pattern that does not backtrack so finds the same line.
  assertEquals((await searchJson(repo, "a{1000}b$", "--regex")).total, 1);
});

Deno.test("a snapshot that is not JSON is named in the notes, whatever it holds", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["pause", "-s", "Ledger schema drafted"]);
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const [file] = [...Deno.readDirSync(sessions)].map((e) => e.name).filter((n) =>
    n.endsWith(".json")
  );
  await Deno.writeTextFile(join(sessions, file), '{"broken\n');

  const found = await searchJson(repo, "paused");
  assertEquals(found.total, 0);
  assertEquals(found.notes.length, 1);
  assertStringIncludes(found.notes[0], `${file} is not valid JSON`);
  const shown = await ok(["search", "paused"]);
  assertStringIncludes(shown.stderr, `${file} is not valid JSON`);
});
