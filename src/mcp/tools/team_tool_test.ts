import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import type { Board, Work } from "../../board/board_model.ts";
import { boardAt, projectPath, teamWorkText } from "./team_tool.ts";

const ROOT = "/home/p/repo";
const NOW = new Date("2026-03-02T12:00:00Z");

function work(name: string, files: string[]): Work {
  return {
    name,
    key: `s-${name}`,
    state: "paused",
    moved: "2026-03-02T10:00:00Z",
    words: `${name} words`,
    next: null,
    todos_open: 0,
    todos_done: 0,
    branch: "main",
    files,
    agent: "claude-code",
  };
}

const BOARD: Board = {
  generated: NOW.toISOString(),
  since_days: 14,
  people: [
    {
      email: "me@x",
      name: "Me",
      you: true,
      verified: true,
      pauses: [],
      work: [work("api", ["src/api.ts", "a"])],
    },
    {
      email: "bo@x",
      name: "Bo",
      you: false,
      verified: false,
      pauses: [],
      work: [work("docs", ["docs/x.md"])],
    },
  ],
  overlaps: [],
  handoffs: [],
};

Deno.test("projectPath: relative to the root, ./ and a trailing slash dropped, outside is null", () => {
  assertEquals(projectPath("a", ROOT), "a");
  assertEquals(projectPath("./a", ROOT), "a");
  assertEquals(projectPath(" src/ ", ROOT), "src");
  assertEquals(projectPath("src//x/../api.ts", ROOT), "src/api.ts");
  assertEquals(projectPath(`${ROOT}/a`, ROOT), "a");
  assertEquals(projectPath(`${ROOT}/src/`, ROOT), "src");
  assertEquals(projectPath(ROOT, ROOT), "");
  assertEquals(projectPath("./", ROOT), "");
  assertEquals(projectPath("/etc/passwd", ROOT), null);
  assertEquals(projectPath("../other/a", ROOT), null);
  assertEquals(projectPath(`${ROOT}-2/a`, ROOT), null);
});

Deno.test("boardAt: a folder keeps the work that changed a file under it", () => {
  const narrowed = boardAt(BOARD, projectPath("src/", ROOT)!);
  assertEquals(narrowed.people.map((p) => p.work.map((w) => w.name)), [["api"]]);
  assertEquals(boardAt(BOARD, projectPath("./a", ROOT)!).people.length, 1);
  assertEquals(boardAt(BOARD, "sr").people.length, 0);
});

Deno.test("teamWorkText: a path nothing changed says so, not an empty board", () => {
  const missed = teamWorkText(BOARD, NOW, "lib");
  assertStringIncludes(missed, 'No line of work in the last 14 days changed "lib"');
  assertStringIncludes(missed, "the board holds 2 lines of work, of 2 people");
  assertEquals(missed.includes("Lines of work"), false, missed);
  const hit = teamWorkText(BOARD, NOW, "src");
  assertStringIncludes(hit, 'Lines of work in the last 14 days that changed "src": 1 (of 2), of 1');
  assertStringIncludes(hit, "Person: Me (me@x) — the person's own");
  assertEquals(hit.includes("Bo (bo@x)"), false, hit);
  assertStringIncludes(
    teamWorkText(BOARD, NOW),
    "Lines of work in the last 14 days: 2, of 2 people.",
  );
});

Deno.test("teamWorkText: work in another agent than Claude Code names it; Claude Code's as ever", () => {
  const codex = { ...work("docs", ["docs/x.md"]), agent: "codex" as const };
  const board: Board = {
    ...BOARD,
    people: [BOARD.people[0], { ...BOARD.people[1], work: [codex] }],
    overlaps: [{
      path: "a",
      work: [
        { email: "me@x", name: "api", you: true, verified: true, agent: "claude-code" },
        { email: "bo@x", name: "docs", you: false, verified: false, agent: "codex" },
      ],
    }],
  };
  const text = teamWorkText(board, NOW);
  assertStringIncludes(text, "- Work: docs (Codex) · paused");
  assertStringIncludes(text, "- Work: api · paused");
  assertStringIncludes(text, "- a: the person (api) · bo@x [unverified] (docs, in Codex)");
});
