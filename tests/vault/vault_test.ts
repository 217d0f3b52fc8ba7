/**
 * The transcript vault, run as a user and Claude Code's hooks would: SessionEnd and pauses copy
 * the transcripts (redacted, compressed, appended to as they grow), `mpm replay` reads the copy
 * once Claude Code's file is gone, a damaged copy is named and never read, prune keeps what a
 * snapshot points to, the limit drops the oldest, and a hook leaves the rest of a large copy.
 */
import { dirname, join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../assert.ts";
import { type Repo, withRepo } from "../helpers.ts";
import { MIXED, MIXED_ID } from "../replay/replay_helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  manifest,
  promptLine,
  REAL,
  REAL_ID,
  runner,
  vaultDir,
} from "./vault_helpers.ts";

const TOKEN = "ghp_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8V";
const PROMPT = "Add a payment module with charge and refund, then run the tests.";

// deno-lint-ignore no-explicit-any
function jsonLines(text: string): any[] {
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

async function replayPrompts(repo: Repo, args: string[] = []) {
  const lines = jsonLines((await runner(repo).ok(["replay", "--json", ...args])).stdout);
  return {
    prompts: lines.filter((l) => l.kind === "prompt").map((l) => l.text as string),
    notes: lines.find((l) => l.kind === "end").notes as string[],
  };
}

Deno.test("a Claude transcript deleted after a session still replays from the vault", async (t) => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "payments", "--task", "Stripe"]);
  const session = await claudeStarts(repo, REAL_ID, REAL, {
    extraLines: [
      promptLine(REAL_ID, `deploy with GITHUB_TOKEN=${TOKEN} please`, new Date(Date.now() + 1500)),
    ],
  });

  await t.step("SessionEnd copies the transcript and its subagent's, redacted, 0600", async () => {
    await claudeEnds(repo, REAL_ID);
    const m = await manifest(repo, REAL_ID);
    assertEquals(m.files.map((f: { source: string }) => f.source), [
      `${REAL_ID}.jsonl`,
      `${REAL_ID}/subagents/agent-a1b2c3d4e5f60718.jsonl`,
    ]);
    assertEquals(m.files[0].source_bytes, (await Deno.stat(session.transcript)).size);
    for (const entry of Deno.readDirSync(vaultDir(repo))) {
      const mode = Deno.statSync(join(vaultDir(repo), entry.name)).mode! & 0o777;
      assertEquals(mode, 0o600, entry.name);
    }
    const copied = (await ok(["vault", "show", REAL_ID, "--jsonl"])).stdout;
    assertNotIncludes(copied, TOKEN);
    assertStringIncludes(copied, "[REDACTED:github-token]");
    assertEquals(copied.trim().split("\n").length, m.files[0].lines);
  });

  await t.step("Claude Code's cleanup deletes it; replay and summary read the vault", async () => {
    await Deno.remove(session.transcript);
    await Deno.remove(join(dirname(session.transcript), REAL_ID), { recursive: true });
    const { prompts, notes } = await replayPrompts(repo);
    assert(prompts.includes(PROMPT), `the prompt is replayed: ${prompts} ${notes}`);
    assert(notes.some((n) => n.includes("replayed from the vault's copy")), notes.join("\n"));
    const summary = JSON.parse((await ok(["summary", "--json"])).stdout);
    assert(
      summary.layer1.items.some((i: { text: string }) => i.text.includes("payment module")),
      JSON.stringify(summary.layer1),
    );
    const list = JSON.parse((await ok(["vault", "list", "--json"])).stdout);
    assertEquals(list.map((c: { claude_has_it: boolean }) => c.claude_has_it), [false]);
  });
});

Deno.test("a transcript that only grew is appended to, never rewritten", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "payments"]);
  const session = await claudeStarts(repo, REAL_ID, REAL);
  await claudeEnds(repo, REAL_ID);
  const data = join(vaultDir(repo), `${REAL_ID}.0.jsonl.gz`);
  const before = await Deno.readFile(data);
  const inode = (await Deno.stat(data)).ino;
  await Deno.writeTextFile(session.transcript, promptLine(REAL_ID, "now the refunds") + "\n", {
    append: true,
  });
  await ok(["pause", "-s", "refunds next"]);
  const after = await Deno.readFile(data);
  assertEquals((await Deno.stat(data)).ino, inode, "the same file, appended to");
  assertEquals(after.subarray(0, before.length), before, "the first copy is untouched");
  assert(after.length > before.length);
  const m = await manifest(repo, REAL_ID);
  assertEquals(m.files[0].segments.length, 2);
  assertEquals(m.files[0].source_bytes, (await Deno.stat(session.transcript)).size);
  // A transcript changed before its end is copied again from the start, as a new generation.
  await Deno.writeTextFile(
    session.transcript,
    (await Deno.readTextFile(session.transcript)).replace("payment", "PAYMENT"),
  );
  await ok(["pause", "-s", "rewritten"]);
  const again = await manifest(repo, REAL_ID);
  assertEquals(again.generation, 2);
  assertEquals(again.files[0].segments.length, 1);
  assertStringIncludes((await ok(["vault", "show", REAL_ID, "--jsonl"])).stdout, "PAYMENT module");
  assert(!(await Deno.lstat(data).then(() => true, () => false)), "the old generation's file went");
});

Deno.test("a vault folder linked outside the project: its lock is refused, nothing there is made or removed", async () => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "payments"]);
  const session = await claudeStarts(repo, REAL_ID, REAL);
  await claudeEnds(repo, REAL_ID);
  const outside = join(repo.home, "vault-out");
  await Deno.rename(vaultDir(repo), outside);
  await Deno.symlink(outside, vaultDir(repo));
  // A stale-looking file of the person's where the vault's lock would be.
  await Deno.writeTextFile(join(outside, ".lock"), "precious\n");
  await Deno.utime(join(outside, ".lock"), new Date("2020-01-01"), new Date("2020-01-01"));
  await Deno.writeTextFile(session.transcript, promptLine(REAL_ID, "more") + "\n", {
    append: true,
  });
  const synced = await run(["vault", "sync"]);
  assertEquals(synced.code, 1, synced.stderr);
  assertStringIncludes(synced.stderr, "through a symbolic link");
  assertEquals(await Deno.readTextFile(join(outside, ".lock")), "precious\n");
});

Deno.test("a corrupted vault file is reported by doctor and never served", async () => {
  await using repo = await withRepo();
  const { ok, run } = runner(repo);
  await ok(["start", "payments"]);
  const session = await claudeStarts(repo, REAL_ID, REAL);
  await claudeEnds(repo, REAL_ID);
  await Deno.remove(session.transcript);
  const data = join(vaultDir(repo), `${REAL_ID}.0.jsonl.gz`);
  const bytes = await Deno.readFile(data);
  bytes[40] ^= 0xff;
  await Deno.writeFile(data, bytes);

  const doctor = JSON.parse((await run(["doctor", "--json"])).stdout);
  const check = doctor.checks.find((c: { id: string; status: string }) =>
    c.id === "vault" && c.status === "fail"
  );
  assert(check, JSON.stringify(doctor.checks));
  assertStringIncludes(check.message, `${REAL_ID}.0.jsonl.gz does not match its checksum`);
  assertStringIncludes(check.fix, "rm ");
  assertEquals(doctor.ok, false);

  const { prompts, notes } = await replayPrompts(repo);
  assertEquals(prompts, [], "nothing of the damaged copy is replayed");
  assert(notes.some((n) => n.includes("damaged")), notes.join("\n"));
  const show = await run(["vault", "show", REAL_ID]);
  assertEquals(show.code, 4);
  assertStringIncludes(show.stdout, "does not match its checksum");
  assertEquals((await run(["vault", "show", REAL_ID, "--jsonl"])).code, 4);

  // The search index is checked on its own: damaged, it is not searched either.
  const talk = join(vaultDir(repo), `${REAL_ID}.talk.gz`);
  const index = await Deno.readFile(talk);
  index[30] ^= 0xff;
  await Deno.writeFile(talk, index);
  const search = await run(["search", "payment module", "--json"]);
  assertEquals(JSON.parse(search.stdout).total, 0);
  assertStringIncludes(JSON.parse(search.stdout).notes.join(" "), "not searched");
});

Deno.test("vault prune keeps what a kept snapshot points to, and does not copy again what it pruned", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  const old = new Date(Date.now() - 60 * 86_400_000);
  // An old session whose snapshots are archived, then the current one: both transcripts are old.
  await ok(["start", "spike"]);
  const dayLater = new Date(old.getTime() + 86_400_000);
  await claudeStarts(repo, MIXED_ID, MIXED, { from: old, to: dayLater });
  await claudeEnds(repo, MIXED_ID);
  await ok(["start", "payments"]);
  await claudeStarts(repo, REAL_ID, REAL, { from: old, to: dayLater });
  await claudeEnds(repo, REAL_ID);
  await ok(["prune", "--keep", "1"]);

  const dry = JSON.parse(
    (await ok(["vault", "prune", "--older-than", "30", "--dry-run", "--json"])).stdout,
  );
  assertEquals(dry.removed.map((r: { id: string }) => r.id), [MIXED_ID]);
  assertEquals(dry.kept.map((k: { id: string }) => k.id), [REAL_ID]);
  assertMatch(dry.kept[0].reason, /a kept snapshot of session s-/);
  assert(
    await Deno.lstat(join(vaultDir(repo), `${MIXED_ID}.0.jsonl.gz`)).then(() => true),
    "dry run",
  );

  await ok(["vault", "prune", "--older-than", "30"]);
  const held = JSON.parse((await ok(["vault", "list", "--json"])).stdout);
  assertEquals(held.map((c: { id: string }) => c.id), [REAL_ID]);
  assert(
    !(await Deno.lstat(join(vaultDir(repo), `${MIXED_ID}.0.jsonl.gz`)).then(
      () => true,
      () => false,
    )),
  );
  // Claude Code still has it, but a pruned copy is not made again until the transcript grows.
  await ok(["vault", "sync"]);
  assertEquals(JSON.parse((await ok(["vault", "list", "--json"])).stdout).length, 1);
  const all = JSON.parse((await ok(["vault", "list", "--all", "--json"])).stdout);
  assertEquals(all.find((c: { id: string }) => c.id === MIXED_ID).dropped.reason, "prune");
  // --older-than is required.
  assertEquals((await runner(repo).run(["vault", "prune"])).code, 2);
});

Deno.test("over its limit the vault drops the oldest copy, and says so", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await Deno.mkdir(join(repo.path, ".claude-mpm"), { recursive: true });
  await ok(["start", "spike"]);
  await claudeStarts(repo, MIXED_ID, MIXED, { from: new Date(Date.now() - 86_400_000) });
  await claudeEnds(repo, MIXED_ID);
  const first = (await manifest(repo, MIXED_ID)).files;
  const firstBytes = first.reduce(
    (n: number, f: { segments: { bytes: number }[] }) =>
      n + f.segments.reduce((x, s) => x + s.bytes, 0),
    0,
  );
  // Room for a little more than one copy.
  await Deno.writeTextFile(
    join(repo.path, ".claude-mpm", "config.json"),
    JSON.stringify({ vault: { limit_mb: (firstBytes + 4096) / 1024 / 1024 } }),
  );
  await ok(["start", "payments"]);
  await claudeStarts(repo, REAL_ID, REAL);
  const end = await claudeEnds(repo, REAL_ID);
  assertStringIncludes(end.stderr, "over its limit");
  assertStringIncludes(end.stderr, MIXED_ID);
  const listed = JSON.parse((await ok(["vault", "list", "--json"])).stdout);
  assertEquals(listed.map((c: { id: string }) => c.id), [REAL_ID]);
  assertEquals((await manifest(repo, MIXED_ID)).dropped.reason, "limit");
});

Deno.test("SessionEnd copies within its budget, doctor says what waits, vault sync finishes", async () => {
  await using repo = await withRepo();
  const budget = { MPM_VAULT_BUDGET_BYTES: "1" };
  const { ok, run } = runner(repo, budget);
  await ok(["start", "payments"]);
  const session = await claudeStarts(repo, REAL_ID, REAL);
  // A transcript far larger than one small read: the hook copies one, and leaves the rest.
  const filler = Array.from(
    { length: 400 },
    (_, i) => promptLine(REAL_ID, `line ${i} ${"x".repeat(400)}`),
  );
  await Deno.writeTextFile(session.transcript, filler.join("\n") + "\n", { append: true });
  const end = await claudeEnds(repo, REAL_ID, budget);
  assertStringIncludes(end.stderr, "wait to be copied into the vault");
  const size = (await Deno.stat(session.transcript)).size;
  const partial = (await manifest(repo, REAL_ID)).files[0].source_bytes;
  assert(partial > 0 && partial < size, `${partial} of ${size}`);

  const doctor = JSON.parse((await run(["doctor", "--json"])).stdout);
  const waiting = doctor.checks.find((c: { id: string; status: string }) =>
    c.id === "vault" && c.status === "warn"
  );
  assertMatch(
    waiting.message,
    /not wholly in the vault .* Claude Code's cleanup deletes the oldest in (29|30) days/,
  );

  const fixed = JSON.parse((await run(["doctor", "--fix", "--json"])).stdout);
  assert(
    fixed.checks.some((c: { id: string }) => c.id === "vault-fix"),
    JSON.stringify(fixed.checks),
  );
  assertEquals((await manifest(repo, REAL_ID)).files[0].source_bytes, size);
  assert(
    fixed.checks.some((c: { id: string; status: string }) => c.id === "vault" && c.status === "ok"),
  );
});

Deno.test("a truncated transcript is copied up to its last whole line, and the copy says so", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "payments"]);
  const session = await claudeStarts(repo, REAL_ID, REAL);
  const whole = (await Deno.stat(session.transcript)).size;
  await Deno.writeTextFile(session.transcript, '{"type":"user","message":{"content":"cut he', {
    append: true,
  });
  const end = await claudeEnds(repo, REAL_ID);
  assertStringIncludes(end.stderr, "not a whole line");
  const m = await manifest(repo, REAL_ID);
  assertEquals(m.files[0].source_bytes, whole);
  assert(m.files[0].partial_bytes > 0);
  const sync = await ok(["vault", "sync"]);
  assertStringIncludes(sync.stdout, "The vault was already up to date.");
});

Deno.test("a pause copies into the vault once the hooks have seen a Claude session, not before", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "payments"]);
  // No Claude session seen: the pause reads no threads and makes no vault.
  const before = JSON.parse((await ok(["pause", "-s", "by hand", "--json"])).stdout);
  assertEquals(before.vault, null);
  assertEquals(await Deno.lstat(vaultDir(repo)).then(() => true, () => false), false);
  // SessionStart's sighting makes the vault's folder; the next pause copies the transcript.
  await ok(["resume"]);
  await claudeStarts(repo, REAL_ID, REAL);
  assertEquals((await Deno.lstat(vaultDir(repo))).isDirectory, true);
  const after = JSON.parse((await ok(["pause", "-s", "again", "--json"])).stdout);
  assertEquals(after.vault.copied, [REAL_ID]);
});

Deno.test("vault prune --older-than 1 says one day, not 1 days", async () => {
  await using repo = await withRepo();
  const none = await runner(repo).ok(["vault", "prune", "--older-than", "1"]);
  assertStringIncludes(none.stdout, "No copy was last active more than 1 day ago that could go.");
});
