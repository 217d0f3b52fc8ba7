/**
 * `mpm sync` figures: push and pull of 1,000 snapshots through a bare remote on this disk
 * (budget: under 5 s each), and the same commands when there is nothing to move. Run alone with
 * `deno run --allow-all scripts/bench_sync.ts`; scripts/bench.ts can take `syncBenches()`.
 */
import { join } from "node:path";
import { checksumLine } from "../src/kernel/checksum.ts";
import { sessionIdFor } from "../src/kernel/ids.ts";
import { buildSnapshot } from "../src/sessions/pause.ts";
import { serializeSnapshot } from "../src/kernel/snapshot.ts";
import { SYNC_REF, type SyncSetup, trackingRef } from "../src/sync/refs.ts";
import { pullSync } from "../src/sync/pull.ts";
import { pushSync } from "../src/sync/push.ts";
import type { Row } from "./bench_lib.ts";

const RUNS = Number(Deno.env.get("MPM_BENCH_RUNS") ?? 3);

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (out.code !== 0) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function writeSnapshots(root: string, count: number): Promise<void> {
  const sessions = join(root, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  const start = Date.UTC(2025, 0, 1);
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    const now = new Date(start + i * 60_000);
    const id = sessionIdFor(now);
    const text = serializeSnapshot(buildSnapshot({
      id,
      now,
      summary: `Session number ${i}: payments, refunds and the webhook retry queue`,
      accomplishments: ["Stripe client", "Webhook endpoint"],
      nextSteps: ["Refunds", "Retry queue"],
      todos: [{ content: "Write the refund tests", status: "pending" }],
      git: null,
      projectPath: root,
      version: "0.0.0",
      build: "bench",
    }));
    await Deno.writeTextFile(join(sessions, `${id}.json`), text);
    await Deno.writeTextFile(join(sessions, `${id}.json.sha256`), checksumLine(text, `${id}.json`));
  }));
}

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
    await git(repo, "update-ref", "-d", ref);
  }
  if (remote) await git(remote, "update-ref", "-d", SYNC_REF);
}

export async function syncBenches(count = 1000): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-sync-" });
  try {
    const remote = join(dir, "remote.git");
    const [a, b] = [join(dir, "a"), join(dir, "b")];
    await git(dir, "init", "-q", "--bare", remote);
    for (const repo of [a, b]) {
      await git(dir, "init", "-q", "-b", "main", repo);
      await git(repo, "config", "user.name", "Bench");
      await git(repo, "config", "user.email", "bench@example.com");
      await git(repo, "remote", "add", "origin", remote);
    }
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
