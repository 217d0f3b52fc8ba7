/**
 * The benches' made-up snapshots are dated back from the run's own minute, so the newest fall
 * inside the board's and a pull's senders' window (dated from 2025, every window was empty and the
 * figures missed that work), and a store and what is pushed on top of it keep their order.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { tempDir } from "../helpers.ts";
import { writeSnapshots } from "../../scripts/bench/bench_lib.ts";
import { DEFAULT_SINCE_DAYS } from "../../src/board/board_read.ts";

/** The times of the snapshots in `root`, from their ids, oldest first. */
function times(root: string): number[] {
  const names = [...Deno.readDirSync(join(root, ".claude-mpm", "sessions"))]
    .flatMap((e) => e.name.endsWith(".json") ? [e.name] : []).sort();
  return names.map((name) => {
    const [, d, t] = name.match(/^session-(\d{8})-(\d{6})\.json$/)!;
    const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:` +
      `${t.slice(2, 4)}:${t.slice(4)}Z`;
    return Date.parse(iso);
  });
}

Deno.test("the benches' snapshots end at the run's minute, inside the teammates' window", async () => {
  await using dir = await tempDir();
  const window = DEFAULT_SINCE_DAYS * 86_400_000;
  await writeSnapshots(join(dir.path, "one"), 3);
  const one = times(join(dir.path, "one"));
  assertEquals([one.length, one[1] - one[0], one[2] - one[1]], [3, 60_000, 60_000]);
  assert(Date.now() - one[2] < window && one[2] <= Date.now(), `${new Date(one[2])}`);

  // A store, then what comes on top: the newest of all is the run's minute.
  const both = join(dir.path, "both");
  await writeSnapshots(both, 3, { newest: 4 });
  await writeSnapshots(both, 2, { first: 3, newest: 4 });
  const all = times(both);
  assertEquals(all.slice(1).map((t, i) => t - all[i]), [60_000, 60_000, 60_000, 60_000]);
  assertEquals(all[4], one[2]);
});
