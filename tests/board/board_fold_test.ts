/**
 * The board of a team with many snapshots per line of work (tests/board/board_fixture.ts: each
 * person's own or pulled snapshots, lines of 20 pauses): every line shows its newest snapshot's
 * words and the files of all its snapshots, each person's pauses are counted by day, the files of
 * two people's lines are overlaps, and the document sent in parts is the one `json()` prints.
 */
import { assert, assertEquals } from "../assert.ts";
import { mpm } from "../helpers.ts";
import { jsonBlocks } from "../../src/board/board_command.ts";
import type { Board } from "../../src/board/board_model.ts";
import {
  changedAt,
  LINE_LENGTH,
  lineOf,
  pausedAt,
  personIdentity,
  summaryAt,
  teamProject,
} from "./board_fixture.ts";

const PEOPLE = 4;
const PER_PERSON = 3 * LINE_LENGTH;
const NOW = new Date("2026-11-20T12:00:00.000Z");
const DAY_MS = 86_400_000;

interface Work {
  key: string;
  words: string;
  files: string[];
}

/** What person `p`'s lane should show over the last `days` days, worked out from the fixture. */
function expectedLane(p: number, days: number): { pauses: number[]; work: Work[] } {
  const stripStart = Date.parse("2026-11-07T00:00:00.000Z");
  const pauses = new Array(14).fill(0);
  const lines = new Map<string, Work>();
  for (let i = 0; i < PER_PERSON; i++) {
    const at = pausedAt(NOW, PER_PERSON, p, i).getTime();
    if (at < NOW.getTime() - days * DAY_MS) continue;
    const day = Math.floor((at - stripStart) / DAY_MS);
    if (day >= 0) pauses[day]++;
    const { key } = lineOf(p, i);
    // Newest first: the first pause met of a line is its newest.
    const line = lines.get(key) ?? { key, words: summaryAt(p, i), files: [] };
    line.files = [...new Set([...line.files, ...changedAt(p, i)])].sort();
    lines.set(key, line);
  }
  return { pauses, work: [...lines.values()] };
}

async function board(root: string, home: string, ...args: string[]) {
  const result = await mpm(["board", "--json", ...args], {
    cwd: root,
    env: { HOME: home, ...personIdentity(0) },
    now: () => NOW,
  });
  assertEquals(result.code, 0, result.stderr);
  // Sent in parts (the run streams what it prints), it is the document json() makes whole.
  assertEquals(result.stdout, JSON.stringify(JSON.parse(result.stdout), null, 2) + "\n");
  return JSON.parse(result.stdout);
}

Deno.test("many snapshots per line of work: each line's newest words and all its files, pauses a day, overlaps", async () => {
  const project = await teamProject(PEOPLE, PER_PERSON, NOW);
  try {
    for (const days of [100, 14]) {
      const got = await board(project.root, project.home, "--since", String(days));
      const lanes = Array.from({ length: PEOPLE }, (_, p) => expectedLane(p, days));
      assertEquals(got.people.map((p: { email: string }) => p.email), [
        "p0@example.com",
        "p1@example.com",
        "p2@example.com",
        "p3@example.com",
      ]);
      for (const [p, lane] of lanes.entries()) {
        const person = got.people[p];
        assertEquals(person.you, p === 0);
        assertEquals(person.pauses, lane.pauses, `p${p}'s pauses, ${days} days`);
        assertEquals(
          person.work.map((w: Work) => ({ key: w.key, words: w.words, files: w.files })),
          lane.work,
          `p${p}'s work, ${days} days`,
        );
      }
      const people = new Map<string, Set<number>>();
      for (const [p, lane] of lanes.entries()) {
        for (const path of lane.work.flatMap((w) => w.files)) {
          people.set(path, (people.get(path) ?? new Set()).add(p));
        }
      }
      assertEquals(
        got.overlaps.map((o: { path: string; work: unknown[] }) => [o.path, o.work.length]).sort(),
        [...people].filter(([, who]) => who.size > 1).map(([path, who]) => [
          path,
          [...who].reduce(
            (n, p) => n + lanes[p].work.filter((w) => w.files.includes(path)).length,
            0,
          ),
        ]).sort(),
      );
    }
    const one = await board(project.root, project.home, "--person", "p2", "--since", "100");
    assertEquals(one.people.map((p: { email: string }) => p.email), ["p2@example.com"]);
  } finally {
    await Deno.remove(project.dir, { recursive: true });
  }
});

/** The document jsonBlocks sends, as text; each block at most JSON_BLOCK bytes, or one part. */
function textOf(board: Board): string {
  const blocks = [...jsonBlocks(board)];
  const all = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) [all.set(b, at), at += b.length];
  return new TextDecoder("utf-8", { fatal: true }).decode(all);
}

Deno.test("the JSON sent in runs of a list's items is the document json() makes, whatever the count", () => {
  const work = (i: number) => ({
    email: `p${i}@example.com`,
    name: `Work "${i}"\n\u00e9`,
    you: i === 0,
    verified: i % 2 === 0,
    agent: "claude-code" as const,
  });
  const shared = [work(7), { ...work(8), agent: "codex" as const }, work(9)];
  // A person's lines of work are written one by one: words cut with an ellipsis among them.
  const lines = (i: number) =>
    Array.from({ length: i % 4 }, (_, n) => ({ name: `w${n}\u2026`, files: [`src/${n}.ts`] }));
  for (const count of [1, 63, 64, 65, 200, 2000]) {
    const board: Board = {
      generated: "2026-11-20T12:00:00.000Z",
      since_days: 14,
      people: Array.from({ length: count }, (_, i) => ({
        ...work(i),
        pauses: [0, i],
        work: lines(i) as unknown as Board["people"][number]["work"],
      })),
      // A line's entry is one object in each overlap it is in (its text is made once).
      overlaps: Array.from({ length: count * 2 }, (_, i) => ({
        path: `src/${i}\u2028"${i}".ts`,
        work: [shared[i % 3], work(i), shared[(i + 1) % 3]],
      })),
      handoffs: [],
    };
    assertEquals(textOf(board), JSON.stringify(board, null, 2) + "\n");
    if (count === 2000) assert([...jsonBlocks(board)].length > 10, "sent in blocks");
  }
  // Shapes the board does not make are stringified as they are.
  const odd = {
    generated: "",
    since_days: 1,
    people: [{
      email: "a\u2026",
      gone: undefined,
      empty: {},
      none: [],
      when: new Date(0),
      work: [
        null,
        undefined,
        { files: ["x"], left: undefined, deeper: { a: [{ b: 1 }] } },
        [{}],
        1,
      ],
    }, null],
    overlaps: [{ path: "a", work: [] }, { work: [work(1)], path: "b" }, { path: "c", work: [1] }],
    handoffs: [],
  } as unknown as Board;
  assertEquals(textOf(odd), JSON.stringify(odd, null, 2) + "\n");
});
