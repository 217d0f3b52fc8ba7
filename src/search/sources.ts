/**
 * Where `mpm search` looks, each source read as its own commands read it, offering hits to the
 * search's Kept (keep.ts) as it finds them: no source holds its matches.
 */
import { type AgentName, agentOf } from "../kernel/agent_name.ts";
import { agentNamed } from "../agents/agent.ts";
import { join } from "../kernel/path.ts";
import { IntegrityError, MpmError } from "../kernel/errors.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import {
  type Listing,
  listSnapshots,
  newestFirst,
  type SessionEntry,
} from "../sessions/store/listing/listing.ts";
import { loadSnapshot, readStoredSync } from "../sessions/store/snapshots/read_snapshot.ts";
import { contextLocation, listPartitions, readContext } from "../context/files.ts";
import { judgeErrorRecord } from "../sessions/store/claude/error_record.ts";
import { ensureMachineKey } from "../disk/machine_key.ts";
import { handoffShown, listHandoffs } from "../sessions/store/state/claude_store.ts";
import type {
  ClaudeHandoff,
  HandoffWords,
} from "../sessions/store/records/handoff/claude_record.ts";
import { machineName } from "../sessions/store/records/snapshot/machine.ts";
import { lastActivity, mainKey, type Manifest } from "../vault/records/manifest.ts";
import {
  copyOrigin,
  FROM_REPOSITORY,
  listVault,
  streamLines,
  type VaultEntry,
} from "../vault/records/store.ts";
import { claudeStillHas } from "../vault/records/read.ts";
import type { SeenTranscript } from "../vault/copy/seen.ts";
import type { IndexKind } from "../vault/copy/segment.ts";
import { folded, type Matcher, matchingRecords } from "./match.ts";
import { counted, keep, type Kept, wouldKeep } from "./keep.ts";
import { shownLines } from "./context_lines.ts";
import { shown } from "../kernel/safe_text/shown.ts";
import { sha256HexAsync } from "../kernel/hashing/checksum.ts";
import { asRecord } from "../kernel/check.ts";

export type HitSource = "snapshot" | "handoff" | "context" | "error" | "transcript";

export interface Hit {
  /** ISO time of what matched (a snapshot's pause, an entry's time, a file's last change). */
  time: string | null;
  source: HitSource;
  /** `summary`, `todo`, `note`, `prompt`, `answer`, `tool call`, `tool output`, … */
  kind: string;
  /** The mpm session: a snapshot's id, or a session's key (both are what `mpm replay` takes). */
  session: string | null;
  claude_session: string | null;
  /** The whole matched text, redacted, and where the match is in it. */
  text: string;
  match: [number, number];
  /** The file it is in, relative to the project, when a file says more than the session. */
  file: string | null;
  /** What reopens it: `claude --resume <id>`, `mpm replay <session>`, `mpm show <id>`. */
  open: string | null;
  /** Whose a hit is when not the person's: a remote, "the repository", or a handoff's machine. */
  imported_from?: string;
  /** The agent a transcript hit's conversation ran in when it is not Claude Code (`codex`). */
  agent?: AgentName;
}

/** The order ties keep (a snapshot's words before a transcript's of the same moment). */
const RANK: Record<HitSource, number> = {
  snapshot: 0,
  handoff: 1,
  context: 2,
  error: 3,
  transcript: 4,
};

export interface Scope {
  matcher: Matcher;
  /** Only what is this recent (ISO), or everything. */
  since: string | null;
  tools: boolean;
  root: string;
  paths: ProjectPaths;
  home: string | undefined;
  vars: Readonly<Record<string, string | undefined>>;
  /** Claude sessions the hooks saw, for an error record's session. */
  seen: Map<string, SeenTranscript>;
  /** What could not be read, one sentence each. */
  notes: string[];
  /** The hits held so far, and the count of all. */
  kept: Kept<Hit>;
}

/** Offers a hit; one held is redacted whole and matched again, so no match is inside a secret. */
export function offer(scope: Scope, hit: Hit): void {
  const rank = RANK[hit.source];
  if (!wouldKeep(scope.kept, hit.time, rank)) return counted(scope.kept, rank);
  const text = shown(hit.text);
  const match = text === hit.text ? hit.match : scope.matcher.find(text);
  if (match !== null) keep(scope.kept, { ...hit, text, match }, rank);
}

/** Whether a hit of this time would be held now (its full read is worth its cost then). */
export function wanted(scope: Scope, source: HitSource, time: string | null): boolean {
  return wouldKeep(scope.kept, time, RANK[source]);
}

const recent = (scope: Scope, time: string | null) =>
  scope.since === null || (time !== null && time >= scope.since);

type Loose = Record<string, unknown>;

const obj = (value: unknown): Loose => asRecord(value) ?? {};
const str = (value: unknown): string | null => typeof value === "string" ? value : null;
const strs = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** A snapshot's texts with their kinds, from its parsed JSON. */
function snapshotTexts(raw: Loose): [string, string][] {
  const conversation = obj(raw.conversation);
  const mpm = obj(raw.mpm);
  const todos = obj(raw.todos);
  // Carried words are another snapshot's: they are found there, once.
  const own = mpm.carried == null;
  const texts: [string, string][] = [];
  const add = (kind: string, text: string | null) => {
    if (text !== null && text !== "") texts.push([kind, text]);
  };
  if (own) {
    add("summary", str(conversation.summary));
    for (const t of strs(conversation.accomplishments)) add("accomplishment", t);
    for (const t of strs(conversation.next_steps)) add("next step", t);
    add("name", str(mpm.name));
    add("task", str(mpm.task));
  }
  const items = [todos.active, todos.completed].flatMap((l) => Array.isArray(l) ? l : []);
  for (const todo of items) add("todo", str(obj(todo).content));
  for (const t of strs(mpm.notes)) add("note", t);
  return texts;
}

/** A decoded snapshot as the loose record the texts are taken from. */
function looseOf(snapshot: Snapshot): Loose {
  return snapshot as unknown as Loose;
}

/** A file's JSON as a loose record, or undefined when it is not JSON. */
function parsedJson(text: string): Loose | undefined {
  try {
    return obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

const decoder = new TextDecoder();

/** A snapshot's record for search: JSON as it is, or another format read in full. */
async function readForSearch(scope: Scope, entry: SessionEntry): Promise<Loose | undefined> {
  if (entry.format === "json") {
    let text: string | undefined;
    try {
      const bytes = readStoredSync(entry.file, entry.file);
      text = bytes === undefined ? undefined : decoder.decode(bytes);
    } catch {
      text = undefined; // unreadable: the full read below says why
    }
    // Not JSON: the full read below says so.
    const raw = text === undefined ? undefined : parsedJson(text);
    if (text !== undefined && raw !== undefined) {
      const needle = scope.matcher.needle;
      // Most texts hold a query typed in lower case as it is: those are not folded to be sure.
      if (needle !== null && !text.includes(needle) && !folded(text).includes(needle)) {
        return undefined;
      }
      if (typeof raw.schema_version === "number") return raw;
    }
  }
  try {
    return looseOf(await loadSnapshot(scope.paths, entry));
  } catch (error) {
    if (!(error instanceof MpmError)) throw error;
    scope.notes.push(`${entry.id} was not searched: ${error.message}`);
    return undefined;
  }
}

/** Words this long at most are remembered as they are; longer ones by their sha256. */
const ONCE_CHARS = 1024;

/** What a snapshot's hits say of it beside their words: its pause, its line, its conversation. */
export interface SnapshotHead {
  pausedAt: string | null;
  line: string;
  claude: string | null;
}

/** A snapshot record's head and words, as a search takes them. */
export function snapshotWords(
  raw: Loose,
  entry: SessionEntry,
): { head: SnapshotHead; texts: [string, string][] } {
  const mpm = obj(raw.mpm);
  return {
    head: {
      pausedAt: str(raw.paused_at),
      line: str(mpm.key) || entry.id,
      claude: str(mpm.claude_session_id),
    },
    texts: snapshotTexts(raw),
  };
}

/** What reading a snapshot in full says of it: null, or why it is left out. */
export function snapshotVerdict(paths: ProjectPaths, entry: SessionEntry): Promise<string | null> {
  return loadSnapshot(paths, entry).then(() => null, (error) => {
    if (!(error instanceof MpmError)) throw error;
    return `${entry.id} was left out: ${error.message}`;
  });
}

/** Offers a snapshot's matching words once each; read in full only once a hit would be held. */
export async function offerSnapshot(
  scope: Scope,
  entry: SessionEntry,
  head: SnapshotHead,
  texts: Iterable<readonly [string, string]>,
  seen: Set<string>,
  verdict: () => Promise<string | null>,
): Promise<void> {
  let problem: Promise<string | null> | undefined;
  const all = [...texts];
  const matches = scope.matcher.findEach(all.map(([, text]) => text));
  for (const [k, [kind, text]] of all.entries()) {
    const match = matches[k];
    if (match === null) continue;
    const words = `${head.line}\0${kind}\0${text}`;
    const once = words.length <= ONCE_CHARS ? words : await sha256HexAsync(words);
    if (seen.has(once)) continue;
    seen.add(once);
    if (wanted(scope, "snapshot", head.pausedAt)) {
      problem ??= verdict();
      const said = await problem;
      if (said !== null) {
        if (!scope.notes.includes(said)) scope.notes.push(said);
        break;
      }
    }
    offer(scope, {
      time: head.pausedAt,
      source: "snapshot",
      kind,
      session: entry.id,
      claude_session: head.claude,
      text,
      match,
      file: null,
      open: `mpm show ${entry.id}`,
    });
  }
}

/** One snapshot searched from its file. */
export async function scanSnapshot(
  scope: Scope,
  entry: SessionEntry,
  seen: Set<string>,
): Promise<void> {
  const raw = await readForSearch(scope, entry);
  if (raw === undefined) return;
  const { head, texts } = snapshotWords(raw, entry);
  if (!recent(scope, head.pausedAt)) return;
  await offerSnapshot(scope, entry, head, texts, seen, () => snapshotVerdict(scope.paths, entry));
}

/** The snapshots the search reads, newest first, each built when its page is taken. */
export function searchedSnapshots(paths: ProjectPaths): Promise<Listing> {
  return listSnapshots(paths, { locations: ["sessions", "pause", "archive"] });
}

/** A snapshot is shown only once checksum and schema pass. */
export async function snapshotHits(scope: Scope): Promise<void> {
  // A todo kept through many pauses is found once, in its newest snapshot.
  const seen = new Set<string>();
  // One at a time: a teammate's snapshot may be megabytes, and a search holds hits.
  for (const entry of newestFirst(await searchedSnapshots(scope.paths))) {
    await scanSnapshot(scope, entry, seen);
  }
}

/** A handoff's sections as search kinds: Claude's words, and the person's focus. */
const HANDOFF_KINDS: [keyof HandoffWords, string][] = [
  ["goal", "goal (Claude's)"],
  ["state", "state (Claude's)"],
  ["decisions", "decision (Claude's)"],
  ["tried", "tried (Claude's)"],
  ["files", "file (Claude's)"],
  ["next_step", "next step (Claude's)"],
  ["open_questions", "open question (Claude's)"],
];

/** Claude's handoffs, each section a kind. */
export async function handoffHits(scope: Scope): Promise<void> {
  for (const stored of await listHandoffs(scope.paths)) {
    if (stored.error) {
      scope.notes.push(handoffProblem(stored.error));
      continue;
    }
    const r = stored.record!;
    offerHandoff(scope, handoffHead(stored.id, r, stored.own, stored.time), handoffTexts(r));
  }
}

/** What is said of a handoff that could not be read. */
export const handoffProblem = (error: MpmError) => `${error.message} It was not searched.`;

/** What a handoff's hits say of it beside their words. */
export interface HandoffHead {
  id: string;
  time: string;
  line: string | null;
  claude: string | null;
  /** Whose it is when it is not the person's. */
  from: string | null;
}

export function handoffHead(
  id: string,
  r: Pick<ClaudeHandoff, "machine" | "line" | "claude_session_id">,
  own: boolean,
  time: Date,
): HandoffHead {
  const theirs = !own || (r.machine !== null && r.machine !== machineName());
  const from = r.machine === null ? FROM_REPOSITORY : `the machine ${JSON.stringify(r.machine)}`;
  return {
    id,
    time: time.toISOString(),
    line: r.line,
    claude: r.claude_session_id,
    from: theirs ? from : null,
  };
}

/** A handoff's words, each with its kind, in the order a search offers them. */
export function handoffTexts(r: ClaudeHandoff): [string, string][] {
  const texts: [string, string][] = HANDOFF_KINDS.flatMap(([key, kind]) => {
    const words: unknown = r.handoff[key];
    return (Array.isArray(words) ? words : [words])
      .filter((t): t is string => typeof t === "string" && t !== "")
      .map((t): [string, string] => [kind, t]);
  });
  if (r.focus) texts.push(["focus (the person's)", r.focus]);
  return texts;
}

/** Offers the words of one handoff that match (`texts` may hold others: each is tested). */
export function offerHandoff(
  scope: Scope,
  head: HandoffHead,
  texts: Iterable<readonly [string, string]>,
): void {
  if (!recent(scope, head.time)) return;
  const all = [...texts];
  const matches = scope.matcher.findEach(all.map(([, text]) => text));
  for (const [k, [kind, text]] of all.entries()) {
    const match = matches[k];
    if (match === null) continue;
    offer(scope, {
      time: head.time,
      source: "handoff",
      kind,
      session: head.line,
      claude_session: head.claude,
      text,
      match,
      file: handoffShown(head.id),
      open: `mpm handoff show ${head.id}`,
      ...(head.from !== null ? { imported_from: head.from } : {}),
    });
  }
}

export async function contextHits(scope: Scope): Promise<void> {
  const locations = [contextLocation(scope.root, null)];
  try {
    for (const p of await listPartitions(scope.root)) {
      locations.push(contextLocation(scope.root, p.name));
    }
  } catch (error) {
    if (!(error instanceof MpmError)) throw error;
    scope.notes.push(error.message);
  }
  for (const at of locations) {
    let read;
    try {
      read = await readContext(at);
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      scope.notes.push(error.message);
      continue;
    }
    if (read === undefined) continue;
    const mtime = (await Deno.stat(read.real).catch(() => null))?.mtime?.toISOString() ?? null;
    if (!recent(scope, mtime)) continue;
    // Plain text not in the file is in none of its lines: the file is not redacted for nothing.
    if (scope.matcher.needle !== null && scope.matcher.find(read.text) === null) continue;
    // Redacted as a whole, then cut into lines: a private key block is seen whole only so.
    const lines = shownLines(read.text);
    const matches = scope.matcher.findEach(lines.map((l) => l.text));
    for (const [k, { n, text: line }] of lines.entries()) {
      const match = matches[k];
      if (match === null) continue;
      offer(scope, {
        time: mtime,
        source: "context",
        kind: "context",
        session: null,
        claude_session: null,
        text: line,
        match,
        file: `${at.shown}:${n}`,
        open: null,
      });
    }
  }
}

/** The error records that match; one not sealed here is marked as from the repository. */
export async function errorHits(scope: Scope): Promise<void> {
  let names: string[];
  try {
    names = (await Array.fromAsync(Deno.readDir(scope.paths.errors)))
      .filter((e) => e.isFile && e.name.endsWith(".json")).map((e) => e.name).sort();
  } catch {
    return;
  }
  // Made now where there is none: without one, a clone's records would read as this machine's.
  const key = names.length === 0 ? null : await ensureMachineKey();
  for (const name of names) {
    let judged;
    try {
      const text = await readTextIfExists(join(scope.paths.errors, name), 1024 * 1024);
      judged = await judgeErrorRecord(text, key);
    } catch {
      judged = undefined;
    }
    if (judged === undefined) {
      scope.notes.push(`The error record ${name} did not parse; it was not searched.`);
      continue;
    }
    const r = judged.record;
    if (!recent(scope, r.time)) continue;
    const input = r.tool_input === null ? "" : ` · ${JSON.stringify(r.tool_input)}`;
    const text = `${r.tool ?? r.event}: ${r.error}${input}`;
    const match = scope.matcher.find(text);
    if (match === null) continue;
    // A foreign record's Claude session id attaches it to no session of the person's.
    const seen = judged.own ? scope.seen.get(r.claude_session_id) : undefined;
    offer(scope, {
      time: r.time,
      source: "error",
      kind: "error",
      session: seen?.keys[seen.keys.length - 1] ?? null,
      claude_session: r.claude_session_id,
      text,
      match,
      file: `.claude-mpm/errors/${name}`,
      open: null,
      ...(judged.own ? {} : { imported_from: FROM_REPOSITORY }),
    });
  }
}

/** One transcript hit, as the scan and the index both offer it. */
export function transcriptHit(
  m: Manifest,
  record: { t: string | null; k: IndexKind; f: number; x: string },
  match: Hit["match"],
  open: string | null,
): Hit {
  // Imported or unsealed: not the person's, but for what they wrote here after a restore.
  const from = copyOrigin(m, record.t);
  return {
    time: record.t,
    source: "transcript",
    kind: KIND_NAMES[record.k] + (record.f > 0 ? " (subagent)" : ""),
    session: mainKey(m),
    claude_session: m.claude_session_id,
    text: record.x,
    match,
    file: null,
    open,
    ...(from === undefined ? {} : { imported_from: from }),
    ...(m.agent === undefined ? {} : { agent: m.agent }),
  };
}

export const KIND_NAMES: Record<IndexKind, string> = {
  p: "prompt",
  a: "answer",
  i: "tool call",
  o: "tool output",
};

/** The transcripts' matches, offered piece by checked piece: nothing whole is held. */
export async function transcriptHits(
  scope: Scope,
  entries?: readonly VaultEntry[],
): Promise<void> {
  for (const entry of entries ?? await listVault(scope.paths)) {
    if (entry.error) {
      scope.notes.push(`${entry.error.message} It was not searched.`);
      continue;
    }
    const m = entry.manifest!;
    if (m.dropped || (scope.since !== null && lastActivity(m) < scope.since)) continue;
    const streams = scope.tools ? [m.index.talk, m.index.tools] : [m.index.talk];
    let open: string | null | undefined;
    for (const stream of streams) {
      try {
        for await (const text of streamLines(scope.paths, m.claude_session_id, stream)) {
          for (const { record, match } of matchingRecords(text, scope.matcher)) {
            if (!recent(scope, record.t)) continue;
            // What reopens it is looked up once, for a copy with a hit that is held.
            if (open === undefined && wanted(scope, "transcript", record.t)) {
              open = await reopen(scope, m);
            }
            // Imported or unsealed: not the person's, but for what they wrote here after a restore.
            offer(scope, transcriptHit(m, record, match, open ?? null));
          }
        }
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error;
        scope.notes.push(`${error.message} It was not searched.`);
      }
    }
  }
}

/** The agent's continue command while it still has the transcript, else `mpm replay`. */
export async function reopen(scope: Scope, m: Manifest): Promise<string | null> {
  if (await claudeStillHas(m, scope.root, scope.home, scope.vars)) {
    return agentNamed(agentOf(m.agent)).continueCommand(m.claude_session_id);
  }
  const key = mainKey(m);
  return key === null ? `mpm vault show ${m.claude_session_id}` : `mpm replay ${key}`;
}
