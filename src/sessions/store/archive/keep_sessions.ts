/**
 * `mpm prune --keep N` counts sessions, not snapshots: a kept session keeps all its snapshots.
 * Ranked newest first, the active session first of all, open work before finished; the rest is
 * planArchive's. Pure.
 */
import { type ArchivePlan, type Criteria, planArchive } from "../records/lifecycle/prune_plan.ts";

export interface SnapshotOfSession {
  id: string;
  /** The session it is of (localSessionKey); an unreadable snapshot is a session of its own. */
  session: string;
  /** Whether its session is over: its newest snapshot is completed or cancelled. */
  finished: boolean;
}

export interface SessionPlanInput {
  /** Every snapshot in `sessions/`, newest first as `mpm list` orders them. */
  snapshots: readonly SnapshotOfSession[];
  now: Date;
  criteria: Criteria;
  /** Ids that must stay, with why (the branch stack, the active session's origin). */
  protected: ReadonlyMap<string, string>;
  /** The active session's key (state.json), or null. */
  active: string | null;
}

/** The reason a snapshot is kept for its session's place among the N kept. */
export function keptSessionReason(keep: number): string {
  return `of the ${keep} session${keep === 1 ? "" : "s"} kept`;
}

/** The sessions `--keep N` keeps: the active one, then open work, then finished, newest first. */
export function keptSessions(
  newestFirst: readonly SnapshotOfSession[],
  keep: number,
  active: string | null = null,
): Set<string> {
  const first: string[] = [];
  const open: string[] = [];
  const over: string[] = [];
  const seen = new Set<string>();
  for (const s of newestFirst) {
    if (seen.has(s.session)) continue;
    seen.add(s.session);
    (s.session === active ? first : s.finished ? over : open).push(s.session);
  }
  return new Set([...first, ...open, ...over].slice(0, keep));
}

export function planBySession(input: SessionPlanInput): ArchivePlan {
  const { keep } = input.criteria;
  // What is kept whatever the count: the newest, the protected, and by age.
  const base = planArchive({
    ids: input.snapshots.map((s) => s.id),
    now: input.now,
    criteria: { ...input.criteria, keep: null },
    protected: input.protected,
  });
  if (keep === null) return base;
  const kept = keptSessions(input.snapshots, keep, input.active);
  const sessionOf = new Map(input.snapshots.map((s) => [s.id, s.session]));
  const plan: ArchivePlan = { archive: [], kept: [...base.kept] };
  for (const id of base.archive) {
    if (kept.has(sessionOf.get(id)!)) {
      plan.kept.push({ session_id: id, reason: keptSessionReason(keep) });
    } else plan.archive.push(id);
  }
  const place = new Map(input.snapshots.map((s, i) => [s.id, i]));
  plan.kept.sort((a, b) => place.get(a.session_id)! - place.get(b.session_id)!);
  return plan;
}
