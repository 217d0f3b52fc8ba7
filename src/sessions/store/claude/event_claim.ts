/**
 * One mpm per event: with the plugin and `mpm hooks install` both wired, Claude Code runs both. The
 * first creates a claim exclusively and works; a claim by the other origin within TWIN_WINDOW_MS
 * is a twin, and this run does nothing; a same-origin or stale one is taken over.
 */
import { checkedJson, object, oneOf, type Out, string } from "../../../kernel/check.ts";
import { join } from "../../../kernel/path.ts";
import { faultError } from "../../../kernel/errors.ts";
import { claimMarker } from "../../../disk/files/atomic.ts";
import { fileNames } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { removeEntry, removeQuietly, renameEntry } from "../../../disk/files/entries.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { alertsDir, markerKey } from "./records.ts";

export type ClaimOrigin = "plugin" | "settings";

/** Which run this is: the plugin's scripts say so in the environment. */
export function claimOrigin(vars: Readonly<Record<string, string>>): ClaimOrigin {
  return vars.MPM_FROM_PLUGIN === "1" ? "plugin" : "settings";
}

/** How late a twin may come: Claude Code's longest hook timeout (PreCompact's 30 s). */
export const TWIN_WINDOW_MS = 30_000;

/** Claims this old are swept: no twin comes this late. */
const SWEEP_AFTER_MS = 3600_000;

/** A claim, checked by hand: hooks read one on every event but Stop (kernel/check.ts). */
export const claimCheck = object({
  claude_session_id: string(),
  event: string(),
  origin: oneOf(["plugin", "settings"]),
  time: string(),
}, "strip");
type Claim = Out<typeof claimCheck>;

export function claimsDir(paths: ProjectPaths): string {
  return join(alertsDir(paths), "claims");
}

/** 64 bits of `text` as 16 hex digits (two FNV-1a lanes); not cryptographic, synchronous. */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x2f0d5a3b;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The claim's file name: the Claude session, the event, and the whole payload's fingerprint. */
export function claimName(claudeSessionId: string, event: string, payload: unknown): string {
  const print = fingerprint(JSON.stringify(payload));
  return `${markerKey(claudeSessionId)}.${event.replace(/[^A-Za-z]/g, "")}.${print}`;
}

/** Whether a claim found is this event's twin: the other origin's, within TWIN_WINDOW_MS. Pure. */
export function isTwin(held: Claim | undefined, origin: ClaimOrigin, now: Date): boolean {
  if (held === undefined || held.origin === origin) return false;
  const age = now.getTime() - Date.parse(held.time);
  return Number.isFinite(age) && age < TWIN_WINDOW_MS && age > -TWIN_WINDOW_MS;
}

/** True when this run is to do the event's work; false when its twin claimed it. */
export async function claimEvent(
  paths: ProjectPaths,
  input: { claudeSessionId: string; event: string; payload: unknown; origin: ClaimOrigin },
  now: Date,
): Promise<boolean> {
  const dir = claimsDir(paths);
  const path = join(dir, claimName(input.claudeSessionId, input.event, input.payload));
  const claim: Claim = {
    claude_session_id: input.claudeSessionId,
    event: input.event,
    origin: input.origin,
    time: now.toISOString(),
  };
  const line = JSON.stringify(claim) + "\n";
  // A few rounds at most: each either wins, finds the twin, or takes over an earlier claim.
  for (let attempt = 0; attempt < 3; attempt++) {
    let won: boolean;
    try {
      won = await claimMarker(path, line, { root: paths.base });
    } catch (error) {
      // A store that cannot be written: the event runs unclaimed.
      if (faultError(error) !== undefined) return true;
      throw error;
    }
    if (won) {
      // Swept once a conversation, when it ends (in the background), not on every event.
      if (input.event === "SessionEnd") await sweepClaims(dir, path);
      return true;
    }
    if (isTwin(await readClaim(path), input.origin, now)) return false;
    // An earlier event's claim: moved aside (only one run can move it) and made again.
    const aside = `${path}.${crypto.getRandomValues(new Uint32Array(1))[0]}.old`;
    try {
      await renameEntry(path, aside);
      await removeEntry(aside);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return true;
}

async function readClaim(path: string): Promise<Claim | undefined> {
  try {
    const text = await readTextIfExists(path);
    if (text === undefined || text.length > 4096) return undefined;
    return checkedJson(claimCheck, text) ?? undefined;
  } catch {
    return undefined;
  }
}

/** How soon after its SessionEnd a turn's end is that conversation's last (an agent runs both). */
export const ENDED_WITHIN_MS = 30_000;

/**
 * Whether the conversation's SessionEnd was claimed less than `ms` before `now` (by the claim's
 * own time): a turn's end that comes after it is its last, not one still under way.
 */
export async function endClaimedWithin(
  paths: ProjectPaths,
  claudeSessionId: string,
  now: Date,
  ms: number,
): Promise<boolean> {
  const dir = claimsDir(paths);
  const prefix = `${markerKey(claudeSessionId)}.SessionEnd.`;
  for (const name of (await fileNames(dir)).filter((n) => n.startsWith(prefix))) {
    const held = await readClaim(join(dir, name));
    const age = held === undefined ? NaN : now.getTime() - Date.parse(held.time);
    if (held?.claude_session_id === claudeSessionId && age >= -ms && age < ms) return true;
  }
  return false;
}

/** Removes claims an hour older than the one just made, by the file system's own clock. */
async function sweepClaims(dir: string, made: string): Promise<void> {
  const newest = (await Deno.lstat(made).catch(() => undefined))?.mtime?.getTime();
  if (newest === undefined) return;
  for (const name of await fileNames(dir)) {
    const file = join(dir, name);
    const info = await Deno.lstat(file).catch(() => undefined);
    const mtime = info?.mtime?.getTime();
    if (mtime !== undefined && newest - mtime > SWEEP_AFTER_MS) {
      await removeQuietly(file);
    }
  }
}
