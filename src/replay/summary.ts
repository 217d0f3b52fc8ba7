/**
 * Progressive summaries from mpm's records (no model): the newest hour in full; the hours before as
 * done / decisions / state; a line per older pause; one per finished session. Hours count back
 * from now, or a paused session's last record. Pure.
 */
import type { Snapshot } from "../kernel/snapshot.ts";
import { clock } from "./render_terminal.ts";
import type { HandoffFacts } from "./record_events.ts";
import type { TimelineEvent } from "./timeline.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";
import { pushAll } from "../kernel/lists.ts";

export const LAYER_TITLES = {
  layer1: "Layer 1: Full History (0-1 hour old)",
  layer2: "Layer 2: Detailed Summary (1-4 hours old)",
  layer3: "Layer 3: Brief Summary (4+ hours old)",
  layer4: "Layer 4: Archived (completed sessions)",
} as const;

const HOUR_MS = 60 * 60 * 1000;
/** Items per list, so a busy hour stays readable; the rest is counted. */
const MAX_ITEMS = 40;
/** Finished sessions listed in Layer 4, newest first. */
const MAX_ARCHIVED = 20;

export interface SummaryItem {
  time: string;
  kind: string;
  text: string;
  /** A teammate's (from a vault copy `mpm sync pull` imported): the remote it came from. */
  imported_from?: string;
}

export interface FinishedSession {
  key: string;
  session_id: string;
  time: string;
  name: string | null;
  summary: string;
  /** `completed` (by `mpm return` or `done`), `cancelled` (`mpm cancel`) or `archived` (`mpm prune`). */
  state: string;
}

export interface Summary {
  session: { key: string; name: string | null; task: string | null; active: boolean };
  /** The moment the hours count back from. */
  anchor: string;
  layer1: { items: SummaryItem[]; more: number };
  layer2: {
    what_was_done: string[];
    key_decisions: string[];
    current_state: string[];
  };
  layer3: { time: string; text: string }[];
  layer4: FinishedSession[];
  /** Claude's handoffs of this work (/mpm-handoff), oldest first. */
  handoffs?: {
    id: string;
    time: string;
    previous: string | null;
    goal: string;
    next_step: string;
  }[];
}

export interface SummaryInput {
  session: Summary["session"];
  anchor: Date;
  /** The session's timeline from four hours before the anchor (any order). */
  events: readonly TimelineEvent[];
  /** This session's snapshots, any order. */
  snapshots: readonly Snapshot[];
  /** Every other finished session of the project (see FinishedSession). */
  finished: readonly FinishedSession[];
  /** Open todos now (the active session's, else the newest snapshot's). */
  openTodos: readonly string[];
  /** The git state now, one line ("main @ abc1234 Add refunds"), or null. */
  git: string | null;
  /** Claude's handoffs of this work, any order. */
  handoffs?: readonly HandoffFacts[];
}

export function buildSummary(input: SummaryInput): Summary {
  const anchor = input.anchor.getTime();
  const hourAgo = new Date(anchor - HOUR_MS).toISOString();
  const fourAgo = new Date(anchor - 4 * HOUR_MS).toISOString();
  const events = [...input.events].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const recent = events.filter((e) => e.time > hourAgo);
  const snapshots = [...input.snapshots].sort((a, b) =>
    a.paused_at < b.paused_at ? -1 : a.paused_at > b.paused_at ? 1 : 0
  );

  const layer1Items = recent.flatMap((e) => {
    const item = layer1Item(e);
    return item ? [item] : [];
  });
  // Done and decisions count the newest hour too: a short session did all its work in it.
  const done = events.filter((e) => e.time > fourAgo);
  const layer2 = {
    what_was_done: whatWasDone(done, snapshots, fourAgo),
    key_decisions: keyDecisions(done, snapshots.filter((s) => s.paused_at > fourAgo)),
    current_state: currentState(input, snapshots),
  };
  const layer3 = snapshots.filter((s) => s.paused_at <= fourAgo).map((s) => ({
    time: s.paused_at,
    text: oneLine(s.conversation.summary, 200),
  }));
  const layer4 = [...input.finished].sort((a, b) => (a.time < b.time ? 1 : -1))
    .slice(0, MAX_ARCHIVED);
  return {
    session: input.session,
    anchor: input.anchor.toISOString(),
    layer1: {
      items: layer1Items.slice(-MAX_ITEMS),
      more: Math.max(0, layer1Items.length - MAX_ITEMS),
    },
    layer2,
    layer3,
    layer4,
    handoffs: [...(input.handoffs ?? [])]
      .sort((a, b) => (a.written_at < b.written_at ? -1 : a.written_at > b.written_at ? 1 : 0))
      .map((h) => ({
        id: h.handoff_id,
        time: h.written_at,
        previous: h.previous,
        goal: oneLine(h.goal, 300),
        next_step: oneLine(h.next_step, 300),
      })),
  };
}

/** How a teammate's event is told apart from the user's own: ` (a teammate's, from origin)`. */
function teammates(from: string | undefined): string {
  return from === undefined ? "" : ` (a teammate's, from ${oneLine(from, 100)})`;
}

/** The newest hour in full: the person's prompts (not slash commands), the edits, what failed. */
function layer1Item(event: TimelineEvent): SummaryItem | null {
  const from = event.imported_from;
  const at = (kind: string, text: string): SummaryItem =>
    from === undefined
      ? { time: event.time, kind, text }
      : { time: event.time, kind, text, imported_from: from };
  switch (event.kind) {
    case "prompt":
      return event.sidechain || isSlashCommand(event.text)
        ? null
        : at("prompt", oneLine(event.text, 400));
    case "edit":
      return event.failed
        ? at("failure", `edit ${event.path} failed: ${oneLine(event.error ?? "", 200)}`)
        : at("edit", `${event.path} (+${event.added} −${event.removed})`);
    case "tool":
      return event.result?.is_error
        ? at(
          "failure",
          `${event.tool}${event.summary ? ` \`${oneLine(event.summary, 120)}\`` : ""}: ${
            oneLine(event.result.text, 200)
          }`,
        )
        : null;
    case "error":
      return at("failure", `${event.tool ?? "Claude Code"}: ${oneLine(event.text, 200)}`);
    default:
      return null;
  }
}

/** A slash command (`/exit`, `/mpm-handoff now`); a name holds no `/`: `/etc/hosts …` is not. */
export function isSlashCommand(text: string): boolean {
  return /^\/[A-Za-z][\w:.-]*(?:\s|$)/.test(text.trim());
}

/** Edits, commits, checkpoints, accomplishments and files pauses found changed since `since`. */
function whatWasDone(
  events: readonly TimelineEvent[],
  allSnapshots: readonly Snapshot[],
  since: string,
): string[] {
  const snapshots = allSnapshots.filter((s) => s.paused_at > since);
  const files = new Map<string, { edits: number; added: number; removed: number }>();
  const out: string[] = [];
  for (const e of events) {
    if (e.kind !== "edit" || e.failed) continue;
    const path = e.path + teammates(e.imported_from);
    const f = files.get(path) ?? { edits: 0, added: 0, removed: 0 };
    f.edits++;
    f.added += e.added;
    f.removed += e.removed;
    files.set(path, f);
  }
  const byChange = [...files.entries()].sort((a, b) =>
    (b[1].added + b[1].removed) - (a[1].added + a[1].removed)
  );
  for (const [path, f] of byChange.slice(0, MAX_ITEMS)) {
    out.push(
      `Edited ${path}: ${f.edits} edit${f.edits === 1 ? "" : "s"} (+${f.added} −${f.removed})`,
    );
  }
  if (byChange.length > MAX_ITEMS) out.push(`… and ${byChange.length - MAX_ITEMS} more files`);
  for (const e of events) {
    if (e.kind === "commit") out.push(`Committed ${e.sha.slice(0, 7)} ${oneLine(e.subject, 120)}`);
    if (e.kind === "checkpoint") out.push(`Checkpoint ${e.name}${e.note ? `: ${e.note}` : ""}`);
  }
  const changed = changedAtPauses(allSnapshots, since)
    .filter((path) => !events.some((e) => e.kind === "edit" && !e.failed && e.path === path));
  if (changed.length > 0) {
    const shown = changed.slice(0, 10).map((path) => oneLine(path, 200));
    const more = changed.length - shown.length;
    out.push(`Changed, as a pause found: ${shown.join(", ")}${more > 0 ? ` (+${more} more)` : ""}`);
  }
  for (const s of snapshots) {
    for (const done of s.conversation.accomplishments) out.push(oneLine(done, 200));
  }
  return out;
}

/** Paths a pause since `since` recorded with other uncommitted content than the pause before. */
function changedAtPauses(snapshots: readonly Snapshot[], since: string): string[] {
  const paths = new Set<string>();
  for (let i = 1; i < snapshots.length; i++) {
    if (snapshots[i].paused_at <= since) continue;
    const now = snapshots[i].git_context?.blobs;
    const before = snapshots[i - 1].git_context?.blobs;
    if (!now || !before) continue;
    for (const [path, blob] of Object.entries(now)) {
      if (before[path] !== blob) paths.add(path);
    }
  }
  return [...paths].sort();
}

/** The person's words when they paused, and Claude's own compaction summaries. */
function keyDecisions(events: readonly TimelineEvent[], snapshots: readonly Snapshot[]): string[] {
  const out: { time: string; text: string }[] = [];
  for (const s of snapshots) {
    if (s.mpm.summary_source !== "user") continue;
    const next = s.conversation.next_steps.length > 0
      ? ` Next: ${s.conversation.next_steps.map((n) => oneLine(n, 120)).join("; ")}.`
      : "";
    out.push({
      time: s.paused_at,
      text: `You, pausing: "${oneLine(s.conversation.summary, 300)}".${next}`,
    });
  }
  for (const e of events) {
    if (e.kind === "compact-summary" && !e.sidechain) {
      const whose = e.imported_from === undefined
        ? "Claude's compaction summary"
        : `A teammate's Claude compaction summary${teammates(e.imported_from)}`;
      out.push({ time: e.time, text: `${whose}: ${oneLine(e.text, 600)}` });
    }
  }
  return out.sort((a, b) => (a.time < b.time ? -1 : 1)).map((d) => d.text);
}

function currentState(input: SummaryInput, snapshots: readonly Snapshot[]): string[] {
  const latest = snapshots[snapshots.length - 1];
  const out: string[] = [];
  if (input.session.active) out.push("Active now.");
  else if (latest) {
    const state = latest.mpm.state === "completed"
      ? "Completed"
      : latest.mpm.state === "cancelled"
      ? "Cancelled"
      : "Paused";
    out.push(`${state} at ${latest.paused_at}: ${oneLine(latest.conversation.summary, 300)}`);
  }
  if (latest && latest.conversation.next_steps.length > 0) {
    out.push(
      `Next steps: ${latest.conversation.next_steps.map((n) => oneLine(n, 120)).join("; ")}`,
    );
  }
  if (input.git) out.push(`Git: ${input.git}`);
  if (input.openTodos.length > 0) {
    const shown = input.openTodos.slice(0, 10).map((t) => oneLine(t, 120));
    const more = input.openTodos.length - shown.length;
    out.push(`Open todos: ${shown.join("; ")}${more > 0 ? ` (+${more} more)` : ""}`);
  }
  return out;
}

/** The summary as markdown; `handoffWords` false names handoffs without words (given once). */
export function renderSummary(
  summary: Summary,
  options: { utc: boolean; handoffWords?: boolean },
): string {
  const time = (iso: string) => {
    const { day, time } = clock(iso, options.utc);
    return `${day} ${time.slice(0, 5)}`;
  };
  // Every outside text is one cleaned line: none can start a line of its own in summary.md.
  const name = summary.session.name
    ? `"${oneLine(summary.session.name)}" (${oneLine(summary.session.key)})`
    : oneLine(summary.session.key);
  const lines = [
    `# Session summary: ${name}`,
    "",
    `Counted back from ${time(summary.anchor)}${
      options.utc ? " UTC" : ""
    }; made from mpm's records ` +
    "and Claude Code's transcripts.",
  ];
  if (summary.session.task) lines.push("", `Task: ${oneLine(summary.session.task)}`);
  const list = (items: readonly string[]) =>
    items.length ? items.map((i) => `- ${oneLine(i)}`) : ["- (nothing)"];

  lines.push("", `## ${LAYER_TITLES.layer1}`, "");
  pushAll(lines, [
    ...list(
      summary.layer1.items.map((i) =>
        `${time(i.time).slice(11)} ${i.kind}${teammates(i.imported_from)}: ${i.text}`
      ),
    ),
  ]);
  if (summary.layer1.more > 0) lines.push(`- … ${summary.layer1.more} earlier in the hour`);

  lines.push("", `## ${LAYER_TITLES.layer2}`, "", "### What was done", "");
  pushAll(lines, list(summary.layer2.what_was_done));
  pushAll(lines, ["", "### Key decisions", "", ...list(summary.layer2.key_decisions)]);
  pushAll(lines, ["", "### Current state", "", ...list(summary.layer2.current_state)]);

  lines.push("", `## ${LAYER_TITLES.layer3}`, "");
  pushAll(lines, list(summary.layer3.map((p) => `${time(p.time)}: ${p.text}`)));

  const handoffs = summary.handoffs ?? [];
  if (handoffs.length > 0) {
    lines.push("", "## Claude's handoffs (oldest first; each follows the one above)", "");
    for (const h of handoffs) {
      const words = options.handoffWords === false ? "" : `: ${h.goal} Next: ${h.next_step}`;
      lines.push(
        `- ${
          oneLine(`${time(h.time)} ${h.id}${h.previous ? ` (after ${h.previous})` : ""}${words}`)
        }`,
      );
    }
  }

  lines.push("", `## ${LAYER_TITLES.layer4}`, "");
  pushAll(lines, [...list(summary.layer4.map((s) => {
    const what = s.name ? `"${s.name}": ` : "";
    return `Session ${time(s.time).slice(0, 10)}: ${what}${oneLine(s.summary, 200)} (${s.state})`;
  }))]);
  return lines.join("\n") + "\n";
}
