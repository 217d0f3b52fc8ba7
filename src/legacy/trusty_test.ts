import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { IntegrityError } from "../kernel/errors.ts";
import { attributions, parseTrustyLog, parseTrustySession, trustyKey } from "./trusty.ts";

const context = (logPath: string) => ({
  fileName: `.trusty-mpm/sessions/${logPath}`,
  projectPath: "/home/dev/shop",
  logPath,
});

const WRITTEN = `# Session Pause - 2026-08-09T01:01:55.796934+00:00

## Summary
Did the thing.

## Completed
- step 1

## In Progress
- step 2

## Next Steps
- step 3

## Git Context
Branch: main
Last commit: 1c7e5d0 fix(catchup): one session each
Uncommitted changes: clean

## Tmux Window
main:2:@7
`;

Deno.test("parseTrustySession: the pause tool's sections become the snapshot's", () => {
  const snapshot = parseTrustySession(WRITTEN, {
    ...context("s1/session-20260809-010155.md"),
    logged: {
      session_id: "s1",
      event: "pause",
      snapshot: "s1/session-20260809-010155.md",
      timestamp: "2026-08-09T01:01:55.796934+00:00",
    },
  });
  assertEquals(snapshot.session_id, "session-20260809-010155");
  assertEquals(snapshot.paused_at, "2026-08-09T01:01:55.796Z");
  assertEquals(snapshot.conversation, {
    summary: "Did the thing.",
    accomplishments: ["step 1"],
    next_steps: ["step 3"],
  });
  assertEquals(snapshot.todos.active, [{ content: "step 2", status: "in_progress" }]);
  assertEquals(snapshot.git_context?.branch, "main");
  assertEquals(snapshot.git_context?.commit, "1c7e5d0");
  assertEquals(snapshot.git_context?.commit_message, "fix(catchup): one session each");
  assertEquals(snapshot.git_context?.is_clean, true);
  assertEquals(snapshot.mpm.key, "tm-s1");
  const legacy = snapshot.mpm.legacy as Record<string, unknown>;
  assertEquals([legacy.tool, legacy.layout, legacy.tmux_window], [
    "trusty-mpm",
    "trusty-mpm-md",
    "main:2:@7",
  ]);
});

Deno.test("parseTrustySession: annotated headings, numbered lists, prose and old files", () => {
  const snapshot = parseTrustySession(
    `## Summary\nRelease chain.\n\n## In Progress — LIVE AGENTS AT PAUSE\n\nNOTHING in flight.\n\n` +
      `## Next Steps (pending decisions)\n1. Cut 0.19.10? — phase 1 merged.\n2. Dispatch the fix\n` +
      `   once timings are in.\n\n## Git Context\nbranch: HEAD\nUncommitted changes: 2 file(s) changed\n`,
    context("session-20260627-100000.md"),
  );
  // No title: the time comes from the file's name, which trusty-mpm writes in UTC.
  assertEquals(snapshot.paused_at, "2026-06-27T10:00:00.000Z");
  assertEquals(snapshot.conversation.next_steps, [
    "Cut 0.19.10? — phase 1 merged.",
    "Dispatch the fix once timings are in.",
  ]);
  assertEquals(snapshot.todos.active, []);
  assertEquals(snapshot.mpm.notes, ["In progress: NOTHING in flight."]);
  assertEquals(snapshot.git_context?.detached, true);
  assertEquals(snapshot.git_context?.is_clean, false);
  assertEquals(snapshot.mpm.key, undefined);
});

Deno.test("parseTrustySession: a file that names no time is refused", () => {
  const error = assertThrows(
    () => parseTrustySession("## Summary\nx\n", context("session-notes.md")),
    /names no time/,
  );
  assertEquals(error instanceof IntegrityError, true);
});

Deno.test("parseTrustyLog: pause lines say whose a snapshot is; bad lines are counted", () => {
  const { entries, bad } = parseTrustyLog(
    [
      '{"session_id":"a","event":"pause","snapshot":"session-1.md","timestamp":"t1"}',
      '{"session_id":',
      '{"session_id":"a","event":"resume","snapshot":"session-1.md","timestamp":"t2"}',
      '{"session_id":"b","event":"pause","snapshot":"session-1.md","timestamp":"t3"}',
      "",
    ].join("\n"),
  );
  assertEquals([entries.length, bad], [3, 1]);
  assertEquals(attributions(entries).get("session-1.md")?.session_id, "b");
  assertEquals(trustyKey("main:2:@7"), undefined);
  assertEquals(trustyKey("7bd5c27a-475b-41df"), "tm-7bd5c27a-475b-41df");
});
