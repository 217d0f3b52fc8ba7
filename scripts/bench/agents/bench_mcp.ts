/**
 * How fast `mpm mcp` answers, as Claude Code runs it (a whole process, JSON-RPC on its stdin), in
 * a project with 1,000 snapshots and a 50 MB vault (bench_search.ts's fixture): its start to the
 * `initialize` answer, and a search from start to the answer, beside `mpm search` doing the same
 * search; the peak memory (max RSS, from /usr/bin/time) of both.
 *
 *   deno run -A scripts/bench/agents/bench_mcp.ts [--mb 50] [--transcripts 10] [--snapshots 1000]
 *     [--runs 5]
 *
 * `deno task bench` runs it with the others (scripts/bench/bench.ts, OTHER_BENCHES).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DENO_DIR } from "../../../tests/helpers.ts";
import { searchFixture } from "../history/bench_search.ts";
import { bundle } from "../../build/bundle.ts";

/**
 * What is measured: the bundle, as every other start-up figure (MPM_BENCH_BUNDLE, or one made
 * now into a temp folder), so the MCP SDK's chunk is loaded as the shipped mpm loads it.
 */
async function bundled(): Promise<string> {
  const given = Deno.env.get("MPM_BENCH_BUNDLE");
  if (given) return given;
  const out = join(await Deno.makeTempDir({ prefix: "mpm-bench-mcp-" }), "mpm.js");
  await bundle(out);
  return out;
}

let entry = "";
const QUERY = "webhook retry queue";

/** Claude Code 2.1.330's first message, a probe for a newer protocol: initialize waits for its answer. */
const DISCOVER = JSON.stringify({ jsonrpc: "2.0", id: 0, method: "server/discover", params: {} });
const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "bench", version: "1" },
  },
});
const SEARCH = JSON.stringify({
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name: "search", arguments: { query: QUERY, limit: 20 } },
});

interface Timed {
  ms: number;
  rssKb: number | null;
}

async function timeBin(): Promise<string | null> {
  return await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => null);
}

function command(time: string | null, args: string[], cwd: string, home: string) {
  const deno = ["run", "--quiet", "-A", entry, ...args];
  const [cmd, cmdArgs] = time
    ? [time, ["-f", "rss %M", Deno.execPath(), ...deno]]
    : [Deno.execPath(), deno];
  return new Deno.Command(cmd, {
    args: cmdArgs,
    cwd,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, DENO_DIR, NO_COLOR: "1" },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
}

const rssOf = (stderr: string) => {
  const match = stderr.match(/rss (\d+)/);
  return match ? Number(match[1]) : null;
};

/**
 * `mpm mcp` from its start to the answer to request `until` (1: initialize, 2: the search), each
 * request sent as Claude Code sends it: the probe first, initialize once the probe is answered.
 */
async function timedMcp(cwd: string, home: string, until: 1 | 2): Promise<Timed> {
  const time = await timeBin();
  const start = performance.now();
  const child = command(time, ["mcp"], cwd, home).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  const answered = async (id: number) => {
    while (!seen.includes(`"id":${id}}`) && !seen.includes(`"id":${id},`)) {
      const { value, done } = await reader.read();
      if (done) return false;
      seen += decoder.decode(value, { stream: true });
    }
    return true;
  };
  const send = (line: string) => writer.write(new TextEncoder().encode(line + "\n"));
  let ms = 0;
  await send(DISCOVER);
  if (await answered(0)) {
    await send(until === 1 ? INITIALIZE : `${INITIALIZE}\n${SEARCH}`);
    if (await answered(until)) ms = performance.now() - start;
  }
  reader.releaseLock();
  await child.stdout.cancel();
  await writer.close();
  const status = await child.status;
  const stderr = decoder.decode(await new Response(child.stderr).arrayBuffer());
  if (!status.success || ms === 0) throw new Error(`mpm mcp: ${stderr}`);
  return { ms, rssKb: rssOf(stderr) };
}

async function timedSearch(cwd: string, home: string): Promise<Timed> {
  const time = await timeBin();
  const start = performance.now();
  const child = command(time, ["search", QUERY], cwd, home).spawn();
  await child.stdin.close();
  const out = await child.output();
  const ms = performance.now() - start;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`mpm search: ${stderr}`);
  return { ms, rssKb: rssOf(stderr) };
}

const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `mpm mcp`'s start to `initialize` answered may be this much over the floor (median). */
const INITIALIZE_BUDGET_MS = 40;

/** `deno run` of an empty file: Deno's own start, the least any server can take. */
async function timedFloor(empty: string): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", empty],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error("deno run of an empty file failed");
  return performance.now() - start;
}

/** Start → initialize answered beside the floor, interleaved in the same rounds; its verdict. */
async function initializeOverFloor(cwd: string, home: string, runs: number): Promise<string> {
  const empty = join(await Deno.makeTempDir({ prefix: "mpm-bench-mcp-floor-" }), "empty.js");
  await Deno.writeTextFile(empty, "\n");
  await timedMcp(cwd, home, 1);
  await timedFloor(empty);
  const mcp: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    mcp.push((await timedMcp(cwd, home, 1)).ms);
    floor.push(await timedFloor(empty));
  }
  const over = middle(mcp) - middle(floor);
  return `mpm mcp: start → initialize answered ${middle(mcp).toFixed(0)} ms, floor ${
    middle(floor).toFixed(0)
  } ms: ${over.toFixed(0)} ms over (goal ≤ ${INITIALIZE_BUDGET_MS} ms over): ${
    over <= INITIALIZE_BUDGET_MS ? "met" : "NOT met"
  }`;
}

async function measured(runs: number, one: () => Promise<Timed>): Promise<string> {
  await one(); // warm-up
  const all: Timed[] = [];
  for (let i = 0; i < runs; i++) all.push(await one());
  const rss = all.flatMap((t) => (t.rssKb === null ? [] : [t.rssKb]));
  const peak = rss.length ? `  peak ${(Math.max(...rss) / 1024).toFixed(0)} MB` : "";
  return `${middle(all.map((t) => t.ms)).toFixed(0).padStart(7)} ms${peak}`;
}

export async function benchMcp(
  options: { mb: number; transcripts: number; snapshots: number; runs: number },
): Promise<string[]> {
  const fixture = await searchFixture(options);
  try {
    const { repo, home } = fixture;
    const size = `${options.snapshots} snapshots + ${
      (fixture.written / 1024 / 1024).toFixed(0)
    } MB vaulted`;
    return [
      `mpm mcp: start → initialize answered`.padEnd(84) +
      await measured(options.runs, () => timedMcp(repo, home, 1)),
      await initializeOverFloor(repo, home, Math.max(options.runs, 15)),
      `mpm mcp: start → search "${QUERY}" answered, ${size}`.padEnd(84) +
      await measured(options.runs, () => timedMcp(repo, home, 2)),
      `mpm search "${QUERY}", ${size} (the same search)`.padEnd(84) +
      await measured(options.runs, () => timedSearch(repo, home)),
    ];
  } finally {
    await Deno.remove(fixture.dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      mb: { type: "string", default: "50" },
      transcripts: { type: "string", default: "10" },
      snapshots: { type: "string", default: "1000" },
      runs: { type: "string", default: "5" },
    },
  });
  entry = await bundled();
  console.log(
    `mpm mcp beside mpm search, whole processes of the bundle, medians of ${values.runs} runs`,
  );
  for (
    const line of await benchMcp({
      mb: Number(values.mb),
      transcripts: Number(values.transcripts),
      snapshots: Number(values.snapshots),
      runs: Number(values.runs),
    })
  ) console.log(line);
}
