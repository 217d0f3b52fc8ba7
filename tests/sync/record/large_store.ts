/**
 * A store large enough to keep the snapshots folder's index (sessions/store/listing): what a sync
 * after a pause tells the new snapshots by (src/sync/local/grown.ts).
 */
import { join } from "node:path";
import { type Repo, writeRecord } from "../../helpers.ts";
import { sessionIdFor } from "../../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../../src/sessions/store/session/build_snapshot.ts";

/** `count` snapshots written straight into `repo`'s snapshots folder, a minute apart, hours ago. */
export async function largeStore(repo: Repo, count: number): Promise<void> {
  const start = Date.now() - 7_200_000 - count * 60_000;
  for (let i = 0; i < count; i++) {
    const now = new Date(start + i * 60_000);
    const id = sessionIdFor(now);
    const text = serializeSnapshot(buildSnapshot({
      summary: `Snapshot ${i}: the billing export`,
      accomplishments: [],
      nextSteps: [],
      todos: [],
    }, { id, now, git: null, projectPath: repo.path, version: "0.1.0", build: "dev" }));
    await writeRecord(join(repo.path, ".claude-mpm", "sessions"), id, text);
  }
}
