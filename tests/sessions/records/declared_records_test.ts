/**
 * The write boundary, held of every declared record: each record mpm keeps names its free text
 * and its exact fields (kernel/safe_text/text_fields.ts), and the store's writer
 * (disk/files/written.ts) redacts the free text before a byte is written. For each record a
 * sample holding every field its check names: a string the declaration names neither free nor
 * exact fails here (a new field must be declared when it is added), and a token planted in every
 * free-text field is written through the writer to a file in which none is found.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { tempDir } from "../../helpers.ts";
import { forDisk, recordJson } from "../../../src/disk/files/written.ts";
import { writeAtomic } from "../../../src/disk/files/atomic.ts";
import type { TextFields } from "../../../src/kernel/safe_text/text_fields.ts";
import { snapshotCheck, snapshotText } from "../../../src/kernel/snapshot.ts";
import { stateCheck, stateText } from "../../../src/sessions/store/records/state/state.ts";
import { checkpointCheck, checkpointText } from "../../../src/checkpoints/checkpoint.ts";
import {
  claudeHandoffCheck,
  claudeHandoffText,
  handoffSaidText,
} from "../../../src/sessions/store/records/handoff/claude_record.ts";
import { sightingCheck, sightingText } from "../../../src/sessions/store/claude/claude_sessions.ts";
import {
  errorRecordCheck,
  errorRecordText,
} from "../../../src/sessions/store/claude/error_record.ts";
import { SPOOL_TEXT } from "../../../src/sessions/store/session/spool.ts";

const TOKEN = "ghp_" + "R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaDecl";
const T = "2026-03-01T10:00:00.000Z";
const SHA = "ab".repeat(32);

const todo = {
  content: "Write the tests",
  status: "pending",
  created_at: T,
  completed_at: T,
  phase: "Setup",
  number: 1,
};
const active = {
  key: "s-1a2b3c",
  name: "payments",
  task: "Take card payments",
  template: "feature",
  started_at: T,
  adhoc: false,
  resumed_from: "session-20260301-090000-000def",
  parent: "session-20260301-080000-000abc",
  depth: 1,
  todos: [todo],
  notes: ["a note"],
  dirty: true,
  context_partition: "api",
};
const gitContext = {
  branch: "feature/payments",
  commit: "f".repeat(40),
  commit_message: "Add the webhook",
  detached: false,
  upstream: "origin/feature/payments",
  status: {
    modified: ["a.ts"],
    staged: [],
    untracked: [],
    deleted: [],
    renamed: [{ from: "b.ts", to: "c.ts" }],
    conflicted: [],
  },
  is_clean: false,
  ahead_behind: { ahead: 1, behind: 0 },
  blobs: { "a.ts": "0".repeat(40) },
};
const contextFile = { file: ".claude/context.md", sha256: SHA, text: "# Context" };

/** Each declared record: its declaration, the shape its check names, and a full sample. */
const RECORDS: { name: string; fields: TextFields; shape?: object; sample: unknown }[] = [
  {
    name: "snapshot",
    fields: snapshotText,
    shape: snapshotCheck.shape,
    sample: {
      schema_version: 1,
      session_id: "session-20260301-100000-123abc",
      paused_at: T,
      conversation: { summary: "Payments", accomplishments: ["Stripe"], next_steps: ["Refunds"] },
      git_context: gitContext,
      todos: { active: [todo], completed: [todo] },
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
        context_usage: {
          tokens: 1,
          window: 2,
          percent: 0.5,
          model: "claude-opus",
          window_source: "claude",
        },
        summary_source: "auto",
        notes: ["Paused by a hook"],
        written_by: "mpm",
        auto: { trigger: "session-end", note: "Auto-saved." },
        carried: { from: "session-20260301-080000-000ghi", written_at: T },
        context_file: contextFile,
        reason: "Dropped",
        work_files: ["src/x.ts"],
        work_files_more: 2,
        seal: SHA,
        key: "s-1a2b3c",
        machine: "laptop",
        claude_tasks: [{ content: "Run the tests", status: "in_progress", activeForm: "Running" }],
        handoff: {
          from: "payments",
          to: "sam",
          written_at: T,
          summary: "Payments",
          completed: ["Stripe"],
          files: ["a.ts"],
          needs: ["Review"],
          acceptance: ["Tests pass"],
          current_work: "Refunds",
          context_file: ".claude/context.md",
        },
      },
    },
  },
  {
    name: "state",
    fields: stateText,
    shape: stateCheck.shape,
    sample: {
      schema_version: 1,
      active,
      stack: [{
        snapshot_id: "session-20260301-090000-000def",
        key: "s-0a0b0c",
        name: "parent",
        git_branch: "main",
        git_head: "f".repeat(40),
        stash: "mpm: parent",
        child_git_branch: "child",
        child_name: "child",
        branched_at: T,
        phase: "returning",
        tree: [{ path: "a.ts", head: "1", index: "2", mode: "100644", work: "3" }],
        returning: {
          started_at: T,
          completed: "session-20260301-100000-000xyz",
          words: { summary: "Done", accomplishments: ["It"] },
          child: active,
          keep_branch: false,
          untracked: ["u.ts"],
        },
        session: active,
        worktree: { parent: "/p", path: "/p/.claude/worktrees/x", branch: "x", from: "f" },
      }],
      kept_stashes: [{ message: "mpm: kept", status: "inexact", kept_at: T }],
      seal: SHA,
      worktrees: [{
        name: "x",
        path: "/p/.claude/worktrees/x",
        branch: "x",
        session: "s-9",
        created_at: T,
        kept: "it holds work",
      }],
    },
  },
  {
    name: "checkpoint",
    fields: checkpointText,
    shape: checkpointCheck.shape,
    sample: {
      schema_version: 1,
      name: "before-refactor",
      saved_at: T,
      note: "a note",
      project_path: "/p",
      version: "0.1.0",
      build: "dev",
      git: {
        branch: "main",
        head: "f".repeat(40),
        detached: false,
        commit_message: "Init",
        files: [{ path: "a.ts", status: "modified", kind: "file", sha256: SHA }],
      },
      session: {
        key: "s-1",
        name: "n",
        task: "t",
        template: "feature",
        started_at: T,
        parent: "session-20260301-090000-000def",
        depth: 0,
        notes: ["x"],
      },
      todos: [{ content: "c", status: "pending" }],
      stack: ["session-20260301-090000-000def"],
      context_file: contextFile,
      machine: "laptop",
      auto: { trigger: "pre-compact" },
      seal: SHA,
      sync_origin: { name: "before-refactor", sha256: SHA },
    },
  },
  {
    name: "Claude's handoff",
    fields: claudeHandoffText,
    shape: claudeHandoffCheck.shape,
    sample: {
      schema_version: 1,
      handoff_id: "handoff-20260301-100000-123abc",
      written_at: T,
      written_by: "claude",
      line: "s-1",
      previous: "handoff-20260301-090000-123abc",
      snapshot: "session-20260301-090000-000def",
      claude_session_id: "abc",
      focus: "the webhook",
      handoff: {
        goal: "g",
        state: "s",
        decisions: ["d"],
        tried: ["t"],
        files: ["f"],
        next_step: "n",
        open_questions: ["q"],
      },
      cut: [{ section: "state", chars: 1 }],
      git_context: { ...gitContext, blobs: undefined },
      project_path: "/p",
      machine: "laptop",
      version: "0.1.0",
      build: "dev",
      sync_origin: { handoff_id: "handoff-20260301-100000-123abc", sha256: SHA },
      seal: SHA,
    },
  },
  {
    name: "what Claude said for a handoff",
    fields: handoffSaidText,
    sample: { words: { goal: "g", decisions: ["d"] }, focus: "f" },
  },
  {
    name: "sighting",
    fields: sightingText,
    shape: sightingCheck.shape,
    sample: {
      time: T,
      event: "SessionStart",
      claude_session_id: "abc",
      transcript_path: "/home/x/.claude/projects/p/abc.jsonl",
      detail: "startup",
      agent: "codex",
    },
  },
  {
    name: "error record",
    fields: errorRecordText,
    shape: errorRecordCheck.shape,
    sample: {
      schema_version: 1,
      time: T,
      event: "PostToolUseFailure",
      claude_session_id: "abc",
      tool: "Bash",
      tool_input: { command: "curl x", nested: ["y"] },
      tool_use_id: "t1",
      error: "failed",
      error_details: { why: "w" },
      is_interrupt: false,
      duration_ms: 1,
      cwd: "/p",
      git: {
        branch: "main",
        commit: "f".repeat(40),
        is_clean: true,
        staged: [],
        modified: ["a.ts"],
        untracked: [],
        deleted: [],
        conflicted: [],
      },
      recent_commits: [{ sha: "f".repeat(40), subject: "Init", author: "Dana", date: T }],
      seal: SHA,
    },
  },
  {
    name: "queued pause",
    fields: SPOOL_TEXT,
    sample: {
      spool_version: 1,
      spooled_at: T,
      request: {
        summary: "s",
        accomplishments: ["a"],
        nextSteps: ["n"],
        todos: [{ content: "c", status: "pending" }],
      },
      session: active,
      git: {
        status: { branch: "main", head: "f".repeat(40), staged: ["a.ts"] },
        subject: "Init",
      },
      snapshot_id: "session-20260301-100000-123abc",
    },
  },
];

/** The sample with `TOKEN` added to every string the declaration does not keep exact. */
function planted(fields: TextFields, value: unknown, path = ""): unknown {
  if (fields.exact.some((field) => covers(field, path))) return value;
  if (typeof value === "string") return `${value} ${TOKEN}`;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => planted(fields, item, path));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, planted(fields, v, path ? `${path}.${k}` : k)]),
  );
}

for (const record of RECORDS) {
  Deno.test(`the ${record.name}: every string is declared free text or exact`, () => {
    for (const key of Object.keys(record.shape ?? {})) {
      assert(
        key in (record.sample as object),
        `the sample has no ${key}: add it, and declare its text`,
      );
    }
    assertEquals(
      undeclaredText(record.fields, record.sample),
      [],
      "declare these fields free text or exact",
    );
  });

  Deno.test(`the ${record.name}: a token in every free-text field reaches no byte on disk`, async () => {
    await using dir = await tempDir();
    const sample = planted(record.fields, record.sample);
    const free = textPaths(record.sample).filter((path) =>
      !record.fields.exact.some((field) => covers(field, path))
    );
    assert(free.length > 0, "the record has free text");
    assert(JSON.stringify(sample).includes(TOKEN));
    const file = join(dir.path, "record.json");
    await writeAtomic(file, await recordJson(record.fields, sample), { root: dir.path });
    const text = await Deno.readTextFile(file);
    assert(!text.includes(TOKEN.slice(4)), `${record.name} wrote the token: ${text}`);
    assertEquals(await forDisk(record.fields, record.sample), record.sample, "nothing else moves");
  });
}

/** Whether `path` is `field` or lies under it. */
function covers(field: string, path: string): boolean {
  return path === field || field === "" || path.startsWith(`${field}.`);
}

/** Every string of `value` with its path (array items share their array's path). */
function textPaths(value: unknown, path = ""): string[] {
  if (typeof value === "string") return [path];
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((item) => textPaths(item, path));
  return Object.entries(value).flatMap(([k, v]) => textPaths(v, path ? `${path}.${k}` : k));
}

/**
 * The paths of the strings in `sample` its declaration names neither free nor exact: what this
 * test fails on, so a new field is declared when it is added.
 */
function undeclaredText(fields: TextFields, sample: unknown): string[] {
  const named = [...fields.free, ...fields.exact];
  const paths = new Set(textPaths(sample));
  return [...paths].filter((path) => !named.some((field) => covers(field, path)));
}

Deno.test("a field left out of a declaration is found", () => {
  const fields: TextFields = { free: ["summary"], exact: ["id"] };
  assertEquals(undeclaredText(fields, { id: "x", summary: "y", added: "z" }), ["added"]);
});
