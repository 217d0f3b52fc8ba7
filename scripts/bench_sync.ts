/**
 * `mpm sync` figures: push and pull of 1,000 snapshots through a bare remote on this disk
 * (budget: under 5 s each), and the same commands when there is nothing to move. Run alone with
 * `deno run --allow-all scripts/bench_sync.ts`; scripts/bench.ts can take `syncBenches()`.
 */
import { join } from "node:path";
import { SYNC_REF, type SyncSetup, trackingRef } from "../src/sync/refs.ts";
import { pullSync } from "../src/sync/pull.ts";
import { pushSync } from "../src/sync/push.ts";
import { makeClones, type Row, sh, writeSnapshots } from "./bench_lib.ts";

const RUNS = Number(Deno.env.get("MPM_BENCH_RUNS") ?? 3);

async function timed(fn: () => Promise<unknown>, reset: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await reset();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function dropRefs(repo: string, remote?: string): Promise<void> {
  for (const ref of [SYNC_REF, trackingRef("origin")]) {
    await sh(repo, "update-ref", "-d", ref);
  }
  if (remote) await sh(remote, "update-ref", "-d", SYNC_REF);
}

export async function syncBenches(count = 1000): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-sync-" });
  try {
    const { remote, a, b } = await makeClones(dir);
    await writeSnapshots(a, count);
    const setup: SyncSetup = { remote: "origin", hasIdentity: true };
    const push = await timed(() => pushSync(a, setup), () => dropRefs(a, remote));
    const pushNothing = await timed(() => pushSync(a, setup), () => Promise.resolve());
    const pull = await timed(async () => {
      const report = await pullSync(b, setup);
      if (report.moved.length !== count) throw new Error(`pulled ${report.moved.length}`);
    }, async () => {
      await Deno.remove(join(b, ".claude-mpm"), { recursive: true }).catch(() => {});
      await dropRefs(b);
    });
    const pullNothing = await timed(() => pullSync(b, setup), () => Promise.resolve());
    return [
      { name: `sync push, ${count} snapshots to an empty remote`, ms: push, budget: "< 5 s" },
      { name: `sync push, ${count} snapshots, nothing new`, ms: pushNothing },
      { name: `sync pull, ${count} snapshots into an empty project`, ms: pull, budget: "< 5 s" },
      { name: `sync pull, ${count} snapshots, nothing new`, ms: pullNothing },
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  for (const row of await syncBenches()) {
    console.log(`${row.name.padEnd(50)} ${row.ms.toFixed(0).padStart(6)} ms  ${row.budget ?? ""}`);
  }
}
