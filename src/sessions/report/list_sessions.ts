/**
 * The page `mpm list` and `mpm resume --list` print (their flags declared here): snapshots newest
 * first, one per session unless --all or --json; another agent's work is tagged ("Codex").
 */
import { linkLines } from "./worktree_link.ts";
import { readState } from "../store/state/state_store.ts";
import { emptyState } from "../store/records/state/state.ts";
import { ago, rowLine, shortTime } from "./row_text.ts";
import { style } from "../../kernel/format/style.ts";
import { numberRanges } from "../../kernel/format/numbers.ts";
import { listEntries, type Listing, listSnapshots } from "../store/listing/listing.ts";
import { displayPath } from "../../disk/paths.ts";
import { boolFlag, intFlag, type Parsed, stringFlag } from "../../cli/command.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import {
  type Listed,
  loadEach,
  openProject,
  type Project,
  WITHOUT_PATHS,
} from "../store/session/project.ts";
import {
  firstId,
  localSessionKey,
  type Snapshot,
  writtenBy,
  writtenElsewhere,
} from "../../kernel/snapshot.ts";
import {
  autoNote,
  groupBySession,
  listedSessionKey,
  sentFiles,
} from "../store/snapshots/session_history.ts";
import type { Senders } from "../../git/history/sender.ts";
import { findGitDirs, mayHoldRef } from "../../git/run/root.ts";
import { agentOf, otherAgentLabel } from "../../kernel/agent_name.ts";
import { spooledNames } from "../store/session/spool_names.ts";
import { handoffsBySession, type SessionHandoffs } from "./claude_by_session.ts";
import {
  LIFECYCLE_STATES,
  type LifecycleState,
  parseLifecycleState,
  snapshotLifecycle,
} from "../store/records/lifecycle/lifecycle.ts";
import { pushAll } from "../../kernel/lists.ts";

/** A listed snapshot's lifecycle state (the session at work now: active); null when unreadable. */
function lifecycleOf(l: Listed, activeKey: string | null): LifecycleState | null {
  if (l.entry.location === "archive") return "archived";
  if (!l.snapshot) return null;
  if (activeKey !== null && localSessionKey(l.snapshot) === activeKey) return "active";
  return snapshotLifecycle(l.snapshot.mpm.state);
}

const DEFAULT_LIMIT = 20;

export const listFlags = [
  {
    name: "limit",
    value: "N",
    description: `Show at most N sessions, or N snapshots with --all or --json (default: ` +
      `${DEFAULT_LIMIT}; every snapshot with --all; 0 for all).`,
  },
  {
    name: "all",
    description:
      "List every snapshot, automatic and archived ones included (all unless --limit is given).",
  },
  {
    name: "state",
    value: "STATE",
    description: "Only sessions in STATE: new, active, paused, completed, cancelled or archived.",
    complete: [...LIFECYCLE_STATES],
  },
  {
    name: "json",
    description: `Print the list as JSON: the newest ${DEFAULT_LIMIT} snapshots, unfolded ` +
      "(--limit 0 for all).",
  },
];

export async function runList(env: Env, parsed: Parsed) {
  // A state is checked before anything is read: a wrong one is one sentence, exit 2.
  const rawState = stringFlag(parsed, "state");
  const wanted = rawState === undefined ? undefined : parseLifecycleState(rawState);
  const project = await openProject(env);
  const all = boolFlag(parsed, "all") ?? false;
  const asJson = boolFlag(parsed, "json") ?? false;
  // A page either way: JSON of 10,000 snapshots reads 10,000 files; `--limit 0` asks for them.
  const limit = intFlag(parsed, "limit") ?? (all ? 0 : DEFAULT_LIMIT);
  const withArchive = all || wanted === "archived";
  const entries = await listSnapshots(project.paths, {
    locations: withArchive ? ["sessions", "pause", "archive"] : ["sessions", "pause"],
  });
  const folding = !all && !asJson;
  const keys = sessionKeys(project);
  // The session at work now is "active now" on the page, and for --state.
  const state = await readState(project.paths).catch(() => emptyState());
  const activeKey = state.active?.key ?? null;
  // With --state every snapshot is read: a session is in its newest snapshot's state.
  let loaded = await readPage(project, entries, wanted ? 0 : limit, folding ? keys : null);
  if (wanted) {
    const stateOf = (l: Listed) => lifecycleOf(l, activeKey);
    const keep = folding
      ? new Set(
        groupBySession(loaded, keys.keyOf).filter((g) => stateOf(g.head) === wanted)
          .flatMap((g) => [g.head, ...g.folded]),
      )
      : null;
    loaded = loaded.filter((l) => keep ? keep.has(l) : stateOf(l) === wanted);
    if (!folding && limit > 0) loaded = loaded.slice(0, limit);
  }
  const numberOf = await listNumbers(project, withArchive);
  if (asJson) {
    // The JSON's row says it too, but a person piping it to another program sees only stderr.
    for (const l of loaded) if (l.error) env.warn(`mpm: ${l.error.message}`);
    return json(loaded.map((l) => ({
      index: numberOf(l),
      session_id: l.entry.id,
      name: l.snapshot?.mpm.name ?? null,
      paused_at: l.snapshot?.paused_at ?? null,
      summary: l.snapshot?.conversation.summary ?? null,
      file: displayPath(project.paths, l.entry.file),
      state: l.snapshot
        ? (l.entry.location === "archive" ? "archived" : l.snapshot.mpm.state)
        : "invalid",
      ...(l.snapshot
        ? {
          line: localSessionKey(l.snapshot),
          written_by: writtenBy(l.snapshot),
          agent: agentOf(l.snapshot.mpm.agent),
          carried_from: l.snapshot.mpm.carried?.from ?? null,
        }
        : {}),
      ...(l.error ? { error: l.error.message } : {}),
    })));
  }
  const queued = (await spooledNames(project.paths)).length;
  // A worktree `mpm branch --worktree` made, or the tree it was made from: the link, both ways.
  const links = linkLines(state);
  const linked = links.length > 0 ? [...links, ""] : [];
  if (wanted && loaded.length === 0) {
    // A session started and not yet paused has no snapshot to list.
    const where = wanted === "new" || (wanted === "active" && activeKey !== null)
      ? " (the active session has no snapshot yet: `mpm status` shows it)"
      : "";
    return text(`No sessions are ${wanted}${where}.`);
  }
  if (entries.length === 0) {
    return text([
      ...linked,
      'No paused sessions yet. Save one with: mpm pause -s "what you are doing"',
      ...queuedNote(queued),
    ]);
  }
  const s = style(env.color);
  const now = env.now();
  const groups = folding
    ? groupBySession(loaded, keys.keyOf)
    : loaded.map((head) => ({ head, folded: [] as Listed[] }));
  const visible = limit === 0 ? groups : groups.slice(0, limit);
  // Claude's handoffs fold under their session, after its snapshots.
  const handoffs: SessionHandoffs | null = folding ? await handoffsBySession(project.paths) : null;
  const title = folding
    ? `Work in ${project.root} (newest first, one entry per session):`
    : `Sessions in ${project.root} (newest first):`;
  const lines = [...linked, s.bold(title), ""];
  for (const { head: l, folded } of visible) {
    if (!l.snapshot) {
      lines.push(
        `  [${numberOf(l) ?? "archived"}] ${s.red(l.entry.id)} ${s.red("✗ unreadable")}: ${
          l.error!.message
        }`,
        "",
      );
      continue;
    }
    const snap = l.snapshot;
    // The session at work now: its newest snapshot's state (paused, branched) is not its own.
    const active = folding && localSessionKey(snap) === activeKey;
    const tags = [
      snap.mpm.name ? snap.mpm.name : "",
      otherAgentLabel(agentOf(snap.mpm.agent)) ?? "",
      active
        ? "active now"
        : snap.mpm.state === "completed"
        ? "✓ completed"
        : snap.mpm.state === "cancelled"
        ? "✗ cancelled"
        : snap.mpm.state !== "paused"
        ? snap.mpm.state
        : "",
      l.entry.location === "pause" ? "legacy" : "",
      // A teammate's (pulled) or a copy's: told apart from the person's own.
      writtenElsewhere(snap) ? "written elsewhere" : "",
    ].filter(Boolean);
    const when = `${shortTime(snap.paused_at)} (${ago(new Date(snap.paused_at), now)})`;
    lines.push(
      // An archived snapshot has no number: `mpm show` and `mpm resume` count only the others.
      `  [${numberOf(l) ?? "archived"}] ${s.cyan(l.entry.id)} - ${when}${
        tags.length ? ` [${tags.join(", ")}]` : ""
      }`,
    );
    // The person's words first (a summary of several lines stays one row), then mpm's note.
    const note = autoNote(snap);
    const human = writtenBy(snap) === "person" || Boolean(snap.mpm.carried);
    if (human || note === null || note !== snap.conversation.summary) {
      const whose = writtenElsewhere(snap) ? "words" : "your words";
      const at = snap.mpm.carried
        ? s.dim(` (${whose} of ${shortTime(snap.mpm.carried.written_at)})`)
        : "";
      lines.push(`      ${rowLine(snap.conversation.summary)}${at}`);
    }
    if (note !== null) lines.push(s.dim(`      ${rowLine(note)}`));
    if (folded.length > 0) {
      const autos = folded.filter((f) => f.snapshot && writtenBy(f.snapshot) === "mpm").length;
      const ids = folded.map(numberOf).filter((n) => n !== null);
      const where = [
        autos > 0 ? `${autos} automatic` : "",
        ids.length > 0 ? `index${ids.length === 1 ? "" : "es"} ${sample(ids)}` : "",
        ids.length < folded.length ? `${folded.length - ids.length} archived` : "",
      ].filter(Boolean).join("; ");
      lines.push(
        s.dim(
          `      + ${folded.length} earlier snapshot${folded.length === 1 ? "" : "s"} of this ` +
            `work (${where}): mpm list --all`,
        ),
      );
    }
    const handoffLine = handoffs?.sessionText(localSessionKey(snap), now);
    if (handoffLine) lines.push(s.dim(`      ${handoffLine}`));
    lines.push("");
  }
  if (visible.length < groups.length) {
    lines.push(
      `  … and ${groups.length - visible.length} older (use --limit 0 to see all).`,
      "",
    );
  } else if (!wanted && loaded.length < entries.length) {
    const more = entries.length - loaded.length;
    const what = folding ? ` snapshot${more === 1 ? "" : "s"}` : "";
    lines.push(`  … and ${more} older${what} (use --limit 0 to see all).`, "");
  }
  const loose = handoffs?.looseText();
  if (loose) lines.push(loose, "");
  pushAll(lines, queuedNote(queued));
  lines.push("Resume one with: mpm resume N (or its id)");
  if (visible.some((g) => numberOf(g.head) === null)) {
    lines.push("An archived one is shown by its id: mpm show ID");
  }
  return text(lines);
}

/** The number `mpm show N` takes: its place among the unarchived; null if archived. */
async function listNumbers(
  project: Project,
  withArchive: boolean,
): Promise<(l: Listed) => number | null> {
  if (!withArchive) return (l) => l.index;
  const counted = await listEntries(project.paths, { locations: ["sessions", "pause"] });
  const numbers = new Map(counted.map((entry, index) => [entry.id, index]));
  return (l) => l.entry.location === "archive" ? null : numbers.get(l.entry.id) ?? null;
}

/** The key a listed snapshot folds under, and what it needs to know first. */
interface SessionKeys {
  keyOf: (snapshot: Snapshot) => string;
  /** Reads who sent the pulled snapshots, once, when `listed` holds one written elsewhere. */
  learn: (listed: readonly Listed[]) => Promise<void>;
}

/** Folding as the board does, by session and sender; the sessions ref read only when needed. */
function sessionKeys(project: Project): SessionKeys {
  let sent: Senders | undefined;
  // The least path `sent` answers for: a page's few, not a year's store.
  let floor: string | undefined;
  return {
    keyOf: (snapshot) => listedSessionKey(snapshot, sent ?? new Map()),
    learn: async (listed) => {
      const least = listed.flatMap(({ snapshot: s }) =>
        s && writtenElsewhere(s) ? sentFiles(s.session_id, firstId(s)) : []
      )
        .reduce<string | undefined>((a, b) => a === undefined || b < a ? b : a, undefined);
      if (least === undefined || (floor !== undefined && floor <= least)) return;
      sent = await sessionSenders(project, least);
      floor = least;
    },
  };
}

/** The sessions ref (sender.ts SESSIONS_REF): named here, its code loaded only when it is there. */
const SENT_REF = "refs/mpm/sessions";

/**
 * Who sent each file of the sessions ref from `from` on (kept for its commit, as the board keeps
 * it): the board's window when it holds them, and only those files unpacked. The window is read,
 * never written: it is the board's.
 */
async function sessionSenders(project: Project, from: string): Promise<Senders> {
  const dirs = project.inGit ? await findGitDirs(project.root) : undefined;
  if (dirs === undefined || !(await mayHoldRef(dirs, SENT_REF))) return new Map();
  const [{ boardSendersCache }, { keptSendersOf }, { readSigners }] = await Promise.all([
    import("../store/caches/senders_cache.ts"),
    import("../../git/history/sender.ts"),
    import("../../git/history/signature.ts"),
  ]);
  const cache = boardSendersCache(project.paths);
  return await keptSendersOf(
    project.root,
    SENT_REF,
    "sessions",
    {
      ...cache,
      recent: { read: cache.recent.read, write: () => Promise.resolve() },
    },
    await readSigners(project.root),
    { from },
  );
}

/** The snapshots a page shows, newest first, only those opened; folded: `limit` sessions. */
async function readPage(
  project: Project,
  entries: Listing,
  limit: number,
  keys: SessionKeys | null,
): Promise<Listed[]> {
  if (limit === 0 || keys === null) {
    const read = await loadEach(
      project,
      limit === 0 ? entries.slice() : entries.slice(0, limit),
      WITHOUT_PATHS,
    );
    await keys?.learn(read);
    return read;
  }
  const read: Listed[] = [];
  const sessions = new Set<string>();
  // One more than the page: when every snapshot is its own session, one batch suffices.
  const batch = Math.max(limit + 1, 8);
  for (let start = 0; start < entries.length; start += batch) {
    const loaded = await loadEach(project, entries.slice(start, start + batch), WITHOUT_PATHS);
    await keys.learn(loaded);
    for (const l of loaded) {
      // An unreadable snapshot is a session of its own, as groupBySession shows it.
      const session = l.snapshot ? keys.keyOf(l.snapshot) : `\0${l.entry.id}`;
      if (!sessions.has(session) && sessions.size === limit) return read;
      sessions.add(session);
      read.push({ ...l, index: start + l.index });
    }
  }
  return read;
}

function queuedNote(count: number): string[] {
  return count === 0 ? [] : [
    `${count} automatic pause${count === 1 ? " is" : "s are"} queued (the lock was busy); ` +
    "the next mpm command that changes state saves them.",
    "",
  ];
}

/** Indexes as ranges ("2 to 7, 9"), the first `max` parts of them. */
function sample(items: number[], max = 6): string {
  const parts = numberRanges(items).split(", ");
  const head = parts.slice(0, max).join(", ");
  return parts.length > max ? `${head}, …` : head;
}
