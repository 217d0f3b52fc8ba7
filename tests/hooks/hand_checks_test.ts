/**
 * The records every hook reads are checked by hand (src/kernel/check.ts), no longer by zod. Here
 * each is held to the zod schema it replaced, kept below as it was: for a valid record and for
 * every variant of it with one field removed, replaced by a value of another type, or an unknown
 * field added, at any depth, both must accept or reject alike, return the same value with its
 * keys in the same order (a claim's name hashes the payload as checked), and reject with the
 * same first problem, at the same path, in the same words.
 */
import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { type Json, sameAsZod, variants, type ZodSchema } from "../zod_parity.ts";
import * as z from "../../src/kernel/zod.ts";
import { parsePayload } from "../../src/claude/session/payload.ts";
import { sightingCheck } from "../../src/hooks/claude_sessions/claude_sessions.ts";
import { toldFileCheck } from "../../src/hooks/claude_sessions/told_store.ts";
import { digestCheck } from "../../src/hooks/start/start_digest.ts";
import { claimCheck } from "../../src/hooks/records/event_claim.ts";
import { FIXTURES } from "./hooks_helpers.ts";

Deno.test("a sighting is checked as zod checked it", () => {
  const schema = z.looseObject({
    time: z.string(),
    event: z.string(),
    claude_session_id: z.string().check(z.minLength(1)),
    transcript_path: z.nullable(z.string()),
    detail: z.optional(z.nullable(z.string())),
  });
  for (
    const record of <Json[]> [
      {
        time: "2026-11-23T10:00:00.000Z",
        event: "SessionStart",
        claude_session_id: "3f2a",
        transcript_path: "/t.jsonl",
        detail: "startup",
        machine: "m",
      },
      { time: "t", event: "Stop", claude_session_id: "x", transcript_path: null },
    ]
  ) {
    sameAsZod("sighting", sightingCheck, schema, record);
  }
});

Deno.test("an event's claim is checked as zod checked it", () => {
  const schema = z.object({
    claude_session_id: z.string(),
    event: z.string(),
    origin: z.enum(["plugin", "settings"]),
    time: z.string(),
  });
  for (const origin of ["plugin", "settings"]) {
    sameAsZod("claim", claimCheck, schema, {
      claude_session_id: "3f2a",
      event: "SessionStart",
      origin,
      time: "2026-11-23T10:00:00.000Z",
    });
  }
});

Deno.test("told.json is checked as zod checked it", () => {
  const fingerprint = z.string().check(z.maxLength(64));
  const schema = z.object({
    version: z.literal(1),
    told: z.record(
      z.string().check(z.regex(/^[0-9a-f]{16}$/)),
      z.object({
        at: z.string().check(z.maxLength(40)),
        listed: z.nullable(z.string().check(z.maxLength(200))),
        head: z.nullable(z.string().check(z.maxLength(100))),
        words: fingerprint,
        todos: fingerprint,
        tasks: fingerprint,
        parts: z.record(z.string().check(z.maxLength(1_000)), fingerprint),
      }),
    ),
  });
  const entry = {
    at: "2026-11-23T10:00:00.000Z",
    listed: "session-1.json",
    head: "abc",
    words: "w",
    todos: "t",
    tasks: "k",
    parts: { summary: "f" },
  };
  sameAsZod("told", toldFileCheck, schema, {
    version: 1,
    told: { "0123456789abcdef": entry, "fedcba9876543210": { ...entry, listed: null } },
  });
  sameAsZod("told, long", toldFileCheck, schema, {
    version: 1,
    told: { "0123456789abcdef": { ...entry, at: "x".repeat(41), head: "y".repeat(101) } },
  });
});

Deno.test("SessionStart's digest is checked as zod checked it", () => {
  const timed = z.object({ texts: z.array(z.string()), times: z.array(z.string()) });
  const schema = z.object({
    version: z.literal(2),
    mpm: z.string(),
    state: z.nullable(z.string()),
    seen: z.array(
      z.object({
        id: z.string(),
        file: z.string(),
        ino: z.number(),
        size: z.number(),
        mtime: z.number(),
      }),
    ),
    picked: z.boolean(),
    key: z.nullable(z.string()),
    elsewhere: z.nullable(z.object({ source: z.string(), facts: timed })),
    session: z.nullable(z.object({
      source: z.string(),
      partition: z.nullable(z.string()),
      summaryKey: z.nullable(z.string()),
      facts: z.object({
        full: timed,
        short: timed,
        git: z.nullable(z.object({
          branch: z.nullable(z.string()),
          commit: z.nullable(z.string()),
          dirty: z.array(z.string()),
        })),
      }),
      told: z.optional(z.object({
        snapshot: z.nullable(z.string()),
        line: z.nullable(z.string()),
        name: z.nullable(z.string()),
        summary: z.string(),
        next_steps: z.array(z.string()),
        todos: z.array(z.string()),
        tasks: z.array(z.object({
          content: z.string(),
          status: z.enum(["pending", "in_progress", "completed"]),
        })),
      })),
    })),
  });
  const facts = { texts: ["a", "b"], times: ["2026-11-23T10:00:00.000Z"] };
  const count = sameAsZod("digest", digestCheck, schema, {
    version: 2,
    mpm: "0.1.0 abc",
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
  });
  // The variants reach every field: a check that skipped one would meet a change it misses.
  assertEquals(count > 500, true, `${count} variants`);
});

Deno.test("every hook payload is checked as zod checked it, and worded the same", () => {
  const common = {
    session_id: z.string().check(z.minLength(1)),
    transcript_path: z.optional(z.string()),
    cwd: z.string().check(z.minLength(1)),
    hook_event_name: z.string().check(z.minLength(1)),
    permission_mode: z.optional(z.string()),
  };
  const schemas: Record<string, ZodSchema> = {
    SessionStart: z.looseObject({
      ...common,
      hook_event_name: z.literal("SessionStart"),
      source: z.string(),
      model: z.optional(z.string()),
    }),
    SessionEnd: z.looseObject({
      ...common,
      hook_event_name: z.literal("SessionEnd"),
      reason: z.string(),
    }),
    PreCompact: z.looseObject({
      ...common,
      hook_event_name: z.literal("PreCompact"),
      trigger: z.string(),
      custom_instructions: z.optional(z.nullable(z.string())),
    }),
    Stop: z.looseObject({
      ...common,
      hook_event_name: z.literal("Stop"),
      stop_hook_active: z.boolean(),
      last_assistant_message: z.optional(z.string()),
    }),
    PostToolUseFailure: z.looseObject({
      ...common,
      hook_event_name: z.literal("PostToolUseFailure"),
      tool_name: z.string(),
      tool_input: z.unknown(),
      tool_use_id: z.optional(z.string()),
      error: z.string(),
      is_interrupt: z.optional(z.boolean()),
      duration_ms: z.optional(z.number()),
    }),
    StopFailure: z.looseObject({
      ...common,
      hook_event_name: z.literal("StopFailure"),
      error: z.optional(z.unknown()),
      error_details: z.optional(z.unknown()),
      last_assistant_message: z.optional(z.string()),
    }),
    UserPromptSubmit: z.looseObject({
      ...common,
      hook_event_name: z.literal("UserPromptSubmit"),
      prompt: z.string(),
    }),
  };
  const commonSchema = z.looseObject(common);
  // What parsePayload made of zod's answer, as it did before.
  const zodOutcome = (value: unknown) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const event = (value as { hook_event_name?: unknown }).hook_event_name;
    const schema = typeof event === "string" && Object.hasOwn(schemas, event)
      ? schemas[event]
      : commonSchema;
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, payload: parsed.data };
    const issue = parsed.error.issues[0];
    const field = issue.path.length > 0 ? issue.path.join(".") : "payload";
    if (/received undefined/.test(issue.message)) {
      return { ok: false, error: `the hook payload has no ${field}` };
    }
    const flat = issue.message.replace(/\s+/g, " ").trim();
    const text = flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
    return { ok: false, error: `the hook payload's ${field} is invalid (${text})` };
  };
  const payloads = join(FIXTURES, "payloads");
  let count = 0;
  for (const entry of Deno.readDirSync(payloads)) {
    if (!entry.name.endsWith(".json")) continue;
    const payload = JSON.parse(Deno.readTextFileSync(join(payloads, entry.name)));
    for (const value of variants(payload)) {
      const expected = zodOutcome(value);
      if (expected === undefined) continue;
      const text = JSON.stringify(value);
      const ours = parsePayload(text);
      assertEquals(JSON.stringify(ours), JSON.stringify(expected), `${entry.name}: ${text}`);
      count++;
    }
  }
  assertEquals(count > 500, true, `${count} payloads`);
});
