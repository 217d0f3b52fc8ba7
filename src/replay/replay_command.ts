/**
 * `mpm replay [SESSION]`: the session's timeline (Claude's side, mpm's moves, errors, commits) in
 * the terminal, as JSON lines, or as one HTML page; streamed, never held in memory.
 */
import { boolFlag, type Declared, listFlag, type Parsed, stringFlag } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { type UserFile, userFileTarget, writeUserFileStream } from "../disk/files/user_file.ts";
import { MpmError, UsageError } from "../kernel/errors.ts";
import { style } from "../kernel/format/style.ts";
import { VERSION } from "../kernel/version.ts";
import { type Gathered, gatherSession } from "./gather.ts";
import { openTimeline, tallyNotes } from "./open_timeline.ts";
import { htmlEnd, htmlEvent, htmlStart } from "./render_html.ts";
import { renderEvent, renderHeader, renderNotes, type TerminalOptions } from "./render_terminal.ts";
import {
  CATEGORIES,
  type Filter,
  HTML_LIMITS,
  JSON_LIMITS,
  keep,
  kindsFor,
  type Limits,
  type TimelineEvent,
} from "./timeline.ts";
import { parseWhen, usesUtc } from "./when.ts";

export interface ReplayOptions {
  selector?: string;
  step: boolean;
  filter: Filter;
  /** `html`: the path as given, checked (disk/files/user_file.ts) before anything is read. */
  output: { kind: "terminal" } | { kind: "json" } | { kind: "html"; given: string; force: boolean };
  /** The raw --since/--until, resolved once the session's day is known. */
  since?: string;
  until?: string;
}

export function replayOptions(env: Env, parsed: Parsed): ReplayOptions {
  const json = boolFlag(parsed, "json") === true;
  const html = stringFlag(parsed, "html");
  const step = boolFlag(parsed, "step") === true;
  const force = boolFlag(parsed, "force") === true;
  if (force && html === undefined) {
    throw new UsageError("--force goes with --html: it lets the page replace a file.");
  }
  if (json && html !== undefined) {
    throw new UsageError("--json and --html are two different outputs; choose one.");
  }
  if (step && (json || html !== undefined)) {
    throw new UsageError(
      "--step is for reading in the terminal; it does not go with --json or --html.",
    );
  }
  if (step && env.readLine === undefined) {
    throw new UsageError(
      "--step waits for Enter between events, so it needs a terminal on stdin and stdout.",
      "Run it in a terminal, or without --step.",
    );
  }
  const groups = listFlag(parsed, "only").flatMap((v) => v.split(",")).map((v) => v.trim())
    .filter(Boolean);
  let only: Filter["only"];
  if (groups.length > 0) {
    const kinds = kindsFor(groups);
    if ("unknown" in kinds) {
      throw new UsageError(
        `--only takes ${Object.keys(CATEGORIES).join(", ")}, not ${JSON.stringify(kinds.unknown)}.`,
      );
    }
    only = kinds;
  }
  return {
    selector: parsed.args[0],
    step,
    filter: { only, skipTools: boolFlag(parsed, "skip-tools") === true },
    output: html !== undefined
      ? { kind: "html", given: html, force }
      : json
      ? { kind: "json" }
      : { kind: "terminal" },
    since: stringFlag(parsed, "since"),
    until: stringFlag(parsed, "until"),
  };
}

function resolveTimes(options: ReplayOptions, gathered: Gathered, env: Env): Filter {
  const ctx = { now: env.now(), dayOf: new Date(gathered.span.end), utc: usesUtc(env.vars) };
  const at = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const when = parseWhen(text, ctx);
    if (when === null) {
      throw new UsageError(
        `--${flag} must be a date, a time or a duration, not ${JSON.stringify(text)}.`,
        "For example: 2026-11-24T14:05, 14:05, 2h or 30m.",
      );
    }
    return when;
  };
  return {
    ...options.filter,
    since: at("since", options.since),
    until: at("until", options.until),
  };
}

/** Writes text as it is made, in blocks, when the process can stream; else collects it. */
class Sink {
  private readonly parts: string[] = [];
  private held = 0;
  open = true;
  constructor(private readonly env: Env) {}
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.held += text.length;
    if (this.env.out && this.held >= 64 * 1024) await this.flush();
  }
  /** Sends what is held (before waiting for the person, and at the end). */
  async flush(): Promise<void> {
    if (!this.env.out || this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts.length = 0;
    this.held = 0;
    if (this.open) this.open = await this.env.out(text);
  }
  async result(): Promise<string> {
    await this.flush();
    return this.env.out ? "" : this.parts.join("");
  }
}

export async function runReplay(env: Env, options: ReplayOptions): Promise<{ stdout: string }> {
  // The page's path is checked before anything is read: a refused one costs nothing.
  const page = options.output.kind === "html"
    ? await userFileTarget(env.cwd, options.output.given, {
      force: options.output.force,
      flag: "--html",
      outcome: "nothing was written",
      example: "~/replay.html",
    })
    : undefined;
  const gathered = await gatherSession({
    selector: options.selector,
    cwd: env.cwd,
    now: env.now(),
    home: homeDir(env),
    vars: env.vars,
  }, "replay");
  const filter = resolveTimes(options, gathered, env);
  const limits: Limits = options.output.kind === "json" ? JSON_LIMITS : HTML_LIMITS;
  const { events, tallies } = openTimeline(gathered, limits);
  const run: Run = {
    env,
    gathered,
    events: filtered(events, filter),
    notes: () => [...gathered.notes, ...tallyNotes(tallies)],
    tallies,
    sink: new Sink(env),
  };
  if (page !== undefined) await writeHtml(run, page);
  else if (options.output.kind === "json") await writeJson(run);
  else await writeTerminal(run, options.step);
  return { stdout: await run.sink.result() };
}

interface Run {
  env: Env;
  gathered: Gathered;
  events: AsyncGenerator<TimelineEvent>;
  /** What was left out, known once the events are read. */
  notes: () => string[];
  tallies: ReturnType<typeof openTimeline>["tallies"];
  sink: Sink;
}

async function writeHtml(run: Run, page: UserFile): Promise<void> {
  const session = sessionFacts(run.gathered);
  let count = 0;
  const pieces = async function* () {
    yield htmlStart(session);
    for await (const event of run.events) yield htmlEvent(event, count++);
    yield htmlEnd({
      session,
      notes: run.notes(),
      claude: run.gathered.claude.map((c) => ({ id: c.id, transcript: c.transcript })),
      generated: run.env.now().toISOString(),
      version: VERSION,
    });
  };
  const { path, size } = await writeUserFileStream(
    page,
    "replay.html",
    pieces(),
    (at) =>
      new MpmError(
        `--html ${page.given}: ${at} appeared while the replay was written, so it was not replaced.`,
        "Run it again with --force, or with another path.",
      ),
  );
  for (const note of run.notes()) run.env.warn(`mpm: ${note}`);
  await run.sink.write(
    `Wrote ${path}: ${count} event${count === 1 ? "" : "s"}, ${(size / 1024).toFixed(0)} KB.\n`,
  );
}

async function writeJson(run: Run): Promise<void> {
  const { sink, gathered } = run;
  const first = { kind: "session", ...sessionFacts(gathered), claude: claudeFacts(gathered) };
  await sink.write(JSON.stringify(first) + "\n");
  let count = 0;
  for await (const event of run.events) {
    await sink.write(JSON.stringify(event) + "\n");
    count++;
    if (!sink.open) return;
  }
  const end = {
    kind: "end",
    events: count,
    notes: run.notes(),
    transcripts: tallyFacts(run.tallies),
  };
  await sink.write(JSON.stringify(end) + "\n");
}

async function writeTerminal(run: Run, step: boolean): Promise<void> {
  const { env, gathered, sink } = run;
  const terminal: TerminalOptions = { style: style(env.color), utc: usesUtc(env.vars) };
  const header = renderHeader({
    key: gathered.key,
    name: gathered.name,
    task: gathered.task,
    span: gathered.span,
    active: gathered.active !== null,
    claudeSessions: gathered.claude.length,
  }, terminal);
  if (step) header.push(terminal.style.dim("Enter shows the next event; q and Enter stops."));
  await sink.write(header.join("\n") + "\n");
  const state = { day: null };
  let count = 0;
  for await (const event of run.events) {
    await sink.write(renderEvent(event, terminal, state).join("\n") + "\n");
    count++;
    if (!sink.open) return;
    if (step && env.readLine) {
      await sink.flush();
      const answer = await env.readLine();
      if (answer === null || answer.trim().toLowerCase() === "q") break;
    }
  }
  if (count === 0) await sink.write("(no events match)\n");
  const notes = renderNotes(run.notes(), terminal);
  if (notes.length > 0) await sink.write(notes.join("\n") + "\n");
}

/** The events the filter keeps, one by one, from the merged batches. */
async function* filtered(batches: AsyncIterable<TimelineEvent[]>, filter: Filter) {
  for await (const batch of batches) {
    for (const event of batch) if (keep(event, filter)) yield event;
  }
}

function sessionFacts(gathered: Gathered) {
  return {
    key: gathered.key,
    name: gathered.name,
    task: gathered.task,
    active: gathered.active !== null,
    span: gathered.span,
  };
}

function claudeFacts(gathered: Gathered) {
  return gathered.claude.map((c) => ({
    id: c.id,
    transcript: c.transcript,
    first_seen: c.first_seen,
  }));
}

function tallyFacts(tallies: ReturnType<typeof openTimeline>["tallies"]) {
  return tallies.map((t) => ({
    claude_session: t.claudeSession,
    transcript: t.transcript,
    lines: t.stats.lines,
    entries: t.stats.entries,
    bad_lines: t.stats.bad,
    oversized_lines: t.stats.oversized,
    unknown_types: t.stats.unknown,
    orphan_results: t.stats.orphanResults,
    outside_span: t.outside,
    error: t.error,
  }));
}

export const replayCommand: Declared = {
  json: `- \`mpm replay --json\` prints JSON lines (one document per line, not one document): first
  \`{"kind": "session", "key", "name", "task", "active", "span": {"start", "end"}, "claude":
  [{"id", "transcript", "first_seen"}]}\`,
  then one line per event in time order, then
  \`{"kind": "end", "events", "notes", "transcripts": [{"claude_session", "transcript", "lines",
  "entries", "bad_lines", "oversized_lines", "unknown_types", "orphan_results", "outside_span",
  "error"}]}\`.
  \`notes\` are sentences saying what was left out (a missing transcript, skipped lines). Every event
  has \`{"time", "kind", "source", "claude_session", "sidechain"}\`: \`time\` ISO 8601 UTC (commits to
  the second, as git keeps them), \`source\` \`claude\`, \`mpm\` or \`git\`, \`claude_session\` the Claude
  Code session id (else \`null\`), \`sidechain\` \`true\` for a subagent's work. By \`kind\`:
  - \`prompt\`, \`text\` (Claude's answer), \`thinking\`, \`compact-summary\` (Claude's summary at a
    compaction): \`"text", "cut"\` — \`cut\` counts the characters left out.
  - \`tool\`: \`"tool", "summary", "input", "result"\` — \`summary\` one line (Bash's command, Read's
    path…), \`input\` the arguments (each string cut to 8,192 characters), \`result\`
    \`{"text", "is_error", "cut"}\` or \`null\` when the transcript has none.
  - \`edit\` (Edit, MultiEdit, Write, NotebookEdit):
    \`"tool", "path", "operation", "added",
    "removed", "diff", "diff_cut", "failed", "error"\` —
    \`path\` relative to the project (or to the Claude session's folder), \`operation\` \`edit\`,
    \`multi-edit\`, \`write\` or \`create\`, \`diff\` unified-diff hunks without the \`---\`/\`+++\` header
    (line numbers from Claude Code's \`structuredPatch\` when the result recorded one), \`diff_cut\` the
    diff lines left out (after 2,000), \`failed\` when the tool's result was an error (\`error\` its
    text).
  - \`compact\`: \`"trigger", "pre_tokens"\`.
  - \`mpm\`: \`"command", "text", "snapshot"\` — an events.jsonl line (\`start\`, \`pause\`, \`resume\`,
    \`branch\`, \`return\`, \`todo …\`) or a snapshot no line mentions, \`text\` as the terminal shows it. A
    handoff Claude wrote is \`"command": "handoff"\` from its record (synced ones too), its
    \`claude_session\` the session that wrote it and its \`text\` a link of the chain:
    \`Claude handed off (<id>, after <previous id>): <goal> Next: <next step>\`.
  - \`checkpoint\`: \`"name", "note", "branch", "head"\`.
  - \`error\`: \`"tool", "text"\` (an error record).
  - \`commit\`: \`"sha", "subject", "author", "ref", "files": [{"path", "from"?, "added", "removed"}]\`
    (\`added\`/\`removed\` \`null\` for a binary file).
  - \`claude\`: \`"event", "detail", "transcript", "text"\` — a hook's sighting (SessionStart,
    SessionEnd, PreCompact).

  Texts are redacted, then cut to 32,768 characters (tool results too). \`--html\` embeds the same
  events (texts cut to 16,384, results to 8,192, diffs to 400 lines) in the page's
  \`<script id="mpm-events" type="application/json">\`, with every \`<\` written as \`\\u003c\`.`,
  details: `Merges what the agent did (every conversation mpm's hooks saw for this session, in
Claude Code, Codex CLI or Gemini CLI: prompts, answers, thinking, tool calls with their
results, edits as diffs, compactions),
what mpm did (start, pause, resume, checkpoint, branch, return), error records and the git
commits of the session's time into one timeline. Without SESSION: the active session, else
the newest. Every text is redacted before it is shown or written.
--html FILE writes one self-contained page (no request leaves it): play/pause, speed 1×–20×,
step, bookmarks, files touched, light/dark, keyboard shortcuts.`,
  more: `FILE must be new (--force
replaces a regular file); never into .git/ or .claude-mpm/, never onto a link, FIFO or device.
--json prints JSON lines: a "session" line, one line per event, an "end" line (docs/format.md).`,
  args: [{
    name: "SESSION",
    optional: true,
    description: "An id, a unique prefix, the index from `mpm list`, or a session key.",
    complete: "sessions",
  }],
  flags: [
    { name: "step", description: "Wait for Enter between events (q and Enter stops)." },
    { name: "skip-tools", description: "Leave out tool calls (edits stay)." },
    {
      name: "only",
      value: "WHAT",
      multiple: true,
      description: `Only these: ${
        Object.keys(CATEGORIES).join(", ")
      } (repeat or join with commas).`,
      complete: Object.keys(CATEGORIES),
    },
    { name: "since", value: "TIME", description: "From TIME: 2026-11-24T14:05, 14:05, 2h, 30m." },
    { name: "until", value: "TIME", description: "Until TIME (same forms)." },
    { name: "json", description: "Print the timeline as JSON lines." },
    {
      name: "html",
      value: "FILE",
      description:
        "Write the replay as one HTML page (a new file; never into .git/ or .claude-mpm/).",
      complete: "files",
    },
    { name: "force", description: "With --html: replace a regular file already at FILE." },
  ],
  examples: [
    "mpm replay",
    "mpm replay --only edits,commits",
    "mpm replay 0 --since 14:00 --step",
    "mpm replay --html replay.html",
  ],
  run: async (env, parsed) => await runReplay(env, replayOptions(env, parsed)),
};
