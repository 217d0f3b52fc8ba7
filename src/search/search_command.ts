/** `mpm search TEXT`: what was said and written in this project, newest first. */
import { UsageError } from "../kernel/errors.ts";
import { style } from "../kernel/format/style.ts";
import { boolFlag, type Declared, intFlag, stringFlag } from "../cli/command.ts";
import { json, text } from "../cli/output.ts";
import { parseWhen, usesUtc } from "../replay/when.ts";
import { pulledSessions, renderSearch, searchJson } from "./render.ts";
import { search } from "./search.ts";
import { findProjectRoot } from "../disk/paths.ts";
import { sentWithOwnKeyCopies } from "../vault/restore/restore.ts";

const DEFAULT_LIMIT = 20;
const DAY_MS = 86_400_000;

/** `--since`: a number of days, a duration (`12h`, `7d`), or a date or time (`2026-11-01`). */
export function sinceOf(value: string | undefined, now: Date, utc: boolean): string | null {
  if (value === undefined) return null;
  if (/^\d{1,6}$/.test(value.trim())) {
    return new Date(now.getTime() - Number(value) * DAY_MS).toISOString();
  }
  const when = parseWhen(value, { now, dayOf: now, utc });
  if (when === null) {
    throw new UsageError(
      `--since ${JSON.stringify(value)} names no time.`,
      "Give days (30), a duration (12h, 7d) or a date (2026-11-01).",
    );
  }
  return when;
}

export const searchCommand: Declared = {
  json:
    `- \`mpm search TEXT --json\`: \`{"query", "regex", "tools", "since", "total", "hits", "notes"}\`.
  \`total\` counts every match (snapshots that fail their checks left out), \`hits\` the newest
  \`--limit\` (default 20; 0: all), newest first — all a search holds while it reads, whatever the
  vault's size (\`src/search/keep.ts\`) — each
  \`{"time", "source", "kind", "session", "claude_session", "excerpt", "match", "file", "open"}\`, and
  \`"imported_from"\` (a remote, or \`the repository\`) on a transcript's hit that is not the person's
  (a pulled copy, or one this machine did not seal; the terminal says \`not yours\`): \`source\` is
  \`snapshot\` (\`kind\` \`summary\`, \`accomplishment\`, \`next step\`, \`name\`, \`task\`, \`todo\`, \`note\`; words
  carried from another snapshot, and a todo kept through later pauses, are found once), \`handoff\`
  (Claude's handoff: \`kind\` \`goal (Claude's)\`, \`state (Claude's)\`, \`decision (Claude's)\`,
  \`tried (Claude's)\`, \`file (Claude's)\`, \`next step (Claude's)\`, \`open question (Claude's)\`,
  \`focus (the person's)\`; \`session\` its \`line\`, \`file\` its \`.md\`, \`open\` \`mpm handoff show <id>\`,
  \`imported_from\` \`the machine "NAME"\` or \`the repository\` for one this machine did not seal or that
  names another machine), \`context\` (\`file\` is \`PATH:LINE\`), \`error\` (\`file\` the record) or
  \`transcript\` (\`kind\` \`prompt\`, \`answer\`, and with \`--tools\` \`tool call\`, \`tool output\`;
  \`(subagent)\` after it for a subagent's). \`session\` is a snapshot's id or a session's key (what
  \`mpm replay\` and \`mpm show\` take); \`excerpt\` is one line, \`match\` \`[start, end]\` in it; \`open\` is
  \`claude --resume <id>\` while Claude Code still has the transcript (this machine's), else
  \`mpm replay <session>\`, \`mpm show <id>\` for a snapshot, \`null\` otherwise. \`notes\` say what could
  not be searched (a damaged copy or snapshot). TEXT is plain text in any case; with \`--regex\` a
  JavaScript regular expression, any case (one that does not compile, or that matches empty text, is
  exit 2). \`--since D\`: D days (\`30\`), a duration (\`12h\`, \`7d\`) or a date or time (\`2026-11-01\`,
  local unless a zone is given). No match is exit 0, \`total: 0\`.`,
  details: `Looks in every snapshot (summaries, accomplishments, next steps, todos, notes;
archived ones too), Claude's handoffs (goal, decisions, what was tried, the next step), the
context files (.claude/context.md and its partitions), the error records, and the
conversations the vault holds (Claude Code, Codex CLI, Gemini CLI): the prompts and the agent's
answers, and with --tools the tool calls and their output as well. Plain text, any case, unless --regex.`,
  more: `Newest first; each match comes
with its session, its time, a one-line excerpt with the match marked, and what reopens it: the
agent's own command while it still has the transcript (\`claude --resume ID\`, \`codex resume
ID\`, \`gemini -r ID\`), else \`mpm replay SESSION\`.
The transcripts, snapshots and handoffs are searched through an index this machine keeps and
brings up to date before each search (\`mpm index\`); their files stay the truth.`,
  args: [{ name: "TEXT", description: "The text to look for (a pattern with --regex)." }],
  flags: [
    { name: "regex", description: "TEXT is a regular expression (JavaScript's syntax)." },
    { name: "tools", description: "Also search tool calls and their output in transcripts." },
    {
      name: "since",
      value: "D",
      description: "Only what is D days old at most (or 12h, 7d, 2026-11-01).",
    },
    {
      name: "limit",
      value: "N",
      description: `Show the newest N matches (default ${DEFAULT_LIMIT}; 0: all).`,
    },
    { name: "json", description: "Print the matches as JSON." },
  ],
  examples: [
    'mpm search "stripe webhook"',
    'mpm search --regex "refund(s|ed)" --since 30',
    "mpm search ECONNREFUSED --tools --json",
  ],
  run: async (env, parsed) => {
    const now = env.now();
    const result = await search(env, parsed.args[0], {
      regex: boolFlag(parsed, "regex") ?? false,
      tools: boolFlag(parsed, "tools") ?? false,
      since: sinceOf(stringFlag(parsed, "since"), now, usesUtc(env.vars)),
      limit: intFlag(parsed, "limit") ?? DEFAULT_LIMIT,
    });
    if (boolFlag(parsed, "json")) return json(searchJson(result));
    for (const note of result.notes) env.warn(`mpm: ${note}`);
    const root = await findProjectRoot(env.cwd);
    const fromOwnKey = await sentWithOwnKeyCopies(root, pulledSessions(result.hits));
    return text(renderSearch(result, style(env.color), env.color, fromOwnKey));
  },
};
