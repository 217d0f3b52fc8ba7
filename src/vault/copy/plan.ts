/** The vault's decisions (pure): append or copy again, and which copies go. */
import type { VaultFile } from "../records/manifest.ts";

/** What is known of a source transcript now; the fingerprints over the copy's ranges, if taken. */
export interface SourceLook {
  size: number;
  mtime: string | null;
  /** sha256 of the first FINGERPRINT_BYTES (or fewer) of the copied range, now. */
  head?: string | null;
  /** sha256 of the FINGERPRINT_BYTES (or fewer) ending where the copy ends, now. */
  tail?: string | null;
}

export type FileDecision =
  | { kind: "new" }
  | { kind: "unchanged" }
  | { kind: "append"; from: number }
  | { kind: "rewrite"; reason: string };

/** Whether size and time alone say nothing changed (one stat, no read). */
export function unchangedAtAGlance(file: VaultFile, size: number, mtime: string | null): boolean {
  return size === file.source_bytes + file.partial_bytes && mtime === file.source_mtime;
}

/** A transcript that kept its first and last copied bytes and is no shorter only grew: append. */
export function decideFile(file: VaultFile | undefined, now: SourceLook): FileDecision {
  if (file === undefined) return { kind: "new" };
  if (unchangedAtAGlance(file, now.size, now.mtime)) return { kind: "unchanged" };
  if (now.size < file.source_bytes) {
    return { kind: "rewrite", reason: "it is shorter than the copy" };
  }
  if (now.head !== file.head_sha256 || now.tail !== file.tail_sha256) {
    return { kind: "rewrite", reason: "it changed before the end of the copy" };
  }
  return now.size === file.source_bytes ? { kind: "unchanged" } : {
    kind: "append",
    from: file.source_bytes,
  };
}

/** The ranges the fingerprints cover for a copy that ends at `end`. */
export function fingerprintRanges(
  end: number,
  span: number,
): { head: [number, number]; tail: [number, number] } {
  return { head: [0, Math.min(span, end)], tail: [Math.max(0, end - span), end] };
}

export interface HeldCopy {
  id: string;
  /** Bytes its files hold. */
  bytes: number;
  /** When its transcript was last active (ISO): the oldest go first. */
  activity: string;
}

export interface LimitPlan {
  /** The copies to drop, oldest first. */
  drop: string[];
  /** Bytes held once they are gone. */
  held: number;
  /** Still over the limit: what is left is spared (copied in this run). */
  over: boolean;
}

/** Which copies go to get under `limit`: the oldest first, never one of `spare` (this run's). */
export function planLimit(
  copies: readonly HeldCopy[],
  limit: number,
  spare: ReadonlySet<string> = new Set(),
): LimitPlan {
  let held = copies.reduce((n, c) => n + c.bytes, 0);
  const drop: string[] = [];
  const oldestFirst = [...copies].sort((a, b) =>
    a.activity < b.activity ? -1 : a.activity > b.activity ? 1 : a.id < b.id ? -1 : 1
  );
  for (const copy of oldestFirst) {
    if (held <= limit) break;
    if (spare.has(copy.id)) continue;
    drop.push(copy.id);
    held -= copy.bytes;
  }
  return { drop, held, over: held > limit };
}

export interface PruneCandidate {
  id: string;
  keys: readonly string[];
  activity: string;
}

/** What kept snapshots point to: their sessions' keys and the Claude sessions they name. */
export interface KeptReferences {
  keys: ReadonlySet<string>;
  claudeSessions: ReadonlySet<string>;
}

export interface PrunePlan {
  remove: string[];
  kept: { id: string; reason: string }[];
}

/** `mpm vault prune --older-than DAYS`, sparing what a kept snapshot points to. */
export function planPrune(
  candidates: readonly PruneCandidate[],
  cutoff: string,
  kept: KeptReferences,
): PrunePlan {
  const plan: PrunePlan = { remove: [], kept: [] };
  for (const copy of candidates) {
    if (copy.activity >= cutoff) continue;
    const key = copy.keys.find((k) => kept.keys.has(k));
    if (key !== undefined) {
      plan.kept.push({ id: copy.id, reason: `a kept snapshot of session ${key} points to it` });
    } else if (kept.claudeSessions.has(copy.id)) {
      plan.kept.push({ id: copy.id, reason: "a kept snapshot names this Claude session" });
    } else plan.remove.push(copy.id);
  }
  return plan;
}

/** Keys each once, in the order of their last mention: the last is the latest session. */
export function unionKeys(...lists: readonly (readonly string[])[]): string[] {
  const keys = new Set<string>();
  for (const key of lists.flat()) {
    keys.delete(key);
    keys.add(key);
  }
  return [...keys];
}
