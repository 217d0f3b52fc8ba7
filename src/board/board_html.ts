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
import type { Board } from "./board_model.ts";

/** The policy the page carries; exported so tests can hold it to its promise. */
export const BOARD_CSP = pagePolicy(js, css);

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
 * writes it again, and still refuses any other file. A page an older mpm made carries only its
 * generator line, which is read as the same mark.
 */
export const BOARD_PAGE_MARK = '<meta name="mpm-page" content="board">';
const OLDER_MARK = /^<meta name="generator" content="mpm [\w.+-]* board">$/m;

/** How much of a file is read to find the mark: the head up to the generator line and more. */
export const MARK_BYTES = 4096;

/** Whether `head` (a file's first MARK_BYTES) is the head of a board page mpm wrote. Pure. */
export function isBoardPage(head: string): boolean {
  if (!head.startsWith("<!doctype html>\n")) return false;
  const top = head.slice(0, head.indexOf("</head>") < 0 ? head.length : head.indexOf("</head>"));
  return top.split("\n").includes(BOARD_PAGE_MARK) || OLDER_MARK.test(top);
}

/** The page of `board`, made by mpm `version`. */
export function renderBoardPage(board: Board, version: string): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    BOARD_PAGE_MARK,
    `<meta http-equiv="Content-Security-Policy" content="${BOARD_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="mpm ${version.replace(/[^\w.+-]/g, "")} board">`,
    "<title>mpm board</title>",
    `<style>${css}</style>`,
    "</head>",
    "<body>",
    body,
    `<script id="mpm-board" type="application/json">${scriptJson(board)}</script>`,
    `<script id="mpm-agents" type="application/json">${scriptJson(agentLabels())}</script>`,
    `<script>${js}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
