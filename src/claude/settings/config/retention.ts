/**
 * How long Claude Code keeps transcripts: the user settings' `cleanupPeriodDays` (at least 1;
 * default 30), after which it deletes them silently.
 */
import { join } from "../../../kernel/path.ts";
import { jsonRecord } from "../../../kernel/check.ts";
import { claudeConfigDir } from "./config_dir.ts";

export const DEFAULT_CLEANUP_DAYS = 30;

export interface Retention {
  days: number;
  /** The settings file that set it, or null for Claude Code's default. */
  source: string | null;
}

/** The value a settings file's text sets, or undefined when it sets none (or is not JSON). */
export function cleanupDaysIn(text: string): number | undefined {
  const value = jsonRecord(text)?.cleanupPeriodDays;
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : undefined;
}

export async function readRetention(
  home: string | undefined,
  vars: Readonly<Record<string, string | undefined>>,
): Promise<Retention> {
  if (home === undefined && !vars.CLAUDE_CONFIG_DIR?.trim()) {
    return { days: DEFAULT_CLEANUP_DAYS, source: null };
  }
  const file = join(claudeConfigDir(home ?? "", vars), "settings.json");
  const text = await Deno.readTextFile(file).catch(() => undefined);
  const days = text === undefined ? undefined : cleanupDaysIn(text);
  return days === undefined ? { days: DEFAULT_CLEANUP_DAYS, source: null } : { days, source: file };
}
