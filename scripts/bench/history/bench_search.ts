/**
 * How fast `mpm search` answers in a project with 1,000 snapshots and 200 MB of Claude Code
 * transcripts in the vault, as whole processes (`deno run -A main.ts search …`), the way a person
 * runs it. Budget: 1 s for a plain search (prompts and answers, the default). The transcripts are
 * bench_replay.ts's (Claude Code's format: prompts, thinking, answers, Bash, Edit and Read with
 * their output), copied into the vault in this process first (that copy is timed too).
 *
 * Then search's peak memory (resident, VmHWM of the whole process) over 200 MB and 1 GB of vault,
 * with --limit 3 and words that nearly every record holds: a search keeps `limit` hits, not its
 * matches, so the figure does not grow with the vault (budget 200 MB at either size).
 *
 *   deno run -A scripts/bench/history/bench_search.ts [--mb 200] [--transcripts 20] [--snapshots 1000]
 *     [--runs 5] [--memory 200,1024]
 *   (--memory: MB of vault for the memory figures; "" for none; --runs 0: only those)
 *   [--snapshot-counts 1000,50000]   (search over that many snapshots alone, from the index and
 *   from the files, with the growth from the first count to the last; "" for none)
 *
 * `deno task bench` runs it with the others (scripts/bench/bench.ts, OTHER_BENCHES).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  BENCH_NOW,
  benchEnv,
  middle,
  peakMb,
  sh,
  timedDeno,
  writeSnapshots,
} from "../bench_lib.ts";
import { writeTranscript } from "../transcripts/bench_replay.ts";
import { syncVault } from "../../../src/vault/copy/copy.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { ensureMachineKey, useMachineKeyFrom } from "../../../src/disk/machine_key.ts";

const MAIN = join(import.meta.dirname!, "..", "..", "..", "main.ts");
const BUDGET_MS = 1000;
const MEMORY_BUDGET_MB = 200;

/** A project with `snapshots` snapshots and `mb` MB of transcripts copied into its vault. */
export async function searchFixture(
  options: { mb: number; transcripts: number; snapshots: number },
): Promise<
  { repo: string; home: string; written: number; held: number; copyMs: number; dir: string }
> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-search-" });
  const repo = join(dir, "project");
  const home = join(dir, "home");
  await Deno.mkdir(repo, { recursive: true });
  await sh(repo, "init", "-q", "-b", "main");
  await writeSnapshots(repo, options.snapshots);
  // The transcripts where Claude Code keeps them, and the hooks' record that they were seen.
  const folder = join(home, ".claude", "projects", repo.replace(/[^A-Za-z0-9]/g, "-"));
  await Deno.mkdir(folder, { recursive: true });
  // One a day, the last ending now.
  const from = new Date(BENCH_NOW - options.transcripts * 86_400_000 + 82_800_000);
  let written = 0;
  for (let i = 0; i < options.transcripts; i++) {
    const id = `b${String(i).padStart(7, "0")}-0000-4000-8000-000000000000`;
    const path = join(folder, `${id}.jsonl`);
    const start = new Date(from.getTime() + i * 86_400_000);
    written += await writeTranscript(
      path,
      options.mb / options.transcripts,
      id,
      start,
      new Date(start.getTime() + 3_600_000),
    );
    const key = `s-bench${String(i).padStart(5, "0")}`;
    await Deno.mkdir(join(repo, ".claude-mpm", "threads", key), { recursive: true });
    await Deno.writeTextFile(
      join(repo, ".claude-mpm", "threads", key, "claude-sessions.jsonl"),
      JSON.stringify({
        time: start.toISOString(),
        event: "SessionStart",
        claude_session_id: id,
        transcript_path: path,
        detail: "startup",
      }) + "\n",
    );
  }
  const copyStart = performance.now();
  const report = await syncVault(projectPaths(repo), {
    now: new Date(),
    home,
    vars: {},
    budgetBytes: Infinity,
    lockWaitMs: 1000,
  });
  const copyMs = performance.now() - copyStart;
  return { repo, home, written, held: report.held_bytes, copyMs, dir };
}

export async function benchSearch(
  options: { mb: number; transcripts: number; snapshots: number; runs: number },
): Promise<string[]> {
  const { repo, home, written, held, copyMs, dir } = await searchFixture(options);
  try {
    const size = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const lines = [
      `vault: first copy of ${options.transcripts} transcripts, ${size(written)} ` +
      `(redacted, indexed, compressed to ${size(held)})`.padEnd(20) +
      `${copyMs.toFixed(0).padStart(9)} ms`,
    ];
    const cases: [string, string[], boolean][] = [
      ["plain text, no match (reads everything)", ["search", "zebra unicorn"], true],
      ["plain text, 1,000+ matches, newest 20", ["search", "webhook retry queue"], true],
      ["--regex", ["search", "--regex", "retry (queue|loop)"], false],
      ["--tools (tool calls and output too)", ["search", "--tools", "zebra unicorn"], false],
    ];
    for (const [name, args, budgeted] of cases) {
      await timedDeno(repo, benchEnv(home), [MAIN, ...args]); // warm-up
      const runs = [];
      for (let i = 0; i < options.runs; i++) {
        runs.push(await timedDeno(repo, benchEnv(home), [MAIN, ...args]));
      }
      const ms = middle(runs.map((r) => r.ms));
      const cpus = runs.flatMap((r) => r.cpuMs === null ? [] : [r.cpuMs]);
      const cpu = cpus.length ? ` (${middle(cpus).toFixed(0)} ms CPU)` : "";
      const verdict = budgeted
        ? `  budget ${BUDGET_MS} ms: ${ms <= BUDGET_MS ? "met" : "OVER"}`
        : "";
      lines.push(
        `search, ${options.snapshots} snapshots + ${size(written)} vaulted: ${name}`.padEnd(84) +
          `${ms.toFixed(0).padStart(7)} ms${cpu}${verdict}`,
      );
    }
    return lines;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** One transcript per 205 MB at most: Claude Code's files are that size at the most. */
const MB_PER_TRANSCRIPT = 205;

/**
 * Peak resident memory of `mpm search --limit 3` over `mb` MB of transcripts in the vault: tool
 * output that every tool call has (--tools), and words of every prompt and answer.
 */
export async function searchMemory(mb: number): Promise<string[]> {
  const transcripts = Math.max(1, Math.ceil(mb / MB_PER_TRANSCRIPT));
  const { repo, home, written, held, dir } = await searchFixture({
    mb,
    transcripts,
    snapshots: 0,
  });
  try {
    const size = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const argv = [Deno.execPath(), "run", "--quiet", "-A", "--frozen", "--cached-only", MAIN];
    const lines: string[] = [];
    const cases: [string, string[]][] = [
      ["--tools, every tool output matches", ["--tools", "xxxxxxxx"]],
      ["every prompt and answer matches", ["the tests"]],
    ];
    for (const [name, args] of cases) {
      const peak = await peakMb([...argv, "search", "--limit", "3", ...args], repo, benchEnv(home));
      const verdict = peak === null ? "not measured" : peak <= MEMORY_BUDGET_MB ? "met" : "NOT met";
      lines.push(
        `search --limit 3 peak memory, ${size(written)} vaulted (${size(held)} held): ${name}`
          .padEnd(96) +
          `${
            peak === null ? "n/a" : peak.toFixed(0).padStart(5)
          } MB  budget ${MEMORY_BUDGET_MB} MB: ${verdict}`,
      );
    }
    return lines;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * `mpm search` over N snapshots (no transcripts), whole processes: the first search (it fills the
 * index), then searches the index answers, then the files alone (the index's place taken by a
 * folder, as on a disk it cannot be made on), with each figure's growth from the first N to the
 * last (50 times the snapshots: the index's answer should grow far less). CPU time, the medians.
 */
export async function searchSnapshots(counts: number[], runs: number): Promise<string[]> {
  const lines: string[] = [];
  const first = new Map<string, number>();
  for (const count of counts) {
    const dir = await Deno.makeTempDir({ prefix: "mpm-bench-search-snaps-" });
    try {
      const repo = join(dir, "project");
      const home = join(dir, "home");
      await Deno.mkdir(repo, { recursive: true });
      await sh(repo, "init", "-q", "-b", "main");
      await writeSnapshots(repo, count);
      // The machine's key, as any mpm run that writes makes it: the index is sealed with it.
      useMachineKeyFrom({ HOME: home });
      await ensureMachineKey();
      const cpu = async (args: string[], n: number) => {
        const out = [];
        for (let i = 0; i < n; i++) {
          out.push(await timedDeno(repo, benchEnv(home), [MAIN, ...args]));
        }
        return middle(out.map((r) => r.cpuMs ?? r.ms));
      };
      const cases: [string, () => Promise<number>][] = [
        ["first search (fills the index)", () => cpu(["search", "zebra unicorn"], 1)],
        ["indexed, plain text, no match", () => cpu(["search", "zebra unicorn"], runs)],
        ["indexed, every snapshot matches, newest 20", () => cpu(["search", "refund"], runs)],
        ["indexed, --regex", () => cpu(["search", "--regex", "retry (queue|loop)"], runs)],
        ["files alone, plain text, no match", async () => {
          const cache = join(repo, ".claude-mpm", "cache");
          const names = [...Deno.readDirSync(cache)].map((e) => e.name);
          for (const name of names.filter((n) => n.startsWith("search-"))) {
            await Deno.remove(join(cache, name));
            if (!name.endsWith(".sqlite")) continue;
            // Not empty: an empty folder would be taken away and the index made again.
            await Deno.mkdir(join(cache, name));
            await Deno.writeTextFile(join(cache, name, "in the way"), "");
          }
          return cpu(["search", "zebra unicorn"], runs);
        }],
      ];
      for (const [name, run] of cases) {
        const ms = await run();
        const was = first.get(name);
        if (was === undefined) first.set(name, ms);
        const growth = was === undefined ? "" : `  x${(ms / was).toFixed(1)} of ${counts[0]}'s`;
        lines.push(
          `search over ${count} snapshots: ${name}`.padEnd(84) +
            `${ms.toFixed(0).padStart(7)} ms CPU${growth}`,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
  return lines;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      mb: { type: "string", default: "200" },
      transcripts: { type: "string", default: "20" },
      snapshots: { type: "string", default: "1000" },
      runs: { type: "string", default: "5" },
      memory: { type: "string", default: "200,1024" },
      "snapshot-counts": { type: "string", default: "1000,50000" },
    },
  });
  // --runs 0: the memory figures only.
  if (Number(values.runs) > 0) {
    console.log(
      `mpm search, whole processes (deno run -A main.ts), medians of ${values.runs} runs`,
    );
    for (
      const line of await benchSearch({
        mb: Number(values.mb),
        transcripts: Number(values.transcripts),
        snapshots: Number(values.snapshots),
        runs: Number(values.runs),
      })
    ) console.log(line);
  }
  for (const mb of values.memory.split(",").filter((v) => v.trim() !== "")) {
    for (const line of await searchMemory(Number(mb))) console.log(line);
  }
  // --snapshot-counts 1000,50000: search over that many snapshots, from the index and the files.
  const counts = values["snapshot-counts"].split(",").filter((v) => v.trim() !== "").map(Number);
  if (counts.length > 0 && Number(values.runs) > 0) {
    console.log(`mpm search over snapshots, whole processes, CPU time, medians of ${values.runs}`);
    for (const line of await searchSnapshots(counts, Math.max(1, Number(values.runs)))) {
      console.log(line);
    }
  }
}
