/**
 * What a teammate's heavy push costs everyone else: a teammate's snapshots of about 4 MB each
 * (a vendored tree's paths in their git status and work files, and long words; about 1 MB each on
 * the remote), 67 to a push, pushed and pulled `--pulls` times; then the person's SessionStart,
 * `mpm board --json` and the MCP server's `team_work`, whole processes, time, CPU time (user +
 * system: the figure on a busy machine) and peak resident memory (/usr/bin/time) beside their
 * goals: SessionStart within the hook's 9 s kill with the person's own last pause given and
 * ≤ 100 MB, and within the same start in a project nothing was pulled into, run in the same
 * rounds (≤ 1.1× its CPU time); board and team_work ≤ 2 s and ≤ 300 MB. The pull itself is a
 * row too. Nothing here asserts a time: read the table.
 *
 *   deno run -A scripts/bench/history/bench_s4.ts [--snapshots 67] [--mb 4] [--pulls 3] [--runs 3]
 *
 * MPM_BENCH_KEEP=1 keeps the projects and says where (`b`: pulled; `c`: never pulled), to profile.
 *
 * `deno task bench` runs it with the others (scripts/bench/bench.ts, OTHER_BENCHES).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DENO_DIR } from "../../../tests/helpers.ts";
import { checksumLine } from "../../../src/kernel/hashing/checksum.ts";
import { sessionIdFor } from "../../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../../src/sessions/store/session/build_snapshot.ts";
import { makeClones, middle, sh } from "../bench_lib.ts";

const MAIN = join(import.meta.dirname!, "..", "..", "..", "main.ts");
const START_MS = 9000;
const START_MB = 100;
const BOARD_MS = 2000;
const BOARD_MB = 300;

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "b", version: "1" },
  },
});
const TEAM_WORK = JSON.stringify({
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name: "team_work", arguments: {} },
});

function envOf(home: string, who?: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    DENO_DIR,
    NO_COLOR: "1",
    ...(who
      ? {
        GIT_AUTHOR_NAME: who,
        GIT_AUTHOR_EMAIL: `${who}@example.com`,
        GIT_COMMITTER_NAME: who,
        GIT_COMMITTER_EMAIL: `${who}@example.com`,
      }
      : {}),
  };
}

interface Ran {
  ms: number;
  mb: number | null;
  /** CPU time (user + system) from /usr/bin/time: on a busy machine it moves less than `ms`. */
  cpuMs: number | null;
  stdout: string;
}

/** `mpm ARGS` as a whole process under /usr/bin/time, `stdin` fed and closed. */
async function mpm(cwd: string, env: Record<string, string>, args: string[], stdin = "") {
  const time = await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => null);
  const deno = ["run", "--quiet", "-A", "--frozen", "--cached-only", MAIN, ...args];
  const [cmd, cmdArgs] = time
    ? [time, ["-f", "maxrss %M cpu %U %S", Deno.execPath(), ...deno]]
    : [Deno.execPath(), deno];
  const start = performance.now();
  const child = new Deno.Command(cmd, {
    args: cmdArgs,
    cwd,
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const ms = performance.now() - start;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`mpm ${args.join(" ")}: ${stderr}`);
  const kb = stderr.match(/maxrss (\d+)/)?.[1];
  const cpu = stderr.match(/cpu ([\d.]+) ([\d.]+)/);
  return {
    ms,
    mb: kb ? Number(kb) / 1024 : null,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null,
    stdout: new TextDecoder().decode(out.stdout),
  };
}

/** `count` snapshots of about `mb` MB each, as a heavy teammate's mpm would write them. */
async function writeHeavy(root: string, count: number, mb: number, from: number, now: Date) {
  const sessions = join(root, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  // A vendored tree: each path about 60 bytes, twice (git status and the work's files).
  const paths = Array.from(
    { length: Math.round((mb * 1024 * 1024 * 0.4) / 64) },
    (_, i) => `vendor/pkg${i % 977}/lib/module_${i}/index_${(i * 7919) % 100_003}.js`,
  );
  const words = Array.from(
    { length: Math.round((mb * 1024 * 1024 * 0.15) / 8) },
    (_, i) => ["refunds", "payout", "webhook", "retry", "queue", "ledger"][(i * 31) % 6] + i % 97,
  ).join(" ");
  for (let i = 0; i < count; i++) {
    const at = new Date(now.getTime() - (from + i) * 60_000);
    const id = sessionIdFor(at);
    const snapshot = buildSnapshot({
      summary: `Vendored the payments SDK (${from + i}): ${words}`,
      accomplishments: [],
      nextSteps: [`Check the vendored tree ${words.slice(0, 200)}`],
      todos: [],
    }, {
      id,
      now: at,
      git: {
        branch: "vendor",
        head: "0".repeat(40),
        detached: false,
        upstream: null,
        ahead_behind: null,
        subject: "vendor",
        modified: ["src/shared.ts"],
        staged: [],
        untracked: paths,
        deleted: [],
        renamed: [],
        conflicted: [],
      } as never,
      projectPath: root,
      version: "0.0.0",
      build: "bench",
    });
    (snapshot.mpm as { work_files?: string[] }).work_files = ["src/shared.ts", ...paths];
    const text = serializeSnapshot(snapshot);
    await Deno.writeTextFile(join(sessions, `${id}.json`), text);
    await Deno.writeTextFile(join(sessions, `${id}.json.sha256`), checksumLine(text, `${id}.json`));
  }
}

function row(name: string, runs: Ran[], goalMs: number, goalMb: number, note = ""): string {
  const ms = middle(runs.map((r) => r.ms));
  const mbs = runs.map((r) => r.mb).filter((m): m is number => m !== null);
  const mb = mbs.length ? Math.max(...mbs) : null;
  const okMs = ms <= goalMs ? "met" : "NOT met";
  const okMb = mb === null ? "?" : mb <= goalMb ? "met" : "NOT met";
  const cpus = runs.map((r) => r.cpuMs).filter((c): c is number => c !== null);
  const cpu = cpus.length ? middle(cpus) : null;
  const okCpu = cpu === null ? "" : cpu <= goalMs ? " met" : " NOT met";
  return `| ${name} | ${ms.toFixed(0)} | ≤ ${goalMs} ${okMs} | ${
    cpu?.toFixed(0) ?? "?"
  }${okCpu} | ` +
    `${mb?.toFixed(0) ?? "?"} | ≤ ${goalMb} ${okMb} | ${note} |`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      snapshots: { type: "string", default: "67" },
      mb: { type: "string", default: "4" },
      pulls: { type: "string", default: "3" },
      runs: { type: "string", default: "3" },
    },
  });
  const [count, mb, pulls, runs] = [values.snapshots, values.mb, values.pulls, values.runs]
    .map(Number);
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-s4-" });
  try {
    const { remote, a, b } = await makeClones(dir);
    // The same person's other project, set up as `b` but never pulled: a start with no
    // teammates, measured in the same rounds (the figure a start after a heavy pull is held to).
    const c = join(dir, "c");
    await sh(dir, "init", "-q", "-b", "main", c);
    await sh(c, "config", "user.name", "Bench");
    await sh(c, "config", "user.email", "bench@example.com");
    const [homeA, homeB] = [join(dir, "home-a"), join(dir, "home-b")];
    for (const home of [homeA, homeB]) await Deno.mkdir(home, { recursive: true });
    for (const repo of [a, b, c]) {
      await Deno.mkdir(join(repo, "src"), { recursive: true });
      await Deno.writeTextFile(join(repo, "src/shared.ts"), "export const v = 1;\n");
      await sh(repo, "add", "-A");
      await sh(repo, "commit", "-q", "-m", "init");
    }
    const envA = envOf(homeA, "teammate");
    const envB = envOf(homeB);
    // The person's own paused work, on the file the teammate changed too.
    for (const repo of [b, c]) {
      await mpm(repo, envB, ["start", "Own work", "--task", "refund tests"]);
      await Deno.writeTextFile(join(repo, "src/shared.ts"), "export const v = 2;\n");
      await mpm(repo, envB, ["pause", "-s", "The person's own last words", "--no-prune-worktrees"]);
    }
    const payloadIn = (cwd: string) =>
      JSON.stringify({
        session_id: "e0000000-0000-4000-8000-000000000000",
        transcript_path: join(homeB, "none.jsonl"),
        cwd,
        hook_event_name: "SessionStart",
        source: "startup",
      });
    // A start before the pulls, as the person's day has: a pull works out again what it told.
    await mpm(b, envB, ["hook", "session-start"], payloadIn(b));
    const now = new Date();
    const pullRuns: Ran[] = [];
    for (let p = 0; p < pulls; p++) {
      await writeHeavy(a, count, mb, 1 + p * count, now);
      await mpm(a, envA, ["sync", "push"]);
      pullRuns.push(await mpm(b, envB, ["sync", "pull"]));
    }
    const listed = await new Deno.Command("git", {
      args: ["--git-dir", remote, "count-objects", "-vH"],
      stdout: "piped",
    }).output();
    const pack = new TextDecoder().decode(listed.stdout).match(/size-pack: (.+)/)?.[1] ?? "?";
    const starts: Ran[] = [];
    const alone: Ran[] = [];
    const boards: Ran[] = [];
    const teams: Ran[] = [];
    let gave = true;
    for (let r = 0; r < runs; r++) {
      // A start with no digest to lean on: what the first start after a pull meets.
      // Nor an answer made ready (the payload's transcript is not named for a ready one anyway).
      for (const repo of [b, c]) {
        for (const file of ["start.json", "ready.json"]) {
          await Deno.remove(join(repo, ".claude-mpm/cache", file)).catch(() => {});
        }
      }
      alone.push(await mpm(c, envB, ["hook", "session-start"], payloadIn(c)));
      const start = await mpm(b, envB, ["hook", "session-start"], payloadIn(b));
      gave &&= start.stdout.includes("The person's own last words");
      starts.push(start);
      boards.push(await mpm(b, envB, ["board", "--json"]));
      teams.push(await mpm(b, envB, ["mcp"], `${INITIALIZE}\n${TEAM_WORK}\n`));
    }
    // The goal: a start after the pulls within a start with none (CPU time, same rounds).
    const cpu = (runs: Ran[]) => middle(runs.map((r) => r.cpuMs ?? r.ms));
    const ratio = cpu(starts) / cpu(alone);
    const aloneNote = `after the pulls ÷ this: ${ratio.toFixed(2)}× CPU (goal ≤ 1.1×: ` +
      `${ratio <= 1.1 ? "met" : "NOT met"})`;
    const stored = [...Deno.readDirSync(join(b, ".claude-mpm/sessions"))]
      .filter((e) => e.name.endsWith(".json")).length;
    console.log(
      [
        `\nbench s4: ${pulls} pushes of ${count} snapshots of ~${mb} MB by a teammate, pulled ` +
        `(remote pack ${pack}; ${stored} snapshots stored), ${runs} runs, medians`,
        "| case | ms | goal ms | CPU ms (user + system) | peak MB | goal MB | |",
        "|---|---:|---|---:|---:|---|---|",
        row(
          "SessionStart (no digest)",
          starts,
          START_MS,
          START_MB,
          gave ? "own last pause given" : "own last pause NOT given",
        ),
        row("SessionStart (no digest), no teammates", alone, START_MS, START_MB, aloneNote),
        row("board --json", boards, BOARD_MS, BOARD_MB),
        row("mcp team_work", teams, BOARD_MS, BOARD_MB),
        row(`sync pull (each of ${pulls})`, pullRuns, Infinity, BOARD_MB),
      ].join("\n"),
    );
  } finally {
    if (Deno.env.get("MPM_BENCH_KEEP")) console.log(`kept: ${dir} (HOME ${join(dir, "home-b")})`);
    else await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
