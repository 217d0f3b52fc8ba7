/** `mpm board`: a team's work at a glance, from this clone's records and what sync pull brought. */
import {
  boolFlag,
  type Declared,
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
import {
  HANDOFFS_SHOWN,
  OVERLAP_WORK_SHOWN,
  OVERLAPS_SHOWN,
  PEOPLE_SHOWN,
  renderBoard,
  WORK_SHOWN,
} from "./board_text.ts";
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
 * The board as `json()` prints it, sent in blocks of bytes where the process can stream (else
 * returned whole). With every snapshot of a large team in the window the document is tens of MB
 * (29 MB for 30 people × 100 lines of work: each overlap lists every line that touched its
 * file); made whole, then encoded whole, it had cost the process about 100 MB more than the board
 * itself. Each block is encoded into as its parts come; the overlaps' entries come as bytes.
 */
async function printJson(env: Env, board: Board): Promise<Result> {
  if (!env.out) return json(board);
  for (const block of jsonBlocks(board)) if (!(await env.out(block))) break;
  return {};
}

/** `json(board)`'s UTF-8 in blocks of at most JSON_BLOCK bytes, or of one larger part. */
export function* jsonBlocks(board: Board): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  let block = new Uint8Array(JSON_BLOCK);
  let at = 0;
  for (const part of jsonParts(board)) {
    // A string's UTF-8 takes at most 3 bytes for each of its UTF-16 units.
    const most = typeof part === "string" ? part.length * 3 : part.length;
    if (at > 0 && at + most > JSON_BLOCK) {
      yield block.subarray(0, at);
      [block, at] = [new Uint8Array(JSON_BLOCK), 0];
    }
    if (most > JSON_BLOCK) yield typeof part === "string" ? encoder.encode(part) : part;
    else if (typeof part === "string") at += encoder.encodeInto(part, block.subarray(at)).written;
    else {
      block.set(part, at);
      at += part.length;
    }
  }
  if (at > 0) yield block.subarray(0, at);
}

/**
 * `json(board)`'s text in parts (UTF-8 bytes or text): the document's top level as
 * JSON.stringify indents it, and its lists (people, handoffs) JSON_ITEMS items at a time, each
 * run stringified inside `[[…]]`, where its items sit at the depth (and so the indent) they have
 * in the document, and cut out of it: the same bytes, with no pass that indents them again.
 */
function* jsonParts(board: Board): Generator<string | Uint8Array> {
  let comma = "";
  yield "{";
  for (const [key, value] of Object.entries(board)) {
    if (value === undefined) continue;
    yield `${comma}\n  ${JSON.stringify(key)}: `;
    comma = ",";
    if (!Array.isArray(value) || value.length === 0) {
      yield JSON.stringify(value, null, 2).replaceAll("\n", "\n  ");
      continue;
    }
    if (key === "overlaps") {
      yield* overlapParts(value as Board["overlaps"]);
      continue;
    }
    yield* partsAt(value, "  ", 3);
  }
  yield "\n}\n";
}

/** Whether JSON.stringify writes `v` member by member, as it does an object literal. */
function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype &&
    typeof (v as { toJSON?: unknown }).toJSON !== "function";
}

/** Whether partsAt writes `v` part by part, `levels` deep. */
function nested(v: unknown, levels: number): boolean {
  return levels > 0 && (isPlain(v) || Array.isArray(v) && v.length > 0 && v.some(isPlain));
}

/** JSON.stringify(v, null, 2) as it sits at `indent` (undefined where it leaves `v` out). */
function leafAt(v: unknown, indent: string): string | undefined {
  return JSON.stringify(v, null, 2)?.replaceAll("\n", `\n${indent}`);
}

/**
 * JSON.stringify(value, null, 2) as it sits at `indent` in the document, in parts: `levels` of
 * objects and lists of objects deep written member by member and item by item.
 */
function* partsAt(value: unknown, indent: string, levels: number): Generator<string> {
  const inner = `${indent}  `;
  if (!nested(value, levels)) return yield leafAt(value, indent) ?? "null";
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      yield i === 0 ? `[\n${inner}` : `,\n${inner}`;
      yield* partsAt(v, inner, levels - 1);
    }
    return yield `\n${indent}]`;
  }
  let first = true;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const leaf = nested(v, levels - 1) ? undefined : leafAt(v, inner);
    if (leaf === undefined && !nested(v, levels - 1)) continue;
    yield `${first ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    if (leaf === undefined) yield* partsAt(v, inner, levels - 1);
    else yield leaf;
  }
  yield first ? "{}" : `\n${indent}}`;
}

/** What comes before an overlap's entry that is not its first. */
const NEXT_ENTRY = ",\n        ";

/**
 * The overlaps as jsonParts places them, the list's `[` and `\n  ]` too. A line of work is in
 * many overlaps, one object in each (board_model.ts overlapsOf): its UTF-8 is made once, at the
 * depth it sits at, and repeated (9 of a 100 people's board's 9.5 MB are these). A shape the
 * board does not make is stringified as it is.
 */
function* overlapParts(overlaps: Board["overlaps"]): Generator<string | Uint8Array> {
  const encoder = new TextEncoder();
  const made = new Map<object, Uint8Array>();
  const bytesOf = (w: object) => {
    let bytes = made.get(w);
    if (bytes === undefined) {
      const text = JSON.stringify(w, null, 2).replaceAll("\n", "\n        ");
      made.set(w, bytes = encoder.encode(NEXT_ENTRY + text));
    }
    return bytes;
  };
  let before = "[";
  for (const o of overlaps) {
    const keys = Object.keys(o);
    const plain = keys.length === 2 && keys[0] === "path" && keys[1] === "work" &&
      typeof o.path === "string" && Array.isArray(o.work) && o.work.length > 0 &&
      o.work.every((w) => typeof w === "object" && w !== null && !Array.isArray(w));
    if (!plain) {
      yield `${before}\n    ${JSON.stringify(o, null, 2).replaceAll("\n", "\n    ")}`;
      before = ",";
      continue;
    }
    yield `${before}\n    {\n      "path": ${JSON.stringify(o.path)},\n      "work": [\n        `;
    yield bytesOf(o.work[0]).subarray(NEXT_ENTRY.length);
    for (let i = 1; i < o.work.length; i++) yield bytesOf(o.work[i]);
    before = "\n      ]\n    },";
  }
  yield `${before === "[" ? "[" : before.slice(0, -1)}\n  ]`;
}

export function boardCommandWith(services: BoardServices): Declared {
  return {
    json: `\`\`\`json
{
  "generated": "2026-11-24T16:00:00.000Z",
  "since_days": 14,
  "people": [{
    "email": "dana@example.com",
    "name": "Dana",
    "you": true,
    "verified": true,
    "pauses": [0, 1, 0, 2, 3, 0, 0, 1, 2, 4, 1, 0, 2, 3],
    "work": [{
      "name": "Refunds",
      "key": "s-1a2b3c4d5e",
      "state": "paused",
      "moved": "2026-11-24T14:10:00.000Z",
      "words": "Refund API done",
      "next": "Fix rounding",
      "todos_open": 2,
      "todos_done": 3,
      "branch": "feature/refunds",
      "files": ["src/payments/money.ts", "src/payments/refund.ts"],
      "agent": "claude-code"
    }]
  }],
  "overlaps": [{
    "path": "src/payments/refund.ts",
    "work": [
      {
        "email": "dana@example.com",
        "name": "Refunds",
        "you": true,
        "verified": true,
        "agent": "claude-code"
      },
      {
        "email": "bob@example.com",
        "name": "Checkout",
        "you": false,
        "verified": false,
        "agent": "codex"
      }
    ]
  }],
  "handoffs": [{
    "from": "alice@example.com",
    "to": "dana",
    "work": "Payouts",
    "written_at": "2026-11-24T13:00:00.000Z",
    "summary": "Take the rounding with you"
  }]
}
\`\`\`

- Whose a record is: a snapshot this machine sealed is the person's (\`you: true\`, their git identity
  from \`git var GIT_AUTHOR_IDENT\`); one on \`refs/mpm/sessions\` is its sender's (the author of the
  ref's newest commit that changed \`sessions/<id>.json\` under its own id — a file a push renamed is
  its pusher's, though its \`sync_origin\` names the id another file holds there — or, when the ref
  holds nothing under its own id (a pull renamed it here), under its first id; the record does not
  say which side renamed it, so the ref decides). A sender is \`you\` only when that commit is signed
  with this checkout's own ssh \`user.signingkey\` (the person's other machine), never for an email;
  \`verified\` when its signature is by a key the allowed signers (\`gpg.ssh.allowedSignersFile\`, else
  a committed \`.claude-mpm/allowed_signers\`) give to the email it claims (always true for \`you\`). A
  teammate's lane is one per email, signing key and proof: two people claiming one email are two
  lanes. Anything else (a clone's committed records) is nobody's current work and is left out. Who
  sent what is kept in \`cache/senders.json\` (sealed like every cache) for the ref's commit and the
  allowed signers it was checked against:
  \`{"ref", "signers": HASH,
  "people": ["email\\tname\\tkey\\tverified", …], "files": "sessions/<id>.json\\tN\\n…"}\`
  (N indexes \`people\`; \`""\` is mpm's stand-in author, nobody; \`key\` is a good signature's SHA256
  fingerprint, \`verified\` 1 or 0); a board after a pull asks git only for the commits since, and
  reads them all again when the allowed signers changed. The files of a board's window (from its
  first id on) are kept beside it, the same with \`"from": "sessions/<id>"\`, in
  \`cache/senders-recent.json\`: a board of the same commit and signers reads only those.

- \`people\`: you first, then by the newest move; a person with no open work in the window is left out
  (you too). \`pauses\`: snapshots a day over the last 14 days (UTC), oldest first.

- A line of work is one person's session (\`mpm.key\`) with a snapshot in the last \`since_days\` days;
  its newest snapshot gives \`name\` (else its task, else the summary's first line), \`state\`
  (\`paused\`, \`branched\`, \`worktree\` for a snapshot written in a work tree under the project, and
  \`active\` for the session \`state.json\` holds), \`moved\` (\`paused_at\`; for the active one, its start
  or newest pause), \`words\` (the summary), \`next\` (the first next step), the todo counts and
  \`branch\`. A line whose newest snapshot is \`completed\` or \`cancelled\` is over and left out.
  \`files\`: what its work changed since it began, committed or not, as its newest snapshot records it
  (\`mpm.work_files\`); where that snapshot has none (a migrated one), every path with uncommitted
  work in any of its snapshots of the window down to the newest one that has it (added to its
  \`mpm.work_files\`); for the active one also what \`git status\` calls changed now; at most 500.
  \`agent\`: the agent the work was done in, \`claude-code\`, \`codex\` or \`gemini\` — for the active
  session the one its hooks' sightings name last, else (and for every other line) its newest
  snapshot's \`mpm.agent\`, \`claude-code\` where it has none. The terminal, the page, \`team_work\` and SessionStart name it
  after the work's name only where it is not Claude Code (\`Payouts (Codex)\`; in \`team_work\`'s
  overlaps \`(Payouts, in Codex)\`).

- Every text (names, words, next steps, paths, branches, keys) is redacted again and made one line
  (at most 300 characters; names, branches and keys 120), and every time is ISO: the terminal, the
  page, SessionStart and \`team_work\` show the same words. The JSON holds every line of work; the
  terminal shows each person's newest ${WORK_SHOWN}, the first ${PEOPLE_SHOWN} people, ${OVERLAPS_SHOWN} overlaps (${OVERLAP_WORK_SHOWN} lines
  of work each) and ${HANDOFFS_SHOWN} handoffs, and counts the rest.

- \`overlaps\`: a path in the \`files\` of lines of work of two or more people (an untracked folder,
  \`dir/\`, is not one), whatever agent each worked in, with each line that touched it and its
  \`agent\`; most lines first. One person's own lines (in one agent or several) are not an overlap.

- \`handoffs\`: a line of work whose newest snapshot is \`mpm handoff\`'s (\`mpm.handoff\`) and that no
  one went on with since: from whom, to whom (\`null\`: anyone), and the handoff's summary. Going on
  with it is a newer snapshot of the same \`mpm.key\` among the board's records, whoever's it is — the
  recipient's pause or \`done\`, the giver's own, a third person's — or the person's active session on
  that key. A key is shared only by going on with its session (resuming it, or a pause that joins
  it), so a newer snapshot of it, by anyone, is someone going on with that work. Newer is by
  \`paused_at\`, as the board orders every line.

\`mpm board --html FILE\` writes the same board as one page: the JSON in a
\`<script type="application/json">\` block (\`<\` escaped), the labels of the agents it names (every
agent but Claude Code, \`{"codex": "Codex"}\`) in a second one, the page built from them with
\`textContent\` only, and a Content-Security-Policy allowing only its own script and style by hash
(\`default-src 'none'\`; no connection, font, frame, form or base).

SessionStart adds, after the records of the work itself, a part titled "A teammate's work on the
same files (pulled with mpm sync pull, not the person's)" when the current work's changed files
(\`git status\`, and the resumed pause's: its uncommitted paths and its \`mpm.work_files\`) are in a
teammate's line of work of the last 14 days: at most three inert lines, newest first,
\`- EMAIL (verified|unverified) — WORK, STATE AGO — also changed PATH\` (\`WORK (Codex)\` for work in
another agent than Claude Code; \`src/board/teammates.ts\`), from the newest 400 teammates' snapshots
at most, read for at most 2 s (\`MPM_TEAMMATE_BUDGET_MS\` sets another; past it the part is one line
saying it was skipped, and \`mpm board\` shows it). Where nothing was ever pulled it reads nothing.`,
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
"codex", "gemini"). Every text is redacted again and shown as text. The terminal shows
each person's newest ${WORK_SHOWN} lines of work and says how many more --json lists.
--pull runs mpm sync pull first; nothing else goes to the network.

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
