/**
 * The records every hook reads, each declared once as its check (src/kernel/check.ts): a valid
 * record is accepted, unknown keys are kept or dropped as its declaration says (a claim's name
 * hashes the payload as checked, so the order is held too), and a bad field is refused with its
 * path, in the words a person reads.
 */
import { assertEquals } from "../../assert.ts";
import { type Check, checkValue, type Path } from "../../../src/kernel/check.ts";
import { parsePayload } from "../../../src/claude/session/payload.ts";
import { sightingCheck } from "../../../src/sessions/store/claude/claude_sessions.ts";
import { toldFileCheck } from "../../../src/sessions/store/claude/told_store.ts";
import { startRecordCheck as digestCheck } from "../../../src/hooks/start/record/start_record.ts";
import { claimCheck } from "../../../src/sessions/store/claude/event_claim.ts";

/** What `check` makes of `value`: its keys in order, or its first problem. */
function outcome(check: Check<unknown>, value: unknown): string | { path: Path; message: string } {
  const checked = checkValue(check, value);
  return checked.ok ? JSON.stringify(checked.value) : checked.problem;
}

Deno.test("a sighting keeps keys it does not know, after the known ones", () => {
  const sighting = {
    machine: "m",
    time: "2026-11-23T10:00:00.000Z",
    event: "SessionStart",
    claude_session_id: "3f2a",
    transcript_path: "/t.jsonl",
    detail: "startup",
  };
  const { machine, ...known } = sighting;
  assertEquals(outcome(sightingCheck, sighting), JSON.stringify({ ...known, machine }));
  const bare = { time: "t", event: "Stop", claude_session_id: "x", transcript_path: null };
  assertEquals(outcome(sightingCheck, bare), JSON.stringify(bare));
  assertEquals(outcome(sightingCheck, { ...bare, claude_session_id: "" }), {
    path: ["claude_session_id"],
    message: "Too small: expected string to have >=1 characters",
  });
  assertEquals(outcome(sightingCheck, { ...bare, transcript_path: undefined }), {
    path: ["transcript_path"],
    message: "Invalid input: expected string, received undefined",
  });
});

Deno.test("an event's claim drops keys it does not know, and names its origins", () => {
  const claim = {
    claude_session_id: "3f2a",
    event: "SessionStart",
    origin: "plugin",
    time: "2026-11-23T10:00:00.000Z",
  };
  assertEquals(outcome(claimCheck, { ...claim, extra: 1 }), JSON.stringify(claim));
  assertEquals(outcome(claimCheck, { ...claim, origin: "cli" }), {
    path: ["origin"],
    message: 'Invalid option: expected one of "plugin"|"settings"',
  });
});

Deno.test("told.json holds its limits, its keys and its version", () => {
  const entry = {
    at: "2026-11-23T10:00:00.000Z",
    listed: "session-1.json",
    head: "abc",
    words: "w",
    todos: "t",
    tasks: "k",
    parts: { summary: "f" },
  };
  const told = { version: 1, told: { "0123456789abcdef": entry } };
  assertEquals(outcome(toldFileCheck, told), JSON.stringify(told));
  assertEquals(outcome(toldFileCheck, { ...told, version: 2 }), {
    path: ["version"],
    message: "Invalid input: expected 1",
  });
  assertEquals(outcome(toldFileCheck, { version: 1, told: { "not-hex": entry } }), {
    path: ["told", "not-hex"],
    message: "Invalid key in record",
  });
  assertEquals(
    outcome(toldFileCheck, {
      version: 1,
      told: { "0123456789abcdef": { ...entry, at: "x".repeat(41) } },
    }),
    {
      path: ["told", "0123456789abcdef", "at"],
      message: "Too big: expected string to have <=40 characters",
    },
  );
});

Deno.test("SessionStart's digest is accepted as written and refused at its first bad field", () => {
  const facts = { texts: ["a", "b"], times: ["2026-11-23T10:00:00.000Z"] };
  const digest = {
    state: "{}",
    seen: [{ id: "s-1", file: "s-1.json", ino: 12, size: 300, mtime: 1.5 }],
    picked: true,
    key: "s-1",
    elsewhere: { source: "x.md", facts },
    session: {
      source: "s-1.md",
      partition: null,
      summaryKey: "s-1",
      facts: { full: facts, short: facts, git: { branch: "main", commit: "abc", dirty: ["a"] } },
      told: {
        snapshot: "s-1",
        line: null,
        name: "n",
        summary: "s",
        next_steps: ["n"],
        todos: [],
        tasks: [{ content: "c", status: "pending" }],
      },
    },
  };
  assertEquals(outcome(digestCheck, digest), JSON.stringify(digest));
  assertEquals(
    outcome(digestCheck, { ...digest, seen: [{ ...digest.seen[0], ino: "12" }] }),
    { path: ["seen", 0, "ino"], message: "Invalid input: expected number, received string" },
  );
});

Deno.test("a hook payload's missing or bad field is worded as a person reads it", () => {
  const base = {
    session_id: "3f2a",
    cwd: "/p",
    hook_event_name: "Stop",
    stop_hook_active: false,
  };
  assertEquals(parsePayload(JSON.stringify(base)).ok, true);
  const { session_id: _, ...missing } = base;
  assertEquals(parsePayload(JSON.stringify(missing)), {
    ok: false,
    error: "the hook payload has no session_id",
  });
  assertEquals(parsePayload(JSON.stringify({ ...base, stop_hook_active: "yes" })), {
    ok: false,
    error:
      "the hook payload's stop_hook_active is invalid (Invalid input: expected boolean, received string)",
  });
});
