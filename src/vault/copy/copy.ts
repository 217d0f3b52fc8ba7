/**
 * Bringing the vault up to date: every Claude Code transcript the hooks saw in this project
 * (seen.ts), with its subagents' transcripts, copied into `.claude-mpm/vault/` redacted and
 * compressed — only the lines added since the last copy when the transcript only grew. Run after
 * every pause and SessionEnd (within a budget of source bytes: a hook must not hold Claude Code
 * up, so a large first copy is finished by later runs) and in full by `mpm vault sync` and
 * `mpm doctor --fix`.
 *
 * A record this machine did not seal (records/store.ts: committed in a clone, written by an older
 * mpm) is never appended to: its transcript is copied again from its start, and the new record
 * sealed.
 *
 * Each copy goes in steps that a crash can stop anywhere: new gzip members are appended to the
 * data files past the length the record names, flushed, and only then is the record (written
 * atomically) moved on; a reader trusts only what the record names, and the next run cuts off
 * what a stopped one left.
 */
import { basename, join } from "../../kernel/path.ts";
import { sha256HexAsync } from "../../kernel/hashing/checksum.ts";
import { errorText } from "../../kernel/errors.ts";
import { byteSize } from "../../kernel/format/numbers.ts";
import { appendAt } from "../../disk/files/append.ts";
import { removeFile } from "../../disk/files/atomic.ts";
import { LockBusyError, withLock } from "../../disk/lock.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  type FileFacts,
  type LinesRead,
  readRange,
  transcriptAt,
  transcriptFacts,
  wholeLines,
} from "../../claude/transcript/transcript_files.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../../claude/transcript/transcript_reader.ts";
import {
  dataName,
  emptyManifest,
  FINGERPRINT_BYTES,
  idOfName,
  type Manifest,
  manifestName,
  storedBytes,
  type Stream,
  streamLength,
  streamsOf,
  type VaultFile,
} from "../records/manifest.ts";
import {
  decideFile,
  type FileDecision,
  fingerprintRanges,
  planLimit,
  unchangedAtAGlance,
  unionKeys,
} from "./plan.ts";
import { buildSegment, vaultText } from "./segment.ts";
import { gzip } from "../records/gzip.ts";
import { readSeen, sawConversation, type SeenTranscript } from "./seen.ts";
import { listVault, sealedHere, vaultNames, verifyCopy, writeManifest } from "../records/store.ts";
import { readVaultConfig } from "./config.ts";
import { agentOf } from "../../kernel/agent_name.ts";
import { agentNamed, DEFAULT_AGENT } from "../../agents/agent.ts";

/** Source bytes a segment holds at most (whole lines): a gzip member, and a step a crash can stop. */
export const SEGMENT_BYTES = 8 * 1024 * 1024;

/** The smallest read while a budget lasts: a small budget still copies something each run. */
const MIN_CHUNK_BYTES = 64 * 1024;

/**
 * What a pause or a hook copies at most: a transcript's usual growth between two pauses, with
 * room to spare, while a first copy of a very long one is left for the next runs.
 */
export const PAUSE_BUDGET_BYTES = 8 * 1024 * 1024;

/** The budget of a pause's copy: PAUSE_BUDGET_BYTES, or `MPM_VAULT_BUDGET_BYTES` (tests). */
export function pauseBudget(vars: Readonly<Record<string, string | undefined>>): number {
  const raw = vars.MPM_VAULT_BUDGET_BYTES;
  return raw !== undefined && /^\d{1,12}$/.test(raw) ? Number(raw) : PAUSE_BUDGET_BYTES;
}

/** A pause's copy into the vault: what it needs from the command or hook that paused. */
export interface PauseVault {
  home: string | undefined;
  vars: Readonly<Record<string, string | undefined>>;
  /** How long to wait for another mpm copying into the vault before leaving it the work. */
  lockWaitMs: number;
}

/**
 * The copy a pause makes once its snapshot is saved: what is new of each transcript, within the
 * pause's budget. It never fails the pause: a problem comes back as a message.
 */
export async function copyAfterPause(
  paths: ProjectPaths,
  now: Date,
  vault: PauseVault,
): Promise<VaultReport> {
  try {
    return await syncVault(paths, {
      now,
      home: vault.home,
      vars: vault.vars,
      budgetBytes: pauseBudget(vault.vars),
      lockWaitMs: vault.lockWaitMs,
    });
  } catch (error) {
    const report = emptyReport();
    report.messages.push(`The transcripts were not copied into the vault: ${errorText(error)}`);
    return report;
  }
}

/**
 * `mpm vault sync` and `mpm doctor --fix`: everything that waits is copied, every copy checked
 * against its checksums, and a damaged one copied again while Claude Code still has it.
 */
export function syncVaultFully(
  paths: ProjectPaths,
  run: Pick<VaultRun, "now" | "home" | "vars">,
): Promise<VaultReport> {
  return syncVault(paths, { ...run, budgetBytes: Infinity, lockWaitMs: 10_000, repair: true });
}

export interface VaultRun {
  now: Date;
  /** The home folder, to find a transcript whose path the hooks could not record. */
  home: string | undefined;
  vars: Readonly<Record<string, string | undefined>>;
  /** Source bytes this run copies at most; the rest waits for the next run. */
  budgetBytes: number;
  /** How long to wait for another mpm that is copying (then this run copies nothing). */
  lockWaitMs: number;
  /** Check every copy against its checksums and copy a damaged one again if its source is there. */
  repair?: boolean;
}

export interface VaultReport {
  /** Transcripts copied in this run, with the source bytes copied. */
  copied: { id: string; bytes: number; how: "new" | "append" | "again" }[];
  unchanged: number;
  /** Left for the next run (the budget ran out), with the bytes still to copy. */
  pending: { id: string; bytes: number }[];
  /** Seen, never copied, and no longer where Claude Code kept it. */
  missing: string[];
  /** Copies that stop short of their source, and why (a line being written is not counted). */
  cut: { id: string; reason: string }[];
  /** Dropped to keep the vault under its limit, oldest first. */
  dropped: { id: string; bytes: number }[];
  limit_bytes: number;
  held_bytes: number;
  /** Damaged copies copied again from their source (with `repair`). */
  repaired: string[];
  /** Damaged copies whose source is gone: reported, never served. */
  damaged: { id: string; problem: string }[];
  /** Another mpm was copying: nothing was done. */
  busy: boolean;
  /** What a person should hear, one sentence each. */
  messages: string[];
}

export function emptyReport(): VaultReport {
  return {
    copied: [],
    unchanged: 0,
    pending: [],
    missing: [],
    cut: [],
    dropped: [],
    limit_bytes: 0,
    held_bytes: 0,
    repaired: [],
    damaged: [],
    busy: false,
    messages: [],
  };
}

/** Runs `fn` holding the vault's own lock (`vault/.lock`): one writer of the vault at a time. */
export function withVaultLock<T>(
  paths: ProjectPaths,
  fn: () => Promise<T>,
  options: { waitMs?: number; command: string },
): Promise<T> {
  return withLock(join(paths.vault, ".lock"), fn, { ...options, root: paths.base });
}

/** Copies what is new of every transcript seen, under the vault's own lock. */
export async function syncVault(paths: ProjectPaths, run: VaultRun): Promise<VaultReport> {
  const report = emptyReport();
  // Nothing seen and nothing held (most projects before their first Claude session): no lock,
  // no folder.
  if ((await readSeen(paths)).size === 0 && (await vaultNames(paths)).length === 0) return report;
  try {
    await withVaultLock(paths, () => syncLocked(paths, run, report), {
      waitMs: run.lockWaitMs,
      command: "vault sync",
    });
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    report.busy = true;
    report.messages.push("Another mpm was copying transcripts into the vault; it finishes them.");
  }
  return report;
}

interface Budget {
  left: number;
}

async function syncLocked(paths: ProjectPaths, run: VaultRun, report: VaultReport): Promise<void> {
  const [seen, listed, config] = await Promise.all([
    readSeen(paths),
    listVault(paths),
    readVaultConfig(paths),
  ]);
  if (config.problem) report.messages.push(config.problem);
  const held = new Map(listed.flatMap((e) => e.manifest ? [[e.id, e.manifest] as const] : []));
  const budget: Budget = { left: run.budgetBytes };
  // The latest first: when the budget runs out, what waits is the older work.
  const order = [...seen.values()].sort((a, b) => a.lastSeen < b.lastSeen ? 1 : -1);
  for (const transcript of order) {
    await copySession(paths, run, transcript, held.get(transcript.id), budget, report);
  }
  if (run.repair) await repairDamaged(paths, run, seen, budget, report);
  await dropOverLimit(paths, run, config.limitBytes, report);
  await sweepStrays(paths);
  for (const c of report.cut) {
    report.messages.push(`Claude session ${c.id.slice(0, 8)}: ${c.reason}`);
  }
  if (report.pending.length > 0) {
    const bytes = report.pending.reduce((n, p) => n + p.bytes, 0);
    report.messages.push(
      `${byteSize(bytes)} of transcripts wait to be copied into the vault; ` +
        "`mpm vault sync` copies them now (the next pause would too).",
    );
  }
}

/**
 * Where the transcript is: where this machine's hooks saw it (a sealed sighting), else where
 * its agent keeps it (the seam's `transcripts.find`): never a path a line from elsewhere wrote
 * (seen.ts).
 */
async function mainPathOf(
  paths: ProjectPaths,
  run: VaultRun,
  seen: SeenTranscript,
): Promise<string | null> {
  if (seen.path !== null) return seen.path;
  const where = { root: paths.root, home: run.home, vars: run.vars };
  return await agentNamed(agentOf(seen.agent)).transcripts.find(seen.id, where);
}

/** What is known of one source file now, with the fingerprints when the decision needs them. */
async function look(
  path: string,
  facts: FileFacts,
  file: VaultFile | undefined,
): Promise<FileDecision> {
  const mtime = facts.mtime?.toISOString() ?? null;
  if (file === undefined) return { kind: "new" };
  if (unchangedAtAGlance(file, facts.size, mtime) || facts.size < file.source_bytes) {
    return decideFile(file, { size: facts.size, mtime });
  }
  const { head, tail } = fingerprintRanges(file.source_bytes, FINGERPRINT_BYTES);
  const [h, t] = await Promise.all([fingerprint(path, head), fingerprint(path, tail)]);
  return decideFile(file, { size: facts.size, mtime, head: h, tail: t });
}

async function fingerprint(path: string, [from, to]: [number, number]): Promise<string | null> {
  if (to <= from) return null;
  return await sha256HexAsync(await readRange(path, from, to - from));
}

interface SessionOptions {
  /** Copy again from the start (a damaged copy being repaired), as a new generation of files. */
  again?: boolean;
}

async function copySession(
  paths: ProjectPaths,
  run: VaultRun,
  seen: SeenTranscript,
  old: Manifest | undefined,
  budget: Budget,
  report: VaultReport,
  options: SessionOptions = {},
): Promise<void> {
  const id = seen.id;
  const mainPath = await mainPathOf(paths, run, seen);
  let facts: FileFacts | undefined;
  try {
    facts = mainPath === null ? undefined : await transcriptFacts(mainPath);
  } catch (error) {
    report.cut.push({ id, reason: errorText(error) });
    return;
  }
  if (facts === undefined || mainPath === null) {
    // Gone from Claude Code: the vault's copy (if any) is all there is now. An id only an
    // unsealed line names, or no conversation's (seen.ts), is no loss of the person's to report.
    if (old === undefined) {
      if (seen.own && sawConversation(seen)) report.missing.push(id);
    } else await keepKeys(paths, old, seen, run);
    return;
  }
  // A record not sealed here says nothing this machine can take as its own: copied again.
  const again = options.again || (old !== undefined && !sealedHere(old));
  if (old?.dropped && facts.size <= old.dropped.source_bytes && !again) {
    await keepKeys(paths, old, seen, run);
    return;
  }
  const agent = agentOf(seen.agent);
  // The record names each file as its agent names it (Claude Code's `<id>.jsonl`, a Codex
  // rollout's path below `$CODEX_HOME/sessions`), whatever the payload's path was called:
  // restore writes only names of that pattern.
  const sources = await agentNamed(agent).transcripts.sources(mainPath, id);
  if (!Array.isArray(sources)) {
    report.cut.push({ id, reason: `${sources.problem}; not copied.` });
    return;
  }
  let manifest: Manifest = old && !old.dropped && !again
    ? structuredClone(old)
    : fresh(id, run, old);
  if (agent !== DEFAULT_AGENT) manifest.agent = agent;
  const plans: { rel: string; path: string; facts: FileFacts; decision: FileDecision }[] = [];
  for (const rel of sources) {
    const path = rel === sources[0] ? mainPath : transcriptAt(mainPath, rel);
    let fileFacts: FileFacts | undefined;
    try {
      fileFacts = rel === sources[0] ? facts : await transcriptFacts(path);
    } catch (error) {
      report.cut.push({ id, reason: errorText(error) });
      continue;
    }
    if (fileFacts === undefined) continue;
    const file = manifest.files.find((f) => f.source === rel);
    plans.push({ rel, path, facts: fileFacts, decision: await look(path, fileFacts, file) });
  }
  let how: "new" | "append" | "again" = old === undefined || old.dropped ? "new" : "append";
  if (again) how = "again";
  if (plans.some((p) => p.decision.kind === "rewrite")) {
    // Changed other than by growing: copied again from the start, as a new generation of files;
    // the old files go once the new record names the new ones.
    manifest = fresh(id, run, manifest, old !== undefined && sealedHere(old));
    if (agent !== DEFAULT_AGENT) manifest.agent = agent;
    for (const p of plans) p.decision = { kind: "new" };
    how = "again";
  }
  manifest.keys = unionKeys(old?.keys ?? [], seen.keys);
  manifest.transcript = vaultText(mainPath);
  const before = JSON.stringify(old ?? null);
  let copied = 0;
  let pending = 0;
  for (const p of plans) {
    if (p.decision.kind === "unchanged") continue;
    let file = manifest.files.find((f) => f.source === p.rel);
    if (file === undefined) {
      file = newFile(manifest, p.rel);
      manifest.files.push(file);
    }
    if (budget.left <= 0) {
      pending += Math.max(0, p.facts.size - file.source_bytes);
      continue;
    }
    const outcome = await copyFile(paths, run, manifest, file, p.path, p.facts, budget);
    copied += outcome.copied;
    pending += outcome.pending;
    if (outcome.cut) report.cut.push({ id, reason: outcome.cut });
  }
  if (JSON.stringify(manifest) !== before) {
    manifest.last_vaulted = run.now.toISOString();
    await writeManifest(paths, manifest);
    if (old && old.generation !== manifest.generation) await removeUnnamed(paths, manifest);
  }
  if (copied > 0) report.copied.push({ id, bytes: copied, how });
  else if (pending === 0) report.unchanged++;
  if (pending > 0) report.pending.push({ id, bytes: pending });
}

/**
 * A record for a copy made from the start, a generation after `old`. An imported copy that
 * `mpm vault restore` put back here keeps saying whose it is when it is made again (Claude Code
 * went on with it, its paths moved): it began as the sender's, whoever continued it.
 */
function fresh(
  id: string,
  run: VaultRun,
  old: Manifest | undefined,
  own = old !== undefined && sealedHere(old),
): Manifest {
  const manifest = emptyManifest(id, run.now.toISOString(), (old?.generation ?? 0) + 1);
  if (old?.imported && old.restored && own) {
    manifest.imported = old.imported;
    manifest.restored = old.restored;
    manifest.restored_after = old.restored_after;
  }
  return manifest;
}

function newFile(manifest: Manifest, rel: string): VaultFile {
  return {
    source: rel,
    data: dataName(manifest.claude_session_id, manifest.generation, manifest.files.length),
    segments: [],
    source_bytes: 0,
    source_mtime: null,
    head_sha256: null,
    tail_sha256: null,
    lines: 0,
    partial_bytes: 0,
    skipped_lines: 0,
    cut: null,
  };
}

/** Records the sessions that saw a transcript whose copy has nothing new. */
async function keepKeys(paths: ProjectPaths, old: Manifest, seen: SeenTranscript, run: VaultRun) {
  // A foreign record is not the place to note this machine's sessions (nor to seal it).
  if (!sealedHere(old)) return;
  const keys = unionKeys(old.keys, seen.keys);
  if (JSON.stringify(keys) === JSON.stringify(old.keys)) return;
  await writeManifest(paths, { ...old, keys, last_vaulted: run.now.toISOString() });
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Copies the whole lines of `path` from byte `from`, a segment at a time, while the budget
 * lasts; the record is written after each segment. Returns the bytes copied and left.
 */
async function copyFile(
  paths: ProjectPaths,
  run: VaultRun,
  manifest: Manifest,
  file: VaultFile,
  path: string,
  facts: FileFacts,
  budget: Budget,
): Promise<{ copied: number; pending: number; cut: string | null }> {
  const fileNo = manifest.files.indexOf(file);
  const read: LinesRead = { partial: 0, skippedLines: 0, error: null };
  // Reads no larger than the budget left, so a run stops near its budget, not a segment past it.
  const chunkBytes = Math.min(SEGMENT_BYTES, Math.max(MIN_CHUNK_BYTES, budget.left));
  const options = { chunkBytes, maxLineBytes: DEFAULT_MAX_LINE_BYTES };
  const mtime = facts.mtime?.toISOString() ?? null;
  let copied = 0;
  let stopped = false;
  for await (const chunk of wholeLines(path, file.source_bytes, options, read)) {
    if (budget.left <= 0) {
      stopped = true;
      break;
    }
    const built = buildSegment(
      decoder.decode(chunk.bytes),
      fileNo,
      manifest.last_entry,
      agentOf(manifest.agent),
    );
    const raw = encoder.encode(built.raw);
    const talk = encoder.encode(built.talk);
    const tools = encoder.encode(built.tools);
    const [rawGz, talkGz, toolsGz] = await Promise.all([
      raw.length ? gzip(raw) : null,
      talk.length ? gzip(talk) : null,
      tools.length ? gzip(tools) : null,
    ]);
    // No bytes: only lines over the limit ended here (wholeLines), read past without a segment.
    if (rawGz) await appendMember(paths, file, rawGz, raw.length);
    if (talkGz) await appendMember(paths, manifest.index.talk, talkGz, talk.length);
    if (toolsGz) await appendMember(paths, manifest.index.tools, toolsGz, tools.length);
    const end = chunk.end;
    const { head, tail } = fingerprintRanges(end, FINGERPRINT_BYTES);
    const headKnown = file.source_bytes >= FINGERPRINT_BYTES && file.head_sha256 !== null;
    const [h, t] = await Promise.all([
      headKnown ? file.head_sha256 : fingerprint(path, head),
      fingerprint(path, tail),
    ]);
    const gained = end - file.source_bytes;
    copied += gained;
    budget.left -= gained;
    Object.assign(file, {
      head_sha256: h,
      tail_sha256: t,
      source_bytes: end,
      source_mtime: mtime,
      lines: file.lines + built.lines,
      partial_bytes: 0,
    });
    if (built.first && (manifest.first_entry === null || built.first < manifest.first_entry)) {
      manifest.first_entry = built.first;
    }
    if (built.last && (manifest.last_entry === null || built.last > manifest.last_entry)) {
      manifest.last_entry = built.last;
    }
    manifest.last_vaulted = run.now.toISOString();
    // The record moves on only once the members it names are on disk.
    await writeManifest(paths, manifest);
  }
  file.skipped_lines += read.skippedLines;
  if (!stopped) {
    // Only a read that reached the end says what is left after the last line end.
    file.partial_bytes = read.partial;
    file.cut = read.error;
    file.source_mtime = read.error === null ? mtime : null;
  }
  const pending = stopped ? Math.max(0, facts.size - file.source_bytes) : 0;
  const cut = read.error ??
    (read.skippedLines > 0
      ? `${read.skippedLines} line(s) of ${basename(path)} were longer than mpm copies ` +
        `(${byteSize(DEFAULT_MAX_LINE_BYTES)}) and were left out.`
      : !stopped && read.partial > 0
      ? `${basename(path)} ends with ${byteSize(read.partial)} that are not a whole line (a line ` +
        "being written, or a cut file): copied up to its last whole line; the rest follows once " +
        "the line ends."
      : null);
  return { copied, pending, cut };
}

/** Appends one gzip member to a stream's data file, then records it (in memory: the caller writes the record). */
export async function appendMember(
  paths: ProjectPaths,
  stream: Stream | VaultFile,
  member: Uint8Array,
  rawLength: number,
): Promise<void> {
  const at = streamLength(stream);
  await appendAt(join(paths.vault, stream.data), at, [member], { root: paths.base });
  stream.segments.push({
    bytes: member.length,
    raw_bytes: rawLength,
    sha256: await sha256HexAsync(member),
  });
}

/** Once a record names a new generation of files, the files it does not name go. */
export async function removeUnnamed(paths: ProjectPaths, manifest: Manifest): Promise<void> {
  const id = manifest.claude_session_id;
  const named = new Set(streamsOf(manifest).map((s) => s.data));
  for (const name of await vaultNames(paths)) {
    if (idOfName(name) === id && name !== manifestName(id) && !named.has(name)) {
      await removeFile(join(paths.vault, name), { root: paths.base });
    }
  }
}

/**
 * With `repair`: every copy checked against its checksums; a damaged one is copied again from
 * its source while Claude Code still has it, and reported when it does not.
 */
async function repairDamaged(
  paths: ProjectPaths,
  run: VaultRun,
  seen: Map<string, SeenTranscript>,
  budget: Budget,
  report: VaultReport,
): Promise<void> {
  for (const entry of await listVault(paths)) {
    if (entry.manifest?.dropped) continue;
    const problem = entry.error?.message ??
      (entry.manifest ? await verifyCopy(paths, entry.manifest) : null);
    if (problem === null) continue;
    const source = seen.get(entry.id);
    const mainPath = source ? await mainPathOf(paths, run, source) : null;
    const there = mainPath !== null &&
      await transcriptFacts(mainPath).then((f) => f !== undefined, () => false);
    if (!source || !there) {
      report.damaged.push({ id: entry.id, problem });
      continue;
    }
    await copySession(paths, run, source, entry.manifest, budget, report, { again: true });
    report.repaired.push(entry.id);
  }
}

/** Over the limit: the copies of the transcripts last active longest ago go, with a message. */
async function dropOverLimit(
  paths: ProjectPaths,
  run: VaultRun,
  limit: number,
  report: VaultReport,
): Promise<void> {
  const listed = await listVault(paths);
  const copies = listed.flatMap((e) =>
    e.manifest && !e.manifest.dropped
      ? [{
        id: e.id,
        bytes: storedBytes(e.manifest),
        activity: e.manifest.last_entry ?? e.manifest.last_vaulted,
        manifest: e.manifest,
      }]
      : []
  );
  const spare = new Set(report.copied.map((c) => c.id));
  const plan = planLimit(copies, limit, spare);
  report.limit_bytes = limit;
  report.held_bytes = plan.held;
  for (const id of plan.drop) {
    const copy = copies.find((c) => c.id === id)!;
    await dropCopy(paths, copy.manifest, "limit", run.now);
    report.dropped.push({ id, bytes: copy.bytes });
  }
  if (plan.drop.length > 0) {
    const freed = report.dropped.reduce((n, d) => n + d.bytes, 0);
    report.messages.push(
      `The vault was over its limit of ${byteSize(limit)}: the copies of the ${plan.drop.length} ` +
        `transcript(s) last active longest ago went (${byteSize(freed)}: ${
          plan.drop.join(", ")
        }); ` +
        'raise "vault": {"limit_mb": N} in .claude-mpm/config.json to keep more.',
    );
  }
  if (plan.over) {
    report.messages.push(
      `The vault holds ${byteSize(plan.held)}, over its limit of ${byteSize(limit)}, ` +
        "with only the transcripts just copied left in it.",
    );
  }
}

/**
 * A copy dropped (`mpm vault prune`, or the limit): its files go, and its record stays as a
 * marker, so the next run does not copy the transcript again unless Claude Code writes to it.
 */
export async function dropCopy(
  paths: ProjectPaths,
  manifest: Manifest,
  reason: "prune" | "limit",
  now: Date,
): Promise<void> {
  const main = manifest.files[0];
  const marker: Manifest = {
    ...emptyManifest(manifest.claude_session_id, manifest.first_vaulted, manifest.generation + 1),
    ...(manifest.agent ? { agent: manifest.agent } : {}),
    keys: manifest.keys,
    transcript: manifest.transcript,
    first_entry: manifest.first_entry,
    last_entry: manifest.last_entry,
    last_vaulted: now.toISOString(),
    ...(manifest.imported
      ? {
        imported: manifest.imported,
        restored: manifest.restored,
        restored_after: manifest.restored_after,
      }
      : {}),
    dropped: {
      at: now.toISOString(),
      reason,
      source_bytes: main ? main.source_bytes + main.partial_bytes : 0,
    },
  };
  // A foreign record's marker stays foreign: dropping it does not make it this machine's.
  await writeManifest(paths, marker, { own: sealedHere(manifest) });
  for (const stream of streamsOf(manifest)) {
    await removeFile(join(paths.vault, stream.data), { root: paths.base });
  }
}

/**
 * Data files no record names: left by a run stopped mid-copy, or by a record removed by hand. A
 * damaged record's files are kept: `mpm doctor` names them, and they are what is left.
 */
async function sweepStrays(paths: ProjectPaths): Promise<void> {
  const listed = await listVault(paths);
  const damaged = new Set(listed.filter((e) => e.error).map((e) => e.id));
  const named = new Set(
    listed.flatMap((e) => e.manifest ? streamsOf(e.manifest).map((s) => s.data) : []),
  );
  for (const name of await vaultNames(paths)) {
    const id = idOfName(name);
    if (id === undefined || name === manifestName(id) || damaged.has(id) || named.has(name)) {
      continue;
    }
    await removeFile(join(paths.vault, name), { root: paths.base });
  }
}
