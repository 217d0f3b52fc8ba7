/**
 * `mpm context update` as a service: refresh the `status` and `next-session` blocks from the
 * session's facts, writing only on change (a hook may call it too).
 */
import { currentBranch } from "../git/history/branch.ts";
import type { SessionFacts } from "./facts.ts";
import { type ContextLocation, readContext, writeContext } from "./files.ts";
import { managedBlocks } from "./sections.ts";
import { findBlocks, updateManaged } from "./update.ts";

export interface Refreshed {
  /** False when there is no context file to refresh. */
  found: boolean;
  changed: boolean;
  /** The blocks whose markers were missing and were added. */
  added: string[];
}

/** Refreshes the file at `at`; a refused file (link out, binary) or bad markers throw. */
export async function refreshContext(
  at: ContextLocation,
  session: SessionFacts,
  now: Date,
): Promise<Refreshed> {
  const read = await readContext(at);
  if (read === undefined) return { found: false, changed: false, added: [] };
  const branch = await currentBranch(at.root).catch(() => null);
  const blocks = managedBlocks({ session, branch, now });
  const had = new Set(findBlocks(read.text, at.shown).map((b) => b.name));
  const next = updateManaged(read.text, blocks, at.shown);
  const changed = next !== read.text;
  if (changed) await writeContext(at, read.real, next);
  return { found: true, changed, added: blocks.filter((b) => !had.has(b.name)).map((b) => b.name) };
}
