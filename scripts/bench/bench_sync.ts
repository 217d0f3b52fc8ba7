/**
 * `mpm sync` figures: push and pull of 1,000 snapshots through a bare remote on this disk
 * (budget: under 5 s each), and the same commands when there is nothing to move; then the peak
 * memory of `mpm sync pull` (a whole process, VmHWM) taking a teammate's push of a vaulted
 * transcript of about 21 MB compressed (budget 300 MB): a pull holds a piece of a segment's text
 * at a time, never a segment or a copy. Run alone with
 * `deno run --allow-all scripts/bench/bench_sync.ts [--pull-mb 650]` (MB of transcript pushed; 0:
 * no memory figure); `deno task bench` runs it with the others.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DENO_DIR } from "../../tests/helpers.ts";
import { writeTranscript } from "./bench_replay.ts";
import { SYNC_REF, type SyncSetup, trackingRef } from "../../src/sync/refs.ts";
import { commitIdentity } from "../../src/sync/identity.ts";
import { pullSync } from "../../src/sync/pull.ts";
import { pushSync } from "../../src/sync/push.ts";
import { feed, makeClones, peakMb, type Row, sh, writeSnapshots } from "./bench_lib.ts";

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
    const identity = commitIdentity({}, new Map([["user.name", "Bench"], ["user.email", "b@x"]]));
    const setup: SyncSetup = { remote: "origin", identity, sign: false };
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

const MAIN = join(import.meta.dirname!, "..", "..", "main.ts");
const PULL_BUDGET_MB = 300;

/** `mpm` as a whole process, as a person runs it, with `home` as HOME. */
function mpmArgv(...args: string[]): string[] {
  return [Deno.execPath(), "run", "--quiet", "-A", "--frozen", "--cached-only", MAIN, ...args];
}

function envOf(home: string): Record<string, string> {
  return { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, DENO_DIR, NO_COLOR: "1" };
}

async function mpmIn(cwd: string, home: string, args: string[], stdin?: string): Promise<void> {
  const [cmd, ...rest] = mpmArgv(...args);
  const child = new Deno.Command(cmd, {
    args: rest,
    cwd,
    env: envOf(home),
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await feed(child, stdin);
  const out = await child.output();
  if (!out.success) {
    throw new Error(`mpm ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/**
 * A's Claude Code transcript of `mb` MB copied into A's vault and pushed with A's pause; then B's
 * `mpm sync pull` of it, its peak resident memory. Returns the figure's line.
 */
export async function pullMemory(mb: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-pull-" });
  try {
    const { remote, a, b } = await makeClones(dir);
    const [homeA, homeB] = [join(dir, "home-a"), join(dir, "home-b")];
    for (const home of [homeA, homeB]) await Deno.mkdir(home, { recursive: true });
    await mpmIn(a, homeA, ["start", "bench", "--task", "pull memory"]);
    const id = "d0000000-0000-4000-8000-000000000000";
    const folder = join(homeA, ".claude", "projects", a.replace(/[^A-Za-z0-9]/g, "-"));
    await Deno.mkdir(folder, { recursive: true });
    const transcript = join(folder, `${id}.jsonl`);
    const from = new Date(Date.UTC(2025, 0, 1));
    const written = await writeTranscript(
      transcript,
      mb,
      id,
      from,
      new Date(from.getTime() + 3_600_000),
    );
    const payload = JSON.stringify({
      session_id: id,
      transcript_path: transcript,
      cwd: a,
      hook_event_name: "SessionStart",
      source: "startup",
    });
    await mpmIn(a, homeA, ["hook", "session-start"], payload);
    await mpmIn(a, homeA, ["vault", "sync"]);
    await mpmIn(a, homeA, ["pause", "-s", "The big transcript", "--no-prune-worktrees"]);
    await mpmIn(a, homeA, ["sync", "push"]);
    const listed = await new Deno.Command("git", {
      args: ["--git-dir", remote, "ls-tree", "-r", "-l", "refs/mpm/sessions", "vault/"],
      stdout: "piped",
    }).output();
    const pushed = new TextDecoder().decode(listed.stdout).split("\n")
      .map((line) => Number(line.split(/\s+/)[3]))
      .filter((n) => Number.isFinite(n)).reduce((x, n) => x + n, 0);
    if (pushed < 1024 * 1024) throw new Error("the push carried no vaulted transcript");
    const peak = await peakMb(mpmArgv("sync", "pull"), b, envOf(homeB));
    const size = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const verdict = peak === null ? "not measured" : peak <= PULL_BUDGET_MB ? "met" : "NOT met";
    return `sync pull peak memory, a push of ${size(pushed)} (a ${size(written)} transcript)`
      .padEnd(70) +
      `${
        peak === null ? "n/a" : peak.toFixed(0).padStart(5)
      } MB  budget ${PULL_BUDGET_MB} MB: ${verdict}`;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "pull-mb": { type: "string", default: "650" },
      snapshots: { type: "string", default: "1000" },
    },
  });
  const count = Number(values.snapshots);
  if (count > 0) {
    for (const row of await syncBenches(count)) {
      console.log(
        `${row.name.padEnd(50)} ${row.ms.toFixed(0).padStart(6)} ms  ${row.budget ?? ""}`,
      );
    }
  }
  const mb = Number(values["pull-mb"]);
  if (mb > 0) console.log(await pullMemory(mb));
}
