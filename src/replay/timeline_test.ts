import {
  assert,
  assertEquals,
  assertNotIncludes,
  assertStringIncludes,
} from "../../tests/assert.ts";
import type { TranscriptEntry } from "../claude/transcript/transcript_entries.ts";
import {
  clipDiff,
  clipInput,
  clipText,
  fromArray,
  fromTranscript,
  HTML_LIMITS,
  inTimeOrder,
  keep,
  kindsFor,
  mergeTimeline,
  REDACT_MARGIN,
  type TimelineEvent,
} from "./timeline.ts";
import { fromMpmEvent, recordEvents } from "./record_events.ts";

const ctx = { root: "/home/dev/shop", claudeSession: "c1", limits: HTML_LIMITS };
const base = {
  time: "2026-11-24T09:00:00.000Z",
  sidechain: false,
  sessionId: "c1",
  cwd: "/home/dev/shop",
};
const ANTHROPIC = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

type ToolEntry = Extract<TranscriptEntry, { kind: "tool" }>;

function tool(name: string, input: unknown, result: string, isError = false): ToolEntry {
  return {
    ...base,
    kind: "tool",
    id: "t1",
    name,
    input,
    result: { time: base.time, text: result, isError, cut: 0 },
    edit: null,
  };
}

Deno.test("an edit becomes an edit event with its path relative to the project", () => {
  const event = fromTranscript({
    ...tool("Edit", {}, "ok"),
    edit: {
      path: "/home/dev/shop/src/pay.ts",
      operation: "edit",
      diff: "@@ -1 +1 @@\n-a\n+b\n",
      added: 1,
      removed: 1,
    },
  }, ctx);
  assert(event?.kind === "edit");
  assertEquals([event.path, event.added, event.removed, event.failed], ["src/pay.ts", 1, 1, false]);
  assertEquals(event.diff, "@@ -1 +1 @@\n-a\n+b\n");
});

Deno.test("a key inside a tool result and inside its arguments is redacted", () => {
  const event = fromTranscript(
    tool("Bash", {
      command: `curl -H "x-api-key: ${ANTHROPIC}" api`,
      env: { API_TOKEN: "hunter2hunter2" },
    }, `ANTHROPIC_API_KEY=${ANTHROPIC}\nSTRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc`),
    ctx,
  );
  assert(event?.kind === "tool");
  const all = JSON.stringify(event);
  assertNotIncludes(all, "AbCdEfGhIjKlMnOp");
  assertNotIncludes(all, "4eC39HqLyjWDarjtT1zdp7dc");
  assertNotIncludes(all, "hunter2hunter2");
  assertStringIncludes(event.result!.text, "[REDACTED:");
  assertStringIncludes(event.summary, "curl -H");
});

Deno.test("a secret that straddles the cut is redacted whole, never left half", () => {
  const limit = 100;
  const text = "x".repeat(limit - 20) + " " + ANTHROPIC + " and more";
  const clipped = clipText(text, limit);
  // Cut first, the 19 characters left of the key would no longer look like a key.
  assertNotIncludes(clipped.text, "sk-ant");
  assertStringIncludes(clipped.text, " [REDACTED:");
  assertEquals(clipped.text.length, limit);
  assertEquals(clipped.cut, text.length - limit);
  // Far past the margin, text is cut without being read at all.
  const long = clipText("y".repeat(limit + REDACT_MARGIN * 3), limit);
  assertEquals(long.cut, REDACT_MARGIN * 3);
});

Deno.test("diffs are cut by lines with the count, and tool arguments string by string", () => {
  const diff = Array.from({ length: 10 }, (_, i) => `+line ${i}`).join("\n") + "\n";
  assertEquals(clipDiff(diff, 3), { diff: "+line 0\n+line 1\n+line 2\n", cut: 7 });
  assertEquals(clipInput({ a: "abcdef", n: 3 }, 3), { a: "abc…", n: 3 });
});

Deno.test("a failed tool call is marked, and Claude's compaction summary stays a text", () => {
  const failed = fromTranscript(tool("Bash", { command: "npm test" }, "Exit code 1", true), ctx);
  assert(failed?.kind === "tool" && failed.result?.is_error === true);
  const summary = fromTranscript({ ...base, kind: "compact-summary", text: "Did A.", cut: 0 }, ctx);
  assertEquals(summary?.kind, "compact-summary");
  assertEquals(fromTranscript({ ...base, time: null, kind: "text", text: "x", cut: 0 }, ctx), null);
});

Deno.test("branch and return read from the parent's side and from the child's", () => {
  const branch = {
    time: "2026-11-24T10:00:00.000Z",
    command: "branch",
    session: "s-child",
    parent: "s-parent",
    git_branch: "hotfix/login",
    stash: "mpm: session-1",
    before: { active: "payments", active_key: "s-parent" },
    after: { active: "hotfix", active_key: "s-child" },
  };
  const snapshots = new Map();
  const parent = fromMpmEvent(branch, "s-parent", snapshots);
  assert(parent?.kind === "mpm");
  assertEquals(
    parent.text,
    'branched into "hotfix" (git branch hotfix/login, stash "mpm: session-1")',
  );
  const child = fromMpmEvent(branch, "s-child", snapshots);
  assert(child?.kind === "mpm");
  assertStringIncludes(child.text, 'began as a branch of "payments"');
  const back = fromMpmEvent(
    {
      time: "2026-11-24T11:00:00.000Z",
      command: "return",
      session: "s-parent",
      child: "s-child",
      stash: "applied",
      before: { active: "hotfix", active_key: "s-child" },
      after: { active: "payments", active_key: "s-parent" },
    },
    "s-parent",
    snapshots,
  );
  assert(back?.kind === "mpm");
  assertEquals(back.text, 'returned from "hotfix" (stash applied)');
});

Deno.test("records: a pause shows its summary, a snapshot events.jsonl names is not repeated", () => {
  const events = recordEvents({
    key: "s-1",
    events: [{
      time: "2026-11-24T10:00:00Z",
      command: "pause",
      session: "s-1",
      snapshot: "session-20261124-100000",
    }],
    snapshots: [
      {
        session_id: "session-20261124-100000",
        paused_at: "2026-11-24T10:00:00Z",
        summary: "Payments wired",
        summary_source: "user",
        state: "paused",
        key: "s-1",
      },
      {
        session_id: "session-20261124-090000",
        paused_at: "2026-11-24T09:00:00Z",
        summary: "Synced in",
        summary_source: "user",
        state: "paused",
        key: "s-1",
      },
    ],
    checkpoints: [{
      name: "cp",
      saved_at: "2026-11-24T09:30:00Z",
      note: null,
      branch: "main",
      head: "abc",
    }],
    errors: [],
    commits: [],
    claude: [],
    limits: HTML_LIMITS,
  });
  assertEquals(events.map((e) => e.kind === "mpm" ? e.text : e.kind), [
    "paused: Synced in",
    "checkpoint",
    "paused: Payments wired",
  ]);
});

Deno.test("records: done and cancel end the session in its own words, never as a pause", () => {
  const snap = (id: string, state: string, summary: string) => ({
    session_id: id,
    paused_at: "2026-11-24T10:00:00Z",
    summary,
    summary_source: "user",
    state,
    key: "s-1",
  });
  const events = recordEvents({
    key: "s-1",
    events: [
      { time: "2026-11-24T10:00:00Z", command: "done", session: "s-1", snapshot: "session-a" },
      { time: "2026-11-24T11:00:00Z", command: "cancel", session: "s-1", snapshot: "session-b" },
    ],
    snapshots: [
      snap("session-a", "completed", "Refunds shipped"),
      snap("session-b", "cancelled", "Cancelled: superseded"),
      { ...snap("session-c", "cancelled", "Synced in"), paused_at: "2026-11-24T12:00:00Z" },
    ],
    checkpoints: [],
    errors: [],
    commits: [],
    claude: [],
    limits: HTML_LIMITS,
  });
  assertEquals(events.map((e) => e.kind === "mpm" ? e.text : e.kind), [
    "completed by mpm done: Refunds shipped",
    "cancelled by mpm cancel: Cancelled: superseded",
    "cancelled: Synced in",
  ]);
});

function at(time: string, text: string): TimelineEvent {
  return {
    time,
    source: "claude",
    claude_session: null,
    sidechain: false,
    kind: "text",
    text,
    cut: 0,
  };
}

Deno.test("streams merge by time, the first stream winning a tie, and filters keep by kind and time", async () => {
  const merged: string[][] = [];
  async function* batches(...lists: TimelineEvent[][]) {
    yield* lists;
  }
  for await (
    const batch of mergeTimeline([
      fromArray([at("2026-01-01T00:00:02Z", "mpm-2"), at("2026-01-01T00:00:05Z", "mpm-5")]),
      batches([at("2026-01-01T00:00:01Z", "a-1")], [], [at("2026-01-01T00:00:02Z", "a-2")]),
      fromArray([at("2026-01-01T00:00:03Z", "b-3")]),
    ], 2)
  ) merged.push(batch.map((e) => e.kind === "text" ? e.text : ""));
  assertEquals(merged, [["a-1", "mpm-2"], ["a-2", "b-3"], ["mpm-5"]]);

  const only = kindsFor(["edits", "prompts"]);
  assert(!("unknown" in only));
  assertEquals([...only].sort(), ["edit", "prompt"]);
  assertEquals(kindsFor(["edits", "nope"]), { unknown: "nope" });
  const text = at("2026-01-01T00:00:03Z", "x");
  assertEquals(keep(text, { only }), false);
  assertEquals(keep(text, { since: "2026-01-01T00:00:04Z" }), false);
  assertEquals(keep(text, { until: "2026-01-01T00:00:04Z" }), true);
});

Deno.test("entries a few milliseconds out of order come out in time order", async () => {
  const out: string[] = [];
  const events = [
    at("2026-01-01T00:00:03Z", "boundary"),
    at("2026-01-01T00:00:02Z", "summary"),
    at("2026-01-01T00:00:01Z", "/compact"),
    at("2026-01-01T00:00:04Z", "next"),
    at("2026-01-01T00:00:04Z", "same time, later in the file"),
  ];
  for await (const batch of inTimeOrder(fromArray(events), 2)) {
    out.push(...batch.map((e) => e.kind === "text" ? e.text : ""));
  }
  assertEquals(out, ["/compact", "summary", "boundary", "next", "same time, later in the file"]);
});
