/** `mpm board`: a team's work at a glance, from this clone's records and what sync pull brought. */
import {
  boolFlag,
  type Command,
  intFlag,
  type Parsed,
  type Result,
  stringFlag,
} from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { MpmError, UsageError } from "../kernel/errors.ts";
import { style } from "../kernel/format/style.ts";
import { VERSION } from "../kernel/version.ts";
import { userFileTarget, writeUserFile } from "../disk/files/user_file.ts";
import { lstatIfExists } from "../disk/read/stat.ts";
import { readSpan } from "../disk/read/read.ts";
import { resolve } from "../kernel/path.ts";
import { openPage } from "../disk/open_page.ts";
import type { Board } from "./board_model.ts";
import { teamBoard } from "./board_read.ts";
import { renderBoard } from "./board_text.ts";
import { isBoardPage, MARK_BYTES, renderBoardPage } from "./board_html.ts";

/** What the board is handed from above it: `mpm sync pull`, run by --pull (its report text). */
export interface BoardServices {
  pull: (env: Env) => Promise<string>;
}

/**
 * The most days --since takes: a hundred years, before any record mpm could have written. More
 * (1000000000) once reached before the earliest date JavaScript has, and the board then showed
 * nothing but the active session; it is refused with the range instead.
 */
const MAX_SINCE_DAYS = 36_500;

async function runBoard(env: Env, parsed: Parsed, services: BoardServices) {
  const asJson = boolFlag(parsed, "json") ?? false;
  const html = stringFlag(parsed, "html");
  const open = boolFlag(parsed, "open") ?? false;
  const force = boolFlag(parsed, "force") ?? false;
  if (asJson && html !== undefined) {
    throw new UsageError("--json and --html are two different outputs; choose one.");
  }
  if ((open || force) && html === undefined) {
    throw new UsageError(`--${open ? "open" : "force"} goes with --html FILE.`);
  }
  const sinceDays = intFlag(parsed, "since", 1, MAX_SINCE_DAYS);
  const person = stringFlag(parsed, "person");
  // The page's path is checked before anything is read or pulled: a refused one costs nothing.
  // A board page mpm wrote there before is replaced as --force would (the morning's look).
  const page = html === undefined ? undefined : await userFileTarget(env.cwd, html, {
    force: force || await mpmPageAt(resolve(env.cwd, html)),
    flag: "--html",
    outcome: "nothing was written",
    example: "~/board.html",
  });
  if (boolFlag(parsed, "pull")) {
    const said = await services.pull(env);
    if (said.trim()) env.warn(said.trimEnd());
  }
  const board = await teamBoard(env, { sinceDays, person });
  if (asJson) return await printJson(env, board);
  if (page === undefined) return text(renderBoard(board, env.now(), style(env.color)));
  const path = await writeUserFile(
    page,
    "board.html",
    renderBoardPage(board, VERSION),
    (at) =>
      new MpmError(
        `--html ${page.given}: ${at} appeared while the board was written, so it was not replaced.`,
        "Run it again with --force, or with another path.",
      ),
  );
  const works = board.people.reduce((n, p) => n + p.work.length, 0);
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  let said = `Wrote ${path}: ${n(board.people.length, "person", "people")}, ` +
    `${n(works, "line", "lines")} of work, ${n(board.overlaps.length, "overlap", "overlaps")}.\n`;
  if (open && !(await openPage(path, env.vars))) {
    said += "Could not open it: no browser opener was found (set BROWSER to one).\n";
  }
  return text(said);
}

/**
 * Whether `path` holds a board page mpm wrote (its mark, board_html.ts): a regular file, not a
 * link, whose head carries it. Anything else, or nothing, is not: the usual rules decide.
 */
async function mpmPageAt(path: string): Promise<boolean> {
  try {
    if ((await lstatIfExists(path))?.isFile !== true) return false;
    const head = await readSpan(path, 0, MARK_BYTES);
    return head !== undefined && isBoardPage(new TextDecoder().decode(head));
  } catch {
    return false;
  }
}

/** How much of the JSON document is sent at a time. */
const JSON_BLOCK = 64 * 1024;

/**
 * The board as `json()` prints it, sent in blocks where the process can stream (else returned
 * whole). With every snapshot of a large team in the window the document is tens of MB (29 MB
 * for 30 people × 100 lines of work: each overlap lists every line that touched its file); made
 * whole, then encoded whole, it had cost the process about 100 MB more than the board itself.
 */
async function printJson(env: Env, board: Board): Promise<Result> {
  if (!env.out) return json(board);
  let block = "";
  for (const part of jsonParts(board)) {
    block += part;
    if (block.length < JSON_BLOCK) continue;
    if (!(await env.out(block))) return {};
    block = "";
  }
  if (block) await env.out(block);
  return {};
}

/**
 * `json(board)`'s text in parts: the document's top level as JSON.stringify indents it, and each
 * item of its lists (people, overlaps, handoffs) stringified on its own and indented to its
 * depth. The same bytes: JSON holds no raw line break inside a value (strings escape theirs), so
 * every line break of an item's JSON is a line of its layout.
 */
function* jsonParts(board: Board): Generator<string> {
  const indented = (value: unknown, indent: string) =>
    JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);
  let comma = "";
  yield "{";
  for (const [key, value] of Object.entries(board)) {
    if (value === undefined) continue;
    yield `${comma}\n  ${JSON.stringify(key)}: `;
    comma = ",";
    if (!Array.isArray(value) || value.length === 0) {
      yield indented(value, "  ");
      continue;
    }
    let each = "[";
    for (const item of value) {
      yield `${each}\n    ${indented(item, "    ")}`;
      each = ",";
    }
    yield "\n  ]";
  }
  yield "\n}\n";
}

export function boardCommandWith(services: BoardServices): Command {
  return {
    name: "board",
    summary: "A team's work at a glance: everyone's lines of work, and the files two touch.",
    details: `Per person (you first), each line of work of the last --since days: its name,
state, when it last moved, the last words, the next step, todo counts, branch and the files
it changed since it began, committed or not, as its newest pause recorded them, and the agent
it was done in where that is not Claude Code ("Payouts (Codex)"). Overlaps are files changed by
lines of work of two or more people, whatever agent each used: the collision seen before the merge.
Handoffs waiting for someone are listed.`,
    more:
      `Only records this clone wrote (sealed with this machine's key: yours) or that mpm sync pull
brought count; a clone's committed records are nobody's current work. A pulled record is a
teammate's, under the git identity that pushed it, marked verified only when mpm sync push
signed it (gpg.format ssh, user.signingkey) with a key the allowed signers give to that email
(gpg.ssh.allowedSignersFile, else a committed .claude-mpm/allowed_signers), else unverified:
an email alone is anyone's, yours too, and two people claiming one email are two lanes. One
signed with this checkout's own user.signingkey (your other machine) is yours.
--json gives each person "verified": BOOL and each line of work "agent" ("claude-code",
"codex", "gemini"). Every text is redacted again and shown as text. --pull runs mpm sync
pull first; nothing else goes to the network.

--html FILE writes one self-contained page (nothing is loaded from outside it): a lane per
person, a card per line of work, the overlaps on top, each person's pauses of the last 14 days,
and a filter box; --open opens it in the browser ($BROWSER, else the system's opener). A page
mpm wrote at FILE before is replaced; any other file only with --force.`,
    flags: [
      {
        name: "since",
        value: "DAYS",
        description: `The last DAYS days (default 14; 1 to ${MAX_SINCE_DAYS}).`,
      },
      {
        name: "person",
        value: "TEXT",
        description: "Only people whose email or name holds TEXT (any case).",
      },
      { name: "pull", description: "Run mpm sync pull first." },
      { name: "json", description: "Print the board as JSON." },
      {
        name: "html",
        value: "FILE",
        description:
          "Write the board as one HTML page (a new file or mpm's own board page; never into .git/ or .claude-mpm/).",
        complete: "files",
      },
      { name: "open", description: "With --html: open the page in the browser." },
      {
        name: "force",
        description:
          "With --html: replace a regular file already at FILE (a board page mpm wrote is replaced without it).",
      },
    ],
    examples: [
      "mpm board",
      "mpm board --pull --since 7",
      "mpm board --person alice --json",
      "mpm board --html board.html --open",
    ],
    run: (env, parsed) => runBoard(env, parsed, services),
  };
}
