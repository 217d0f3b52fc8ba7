import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { style } from "../kernel/format/style.ts";
import type { Board, Handoff, Overlap, PersonBoard, Work } from "./board_model.ts";
import {
  HANDOFFS_SHOWN,
  OVERLAP_WORK_SHOWN,
  OVERLAPS_SHOWN,
  PEOPLE_SHOWN,
  renderBoard,
  WORK_SHOWN,
} from "./board_text.ts";

const NOW = new Date("2026-11-20T12:00:00.000Z");

/** Line of work `n` of a person, newer the smaller `n` (the board's order). */
function work(n: number): Work {
  return {
    name: `Work ${n}`,
    key: `s-${n}`,
    state: "paused",
    moved: new Date(NOW.getTime() - (n + 1) * 60_000).toISOString(),
    words: `words ${n}`,
    next: null,
    todos_open: 0,
    todos_done: 0,
    branch: "main",
    files: ["src/shared.ts"],
    agent: "claude-code",
  };
}

function person(p: number, lines: number): PersonBoard {
  return {
    email: `p${p}@example.com`,
    name: `Person ${p}`,
    you: false,
    verified: false,
    pauses: new Array(14).fill(0),
    work: Array.from({ length: lines }, (_, n) => work(n)),
  };
}

function board(people: PersonBoard[], overlaps: Overlap[] = [], handoffs: Handoff[] = []): Board {
  return { generated: NOW.toISOString(), since_days: 14, people, overlaps, handoffs };
}

const text = (b: Board) => renderBoard(b, NOW, style(false));

Deno.test("a person's lines of work are the newest few, then how many more and where they are", () => {
  const shown = text(board([person(0, 600)]));
  assertStringIncludes(shown, "1 person, 600 lines of work in the last 14 days");
  const listed = shown.split("\n").filter((l) => l.startsWith("  • "));
  assertEquals(listed.length, WORK_SHOWN);
  assertEquals(listed[0].startsWith("  • Work 0 — "), true);
  assertEquals(listed[WORK_SHOWN - 1].startsWith(`  • Work ${WORK_SHOWN - 1} — `), true);
  assertStringIncludes(
    shown,
    `  … and ${600 - WORK_SHOWN} older lines of work (mpm board --json lists them).\n`,
  );
  // As many as the bound: all of them, and no line counting none.
  assert(!text(board([person(0, WORK_SHOWN)])).includes("older line"));
  assertStringIncludes(
    text(board([person(0, WORK_SHOWN + 1)])),
    "  … and 1 older line of work (mpm board --json lists them).",
  );
});

Deno.test("the terminal's board is bounded whatever the count of people, overlaps and handoffs", () => {
  const people = Array.from({ length: 200 }, (_, p) => person(p, 50));
  const entry = (p: PersonBoard) => ({ ...p, name: p.work[0].name, agent: "claude-code" as const });
  const overlaps = Array.from({ length: 500 }, (_, o) => ({
    path: `src/f${o}.ts`,
    work: people.map(entry),
  }));
  const handoffs = Array.from({ length: 500 }, (_, h) => ({
    from: "p1@example.com",
    to: null,
    work: `Work ${h}`,
    written_at: NOW.toISOString(),
    summary: "take it",
  }));
  const few = { path: "src/f.ts", work: people.slice(0, 2).map(entry) };
  const small = text(board([person(0, 1), person(1, 1)], [few], handoffs.slice(0, 1)));
  const big = text(board(people, overlaps, handoffs));
  const lines = big.split("\n");
  assertEquals(lines.filter((l) => l.startsWith("  ! ")).length, OVERLAPS_SHOWN);
  assertStringIncludes(lines.find((l) => l.startsWith("  ! "))!, " · and 194 more");
  assertEquals(
    lines.find((l) => l.startsWith("  ! "))!.split(" · ").length,
    OVERLAP_WORK_SHOWN + 1,
  );
  assertStringIncludes(big, `  … and ${500 - OVERLAPS_SHOWN} more overlaps (mpm board --json`);
  assertEquals(lines.filter((l) => / \(a teammate's, /.test(l)).length, PEOPLE_SHOWN);
  assertStringIncludes(big, `\n… and ${200 - PEOPLE_SHOWN} more people (mpm board --json`);
  assertEquals(lines.filter((l) => l.includes(" from p1@example.com to ")).length, HANDOFFS_SHOWN);
  assertStringIncludes(big, `  … and ${500 - HANDOFFS_SHOWN} more handoffs (mpm board --json`);
  assert(big.length < 100_000, `${big.length}`);
  assert(!small.includes("… and"), small);
});
