/**
 * The board as one self-contained HTML page: the page's own markup, style and script (embedded
 * by text import, so `run`, `bundle` and `compile` all carry them) and the board as JSON. Nothing
 * in it reaches outside: a Content-Security-Policy allows only the page's own script and style
 * (by hash), and no connection, image from elsewhere, frame, form or base. Every text sits in a
 * JSON block with `<` escaped, and the script builds the page with textContent only, so a work
 * named `<img src=x onerror=…>` is text on it. Light and dark follow prefers-color-scheme. Pure.
 * How the page names each agent but Claude Code (kernel/agent_name.ts) is a JSON block of its
 * own: the board's JSON names every line's agent by its id, as `--json` does.
 */
import { pagePolicy, scriptJson } from "../kernel/safe_text/html_page.ts";
import { AGENT_NAMES, otherAgentLabel } from "../kernel/agent_name.ts";
import css from "./board_page.css" with { type: "text" };
import body from "./board_page.html" with { type: "text" };
import js from "./board_page.js" with { type: "text" };
import type { Board, PersonBoard, Work } from "./board_model.ts";

let policy: string | undefined;

/**
 * The policy the page carries; exported so tests can hold it to its promise. Worked out when a
 * page is first made: hashing the page's script costs a board that prints text or JSON.
 */
export function boardCsp(): string {
  return policy ??= pagePolicy(js, css);
}

/** The labels the page names agents by: every agent but Claude Code's, by id. */
function agentLabels(): Record<string, string> {
  return Object.fromEntries(
    AGENT_NAMES.flatMap((id) => {
      const label = otherAgentLabel(id);
      return label === null ? [] : [[id, label]];
    }),
  );
}

/**
 * The mark that says a page is mpm's own board (its fourth line, before anything taken from a
 * record): `--html` replaces such a page without --force, as a person who looks every morning
 * writes it again, and still refuses any other file.
 */
export const BOARD_PAGE_MARK = '<meta name="mpm-page" content="board">';

/** How much of a file is read to find the mark: the page's head and more. */
export const MARK_BYTES = 4096;

/** Whether `head` (a file's first MARK_BYTES) is the head of a board page mpm wrote. Pure. */
export function isBoardPage(head: string): boolean {
  if (!head.startsWith("<!doctype html>\n")) return false;
  const top = head.slice(0, head.indexOf("</head>") < 0 ? head.length : head.indexOf("</head>"));
  return top.split("\n").includes(BOARD_PAGE_MARK);
}

/** The most bytes the page's board takes: the page stays under 3 MB whatever the window. */
export const PAGE_BOARD_BYTES = 2_800_000;

/**
 * What the page holds of each list before it is summarised ("and N more"), widest first: a
 * board too large for PAGE_BOARD_BYTES at one is tried at the next. The page shows a lane's first
 * 12 cards and 12 files a card, and the first 50 overlaps, so the first step loses nothing shown.
 */
const PAGE_STEPS = [
  { work: 24, files: 12, overlaps: 200, overlapWork: 12, handoffs: 50 },
  { work: 12, files: 12, overlaps: 50, overlapWork: 8, handoffs: 50 },
  { work: 6, files: 6, overlaps: 25, overlapWork: 6, handoffs: 25 },
  { work: 3, files: 3, overlaps: 10, overlapWork: 4, handoffs: 10 },
  { work: 1, files: 1, overlaps: 5, overlapWork: 2, handoffs: 5 },
];

/** A line of work on the page: its files cut, how many more it has. */
export type PageWork = Work & { more_files?: number };

/** The board as the page holds it: each list's newest first, what is left off counted. */
export interface PageBoard extends Omit<Board, "people" | "overlaps"> {
  people: (Omit<PersonBoard, "work"> & { work: PageWork[]; more_work?: number })[];
  overlaps: (Board["overlaps"][number] & { more_work?: number })[];
  /** How many of each the board has in all (the page holds fewer when it says `more_…`). */
  works_total: number;
  overlaps_total: number;
  handoffs_total: number;
  more_people?: number;
}

function cut<T>(list: readonly T[], max: number): { kept: T[]; more?: number } {
  return list.length > max ? { kept: list.slice(0, max), more: list.length - max } : {
    kept: [...list],
  };
}

/** `board` within the limits of `step`, and its first `people` people. */
function pageAt(board: Board, step: typeof PAGE_STEPS[number], people: number): PageBoard {
  const lanes = cut(board.people, people);
  const overlaps = cut(board.overlaps, step.overlaps);
  return {
    generated: board.generated,
    since_days: board.since_days,
    people: lanes.kept.map((p) => {
      const work = cut(p.work, step.work);
      return {
        ...p,
        work: work.kept.map((w) => {
          const files = cut(w.files, step.files);
          return { ...w, files: files.kept, ...(files.more ? { more_files: files.more } : {}) };
        }),
        ...(work.more ? { more_work: work.more } : {}),
      };
    }),
    overlaps: overlaps.kept.map((o) => {
      const work = cut(o.work, step.overlapWork);
      return { ...o, work: work.kept, ...(work.more ? { more_work: work.more } : {}) };
    }),
    handoffs: cut(board.handoffs, step.handoffs).kept,
    works_total: board.people.reduce((n, p) => n + p.work.length, 0),
    overlaps_total: board.overlaps.length,
    handoffs_total: board.handoffs.length,
    ...(lanes.more ? { more_people: lanes.more } : {}),
  };
}

const bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * The board as the page holds it, at most PAGE_BOARD_BYTES of JSON: the newest of each list, the
 * rest counted (the page says "and N more"; `--json` has them all). The widest step that fits is
 * taken; past the narrowest, the people who moved last are left off, counted. Pure.
 */
export function pageBoard(board: Board, budget = PAGE_BOARD_BYTES): PageBoard {
  for (const step of PAGE_STEPS) {
    const page = pageAt(board, step, board.people.length);
    if (bytes(scriptJson(page)) <= budget) return page;
  }
  // Each lane is bounded now: halve the people until it fits (you first, then by the newest move).
  const narrowest = PAGE_STEPS[PAGE_STEPS.length - 1];
  let people = board.people.length;
  let page = pageAt(board, narrowest, people);
  while (people > 0 && bytes(scriptJson(page)) > budget) {
    people = Math.floor(people / 2);
    page = pageAt(board, narrowest, people);
  }
  return page;
}

/** The page of `board`, made by mpm `version`. */
export function renderBoardPage(board: Board, version: string): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    BOARD_PAGE_MARK,
    `<meta http-equiv="Content-Security-Policy" content="${boardCsp()}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="mpm ${version.replace(/[^\w.+-]/g, "")} board">`,
    "<title>mpm board</title>",
    `<style>${css}</style>`,
    "</head>",
    "<body>",
    body,
    `<script id="mpm-board" type="application/json">${scriptJson(pageBoard(board))}</script>`,
    `<script id="mpm-agents" type="application/json">${scriptJson(agentLabels())}</script>`,
    `<script>${js}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
