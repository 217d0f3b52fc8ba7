/**
 * `mpm prune`: which snapshots go to `sessions/archive/`. Pure. `--older-than` and `--keep`
 * (default 50 sessions) must both agree; the newest and those the stack or session name stay.
 */
import { UsageError } from "../../../../kernel/errors.ts";
import { idTime } from "../../../../kernel/ids.ts";

export const DEFAULT_KEEP = 50;
const DAY_MS = 86_400_000;

export interface Criteria {
  /** Keep the N newest; null: no limit by count. */
  keep: number | null;
  /** Archive only what is older than this many days; null: no limit by age. */
  olderThanDays: number | null;
  /** Neither was given, so the default applied. */
  defaulted: boolean;
}

export function resolveCriteria(keep?: number, olderThanDays?: number): Criteria {
  if (keep !== undefined && keep < 1) {
    throw new UsageError(
      "--keep must be at least 1 (the newest snapshot is always kept).",
      "Use --older-than DAYS alone to archive by age only.",
    );
  }
  if (keep === undefined && olderThanDays === undefined) {
    return { keep: DEFAULT_KEEP, olderThanDays: null, defaulted: true };
  }
  return { keep: keep ?? null, olderThanDays: olderThanDays ?? null, defaulted: false };
}

/** The moment in a snapshot id (old or new spelling, UTC; kernel/ids.ts); null if it has none. */
export function sessionTime(id: string): Date | null {
  return idTime(id) ?? null;
}

export interface Kept {
  session_id: string;
  reason: string;
}

export interface ArchivePlan {
  /** Newest first. */
  archive: string[];
  kept: Kept[];
}

export interface PlanInput {
  /**
   * The snapshot ids in `sessions/`, newest first as `mpm list` orders them: by what was written
   * last (order.json), not by the time in an id, which a clock set back makes older.
   */
  ids: readonly string[];
  now: Date;
  criteria: Criteria;
  /** Ids that must stay, with why (the branch stack, the active session's origin). */
  protected: ReadonlyMap<string, string>;
  /** Snapshots of finished work: `--keep N` archives these before paused ones. */
  finished?: ReadonlySet<string>;
}

export function planArchive(input: PlanInput): ArchivePlan {
  const { keep, olderThanDays } = input.criteria;
  const cutoff = olderThanDays === null ? null : input.now.getTime() - olderThanDays * DAY_MS;
  const ids = [...new Set(input.ids)];
  const finished = input.finished ?? new Set<string>();
  const ranked = [
    ...ids.filter((id) => !finished.has(id)),
    ...ids.filter((id) => finished.has(id)),
  ];
  const plan: ArchivePlan = { archive: [], kept: [] };
  ranked.forEach((id, index) => {
    const time = sessionTime(id);
    let reason: string | undefined;
    if (id === ids[0]) reason = "the newest";
    else if (input.protected.has(id)) reason = input.protected.get(id);
    else if (keep !== null && index < keep) reason = `among the ${keep} newest`;
    else if (cutoff !== null && (time === null || time.getTime() >= cutoff)) {
      reason = time === null
        ? "no time in its id"
        : `younger than ${olderThanDays} ${olderThanDays === 1 ? "day" : "days"}`;
    }
    if (reason) plan.kept.push({ session_id: id, reason });
    else plan.archive.push(id);
  });
  const place = new Map(ids.map((id, i) => [id, i]));
  plan.archive.sort((a, b) => place.get(a)! - place.get(b)!);
  plan.kept.sort((a, b) => place.get(a.session_id)! - place.get(b.session_id)!);
  return plan;
}

/** What must never be archived, from the state's stack and active session. */
export function protectedSnapshots(state: {
  active: { parent?: string | null; resumed_from?: string | null } | null;
  stack: readonly { snapshot_id: string | null }[];
}): Map<string, string> {
  const ids = new Map<string, string>();
  // A frame without a parent session (branched with nothing active) protects no snapshot.
  for (const frame of state.stack) {
    if (frame.snapshot_id) ids.set(frame.snapshot_id, "on the branch stack");
  }
  const active = state.active;
  if (active?.parent && !ids.has(active.parent)) {
    ids.set(active.parent, "the active session's parent");
  }
  if (active?.resumed_from && !ids.has(active.resumed_from)) {
    ids.set(active.resumed_from, "the active session was resumed from it");
  }
  return ids;
}
