/**
 * `hooks-state/<claude session id>.window`: the context window and fill the status line last
 * reported (no hook payload names the window), read by Stop and SessionEnd; rewritten only on
 * change, swept after 30 days.
 */
import {
  checkedJson,
  int,
  literal,
  nonnegativeNumber,
  nullable,
  object,
  type Out,
  string,
} from "../../../kernel/check.ts";
import { join } from "../../../kernel/path.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { writeAtomic } from "../../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { alertsDir, markerKey, sweepMarkers } from "./records.ts";

/** Far above the hundred-odd bytes a record takes: anything larger is not one. */
const MAX_RECORD_BYTES = 4096;
const MAX_MODEL_LENGTH = 200;

const windowRecordCheck = object({
  schema_version: literal(1),
  claude_session_id: string({ min: 1, max: 500 }),
  /** `context_window.context_window_size`. */
  window: int("positive"),
  /** `context_window.used_percentage`; null before the first reply. */
  used_percentage: nullable(nonnegativeNumber),
  /** `context_window.total_input_tokens`; null before the first reply. */
  tokens: nullable(int("nonnegative")),
  model: nullable(string({ max: MAX_MODEL_LENGTH })),
  /** When the status line last reported a change (ISO 8601). */
  time: string(),
}, "strip");

export type WindowRecord = Out<typeof windowRecordCheck>;

/** What the status line reported, before it is dated and written. */
export type WindowReport = Omit<WindowRecord, "schema_version" | "time">;

export function windowRecordPath(paths: ProjectPaths, claudeSessionId: string): string {
  return join(alertsDir(paths), `${markerKey(claudeSessionId)}.window`);
}

/** The record of a Claude session, or undefined when there is none or it is not valid. */
export async function readWindowRecord(
  paths: ProjectPaths,
  claudeSessionId: string,
): Promise<WindowRecord | undefined> {
  const path = windowRecordPath(paths, claudeSessionId);
  try {
    const info = await lstatIfExists(path);
    if (!info?.isFile || info.size > MAX_RECORD_BYTES) return undefined;
    const text = await readTextIfExists(path);
    const record = checkedJson(windowRecordCheck, text);
    return record?.claude_session_id === claudeSessionId ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the report when it differs; returns whether it wrote. A new record sweeps old markers. */
export async function recordWindow(
  paths: ProjectPaths,
  report: WindowReport,
  now: Date,
): Promise<boolean> {
  const bounded = { ...report, model: report.model?.slice(0, MAX_MODEL_LENGTH) ?? null };
  const previous = await readWindowRecord(paths, report.claude_session_id);
  if (previous && sameReport(previous, bounded)) return false;
  const record: WindowRecord = { schema_version: 1, ...bounded, time: now.toISOString() };
  await writeAtomic(
    windowRecordPath(paths, report.claude_session_id),
    JSON.stringify(record) + "\n",
    { root: paths.base },
  );
  if (previous === undefined) await sweepMarkers(alertsDir(paths), now);
  return true;
}

function sameReport(a: WindowReport, b: WindowReport): boolean {
  return a.window === b.window && a.used_percentage === b.used_percentage &&
    a.tokens === b.tokens && a.model === b.model;
}
