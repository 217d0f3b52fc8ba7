/**
 * Whether a year of history costs what a day's does where a person waits: `mpm resume`, the
 * SessionStart after it (`source: resume`) and a new one with no answer made ready, in a project holding 1,000 and then 50,000 snapshots
 * (a team's, pulled or committed, beside the person's own last pause), as whole processes of the
 * bundle. CPU time (user + system) and peak resident memory from /usr/bin/time, medians of
 * `--runs`; the last table is each figure's growth beside its goal (flat: ≤ 1.2×). Nothing here
 * asserts a time: read the table.
 *
 *   deno run -A scripts/bench/history/bench_history.ts [--sizes 1000,50000] [--runs 5]
 *
 * MPM_BENCH_BUNDLE=FILE measures that bundle instead of bundling the work tree.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RACY_MS } from "../../../src/sessions/store/listing/listing_cache.ts";
import { bundle } from "../../build/bundle.ts";
import { benchEnv, makeRepo, middle, timedProcess, writeSnapshots } from "../bench_lib.ts";

const GROWTH_GOAL = 1.2;

interface Figure {
  cpuMs: number;
  mb: number;
}

/** One whole process: its CPU time and peak memory; throws on a failure. */
async function timed(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  stdin?: string,
): Promise<Figure> {
  const { cpuMs, mb } = await timedProcess(argv, cwd, env, stdin);
  return { cpuMs: cpuMs ?? NaN, mb: mb ?? NaN };
}

async function medianOf(runs: number, fn: () => Promise<Figure>): Promise<Figure> {
  await fn(); // untimed: the listing's index and the start record are written by the first run
  const figures: Figure[] = [];
  for (let i = 0; i < runs; i++) figures.push(await fn());
  return {
    cpuMs: middle(figures.map((f) => f.cpuMs)),
    mb: middle(figures.map((f) => f.mb)),
  };
}

/** A project of `snapshots` snapshots not sealed here, and the person's own pause after them. */
async function project(mpm: string[], snapshots: number, env: Record<string, string>) {
  const dir = await makeRepo(100);
  await writeSnapshots(dir, snapshots);
  // The listing indexes a folder once it has been still for RACY_MS (listing_cache.ts).
  await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
  const paused = await new Deno.Command(mpm[0], {
    args: [...mpm.slice(1), "pause", "-s", "The person's own work"],
    cwd: dir,
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!paused.success) throw new Error(new TextDecoder().decode(paused.stderr));
  return dir;
}

const { values } = parseArgs({
  args: Deno.args,
  options: { sizes: { type: "string", default: "1000,50000" }, runs: { type: "string" } },
});
const sizes = values.sizes!.split(",").map(Number);
const runs = Number(values.runs ?? 5);

const scratch = await Deno.makeTempDir({ prefix: "mpm-bench-history-" });
try {
  let program = Deno.env.get("MPM_BENCH_BUNDLE");
  if (!program) {
    program = join(scratch, "dist", "mpm.js");
    await bundle(program);
  }
  const mpm = [Deno.execPath(), "run", "-A", program];
  const home = join(scratch, "home");
  await Deno.mkdir(home);
  const env = benchEnv(home, { name: "Bench", email: "bench@example.com" });
  const rows: { size: number; resume: Figure; start: Figure; fresh: Figure }[] = [];
  for (const size of sizes) {
    const dir = await project(mpm, size, env);
    const state = join(dir, ".claude-mpm", "state.json");
    const resume = await medianOf(runs, async () => {
      await Deno.remove(state).catch(() => {});
      return timed([...mpm, "resume"], dir, env);
    });
    let n = 0;
    const startOf = (source: string) => () => {
      const payload = JSON.stringify({
        session_id: `3f2a9c1e-7b4d-4e2a-9c1f-${String(++n).padStart(12, "0")}`,
        transcript_path: join(dir, "missing.jsonl"),
        cwd: dir,
        hook_event_name: "SessionStart",
        source,
      });
      return timed([...mpm, "hook", "session-start"], dir, env, payload);
    };
    const start = await medianOf(runs, startOf("resume"));
    // A new conversation with no answer made ready: the start record worked out again.
    const ready = join(dir, ".claude-mpm", "cache", "ready.json");
    const fresh = await medianOf(runs, async () => {
      await Deno.remove(ready).catch(() => {});
      return await startOf("startup")();
    });
    rows.push({ size, resume, start, fresh });
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }

  const fmt = (n: number) => n.toFixed(0);
  console.log(
    `\nresume and the SessionStart after it, by snapshots in the project (medians of ${runs}; CPU time, peak RSS)\n`,
  );
  console.log(
    "| snapshots | resume CPU ms | MB | start (resume) CPU ms | MB | start (new, not ready) CPU ms | MB |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const cells = [r.resume, r.start, r.fresh].map((f) => `${fmt(f.cpuMs)} | ${fmt(f.mb)}`);
    console.log(`| ${r.size} | ${cells.join(" | ")} |`);
  }
  if (rows.length > 1) {
    const [small, large] = [rows[0], rows.at(-1)!];
    const ratio = (a: number, b: number) => b / a;
    const verdict = (x: number) =>
      `${x.toFixed(2)}× (goal ≤ ${GROWTH_GOAL}×): ${x <= GROWTH_GOAL ? "met" : "NOT met"}`;
    console.log(`\n| growth ${small.size} → ${large.size} | figure |`);
    console.log("|---|---|");
    console.log(`| resume, CPU | ${verdict(ratio(small.resume.cpuMs, large.resume.cpuMs))} |`);
    console.log(`| resume, memory | ${verdict(ratio(small.resume.mb, large.resume.mb))} |`);
    console.log(
      `| start after resume, CPU | ${verdict(ratio(small.start.cpuMs, large.start.cpuMs))} |`,
    );
    console.log(
      `| start after resume, memory | ${verdict(ratio(small.start.mb, large.start.mb))} |`,
    );
  }
} finally {
  await Deno.remove(scratch, { recursive: true }).catch(() => {});
}
