import { assert, assertEquals, assertNotIncludes } from "../../../../tests/assert.ts";
import {
  contextRecordCheck,
  contextUsageCheck,
  gitContextCheck,
  mpmInfoCheck,
  serializeSnapshot,
  type Snapshot,
  snapshotCheck,
  snapshotText,
} from "../../../kernel/snapshot.ts";
import { snapshotForDisk } from "./redact_snapshot.ts";

const EXACT_FIELDS = snapshotText.exact;

const SECRET = "ghp_" + "R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaE2uT";

/** A snapshot with every field a snapshot can have, the optional ones and mpm's extras too. */
const FULL = {
  schema_version: 1,
  session_id: "session-20260301-100000-123abc",
  paused_at: "2026-03-01T10:00:00.123Z",
  conversation: {
    summary: "Payments",
    accomplishments: ["Stripe client"],
    next_steps: ["Refunds"],
  },
  git_context: {
    branch: "feature/payments",
    commit: "3f2a9c1e7b4d4e2a9c1f2b7e8d9a0c11deadbeef",
    commit_message: "Add the webhook",
    detached: false,
    upstream: "origin/feature/payments",
    status: {
      modified: ["src/pay.ts"],
      staged: ["src/refund.ts"],
      untracked: ["notes.txt"],
      deleted: ["old.ts"],
      renamed: [{ from: "a.ts", to: "b.ts" }],
      conflicted: ["c.ts"],
    },
    is_clean: false,
    ahead_behind: { ahead: 1, behind: 0 },
    blobs: { "src/pay.ts": "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f", "old.ts": null },
  },
  todos: {
    active: [{
      content: "Write the refund tests",
      status: "pending",
      created_at: "2026-03-01T09:00:00.000Z",
      completed_at: null,
      number: 1,
    }],
    completed: [{
      content: "Wire Stripe",
      status: "completed",
      created_at: "2026-03-01T08:00:00.000Z",
      completed_at: "2026-03-01T09:30:00.000Z",
      number: 2,
    }],
  },
  version: "0.1.0",
  build: "dev",
  project_path: "/home/dev/shop",
  mpm: {
    name: "payments",
    task: "Take card payments",
    template: "feature",
    state: "paused",
    parent: "session-20260301-090000-000def",
    depth: 1,
    claude_session_id: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
    agent: "codex",
    context_usage: {
      tokens: 1000,
      window: 200000,
      percent: 0.5,
      model: "claude-opus-4-1",
      window_source: "claude",
    },
    summary_source: "auto",
    notes: ["Paused by the SessionEnd hook"],
    written_by: "mpm",
    auto: { trigger: "session-end", note: "Auto-saved when the Claude session ended." },
    carried: { from: "session-20260301-080000-000ghi", written_at: "2026-03-01T08:00:00.000Z" },
    context_file: { file: ".claude/context.md", sha256: "ab".repeat(32), text: "# Context" },
    reason: "Dropped",
    work_files: ["src/pay.ts", "src/refund.ts"],
    work_files_more: 3,
    handoff: {
      from: "payments (on laptop)",
      to: "sam",
      written_at: "2026-03-01T10:00:00.123Z",
      summary: "Payments",
      completed: ["Stripe client"],
      files: ["src/pay.ts"],
      needs: ["Review"],
      acceptance: ["Tests pass"],
      current_work: "Refunds",
      context_file: ".claude/context.md",
    },
    claude_tasks: [{
      content: "Run the tests",
      status: "in_progress",
      activeForm: "Running",
      created_at: "2026-03-01T08:00:00.000Z",
      completed_at: "2026-03-01T09:30:00.000Z",
    }],
    key: "s-1a2b3c",
    machine: "laptop",
    seal: "cd".repeat(32),
  },
} as Snapshot;

/** Every string of `value` with its path (array items share their array's path). */
function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((item) => strings(item, path));
  return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
}

/** `value` with `change` applied to every string in it. */
function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === "string") return change(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, change)]));
}

function exact(path: string): boolean {
  return [...EXACT_FIELDS].some((field) => path === field || path.startsWith(`${field}.`));
}

Deno.test("the sample holds every field the snapshot's checks name", () => {
  const shapes: [string, Record<string, unknown>, object | null][] = [
    ["", snapshotCheck.shape, FULL],
    ["conversation", snapshotCheck.shape.conversation.shape, FULL.conversation],
    ["git_context", gitContextCheck.shape, FULL.git_context],
    ["git_context.status", gitContextCheck.shape.status.shape, FULL.git_context!.status],
    ["mpm", mpmInfoCheck.shape, FULL.mpm],
    ["mpm.context_usage", contextUsageCheck.shape, FULL.mpm.context_usage],
    ["mpm.context_file", contextRecordCheck.shape, FULL.mpm.context_file!],
  ];
  for (const [path, shape, sample] of shapes) {
    for (const key of Object.keys(shape)) {
      assert(sample !== null && key in sample, `the sample has no ${path}.${key}`);
    }
  }
});

Deno.test("snapshotForDisk: a secret planted in every string comes out of none but the exact fields", async () => {
  const planted = mapStrings(FULL, (text) => `${text} token ${SECRET}`) as Snapshot;
  const fields = strings(planted);
  const out = await snapshotForDisk(planted);
  const after = new Map(strings(out).map(([path, text], i) => [`${i}:${path}`, text]));
  assertEquals(after.size, fields.length, "every string is still there");
  let redacted = 0;
  fields.forEach(([path, text], i) => {
    const now = after.get(`${i}:${path}`)!;
    if (exact(path)) {
      assertEquals(now, text, `${path} is kept exact`);
    } else {
      assertNotIncludes(now, SECRET, `${path} still holds the secret`);
      redacted++;
    }
  });
  // The walk reaches fields nobody listed: Claude's tasks' own fields, the handoff document's.
  assert(redacted > 20, `only ${redacted} fields redacted`);
  const tasks = out.mpm.claude_tasks as { activeForm: string }[];
  assertNotIncludes(tasks[0].activeForm, SECRET);
  assertNotIncludes((out.mpm.handoff as { needs: string[] }).needs[0], SECRET);
  assertEquals(serializeSnapshot(await snapshotForDisk(out)), serializeSnapshot(out), "idempotent");
});

Deno.test("snapshotForDisk leaves a snapshot without secrets as it was, byte for byte", async () => {
  assertEquals(serializeSnapshot(await snapshotForDisk(FULL)), serializeSnapshot(FULL));
});

Deno.test("each exact field names a field a snapshot has", () => {
  const leaves = mapStrings(FULL, (text) => text) as Snapshot;
  (leaves.todos.active[0] as Record<string, unknown>).completed_at = "";
  const paths = strings(leaves).map(([path]) => path);
  for (const field of EXACT_FIELDS) {
    assert(paths.some((path) => path === field || path.startsWith(`${field}.`)), field);
  }
});

Deno.test("snapshotForDisk: what only a forged record holds is redacted as redactDeep would", async () => {
  let deep: unknown = SECRET;
  for (let i = 0; i < 5_000; i++) deep = { inner: deep };
  const forged = { ...FULL, mpm: { ...FULL.mpm, api_key: "hunter2", extra: deep } } as Snapshot;
  const out = (await snapshotForDisk(forged)).mpm as Record<string, unknown>;
  assertEquals(out.api_key, "[REDACTED:secret]");
  assertNotIncludes(JSON.stringify(out.extra), SECRET);
  assertEquals(out.key, FULL.mpm.key);
});
