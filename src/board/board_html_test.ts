import { assert, assertEquals } from "../../tests/assert.ts";
import type { Board, PersonBoard, Work } from "./board_model.ts";
import { BOARD_PAGE_MARK, isBoardPage, pageBoard, renderBoardPage } from "./board_html.ts";

const HOSTILE = "<img src=x onerror=alert(1)>".repeat(10);

function work(p: number, w: number, files: number): Work {
  return {
    name: `${HOSTILE} ${p}/${w}`.slice(0, 120),
    key: `s-${p}-${w}`,
    state: "paused",
    moved: new Date(Date.UTC(2026, 10, 20) - w * 60_000).toISOString(),
    words: HOSTILE.repeat(2).slice(0, 300),
    next: HOSTILE.slice(0, 300),
    todos_open: 1,
    todos_done: 2,
    branch: `feature/${p}-${w}`,
    files: Array.from({ length: files }, (_, f) => `src/${"deep/".repeat(10)}file${p}-${f}.ts`),
    agent: "claude-code",
  };
}

function bigBoard(people: number, lines: number, files: number): Board {
  const lanes: PersonBoard[] = Array.from({ length: people }, (_, p) => ({
    email: `p${p}@example.com`,
    name: `Person ${p}`,
    you: p === 0,
    verified: p % 2 === 0,
    pauses: new Array(14).fill(3),
    work: Array.from({ length: lines }, (_, w) => work(p, w, files)),
  }));
  return {
    generated: "2026-11-20T12:00:00.000Z",
    since_days: 100,
    people: lanes,
    overlaps: Array.from({ length: 3000 }, (_, o) => ({
      path: `src/shared/${o}.ts`,
      work: lanes.slice(0, 30).map((p) => ({
        email: p.email,
        name: p.work[0].name,
        you: p.you,
        verified: p.verified,
        agent: "claude-code" as const,
      })),
    })),
    handoffs: Array.from({ length: 500 }, (_, h) => ({
      from: "p1@example.com",
      to: null,
      work: `w${h}`,
      written_at: "2026-11-20T11:00:00.000Z",
      summary: HOSTILE,
    })),
  };
}

Deno.test("the page holds at most 3 MB whatever the board: the newest of each list, the rest counted", () => {
  for (const [people, lines, files] of [[100, 60, 50], [3000, 2, 2], [3, 2, 2]]) {
    const board = bigBoard(people, lines, files);
    const page = renderBoardPage(board, "test");
    assert(new TextEncoder().encode(page).length <= 3 * 1024 * 1024, `${people} × ${lines}`);
    const held = pageBoard(board);
    assertEquals(held.works_total, people * lines);
    assertEquals(held.overlaps_total, 3000);
    assertEquals(held.handoffs_total, 500);
    // You first and each lane's newest line are always held; what is left off is counted.
    assertEquals(held.people[0].you, true);
    for (const [i, p] of held.people.entries()) {
      assertEquals(p.work[0].key, board.people[i].work[0].key);
      assertEquals(p.work.length + (p.more_work ?? 0), lines);
      for (const w of p.work) assertEquals(w.files.length + (w.more_files ?? 0), files);
    }
    assertEquals(held.people.length + (held.more_people ?? 0), people);
    // Markup stays text: no tag of a record's reaches the page.
    assertEquals(page.includes("<img"), false);
  }
  // A board that fits is held whole.
  const small = bigBoard(3, 2, 2);
  small.overlaps = small.overlaps.slice(0, 4);
  small.handoffs = [];
  const held = pageBoard(small);
  assertEquals(held.people, small.people);
  assertEquals(held.overlaps, small.overlaps);
});

Deno.test("mpm knows its own page by the mark in its head, and nothing else as one", () => {
  const page = renderBoardPage(bigBoard(2, 1, 1), "1.2.3");
  assert(isBoardPage(page.slice(0, 4096)));
  assert(page.split("</head>")[0].includes(BOARD_PAGE_MARK));
  // A page with mpm's generator line but not the mark is not taken for one.
  const unmarked = page.replace(`${BOARD_PAGE_MARK}\n`, "");
  assertEquals(isBoardPage(unmarked.slice(0, 4096)), false);
  // The mark below the head, or in a file that is no page: not mpm's.
  assertEquals(isBoardPage(`<!doctype html>\n<head></head><body>${BOARD_PAGE_MARK}`), false);
  assertEquals(isBoardPage(`${BOARD_PAGE_MARK}\n`), false);
  assertEquals(isBoardPage(""), false);
});
