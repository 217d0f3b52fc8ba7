/**
 * Which vault copies a sync moves which way (sync/remote/transcripts.ts carries them): what a side
 * holds of each copy, and the plan that sends a copy the other lacks or holds less of, and
 * never lets a pull replace what this machine wrote.
 */
import { FINGERPRINT_BYTES, type Manifest } from "../../vault/records/manifest.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { listVault, sealedHere } from "../../vault/records/store.ts";

export interface TranscriptsReport {
  /** Copies pushed or imported (push, pull); that a push would send (status). */
  moved: string[];
  /** Copies a pull would import (status only). */
  incoming: string[];
  /** Copies that failed their checks: exit 4. */
  refused: { id: string; reason: string }[];
  /**
   * Copies left where they are, each with why: the remote's a pull leaves (the copy here stays),
   * and this machine's a push holds (it continues a teammate's conversation).
   */
  kept: KeptCopy[];
}

export function emptyTranscriptsReport(): TranscriptsReport {
  return { moved: [], incoming: [], refused: [], kept: [] };
}

/** What the plan compares of a copy: how much of its transcripts it holds, and whose it is. */
export interface CopySummary {
  id: string;
  /** Source bytes copied, all its transcripts together. */
  bytes: number;
  /** A copy dropped here (prune, limit): taken again only when the other holds more than this. */
  droppedAt?: number;
  /** The main transcript's head fingerprint and the source bytes it covers; null: none. */
  head?: { sha256: string; bytes: number } | null;
  /**
   * The copy came with `mpm sync pull`, or this machine did not seal it (a clone's, an older
   * mpm's); absent or false: this machine made it.
   */
  imported?: boolean;
}

export function summaryOf(m: Manifest): CopySummary {
  if (m.dropped) return { id: m.claude_session_id, bytes: 0, droppedAt: m.dropped.source_bytes };
  const main = m.files[0];
  const head = main?.head_sha256
    ? { sha256: main.head_sha256, bytes: Math.min(FINGERPRINT_BYTES, main.source_bytes) }
    : null;
  return {
    id: m.claude_session_id,
    bytes: m.files.reduce((n, f) => n + f.source_bytes, 0),
    head,
    // A record this machine did not seal is no more its own than a pulled one.
    imported: Boolean(m.imported) || !sealedHere(m),
  };
}

/** A remote copy a pull leaves: the copy here stays, and why. */
export interface KeptCopy {
  id: string;
  reason: string;
}

/**
 * Whether the remote's copy begins as the one here does, as far as their head fingerprints
 * tell: equal over the same range. A copy here shorter than the fingerprint's span covers fewer
 * bytes than the remote's: then the import compares the text itself (vault/copy/import.ts).
 */
function beginsAlike(here: CopySummary, there: CopySummary): boolean {
  if (!here.head || !there.head) return false;
  if (here.head.bytes === there.head.bytes) return here.head.sha256 === there.head.sha256;
  return here.head.bytes < FINGERPRINT_BYTES && here.head.bytes < there.head.bytes;
}

/**
 * Which copies go which way: a side sends a copy the other lacks or holds less of, and only a
 * copy `wanted` (one that goes with a snapshot being synced). A copy dropped on the receiving
 * side is taken again only when the sender's holds more than was dropped.
 *
 * A pull never replaces what this machine wrote: a copy made here stays whatever the remote
 * holds under its id (another transcript, or a forged one), and a copy imported earlier is
 * replaced only by one that holds more and begins with the same bytes. Those left are `kept`.
 */
export function planCopies(
  local: readonly CopySummary[],
  remote: readonly CopySummary[],
  wanted: ReadonlySet<string>,
): { send: string[]; take: string[]; kept: KeptCopy[] } {
  const there = new Map(remote.map((c) => [c.id, c]));
  const here = new Map(local.map((c) => [c.id, c]));
  const more = (a: CopySummary, b: CopySummary | undefined) =>
    b === undefined || (b.droppedAt !== undefined ? a.bytes > b.droppedAt : a.bytes > b.bytes);
  const send = local.filter((c) =>
    c.droppedAt === undefined && wanted.has(c.id) && c.bytes > 0 && more(c, there.get(c.id))
  ).map((c) => c.id);
  const take: string[] = [];
  const kept: KeptCopy[] = [];
  for (const c of remote) {
    const mine = here.get(c.id);
    if (c.droppedAt !== undefined || c.bytes === 0 || !more(c, mine)) continue;
    if (mine === undefined || mine.droppedAt !== undefined) take.push(c.id);
    else if (!mine.imported) {
      kept.push({
        id: c.id,
        reason: "this machine's own copy of that Claude session stays; a pull never replaces it.",
      });
    } else if (!beginsAlike(mine, c)) {
      kept.push({
        id: c.id,
        reason: "the remote's copy does not begin as the one imported here; it was not taken.",
      });
    } else take.push(c.id);
  }
  return { send: send.sort(), take: take.sort(), kept: kept.sort((a, b) => a.id < b.id ? -1 : 1) };
}

/** The copies this project holds, by Claude session (dropped ones as markers). */
export async function localCopies(paths: ProjectPaths): Promise<Map<string, Manifest>> {
  const copies = new Map<string, Manifest>();
  for (const entry of await listVault(paths)) {
    if (entry.manifest) copies.set(entry.id, entry.manifest);
  }
  return copies;
}

/** What picks a snapshot's copies: its session and the Claude session it names (local.ts). */
export interface SnapshotSessions {
  session?: string;
  claudeSession?: string;
}

/**
 * The copies that go with `snapshots` (the records a push may send): those whose sessions saw
 * them, or that a snapshot names.
 */
export function copiesWith(
  copies: ReadonlyMap<string, Manifest>,
  snapshots: readonly SnapshotSessions[],
): Set<string> {
  const keys = new Set(snapshots.flatMap((s) => s.session ?? []));
  const named = new Set(snapshots.flatMap((s) => s.claudeSession ?? []));
  const wanted = new Set<string>();
  for (const [id, m] of copies) {
    if (named.has(id) || m.keys.some((k) => keys.has(k))) wanted.add(id);
  }
  return wanted;
}
