/**
 * The timeline in a terminal: one line per event (`[14:02:11] edit src/pay.ts (+12 −3)`), details
 * indented beneath and cut with a count. Pure; every text is made printable first, so only the
 * Style's own colours reach the terminal.
 */
import type { Style } from "../kernel/format/style.ts";
import { printable } from "../kernel/format/text.ts";
import type { TimelineEvent } from "./timeline.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";

export interface TerminalOptions {
  style: Style;
  /** Times as the machine's local time, or UTC (tests, and `TZ=UTC`). */
  utc: boolean;
  /** Detail lines shown under an event before "… N more lines". */
  detailLines?: number;
  /** Longest event line, in characters, before it is cut with "…". */
  lineWidth?: number;
}

/** What the renderer remembers between events: a new day gets a line of its own. */
export interface TerminalState {
  day: string | null;
}

export const DETAIL_LINES = 8;
const LINE_WIDTH = 160;
/** "[14:02:11] " — the details line up under the event's text. */
const INDENT = " ".repeat(11);

export interface Header {
  key: string;
  name: string | null;
  task: string | null;
  span: { start: string; end: string };
  active: boolean;
  claudeSessions: number;
}

export function renderHeader(given: Header, options: TerminalOptions): string[] {
  const header = printableTo(given, 1);
  const s = options.style;
  const title = header.name ? `"${header.name}" (${header.key})` : header.key;
  const until = header.active ? "now (active)" : stamp(header.span.end, options.utc);
  const lines = [
    s.bold(`Replay of ${title}`),
    s.dim(
      `${stamp(header.span.start, options.utc)} → ${until} · ${header.claudeSessions} Claude ` +
        `session${header.claudeSessions === 1 ? "" : "s"}`,
    ),
  ];
  if (header.task) lines.splice(1, 0, `Task: ${header.task}`);
  return lines;
}

export function renderEvent(
  given: TimelineEvent,
  options: TerminalOptions,
  state: TerminalState,
): string[] {
  const event = printableTo(given, EVENT_DEPTH);
  const s = options.style;
  const out: string[] = [];
  const { day, time } = clock(event.time, options.utc);
  if (day !== state.day) {
    out.push(s.dim(`── ${day} ──`));
    state.day = day;
  }
  const width = options.lineWidth ?? LINE_WIDTH;
  const max = options.detailLines ?? DETAIL_LINES;
  const who = (event.sidechain ? s.dim("(subagent) ") : "") +
    (event.imported_from !== undefined
      ? s.dim(`(a teammate's, from ${oneLine(event.imported_from, 100)}) `)
      : "");
  const line = (label: string, text: string) =>
    out.push(`${s.dim(`[${time}]`)} ${who}${label}${text ? `  ${oneLine(text, width)}` : ""}`);
  const details = (text: string, cut = 0, colour?: (line: string) => string) =>
    out.push(...indented(text, max, cut, colour));
  switch (event.kind) {
    case "prompt":
      line(s.bold(s.cyan("prompt")), firstLine(event.text));
      details(afterFirstLine(event.text), event.cut);
      break;
    case "text":
      line(s.bold("claude"), firstLine(event.text));
      details(afterFirstLine(event.text), event.cut);
      break;
    case "thinking":
      line(s.dim("thinking"), s.dim(firstLine(event.text)));
      details(afterFirstLine(event.text), event.cut, s.dim);
      break;
    case "tool": {
      const failed = event.result?.is_error === true;
      line(failed ? s.red(`tool ${event.tool} failed`) : `tool ${event.tool}`, event.summary);
      if (event.result !== null && event.result.text !== "") {
        // A failure is read whole; a success is mostly what Claude read or ran: its start.
        const lines = failed ? max : Math.ceil(max / 2);
        out.push(
          ...indented(`→ ${event.result.text}`, lines, event.result.cut, failed ? s.red : s.dim),
        );
      }
      break;
    }
    case "edit": {
      const counts = `(${s.green(`+${event.added}`)} ${s.red(`−${event.removed}`)})`;
      if (event.failed) {
        line(s.red(`edit ${oneLine(event.path, width)} failed`), firstLine(event.error ?? ""));
      } else line(`${s.bold(s.green("edit"))} ${oneLine(event.path, width)} ${counts}`, "");
      if (!event.failed) out.push(...diffLines(event.diff, event.diff_cut, max * 2, s));
      break;
    }
    case "compact": {
      const parts = [
        event.trigger,
        event.pre_tokens === null ? null : `${group(event.pre_tokens)} tokens before`,
      ]
        .filter(Boolean);
      line(s.yellow("compaction"), parts.length ? `(${parts.join(", ")})` : "");
      break;
    }
    case "compact-summary":
      line(s.yellow("compaction summary"), firstLine(event.text));
      details(afterFirstLine(event.text), event.cut);
      break;
    case "mpm":
      line(s.bold(s.cyan("mpm")), event.text);
      break;
    case "checkpoint": {
      const where = [event.branch, event.head?.slice(0, 7)].filter(Boolean).join(" @ ");
      const note = event.note ? `"${event.note}"` : "";
      line(
        s.bold(s.cyan(`checkpoint ${event.name}`)),
        [note, where ? `(${where})` : ""].filter(Boolean).join(" "),
      );
      break;
    }
    case "error":
      line(s.red(`error${event.tool ? ` ${event.tool}` : ""}`), firstLine(event.text));
      details(afterFirstLine(event.text), 0, s.red);
      break;
    case "commit": {
      const by = [event.author, event.ref].filter(Boolean).join(", ");
      line(s.yellow(`commit ${event.sha.slice(0, 7)}`), `${event.subject}${by ? ` (${by})` : ""}`);
      const files = event.files.map((f) =>
        `${f.from ? `${f.from} → ` : ""}${f.path} ${
          f.added === null ? "(binary)" : `${s.green(`+${f.added}`)} ${s.red(`−${f.removed}`)}`
        }`
      );
      out.push(...indented(files.join("\n"), max, 0));
      break;
    }
    case "claude":
      line(s.dim("claude code"), event.text.replace(/^Claude Code /, ""));
      break;
    case "note":
      line(s.yellow("note"), event.text);
      break;
  }
  return out;
}

/** How deep the renderer reads into an event; deeper values (a tool's input) are never printed. */
const EVENT_DEPTH = 3;

/** Every string down to `depth` levels made printable; what lies deeper left as it is. */
function printableTo<T>(value: T, depth: number): T {
  if (typeof value === "string") return printable(value) as T;
  if (depth === 0 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => printableTo(item, depth - 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = printableTo(item, depth - 1);
  return out as T;
}

/** Notes printed after the events: what was skipped and why. */
export function renderNotes(notes: readonly string[], options: TerminalOptions): string[] {
  return notes.map((note) => `${options.style.yellow("note:")} ${printable(note)}`);
}

function diffLines(diff: string, cutBefore: number, max: number, s: Style): string[] {
  if (diff === "") {
    return cutBefore > 0 ? [`${INDENT}${s.dim(`(diff left out: ${cutBefore} lines)`)}`] : [];
  }
  const lines = diff.endsWith("\n") ? diff.slice(0, -1).split("\n") : diff.split("\n");
  const shown = lines.slice(0, max).map((line) => {
    const colour = line.startsWith("+")
      ? s.green
      : line.startsWith("-")
      ? s.red
      : line.startsWith("@@")
      ? s.cyan
      : s.dim;
    return INDENT + colour(line);
  });
  const more = lines.length - shown.length + cutBefore;
  if (more > 0) shown.push(`${INDENT}${s.dim(`… ${more} more diff line${more === 1 ? "" : "s"}`)}`);
  return shown;
}

function indented(
  text: string,
  max: number,
  cutChars: number,
  colour: (line: string) => string = (line) => line,
): string[] {
  if (text.trim() === "" && cutChars === 0) return [];
  const lines = text.replace(/\s+$/, "").split("\n");
  const shown = lines.slice(0, max).map((line) =>
    INDENT + colour(line.length > LINE_WIDTH ? `${line.slice(0, LINE_WIDTH - 1)}…` : line)
  );
  const more = lines.length - shown.length;
  const parts = [
    more > 0 ? `${more} more line${more === 1 ? "" : "s"}` : null,
    cutChars > 0 ? `${group(cutChars)} more characters` : null,
  ].filter(Boolean);
  if (parts.length > 0) shown.push(`${INDENT}… ${parts.join(", ")}`);
  return shown;
}

function firstLine(text: string): string {
  const trimmed = text.replace(/^\s+/, "");
  const end = trimmed.indexOf("\n");
  return end === -1 ? trimmed : trimmed.slice(0, end);
}

function afterFirstLine(text: string): string {
  const trimmed = text.replace(/^\s+/, "");
  const end = trimmed.indexOf("\n");
  return end === -1 ? "" : trimmed.slice(end + 1);
}

/** `2026-11-24` and `14:02:11`, local or UTC. */
export function clock(iso: string, utc: boolean): { day: string; time: string } {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  const [y, mo, da, h, mi, se] = utc
    ? [
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
    ]
    : [
      d.getFullYear(),
      d.getMonth() + 1,
      d.getDate(),
      d.getHours(),
      d.getMinutes(),
      d.getSeconds(),
    ];
  return { day: `${y}-${pad(mo)}-${pad(da)}`, time: `${pad(h)}:${pad(mi)}:${pad(se)}` };
}

function stamp(iso: string, utc: boolean): string {
  const { day, time } = clock(iso, utc);
  return `${day} ${time}${utc ? " UTC" : ""}`;
}

function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
