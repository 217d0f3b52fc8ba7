/**
 * claude-mpm's ids, times and checksum files, and the UTC id mpm files each session under. Its ids
 * were local time in places (docs/format.md): the id's distance from `paused_at`, rounded to a
 * quarter hour, is the writer's UTC offset, and shifts the id; without `paused_at` it is UTC.
 */
import { basename } from "../kernel/path.ts";
import { parseChecksumLine } from "../kernel/hashing/checksum.ts";
import { IntegrityError } from "../kernel/errors.ts";
import { sessionIdFor } from "../kernel/ids.ts";

const QUARTER_HOUR_MS = 15 * 60 * 1000;
/** UTC-12:00 to UTC+14:00. */
const MAX_OFFSET_QUARTERS = 14 * 4;

const TIME = new RegExp(
  String.raw`^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?` +
    String.raw`\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$`,
  "i",
);

/** A time as claude-mpm wrote it (isoformat, "…Z", "… UTC", naive as UTC); freer ones undefined. */
export function parseLegacyTime(text: string | null | undefined): Date | undefined {
  const m = text?.trim().match(TIME);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const ms = Number((m[7] ?? "0").slice(0, 3).padEnd(3, "0"));
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(local);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return new Date(local - zoneOffsetMs(m[8]));
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return (zone[0] === "-" ? -1 : 1) * minutes * 60_000;
}

const ID_IN_NAME = /^\.?session-(\d{8})-(\d{6})(?:-(\d+))?(?=$|[._])/;
const RESUME_IN_NAME = /^session-resume-(\d{4})-(\d{2})-(\d{2})-(\d{6})(?=$|\.)/;

interface LegacyId {
  /** The id's clock reading, taken as UTC. */
  time: Date;
  attempt: number;
}

function parseLegacyId(name: string): LegacyId | undefined {
  const id = name.match(ID_IN_NAME);
  const resume = id ? undefined : name.match(RESUME_IN_NAME);
  const day = id ? id[1] : resume ? `${resume[1]}${resume[2]}${resume[3]}` : undefined;
  const clock = id ? id[2] : resume?.[4];
  if (!day || !clock) return undefined;
  const time = parseLegacyTime(
    `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}T${clock.slice(0, 2)}:${
      clock.slice(2, 4)
    }:${clock.slice(4)}Z`,
  );
  return time ? { time, attempt: Number(id?.[3] ?? 1) } : undefined;
}

/** The session id a file or pointer names ("session-20251107-182249.json"), not in UTC. */
export function legacyIdFromName(name: string): string | undefined {
  const parsed = parseLegacyId(basename(name));
  return parsed && sessionIdFor(parsed.time, parsed.attempt);
}

/** The canonical UTC id for a legacy id, by the rule at the top of this file. */
export function legacyIdToUtc(id: string, pausedAt?: string | null): string {
  const parsed = parseLegacyId(basename(id));
  if (!parsed) {
    throw new IntegrityError(`${JSON.stringify(id)} is not a claude-mpm session id.`);
  }
  const paused = parseLegacyTime(pausedAt);
  if (!paused) return sessionIdFor(parsed.time, parsed.attempt);
  const quarters = Math.round((parsed.time.getTime() - paused.getTime()) / QUARTER_HOUR_MS);
  if (quarters === 0) return sessionIdFor(parsed.time, parsed.attempt);
  if (Math.abs(quarters) <= MAX_OFFSET_QUARTERS) {
    return sessionIdFor(
      new Date(parsed.time.getTime() - quarters * QUARTER_HOUR_MS),
      parsed.attempt,
    );
  }
  return sessionIdFor(paused, parsed.attempt);
}

/** An imported snapshot's id (the record's, else the file name's) and `paused_at` in ISO UTC. */
export function canonicalIdAndTime(
  rawId: string,
  rawPausedAt: string | null | undefined,
  options: { fileName: string; idIsUtc?: boolean },
): { session_id: string; paused_at: string } {
  const legacyId = legacyIdFromName(rawId) ?? legacyIdFromName(options.fileName);
  if (!legacyId) {
    throw new IntegrityError(
      `${options.fileName} names no session id mpm can read (${JSON.stringify(rawId)}).`,
      "Rename it session-YYYYMMDD-HHMMSS with the time it was paused.",
    );
  }
  const session_id = options.idIsUtc ? legacyId : legacyIdToUtc(legacyId, rawPausedAt);
  const paused = parseLegacyTime(rawPausedAt) ?? parseLegacyId(session_id)!.time;
  return { session_id, paused_at: paused.toISOString() };
}

/** A claude-mpm checksum file (bare hex digest) or mpm's (`sha256sum` format); else undefined. */
export function parseLegacyChecksum(text: string): { hex: string; name?: string } | undefined {
  const bare = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(bare)) return { hex: bare.toLowerCase() };
  return parseChecksumLine(text);
}

/** The snapshot a checksum file belongs to (claude-mpm left orphan `.tmp.sha256` files). */
export function legacyChecksumTarget(
  fileName: string,
): { sessionId: string; file: string; orphan: boolean } | undefined {
  const name = basename(fileName);
  const orphan = name.match(/^\.(session-\d{8}-\d{6}(?:-\d+)?)_[A-Za-z0-9_]+\.tmp\.sha256$/);
  if (orphan) return { sessionId: orphan[1], file: `${orphan[1]}.json`, orphan: true };
  const own = name.match(
    /^((session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?)\.(?:json|yaml|md))\.sha256$/,
  );
  return own ? { sessionId: own[2], file: own[1], orphan: false } : undefined;
}
