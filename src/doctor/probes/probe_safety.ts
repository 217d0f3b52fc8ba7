/** Where a linked `.claude-mpm` leads, and interrupted writes' temp files. */
import { findLeftovers, isGarbage } from "../../disk/sweep.ts";

/** Temp files whose writer is gone and that are over a minute old, as the sweep sees them. */
export async function garbageTempFiles(base: string, now: Date): Promise<string[]> {
  const leftovers = await findLeftovers(base, now.getTime());
  return leftovers.filter((l) => l.kind === "temp" && isGarbage(l)).map((l) => l.path).sort();
}
