/**
 * Which automatic checkpoints PreCompact removes: only this machine's newest few stay. Pure. One
 * counts only when its record and its seal (a key only this machine holds) say PreCompact saved it
 * here, since a teammate's may be named `auto-…` and dated ahead.
 */

/** The names PreCompact gives: `auto-20251020-143022`, `-2`… on a clash. */
const AUTO_NAME = /^auto-\d{8}-\d{6}(?:-\d+)?$/;

/** A date more than this after its file was written here was set elsewhere, or forged. */
const ARRIVAL_SLACK_MS = 5 * 60_000;

export function isAutoCheckpointName(name: string): boolean {
  return AUTO_NAME.test(name);
}

export interface AutoCheckpointFacts {
  name: string;
  /** Its seal shows this machine wrote it (false when it has none, or it could not be read). */
  sealedHere: boolean;
  auto: boolean;
  savedAt: string;
  /** When its file was written here (its modification time), when known. */
  arrived: Date | null;
}

export interface RetentionRule {
  /** How many of this machine's automatic checkpoints stay, the one just saved among them. */
  keep: number;
  /** The checkpoint just saved: never removed. */
  saved: string;
}

/** The names to remove so that this machine's newest `keep` automatic checkpoints remain. */
export function autoCheckpointsToDrop(
  checkpoints: readonly AutoCheckpointFacts[],
  rule: RetentionRule,
): string[] {
  const own = checkpoints.filter((c) =>
    c.name !== rule.saved && isAutoCheckpointName(c.name) && c.auto && c.sealedHere
  );
  const time = (c: AutoCheckpointFacts) => {
    const saved = Date.parse(c.savedAt);
    const made = Number.isNaN(saved) ? 0 : saved;
    return c.arrived === null ? made : Math.min(made, c.arrived.getTime() + ARRIVAL_SLACK_MS);
  };
  // Two in one millisecond: by name, `-10` after `-2` (and no suffix, the first, before both).
  const order = (c: AutoCheckpointFacts) => {
    const suffix = /^auto-\d{8}-\d{6}-(\d+)$/.exec(c.name)?.[1] ?? "1";
    return suffix.padStart(6, "0");
  };
  const newestFirst = [...own].sort((a, b) =>
    time(b) - time(a) || (order(a) < order(b) ? 1 : order(a) > order(b) ? -1 : 0)
  );
  return newestFirst.slice(Math.max(rule.keep - 1, 0)).map((c) => c.name);
}
