/**
 * Which snapshot is newest: the one written last, not the clock's (a clock set back would bury a
 * new pause). `order.json` keeps the sequence and the last RECENT ids written; without it, the
 * ids' times decide.
 */
import { join } from "../../../kernel/path.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { readTextIfExistsSync } from "../../../disk/read/read.ts";
import { writeAtomic } from "../../../disk/files/atomic.ts";

const VERSION = 1;
/** How many of the last snapshots written keep their written order. */
export const RECENT = 64;

export interface WriteOrder {
  /** The number the last snapshot written here took; 0 before any. */
  seq: number;
  /** The ids of the last snapshots written here, newest first. */
  recent: string[];
}

const NONE: WriteOrder = { seq: 0, recent: [] };

export function orderFile(paths: ProjectPaths): string {
  return join(paths.base, "order.json");
}

/** The order kept so far; none when the file is missing or is not one mpm wrote. */
export function readOrder(paths: ProjectPaths): WriteOrder {
  try {
    const text = readTextIfExistsSync(orderFile(paths), 64 * 1024);
    if (text === undefined) return NONE;
    const data = JSON.parse(text) as { version?: unknown; seq?: unknown; recent?: unknown };
    const { seq, recent } = data;
    if (data.version !== VERSION || !Number.isSafeInteger(seq) || (seq as number) < 0) return NONE;
    if (!Array.isArray(recent) || !recent.every((id) => typeof id === "string")) return NONE;
    return { seq: seq as number, recent: recent.slice(0, RECENT) };
  } catch {
    return NONE;
  }
}

/** The order with `id` written now as number `seq`. Pure. */
export function withWritten(order: WriteOrder, id: string, seq: number): WriteOrder {
  return {
    seq: Math.max(seq, order.seq),
    recent: [id, ...order.recent.filter((other) => other !== id)].slice(0, RECENT),
  };
}

/** Records `id` as written now as number `seq`, after `before` (readOrder's, under the lock). */
export async function recordWritten(
  paths: ProjectPaths,
  before: WriteOrder,
  id: string,
  seq: number,
): Promise<void> {
  const order = withWritten(before, id, seq);
  const text = JSON.stringify({ version: VERSION, ...order }) + "\n";
  await writeAtomic(orderFile(paths), text, { root: paths.base });
}

/** The sort keys of the recent ids their written order moves; null when none move. Pure. */
export function writtenOrderKeys(
  recent: readonly string[],
  keyOf: (id: string) => string | undefined,
): Map<string, string> | null {
  let moved: Map<string, string> | null = null;
  let floor: string | undefined;
  for (let i = recent.length - 1; i >= 0; i--) {
    const own = keyOf(recent[i]);
    if (own === undefined) continue;
    if (floor !== undefined && own <= floor) {
      floor = `${floor}~${String(recent.length - i).padStart(3, "0")}`;
      (moved ??= new Map()).set(recent[i], floor);
    } else {
      floor = own;
    }
  }
  return moved;
}
