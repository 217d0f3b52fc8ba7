/** What one copy into the vault is given (the run, its byte budget) and what it reports. */

/** Source bytes a segment holds at most (whole lines): a gzip member, and a step a crash can stop. */
export const SEGMENT_BYTES = 8 * 1024 * 1024;

/** The smallest read while a budget lasts: a small budget still copies something each run. */
export const MIN_CHUNK_BYTES = 64 * 1024;

/** What a pause or hook copies at most; a long first copy is left to later runs. */
export const PAUSE_BUDGET_BYTES = 8 * 1024 * 1024;

/** The budget of a pause's copy: PAUSE_BUDGET_BYTES, or `MPM_VAULT_BUDGET_BYTES` (tests). */
export function pauseBudget(vars: Readonly<Record<string, string | undefined>>): number {
  const raw = vars.MPM_VAULT_BUDGET_BYTES;
  return raw !== undefined && /^\d{1,12}$/.test(raw) ? Number(raw) : PAUSE_BUDGET_BYTES;
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

export interface Budget {
  left: number;
}
