/**
 * Bringing the vault up to date: each transcript the hooks saw, copied redacted and compressed,
 * appended to when it only grew. Crash-safe: members are written and flushed before the record
 * names them.
 */
import { join } from "../../kernel/path.ts";
import { errorText } from "../../kernel/errors.ts";
import { byteSize } from "../../kernel/format/numbers.ts";
import { removeFile } from "../../disk/files/atomic.ts";
import { LockBusyError, withLock } from "../../disk/lock.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  type FileFacts,
  transcriptAt,
  transcriptFacts,
} from "../../claude/transcript/transcript_files.ts";
import {
  dataName,
  emptyManifest,
  FINGERPRINT_BYTES,
  idOfName,
  type Manifest,
  manifestName,
  storedBytes,
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
import { vaultText } from "./segment.ts";
import { readSeen, sawConversation, type SeenTranscript } from "./seen.ts";
import { listVault, sealedHere, vaultNames, verifyCopy, writeManifest } from "../records/store.ts";
import { readVaultConfig } from "./config.ts";
import { agentOf } from "../../kernel/agent_name.ts";
import { agentNamed, DEFAULT_AGENT } from "../../agents/agent.ts";
import {
  type Budget,
  emptyReport,
  pauseBudget,
  type VaultReport,
  type VaultRun,
} from "./vault_run.ts";
import { copyFile, fingerprint } from "./copy_file.ts";

/** A pause's copy into the vault: what it needs from the command or hook that paused. */
export interface PauseVault {
  home: string | undefined;
  vars: Readonly<Record<string, string | undefined>>;
  /** How long to wait for another mpm copying into the vault before leaving it the work. */
  lockWaitMs: number;
}

/** A pause's copy within its budget; a problem comes back as a message, never failing the pause. */
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

/** `mpm vault sync` and `doctor --fix`: everything copied, checked and repaired where it can be. */
export function syncVaultFully(
  paths: ProjectPaths,
  run: Pick<VaultRun, "now" | "home" | "vars">,
): Promise<VaultReport> {
  return syncVault(paths, { ...run, budgetBytes: Infinity, lockWaitMs: 10_000, repair: true });
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
  // Nothing seen and nothing held: no lock, no folder.
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

/** Where a sealed sighting saw the transcript, else where its agent keeps it. */
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
    // Gone from Claude Code; only an unsealed line's, or no conversation's, is no loss to report.
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
  // Named as its agent names it, whatever the payload said.
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
    // Changed other than by growing: copied again as a new generation of files.
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

/** A record for a copy made from the start; a restored import keeps saying whose it began as. */
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

/** With `repair`: a copy failing its checksums is made again, or reported. */
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

/** A dropped copy's files go; its record stays so the transcript is not copied again unchanged. */
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

/** Data files no record names; a damaged record's files are kept. */
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
