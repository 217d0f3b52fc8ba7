/**
 * A store read whole (no sync record of this build's: a first sync, or the first after an upgrade)
 * is read a small batch at a time: a batch of thousands of records in flight at once held ~250 MB
 * at 60,000 snapshots.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { withRepo, writeRecord } from "../../helpers.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { readLocal } from "../../../src/sync/local/local.ts";

Deno.test("a store read whole holds at most a small batch of records at once", async () => {
  await using repo = await withRepo();
  const dir = join(repo.path, ".claude-mpm", "sessions");
  const body = JSON.stringify({ words: "the refunds table ".repeat(50) });
  const count = 1000;
  for (let i = 0; i < count; i++) {
    const id = `session-20260101-${String(Math.floor(i / 60)).padStart(4, "0")}${
      String(i % 60).padStart(2, "0")
    }`;
    await writeRecord(dir, id, body);
  }
  // The records asked for and not yet answered: those the reads hold at once.
  let [flight, most, read] = [0, 0, 0];
  const reader = async (path: string) => {
    if (!path.endsWith(".json")) return await Deno.readFile(path).catch(() => undefined);
    [flight, most, read] = [flight + 1, Math.max(most, flight + 1), read + 1];
    const bytes = await Deno.readFile(path).catch(() => undefined);
    flight--;
    return bytes;
  };
  const side = await readLocal(projectPaths(repo.path), ["session"], { reader });
  assertEquals(side.files.length, count);
  assertEquals(read, count);
  // 1,000 records of ~900 bytes, ~900 KB in all: a few hundred KB of them at most at once.
  assert(most <= 300, `${most} records in flight at once`);
});
