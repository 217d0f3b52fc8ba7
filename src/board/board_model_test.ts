import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import {
  type ActiveWork,
  BoardFold,
  type BoardRecord,
  buildBoard,
  type Person,
} from "./board_model.ts";
import { renderBoard } from "./board_text.ts";
import { renderBoardPage } from "./board_html.ts";
import { style } from "../kernel/format/style.ts";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const YOU: Person = { email: "alice@example.com", name: "Alice", you: true, verified: true };
const BOB: Person = { email: "bob@example.com", name: "Bob", you: false, verified: false };

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

/** The board of records held all at once, as the tests give them. */
function built(input: {
  records: BoardRecord[];
  active: ActiveWork | null;
  you: Person;
  now: Date;
  sinceDays: number;
  person?: string;
}) {
  const fold = new BoardFold(input.now, input.sinceDays);
  for (const r of input.records) fold.add(r);
  return buildBoard({ ...input, fold });
}

Deno.test("a file two people's work changed is an overlap; one person's two lines are not", () => {
  const board = built({
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
      {
        email: "alice@example.com",
        name: "Refunds",
        you: true,
        verified: true,
        agent: "claude-code",
      },
      {
        email: "bob@example.com",
        name: "Payouts",
        you: false,
        verified: false,
        agent: "claude-code",
      },
    ],
  }]);
  assertEquals(board.people.map((p) => p.email), ["alice@example.com", "bob@example.com"]);
  assertEquals(board.people[0].pauses[13], 2);
});

Deno.test("a line of work in several overlaps is one entry in each: its JSON is made once", () => {
  const files = ["src/a.ts", "src/b.ts", "src/c.ts"];
  const board = built({
    records: [record({ files }), record({ person: BOB, key: "s-9", files })],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  assertEquals(board.overlaps.map((o) => o.path), files);
  const [a, b, c] = board.overlaps.map((o) => o.work);
  assert(a[0] === b[0] && b[0] === c[0] && a[1] === c[1] && a[0] !== a[1]);
});

Deno.test("a Claude Code line and a Codex line changing one file overlap; each names its agent", () => {
  const board = built({
    records: [
      record({ files: ["src/pay.ts", "src/a.ts"] }),
      record({ person: BOB, key: "s-9", name: "Payouts", files: ["src/pay.ts"], agent: "codex" }),
    ],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  assertEquals(board.overlaps, [{
    path: "src/pay.ts",
    work: [
      {
        email: "alice@example.com",
        name: "Refunds",
        you: true,
        verified: true,
        agent: "claude-code",
      },
      { email: "bob@example.com", name: "Payouts", you: false, verified: false, agent: "codex" },
    ],
  }]);
  assertEquals(board.people.map((p) => p.work.map((w) => w.agent)), [["claude-code"], ["codex"]]);
  // The terminal names the agent only where it is not Claude Code: the person's line reads as ever.
  const text = renderBoard(board, NOW, style(false));
  assertStringIncludes(
    text,
    "  ! src/pay.ts — you: Refunds · bob@example.com (unverified): Payouts (Codex)\n",
  );
  assertStringIncludes(text, "  • Payouts (Codex) — paused 2 hours ago · branch main");
  assertStringIncludes(text, "  • Refunds — paused 2 hours ago · branch main");
});

Deno.test("the active line is in the agent its sightings saw last, else its newest record's", () => {
  const active: ActiveWork = {
    key: "s-1",
    name: "Refunds",
    task: null,
    startedAt: "2026-11-20T11:00:00.000Z",
    todosOpen: 0,
    todosDone: 0,
    branch: null,
    files: [],
  };
  const agentOfLine = (records: BoardRecord[], line: ActiveWork) =>
    built({ records, active: line, you: YOU, now: NOW, sinceDays: 14 }).people[0].work[0].agent;
  assertEquals(agentOfLine([], active), "claude-code");
  assertEquals(agentOfLine([record({ agent: "codex" })], active), "codex");
  assertEquals(agentOfLine([record({})], { ...active, agent: "codex" }), "codex");
  assertEquals(
    agentOfLine([record({ agent: "codex" })], { ...active, agent: "claude-code" }),
    "claude-code",
  );
});

Deno.test("the newest snapshot of a line speaks for it; finished and old work is left off", () => {
  const board = built({
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
  const board = built({
    records: [
      // Older than the line's newest (which names the whole work's files): not added.
      record({ at: "2026-11-19T09:00:00.000Z", files: ["dropped.ts"] }),
      record({ at: "2026-11-19T10:00:00.000Z", files: ["src/x.ts"], whole: true }),
      // A newer snapshot with no work files (a migrated one): its uncommitted paths, and the whole set before it.
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
  const board = built({
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
  const mine = built({
    records: [record({ summary: "line one\nline two ghp_abcdefghijklmnopqrstuvwxyz0123456789" })],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  assertEquals(mine.people[0].work[0].words, "line one line two [REDACTED:github-token]");
});

Deno.test("the active session is a line of work with today's changed files; a handoff waits", () => {
  const board = built({
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
  const nobody: Person = { email: "", name: "", you: true, verified: true };
  const board = built({
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
      built({ records: [record({})], active: null, you: YOU, now: NOW, sinceDays }),
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
    built({
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
  const carol: Person = { email: "carol@example.com", name: "Carol", you: false, verified: false };
  assertEquals(board([record({ person: carol, key: "s-9" })]), 0);
  assertEquals(board([record({ person: BOB, id: "session-c", key: "s-9" })]), 0);
});

/** A deterministic stream of numbers in [0, 1) (a test's shuffles and picks, the same each run). */
function numbers(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

Deno.test("the fold keeps per line what every record sorted newest first gave, in any order they come", () => {
  const next = numbers(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const carol: Person = { email: "carol@example.com", name: "Carol", you: false, verified: false };
  const records: BoardRecord[] = [];
  // Three people, four lines each, 15 snapshots a line over 20 days (some out of the 14-day
  // window), some naming the whole work's files, some at the same moment, a few finished or
  // handed over; three of the keys all three paused on.
  for (const person of [YOU, BOB, carol]) {
    for (const key of ["s-a", "s-b", "s-c", `s-${person.name}`]) {
      for (let n = 0; n < 15; n++) {
        const at = new Date(NOW.getTime() - Math.floor(next() * 20 * 24) * 3_600_000);
        records.push(record({
          person,
          id: `session-${person.name}-${key}-${n}`,
          key,
          at: at.toISOString(),
          state: next() < 0.05 ? "completed" : "paused",
          name: key,
          summary: `${person.name} ${key} ${n}`,
          todosOpen: n,
          files: [pick(["a.ts", "b.ts", "c.ts", "d/"]), `${person.name}/${n % 4}.ts`],
          whole: next() < 0.3,
          handoff: next() < 0.1 ? { to: null, summary: "yours" } : null,
        }));
      }
    }
  }
  const cutoff = NOW.getTime() - 14 * 86_400_000;
  const inWindow = records.filter((r) => Date.parse(r.at) >= cutoff);
  const newestFirst = [...inWindow].sort((a, b) =>
    b.at.localeCompare(a.at) || b.id.localeCompare(a.id)
  );
  const laneOf = (p: Person) => p.you ? "you" : p.email;
  // What each line shows, worked out the long way: its newest record, and the files of the
  // whole work if that names them, else every record's.
  const expected = new Map<string, { key: string; words: string; files: string[] }[]>();
  for (const person of [YOU, BOB, carol]) {
    const mine = newestFirst.filter((r) => laneOf(r.person) === laneOf(person));
    const work = [...new Set(mine.map((r) => r.key))].map((key) => {
      const line = mine.filter((r) => r.key === key);
      const files = line[0].whole ? line[0].files : line.flatMap((r) => r.files);
      return { newest: line[0], files: [...new Set(files)].sort() };
    }).filter((l) => l.newest.state !== "completed")
      .sort((a, b) => b.newest.at.localeCompare(a.newest.at))
      .map((l) => ({ key: l.newest.key, words: l.newest.summary, files: l.files }));
    expected.set(laneOf(person), work);
  }
  // Pauses a day, from 13 days before NOW's to NOW's (UTC).
  const pauses = (p: Person) => {
    const days = new Array(14).fill(0);
    for (const r of inWindow.filter((r) => laneOf(r.person) === laneOf(p))) {
      const day = Math.floor((Date.parse(r.at) - Date.parse("2026-11-07")) / 86_400_000);
      if (day >= 0) days[day]++;
    }
    return days;
  };
  const shuffled = [...records];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const boards = [newestFirst, [...records].reverse(), shuffled, records].map((given) =>
    built({ records: given, active: null, you: YOU, now: NOW, sinceDays: 14 })
  );
  for (const board of boards) assertEquals(board, boards[0]);
  const [board] = boards;
  for (const p of board.people) {
    const person = [YOU, BOB, carol].find((q) => q.email === p.email)!;
    assertEquals(
      p.work.map((w) => ({ key: w.key, words: w.words, files: w.files })),
      expected.get(laneOf(person)),
    );
    assertEquals(p.pauses, pauses(person));
  }
  // A file is an overlap when lines of two or more people changed it: the shared ones here.
  const touched = new Map<string, Set<string>>();
  for (const [lane, work] of expected) {
    for (const path of work.flatMap((w) => w.files).filter((f) => !f.endsWith("/"))) {
      touched.set(path, (touched.get(path) ?? new Set()).add(lane));
    }
  }
  assertEquals(
    board.overlaps.map((o) => o.path).sort(),
    [...touched].filter(([, lanes]) => lanes.size > 1).map(([path]) => path).sort(),
  );
  // A handoff waits while its record is the newest of its key, whoever's: the keys all three
  // paused on are taken up by whoever paused on them last.
  const waiting = [...expected].flatMap(([lane, work]) =>
    work.map((w) => newestFirst.find((r) => laneOf(r.person) === lane && r.key === w.key)!)
      .filter((r) => r.handoff && newestFirst.find((n) => n.key === r.key) === r)
      .map((r) => `${r.person.email} ${r.key}`)
  );
  assertEquals(board.handoffs.map((h) => `${h.from} ${h.work}`).sort(), waiting.sort());
  assertEquals(board.handoffs.length > 0, true);
});

Deno.test("a teammate's branch, key and time are redacted or made a time: text, JSON and page", () => {
  const token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
  const board = built({
    records: [record({
      person: BOB,
      key: `s-${token}`,
      branch: `fix/${token}`,
      // Date.parse takes what sits in parentheses after a date, whatever it is.
      at: `Nov 19 2026 12:00:00 GMT (${token})`,
      handoff: { to: null, summary: "take it" },
    })],
    active: null,
    you: YOU,
    now: NOW,
    sinceDays: 14,
  });
  const [work] = board.people[0].work;
  assertEquals(work.branch, "fix/[REDACTED:github-token]");
  assertEquals(work.key, "s-[REDACTED:github-token]");
  assertEquals(work.moved, "2026-11-19T12:00:00.000Z");
  assertEquals(board.handoffs[0].written_at, "2026-11-19T12:00:00.000Z");
  for (const shown of [renderBoard(board, NOW, style(false)), JSON.stringify(board)]) {
    assert(!shown.includes("ghp_"), shown);
  }
  assertStringIncludes(renderBoard(board, NOW, style(false)), "branch fix/[REDACTED:github-token]");
  assert(!renderBoardPage(board, "test").includes("ghp_"));
});
