/**
 * What `--since` and `--until` accept: an ISO date or date-time, a time of day (on the session's
 * last day), or a duration before now (`90m`, `2h`, `1d`); zone-less times are local. Pure.
 */

export interface WhenContext {
  now: Date;
  /** The session's last moment: a bare time of day is on this day. */
  dayOf: Date;
  /** Interpret zone-less times as UTC (tests, `TZ=UTC`) rather than local time. */
  utc: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The moment `text` names, as ISO 8601 UTC, or null when it names none. */
export function parseWhen(text: string, ctx: WhenContext): string | null {
  const value = text.trim();
  const duration = value.match(/^(\d{1,6})\s*([smhd])$/i);
  if (duration) {
    const ms = Number(duration[1]) * UNIT_MS[duration[2].toLowerCase()];
    return new Date(ctx.now.getTime() - ms).toISOString();
  }
  const clock = value.match(/^(\d{1,2}):(\d{2})(?::(\d{2}))?$/);
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return null;
    const d = new Date(ctx.dayOf.getTime());
    if (ctx.utc) d.setUTCHours(h, m, s, 0);
    else d.setHours(h, m, s, 0);
    return d.toISOString();
  }
  const date = value.match(
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i,
  );
  if (!date) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", zone] = date;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  if (parts[1] > 11 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59) return null;
  let ms: number;
  if (zone) {
    const iso = `${y}-${mo}-${d}T${h.padStart(2, "0")}:${mi}:${s.padStart(2, "0")}${
      zone.toUpperCase() === "Z"
        ? "Z"
        : zone.length === 5
        ? `${zone.slice(0, 3)}:${zone.slice(3)}`
        : zone
    }`;
    ms = Date.parse(iso);
  } else if (ctx.utc) ms = Date.UTC(...parts);
  else ms = new Date(...parts).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Whether times are shown and read as UTC: TZ says so, or the machine's zone is UTC. */
export function usesUtc(vars: Readonly<Record<string, string>>): boolean {
  const tz = vars.TZ;
  return tz === "UTC" || tz === "Etc/UTC" || tz === "UTC0" || new Date().getTimezoneOffset() === 0;
}
