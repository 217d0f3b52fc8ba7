/**
 * `mpm search` from its index (src/index/) at 200 MB and 1 GB of Claude Code transcripts (the
 * bundle, `deno run -A dist/mpm.js`, as bench.ts measures; MPM_BENCH_BUNDLE=FILE for another), against
 * the limit: an FTS5 query of the same words in a new `deno run` process on the same text (the
 * index's own file, opened read only). Whole processes, CPU time (the machine is shared), medians
 * of interleaved runs: mpm then the limit, round after round. The first search, which builds the
 * index from the vault (here `mpm index --rebuild`), is timed apart; then each search only checks the vault's files by their
 * stat and asks the index.
 *
 * Goals: search at 1 GB ≤ 2× the limit; its growth from 200 MB to 1 GB ≤ 1.2×.
 *
 *   deno run -A scripts/bench/history/bench_index.ts [--sizes 200,1024] [--runs 7] [--query "zebra unicorn"]
 *
 * `deno task bench` runs it with the others (scripts/bench/bench.ts, OTHER_BENCHES).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchEnv, middle, timedDeno } from "../bench_lib.ts";
import { searchFixture } from "./bench_search.ts";
import { bundle } from "../../build/bundle.ts";

const RATIO_GOAL = 2;
const GROWTH_GOAL = 1.2;
/** One transcript per 205 MB at most: Claude Code's files are that size at the most. */
const MB_PER_TRANSCRIPT = 205;

/** The limit: a new process that opens the index read only and asks FTS5 for the words. */
const LIMIT_SCRIPT = `
import { DatabaseSync } from "node:sqlite";
const db = new DatabaseSync(Deno.args[0], { readOnly: true });
const phrase = '"' + Deno.args[1].toLowerCase().replaceAll('"', '""') + '"';
const rows = db.prepare("SELECT rowid FROM words WHERE words MATCH ? LIMIT 20").all(phrase);
console.log(rows.length);
db.close();
`;

interface Size {
  mb: number;
  written: number;
  buildCpu: number;
  mpmCpu: number;
  mpmMs: number;
  limitCpu: number;
  limitMs: number;
  indexBytes: number;
  regexCpu: number;
  commonCpu: number;
  commonPeakMb: number | null;
}

async function measure(
  main: string,
  mb: number,
  runs: number,
  query: string,
  script: string,
): Promise<Size> {
  const transcripts = Math.max(1, Math.ceil(mb / MB_PER_TRANSCRIPT));
  const { repo, home, written, dir } = await searchFixture({ mb, transcripts, snapshots: 0 });
  try {
    const env = benchEnv(home);
    // The fixture's vault was copied by this process, with no machine key: `mpm index --rebuild`
    // makes one (as the hooks' first copy does) and builds the index, as a first search would.
    const build = await timedDeno(repo, env, [main, "index", "--rebuild"]);
    const cache = join(repo, ".claude-mpm", "cache");
    const name = [...Deno.readDirSync(cache)].map((e) => e.name)
      .find((n) => /^search-[0-9a-f]{16}\.sqlite$/.test(n));
    if (name === undefined) throw new Error("mpm search kept no index");
    const file = join(cache, name);
    const mpm = [];
    const limit = [];
    for (let i = 0; i < runs; i++) {
      mpm.push(await timedDeno(repo, env, [main, "search", query]));
      limit.push(await timedDeno(repo, env, [script, file, query]));
    }
    const cpu = (rs: { cpuMs: number | null; ms: number }[]) =>
      middle(rs.map((r) => r.cpuMs ?? r.ms));
    // A pattern reads every record from the index; words nearly every record holds, the newest 3.
    const regex = [];
    const common = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      regex.push(await timedDeno(repo, env, [main, "search", "--regex", "retry (queue|loop)"]));
      common.push(await timedDeno(repo, env, [main, "search", "--limit", "3", "the tests"]));
    }
    const peaks = common.flatMap((r) => r.mb === null ? [] : [r.mb]);
    return {
      mb,
      written,
      buildCpu: build.cpuMs ?? build.ms,
      mpmCpu: cpu(mpm),
      mpmMs: middle(mpm.map((r) => r.ms)),
      limitCpu: cpu(limit),
      limitMs: middle(limit.map((r) => r.ms)),
      indexBytes: (await Deno.stat(file)).size,
      regexCpu: cpu(regex),
      commonCpu: cpu(common),
      commonPeakMb: peaks.length ? Math.max(...peaks) : null,
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

export async function benchIndex(
  options: { sizes: number[]; runs: number; query: string },
): Promise<string[]> {
  const scriptDir = await Deno.makeTempDir({ prefix: "mpm-bench-fts5-" });
  const script = join(scriptDir, "fts5_query.ts");
  await Deno.writeTextFile(script, LIMIT_SCRIPT);
  const lines: string[] = [];
  const sizes: Size[] = [];
  try {
    const main = Deno.env.get("MPM_BENCH_BUNDLE") ?? join(scriptDir, "dist", "mpm.js");
    if (!Deno.env.get("MPM_BENCH_BUNDLE")) await bundle(main);
    for (const mb of options.sizes) {
      const s = await measure(main, mb, options.runs, options.query, script);
      sizes.push(s);
      const size = `${(s.written / 1024 / 1024).toFixed(0)} MB`;
      const ratio = s.mpmCpu / s.limitCpu;
      lines.push(
        `index --rebuild, ${size} of transcripts: builds the index (${
          (s.indexBytes / 1024 / 1024).toFixed(0)
        } MB)`.padEnd(80) +
          `${s.buildCpu.toFixed(0).padStart(7)} ms CPU`,
        `search, ${size} of transcripts: rare words, from the index`.padEnd(80) +
          `${s.mpmCpu.toFixed(0).padStart(7)} ms CPU (${s.mpmMs.toFixed(0)} ms)`,
        `FTS5 query of the same words in a new deno process, same text`.padEnd(80) +
          `${s.limitCpu.toFixed(0).padStart(7)} ms CPU (${s.limitMs.toFixed(0)} ms)`,
        `search, ${size} of transcripts: --regex, every record tested`.padEnd(80) +
          `${s.regexCpu.toFixed(0).padStart(7)} ms CPU`,
        `search, ${size} of transcripts: --limit 3, nearly every record matches`.padEnd(80) +
          `${s.commonCpu.toFixed(0).padStart(7)} ms CPU  peak ${
            s.commonPeakMb === null ? "n/a" : s.commonPeakMb.toFixed(0)
          } MB`,
        `  search ÷ FTS5 ${ratio.toFixed(2)}×  goal ≤ ${RATIO_GOAL}×: ${
          ratio <= RATIO_GOAL ? "met" : "NOT met"
        }`,
      );
    }
    if (sizes.length >= 2) {
      const [small, large] = [sizes[0], sizes[sizes.length - 1]];
      const growth = large.mpmCpu / small.mpmCpu;
      lines.push(
        `search growth ${small.mb} MB → ${large.mb} MB: ${
          growth.toFixed(2)
        }×  goal ≤ ${GROWTH_GOAL}×: ${growth <= GROWTH_GOAL ? "met" : "NOT met"}`,
      );
    }
    return lines;
  } finally {
    await Deno.remove(scriptDir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "200,1024" },
      runs: { type: "string", default: "7" },
      query: { type: "string", default: "zebra unicorn" },
    },
  });
  console.log(
    `mpm search from its index vs FTS5 in a new process, whole processes, medians of ` +
      `${values.runs} interleaved runs (CPU)`,
  );
  for (
    const line of await benchIndex({
      sizes: values.sizes.split(",").map(Number),
      runs: Number(values.runs),
      query: values.query,
    })
  ) console.log(line);
}
