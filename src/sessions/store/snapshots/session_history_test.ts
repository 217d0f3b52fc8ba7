import { assertEquals } from "../../../../tests/assert.ts";
import { type Snapshot, snapshotCheck, WRITTEN_ELSEWHERE } from "../../../kernel/snapshot.ts";
import { mustCheck } from "../../../kernel/check.ts";
import {
  autoNote,
  findSessionHistory,
  groupBySession,
  humanWords,
  listedSessionKey,
  sameState,
  senderOf,
  sentFiles,
} from "./session_history.ts";

function snap(id: string, mpm: Record<string, unknown>, extra: Partial<Snapshot> = {}): Snapshot {
  return mustCheck(snapshotCheck, {
    schema_version: 1,
    session_id: id,
    paused_at: `2026-01-0${id.slice(-1)}T00:00:00.000Z`,
    conversation: { summary: `summary of ${id}`, accomplishments: [], next_steps: ["next"] },
    git_context: null,
    todos: { active: [{ content: "t", status: "pending" }], completed: [] },
    version: "0",
    build: "dev",
    project_path: "/p",
    mpm,
    ...extra,
  });
}

const person = snap("session-1", { written_by: "person", key: "k" });
const auto = snap("session-2", {
  written_by: "mpm",
  key: "k",
  auto: { trigger: "session-end", note: "Auto-saved when the Claude session ended." },
  carried: { from: "session-1", written_at: person.paused_at },
});
const other = snap("session-3", { summary_source: "user" });

Deno.test("findSessionHistory: the active session, else the newest snapshot's; words from a person", () => {
  const history = findSessionHistory([other, auto, person], "k");
  assertEquals(history?.key, "k");
  assertEquals(history?.last?.session_id, "session-2");
  // The automatic snapshot holds carried words: they keep their first author and time.
  assertEquals([history?.words?.from, history?.words?.written_at], ["session-1", person.paused_at]);
  assertEquals(findSessionHistory([other, auto, person])?.key, "session-3");
  const completed = snap("session-4", { state: "completed", key: "c" });
  assertEquals(findSessionHistory([completed, auto, person])?.key, "k");
  assertEquals(findSessionHistory([]), null);
  assertEquals(findSessionHistory([completed]), null);
});

Deno.test("findSessionHistory looks past an automatic pause carrying no words to those it buried", () => {
  // Converted from claude-mpm's resume file, or written by hand: no key, no carried words.
  const buried = snap("session-6", { summary_source: "auto" });
  const history = findSessionHistory([buried, other]);
  assertEquals([history?.key, history?.words?.from], ["session-3", "session-3"]);
  assertEquals(findSessionHistory([buried])?.key, "session-6");
});

Deno.test("humanWords: a person's snapshot or carried words; a bare automatic one has none", () => {
  assertEquals(humanWords(person)?.summary, "summary of session-1");
  const bareAuto = snap("session-5", { summary_source: "auto" });
  assertEquals(humanWords(bareAuto), null);
  assertEquals(autoNote(bareAuto), "summary of session-5");
  assertEquals(autoNote(person), null);
  assertEquals(autoNote(auto), "Auto-saved when the Claude session ended.");
});

Deno.test("sameState looks at git, todos and Claude tasks, not at the words", () => {
  const reworded = { ...person, conversation: { ...person.conversation, summary: "other" } };
  assertEquals(sameState(person, reworded), true);
  const tasks = {
    ...person,
    mpm: { ...person.mpm, claude_tasks: [{ content: "x", status: "pending" }] },
  };
  assertEquals(sameState(person, tasks as Snapshot), false);
  const done = {
    ...person,
    todos: { active: [], completed: [{ content: "t", status: "completed" }] },
  };
  assertEquals(sameState(person, done as Snapshot), false);
});

Deno.test("sameState: Claude's completed tasks left behind by a new conversation are no change", () => {
  const withTasks = (tasks: [string, string][]) =>
    ({
      ...person,
      mpm: { ...person.mpm, claude_tasks: tasks.map(([content, status]) => ({ content, status })) },
    }) as Snapshot;
  const recorded = withTasks([["a", "completed"], ["b", "in_progress"], ["c", "pending"]]);
  // A plain start carried b and c over; the conversation ended without touching them.
  assertEquals(sameState(withTasks([["b", "in_progress"], ["c", "pending"]]), recorded), true);
  assertEquals(sameState(recorded, recorded), true);
  // Completing one, or one made and completed in the new conversation, is a change.
  assertEquals(sameState(withTasks([["b", "completed"], ["c", "pending"]]), recorded), false);
  assertEquals(
    sameState(withTasks([["d", "completed"], ["b", "in_progress"], ["c", "pending"]]), recorded),
    false,
  );
});

Deno.test("groupBySession folds each session's snapshots under its newest, in newest-first order", () => {
  const items = [{ snapshot: auto }, { snapshot: other }, { snapshot: person }, { snapshot: null }];
  const groups = groupBySession(items);
  assertEquals(groups.map((g) => [g.head.snapshot?.session_id ?? null, g.folded.length]), [
    ["session-2", 1],
    ["session-3", 0],
    [null, 0],
  ]);
});

Deno.test("a snapshot written elsewhere is never the session's, nor its words carried", () => {
  const theirs = {
    ...snap("session-5", { written_by: "person", key: "k" }),
    [WRITTEN_ELSEWHERE]: true,
  } as Snapshot;
  assertEquals(findSessionHistory([theirs, auto, person], "k")?.words?.from, "session-1");
  assertEquals(findSessionHistory([theirs, auto, person], "k")?.last?.session_id, "session-2");
  assertEquals(findSessionHistory([theirs, person])?.key, "k");
  assertEquals(findSessionHistory([theirs]), null);
});

Deno.test("senderOf: the ref's file under the snapshot's own id, else under its first id", () => {
  const ann = { email: "ann@example.com", name: "Ann" };
  const mal = { email: "mal@example.com", name: "Mal" };
  const renamed = snap("session-6", {
    key: "k",
    sync_origin: { session_id: "session-5", sha256: "0".repeat(64) },
  });
  // A push renamed it: the ref holds it under its own id, and another file under its first.
  const pushed = new Map([["sessions/session-6.json", ann], ["sessions/session-5.json", mal]]);
  assertEquals(senderOf(renamed, pushed), ann);
  // A pull renamed it here: the ref holds it under its first id only.
  assertEquals(senderOf(renamed, new Map([["sessions/session-5.json", mal]])), mal);
  // Under its own id by nobody (mpm's stand-in author): nobody's, not the first id's sender's.
  const nobody = new Map([["sessions/session-6.json", null], ["sessions/session-5.json", mal]]);
  assertEquals(senderOf(renamed, nobody), null);
  assertEquals(senderOf(snap("session-7", {}), pushed), null);
});

Deno.test("sentFiles: what the board, list and resume ask the ref, each once", () => {
  assertEquals(sentFiles("session-6", "session-5"), [
    "sessions/session-6.json",
    "sessions/session-5.json",
  ]);
  assertEquals(sentFiles("session-6", null), ["sessions/session-6.json"]);
  // A first id equal to its own (pushed back unchanged) is asked once.
  assertEquals(sentFiles("session-6", "session-6"), ["sessions/session-6.json"]);
});

Deno.test("listedSessionKey folds snapshots written elsewhere by session and sender", () => {
  const elsewhere = (id: string) =>
    ({ ...snap(id, { written_by: "person", key: "k" }), [WRITTEN_ELSEWHERE]: true }) as Snapshot;
  const sent = new Map([
    ["sessions/session-8.json", { email: "ann@example.com", name: "Ann" }],
    ["sessions/session-9.json", { email: "bob@example.com", name: "Bob" }],
    ["sessions/session-7.json", { email: "ann@example.com", name: "Ann" }],
  ]);
  const items = ["session-9", "session-8", "session-7"].map((id) => ({ snapshot: elsewhere(id) }));
  const groups = groupBySession(items, (s) => listedSessionKey(s, sent));
  assertEquals(groups.map((g) => [g.head.snapshot.session_id, g.folded.length]), [
    ["session-9", 0],
    ["session-8", 1],
  ]);
  assertEquals(listedSessionKey(person, sent), "k");
});
