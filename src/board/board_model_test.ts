import { assertEquals } from "../../tests/assert.ts";
import { type BoardRecord, buildBoard, type Person } from "./board_model.ts";
import { renderBoard } from "./board_text.ts";
import { style } from "../kernel/format/style.ts";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const YOU: Person = { email: "alice@example.com", name: "Alice", you: true };
const BOB: Person = { email: "bob@example.com", name: "Bob", you: false };

function record(over: Partial<BoardRecord>): BoardRecord {
  return {
    person: YOU,
    id: "session-x",
    key: "s-1",
    at: "2026-11-20T10:00:00.000Z",
    state: "paused",
    worktree: false,
    name: "Refunds",
    task: null,
    summary: "words",
    next: null,
    todosOpen: 1,
    todosDone: 2,
    branch: "main",
    files: [],
    whole: false,
    handoff: null,
    ...over,
  };
}

Deno.test("a file two people's work changed is an overlap; one person's two lines are not", () => {
  const board = buildBoard({
    records: [
      record({ files: ["src/pay.ts", "src/a.ts"] }),
      record({ key: "s-2", name: "Other", files: ["src/a.ts"] }),
      record({ person: BOB, key: "s-9", name: "Payouts", files: ["src/pay.ts"] }),
    ],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  assertEquals(board.overlaps, [{
    path: "src/pay.ts",
    work: [
      { email: "alice@example.com", name: "Refunds", you: true },
      { email: "bob@example.com", name: "Payouts", you: false },
    ],
  }]);
  assertEquals(board.people.map((p) => p.email), ["alice@example.com", "bob@example.com"]);
  assertEquals(board.people[0].pauses[13], 2);
});

Deno.test("the newest snapshot of a line speaks for it; finished and old work is left off", () => {
  const board = buildBoard({
    records: [
      record({ at: "2026-11-19T10:00:00.000Z", summary: "older", files: ["old.ts"] }),
      record({ summary: "newer", next: "ship it", files: ["new.ts"] }),
      record({ key: "s-done", state: "completed", files: ["x.ts"] }),
      record({ key: "s-old", at: "2026-10-01T10:00:00.000Z", files: ["y.ts"] }),
    ],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  const [work] = board.people[0].work;
  assertEquals(board.people[0].work.length, 1);
  assertEquals([work.words, work.next, work.files], ["newer", "ship it", ["new.ts", "old.ts"]]);
  assertEquals([work.todos_open, work.todos_done], [1, 2]);
});

Deno.test("the newest snapshot's files of the whole work speak for its line; older add nothing", () => {
  const board = buildBoard({
    records: [
      // Older than the line's newest (which names the whole work's files): not added.
      record({ at: "2026-11-19T09:00:00.000Z", files: ["dropped.ts"] }),
      record({ at: "2026-11-19T10:00:00.000Z", files: ["src/x.ts"], whole: true }),
      // A newer snapshot of an older mpm: its uncommitted paths, and the whole set before it.
      record({ key: "s-2", at: "2026-11-18T10:00:00.000Z", files: ["old.ts"], whole: true }),
      record({ key: "s-2", at: "2026-11-19T12:00:00.000Z", files: ["dirty.ts"] }),
      // The teammate's uncommitted change to the file Alice changed and committed.
      record({ person: BOB, key: "s-9", name: "Payouts", files: ["src/x.ts"] }),
    ],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  const files = Object.fromEntries(board.people[0].work.map((w) => [w.key, w.files]));
  assertEquals(files, { "s-1": ["src/x.ts"], "s-2": ["dirty.ts", "old.ts"] });
  assertEquals(board.overlaps.map((o) => o.path), ["src/x.ts"]);
});

Deno.test("text from a record is redacted again and one line; --person narrows the people", () => {
  const board = buildBoard({
    records: [
      record({ summary: "line one\nline two token=ghp_abcdefghijklmnopqrstuvwxyz0123456789" }),
      record({ person: BOB, key: "s-9" }),
    ],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
    person: "BOB",
  });
  assertEquals(board.people.map((p) => p.name), ["Bob"]);
  const mine = buildBoard({
    records: [record({ summary: "line one\nline two ghp_abcdefghijklmnopqrstuvwxyz0123456789" })],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  assertEquals(mine.people[0].work[0].words, "line one line two [REDACTED:github-token]");
});

Deno.test("the active session is a line of work with today's changed files; a handoff waits", () => {
  const board = buildBoard({
    records: [
      record({ files: ["a.ts"] }),
      record({ person: BOB, key: "s-9", handoff: { to: "alice", summary: "take it" } }),
    ],
    active: {
      key: "s-1",
      name: "Refunds",
      task: null,
      startedAt: "2026-11-18T10:00:00.000Z",
      todosOpen: 3,
      todosDone: 0,
      branch: "feature",
      files: ["b.ts"],
    },
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  const [work] = board.people[0].work;
  assertEquals([work.state, work.files, work.todos_open, work.branch], [
    "active",
    ["a.ts", "b.ts"],
    3,
    "feature",
  ]);
  assertEquals(board.handoffs.map((h) => [h.from, h.to, h.summary]), [[
    "bob@example.com",
    "alice",
    "take it",
  ]]);
});

Deno.test("the person's own lane with no git identity says so, once, in words", () => {
  const nobody: Person = { email: "", name: "", you: true };
  const board = buildBoard({
    records: [record({ person: nobody })],
    active: null,
    you: nobody,
    now: NOW,
    sinceDays: 14,
  });
  const text = renderBoard(board, NOW, style(false));
  assertEquals(text.split("\n").filter((line) => line.startsWith("You")), [
    "You (no git identity set here)",
  ]);
  assertEquals(text.includes("(you)"), false, text);
});

Deno.test("a board of one day says so in the singular", () => {
  const board = (sinceDays: number) =>
    renderBoard(
      buildBoard({ records: [record({})], active: null, you: YOU, now: NOW, sinceDays }),
      NOW,
      style(false),
    ).split("\n")[0];
  assertEquals(board(1).includes("of work in the last day ("), true, board(1));
  assertEquals(board(14).includes("of work in the last 14 days ("), true, board(14));
});

Deno.test("a handoff waits until someone goes on with its work: a newer record of its key, or the active session", () => {
  const handedOver = record({
    person: BOB,
    id: "session-b",
    key: "s-9",
    at: "2026-11-20T09:00:00.000Z",
    handoff: { to: "alice", summary: "take it" },
  });
  const board = (records: BoardRecord[], activeKey?: string) =>
    buildBoard({
      records: [handedOver, ...records],
      active: activeKey === undefined ? null : {
        key: activeKey,
        name: "Payouts",
        task: null,
        startedAt: "2026-11-20T09:30:00.000Z",
        todosOpen: 1,
        todosDone: 0,
        branch: "main",
        files: [],
      },
      you: YOU,
      now: NOW,
      sinceDays: 14,
    }).handoffs.length;
  assertEquals(board([]), 1);
  // Older records of the key, and newer ones of other keys, are no going on with it.
  assertEquals(board([record({ key: "s-9", at: "2026-11-20T08:00:00.000Z" })]), 1);
  assertEquals(board([record({ key: "s-2" })], "s-2"), 1);
  // The one it was handed to paused on it, or finished it; or it is the person's active session.
  assertEquals(board([record({ key: "s-9" })]), 0);
  assertEquals(board([record({ key: "s-9", state: "completed" })]), 0);
  assertEquals(board([], "s-9"), 0);
  // Anyone's newer record of it counts, the one who handed it over's own included.
  const carol: Person = { email: "carol@example.com", name: "Carol", you: false };
  assertEquals(board([record({ person: carol, key: "s-9" })]), 0);
  assertEquals(board([record({ person: BOB, id: "session-c", key: "s-9" })]), 0);
});
