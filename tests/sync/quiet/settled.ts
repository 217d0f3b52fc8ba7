/**
 * The store's folders set a minute back, as if their last change were that old: a look a sync
 * record is kept whole against (src/sync/quiet/stamps.ts folderLook, `settled`).
 */
import { join } from "node:path";
import type { Repo } from "../../helpers.ts";

const STORE = ["sessions", "sessions/archive", "sessions/pause", "checkpoints", "handoffs"];

/** Sets the folders of the synced files a minute back (a folder not there is left). */
export async function settled(repo: Pick<Repo, "path">): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  for (const dir of STORE) {
    await Deno.utime(join(repo.path, ".claude-mpm", dir), past, past).catch(() => {});
  }
}
