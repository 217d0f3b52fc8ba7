/**
 * The progressive summary of one session: gathers it, reads the last four hours of its timeline
 * and builds the layers; `writeSummaryFile` is what SessionEnd runs.
 */
import { currentBranch } from "../git/history/branch.ts";
import { recentCommits } from "../git/history/history.ts";
import { writeWorkSummary } from "../sessions/store/claude/work_summary.ts";
import { type Gathered, type GatherOptions, gatherSession } from "./gather.ts";
import { openTimeline, tallyNotes } from "./open_timeline.ts";
import { buildSummary, renderSummary, type Summary } from "./summary.ts";
import { keep, type Limits, type TimelineEvent, type TimelineKind } from "./timeline.ts";

/** A summary quotes one line of each text: long texts are cut early, before redaction. */
const SUMMARY_LIMITS: Limits = { text: 2_000, result: 600, input: 300, diffLines: 0 };
const KINDS: ReadonlySet<TimelineKind> = new Set<TimelineKind>([
  "prompt",
  "edit",
  "tool",
  "error",
  "compact-summary",
  "commit",
  "checkpoint",
]);
const HOURS_READ = 4;
/** Of each transcript only the end is read: four busy hours fit, and SessionEnd has a second. */
export const SUMMARY_TAIL_BYTES = 8 * 1024 * 1024;

export interface Summarized {
  gathered: Gathered;
  summary: Summary;
  notes: string[];
}

export async function summarize(options: GatherOptions): Promise<Summarized> {
  const gathered = await gatherSession(options, "summary");
  const anchor = gathered.active ? options.now : new Date(gathered.span.end);
  const since = new Date(anchor.getTime() - HOURS_READ * 3_600_000).toISOString();
  const { events, tallies } = openTimeline(gathered, SUMMARY_LIMITS, {
    tailBytes: SUMMARY_TAIL_BYTES,
    keepLine: summaryLine(since),
  });
  const kept: TimelineEvent[] = [];
  for await (const batch of events) {
    for (const event of batch) {
      if (!keep(event, { only: KINDS, since })) continue;
      // Only failed tool calls make a summary line; the rest are not kept.
      if (event.kind === "tool" && event.result?.is_error !== true) continue;
      kept.push(event);
    }
  }
  const latest = gathered.snapshots[gathered.snapshots.length - 1];
  const openTodos = gathered.active
    ? gathered.active.todos.filter((t) => t.status !== "completed").map((t) => t.content)
    : latest?.todos.active.map((t) => t.content) ?? [];
  const summary = buildSummary({
    session: {
      key: gathered.key,
      name: gathered.name,
      task: gathered.task,
      active: gathered.active !== null,
    },
    anchor,
    events: kept,
    snapshots: gathered.snapshots,
    finished: gathered.finished,
    openTodos,
    git: await gitLine(gathered),
    handoffs: gathered.handoffs,
  });
  return { gathered, summary, notes: [...gathered.notes, ...tallyNotes(tallies)] };
}

/** Raw transcript lines a summary needs, by substrings before parsing, none before `since`. */
export function summaryLine(since: string): (line: string) => boolean {
  const stamp = /"timestamp":\s*"([^"]{20,40})"/;
  return (line) => {
    const first = line.indexOf('"timestamp"');
    if (first !== -1 && first === line.lastIndexOf('"timestamp"')) {
      const time = line.slice(first, first + 80).match(stamp)?.[1];
      if (time !== undefined && time.endsWith("Z") && time < since) return false;
    }
    if (/"type":\s*"assistant"/.test(line)) return line.includes('"tool_use"');
    if (line.includes('"tool_result"')) return /"is_error":\s*true/.test(line);
    return true;
  };
}

/** "main @ abc1234 Add refunds": now for the active session, else as it was paused. */
async function gitLine(gathered: Gathered): Promise<string | null> {
  if (gathered.active === null) {
    const git = gathered.snapshots[gathered.snapshots.length - 1]?.git_context;
    if (!git) return null;
    return [
      git.branch ?? "(detached)",
      git.commit ? `@ ${git.commit.slice(0, 7)}` : null,
      git.commit_message,
    ]
      .filter(Boolean).join(" ");
  }
  const [branch, commits] = await Promise.all([
    currentBranch(gathered.root).catch(() => null),
    recentCommits(gathered.root, 1).catch(() => null),
  ]);
  if (commits === null) return null;
  const head = commits[0];
  return [
    branch ?? "(detached)",
    head ? `@ ${head.sha.slice(0, 7)} ${head.subject}` : "(no commits)",
  ]
    .join(" ");
}

/** Writes `threads/<key>/summary.md` (UTC times), sealed; returns its path. */
export async function writeSummaryFile(
  options: GatherOptions & { selector: string },
): Promise<string> {
  const { gathered, summary } = await summarize(options);
  const text = renderSummary(summary, { utc: true, handoffWords: false });
  return await writeWorkSummary(gathered.paths, gathered.key, text);
}
