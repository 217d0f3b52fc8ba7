import { assert, assertEquals, assertThrows } from "../../../../../tests/assert.ts";
import { forDisk } from "../../../../disk/files/written.ts";
import { IntegrityError } from "../../../../kernel/errors.ts";
import type { GitContext } from "../../../../kernel/snapshot.ts";
import { buildClaudeHandoff, type BuildInput, capWords } from "../../../handoff/claude_build.ts";
import {
  type ClaudeHandoff,
  decodeClaudeHandoff,
  HANDOFF_MAX_CHARS,
  handoffChars,
  handoffForStart,
  handoffIdTime,
  handoffSaidText,
  type HandoffWords,
  isHandoffId,
  MAX_GIT_PATHS,
  newHandoffId,
  previousOf,
  STARTUP_WINDOW_MS,
} from "./claude_record.ts";

const NOW = new Date("2026-11-23T14:05:12.345Z");

const WORDS: HandoffWords = {
  goal: "Refunds through Stripe",
  state: "API call works",
  decisions: ["Kept refunds synchronous"],
  tried: ["stripe-mock: no refund events"],
  files: ["src/refunds.ts: the call"],
  next_step: "Write handleRefundEvent",
  open_questions: [],
};

function input(changes: Partial<BuildInput> = {}): BuildInput {
  return {
    id: "handoff-20261123-140512-345kqz",
    now: NOW,
    words: WORDS,
    focus: null,
    line: "s-1a2b3c4d5e",
    previous: null,
    snapshot: "session-20261123-140000-001bcd",
    claudeSession: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
    git: null,
    projectPath: "/home/dev/shop",
    machine: "dana-laptop",
    version: "0.1.0",
    build: "dev",
    ...changes,
  };
}

Deno.test("ids name their moment and sort by it; other names are not ids", () => {
  const id = newHandoffId(NOW, new Uint8Array([0, 1, 2]));
  assertEquals(id, "handoff-20261123-140512-345bcd");
  assert(isHandoffId(id));
  assertEquals(handoffIdTime(id)?.toISOString(), NOW.toISOString());
  for (const bad of ["session-20261123-140512-345bcd", "handoff-x", "handoff-20261123-140512"]) {
    assertEquals(isHandoffId(bad), false, bad);
  }
});

Deno.test("capWords keeps the goal and the next step and says what it cut from where", () => {
  const long: HandoffWords = {
    ...WORDS,
    state: "s".repeat(3_000),
    files: Array.from({ length: 100 }, (_, i) => `src/file${i}.ts: ${"f".repeat(60)}`),
    next_step: "n".repeat(500),
  };
  const { words, cut } = capWords(long);
  assert(handoffChars(words) <= HANDOFF_MAX_CHARS, `${handoffChars(words)}`);
  assertEquals(words.goal, WORDS.goal);
  assertEquals(words.next_step, long.next_step);
  assertEquals(words.state, long.state);
  // The files were cut, and the sections after them got nothing.
  assertEquals(cut.map((c) => c.section), ["files"]);
  assert(cut[0].chars > 0);
  assert(words.files.length < long.files.length);
  assertEquals(capWords(WORDS), { words: WORDS, cut: [] });
});

Deno.test("the words are redacted before buildClaudeHandoff cuts them; it marks them Claude's, keeps git small", async () => {
  const git = {
    branch: "main",
    commit: "f".repeat(40),
    commit_message: "init",
    detached: false,
    upstream: null,
    status: {
      modified: [],
      staged: [],
      untracked: Array.from({ length: MAX_GIT_PATHS + 5 }, (_, i) => `u${i}`),
      deleted: [],
      renamed: [],
      conflicted: [],
    },
    is_clean: false,
    ahead_behind: null,
    blobs: { a: null },
  } as GitContext;
  const said = await forDisk(handoffSaidText, {
    words: { ...WORDS, state: `token ghp_${"a".repeat(36)} here` },
    focus: "  the webhook  ",
  });
  const record = buildClaudeHandoff(input({
    ...said,
    git,
    previous: "not an id",
  }));
  assertEquals(record.written_by, "claude");
  assertEquals(record.focus, "the webhook");
  assert(!record.handoff.state.includes("ghp_"), record.handoff.state);
  assertEquals(record.previous, null);
  assertEquals(record.git_context?.status.untracked.length, MAX_GIT_PATHS);
  assertEquals(record.git_context?.paths_omitted, 5);
  assertEquals("blobs" in record.git_context!, false);
  assertEquals(decodeClaudeHandoff(JSON.parse(JSON.stringify(record)), record.handoff_id, "x"), {
    ...record,
  });
});

Deno.test("decodeClaudeHandoff refuses a newer schema, another id, a forged size, a path as key", () => {
  const record = buildClaudeHandoff(input());
  const raw = (changes: Record<string, unknown>) => ({
    ...JSON.parse(JSON.stringify(record)),
    ...changes,
  });
  const cases: [unknown, RegExp][] = [
    [raw({ schema_version: 2 }), /newer mpm/],
    [raw({ handoff_id: "handoff-20261123-140512-345zzz" }), /names another handoff/],
    [raw({ handoff: { ...WORDS, state: "x".repeat(HANDOFF_MAX_CHARS + 2_000) } }), /more text/],
    [raw({ line: "../../etc" }), /not a handoff mpm wrote/],
    [raw({ written_by: "person" }), /not a handoff mpm wrote/],
  ];
  for (const [value, expected] of cases) {
    const error = assertThrows(() => decodeClaudeHandoff(value, record.handoff_id, "f.json"));
    assert(error instanceof IntegrityError);
    assert(expected.test(error.message), error.message);
  }
});

function dated(id: string, changes: Partial<ClaudeHandoff> = {}, time = handoffIdTime(id)!) {
  return { record: { ...buildClaudeHandoff(input({ id })), ...changes }, time };
}

Deno.test("handoffForStart: the session's newest, once, after /clear or a startup within hours", () => {
  const older = dated("handoff-20261123-130000-000bcd");
  const newer = dated("handoff-20261123-140000-000bcd");
  const other = dated("handoff-20261123-141000-000bcd", { line: "s-other" });
  const list = [other, newer, older];
  const at = (ms: number) => new Date(newer.time.getTime() + ms);
  const choose = (source: string | undefined, given: string[] = [], now = at(60_000)) =>
    handoffForStart(list, new Set(given), { line: "s-1a2b3c4d5e", source, now })?.record
      .handoff_id ?? null;
  assertEquals(choose("clear"), newer.record.handoff_id);
  assertEquals(choose(undefined), newer.record.handoff_id);
  assertEquals(choose("resume"), null);
  assertEquals(choose("compact"), null);
  // Given once: the older one is never given in its place.
  assertEquals(choose("clear", [newer.record.handoff_id]), null);
  // A startup only within the window; a /clear at any time.
  assertEquals(choose("startup", [], at(STARTUP_WINDOW_MS + 1)), null);
  assertEquals(choose("clear", [], at(STARTUP_WINDOW_MS * 10)), newer.record.handoff_id);
  // The conversation that wrote it does not get it back.
  assertEquals(
    handoffForStart(list, new Set(), {
      line: "s-1a2b3c4d5e",
      source: "clear",
      now: at(1),
      claudeSession: newer.record.claude_session_id!,
    }),
    null,
  );
  // One written before any session began goes with whichever session there is now.
  const loose = dated("handoff-20261123-150000-000bcd", { line: null });
  assertEquals(
    handoffForStart([loose], new Set(), { line: "session-x", source: "clear", now: at(1) })
      ?.record.handoff_id,
    loose.record.handoff_id,
  );
});

Deno.test("previousOf: each handoff names the one before it in its session", () => {
  const a = buildClaudeHandoff(input({ id: "handoff-20261123-130000-000bcd" }));
  const b = buildClaudeHandoff(
    input({ id: "handoff-20261123-140000-000bcd", previous: a.handoff_id }),
  );
  const c = buildClaudeHandoff(
    input({ id: "handoff-20261123-150000-000bcd", previous: b.handoff_id }),
  );
  const newestFirst = [c, b, a].map((record) => ({ record, time: NOW }));
  assertEquals(previousOf(newestFirst, "s-1a2b3c4d5e"), c.handoff_id);
  assertEquals(previousOf(newestFirst, "s-other"), null);
});
