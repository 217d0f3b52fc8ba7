/**
 * What mpm costs a person running Codex CLI: the real client (tests/codex/install.ts, the pinned
 * 0.169.0) headless, `codex exec PROMPT` against the mock Responses API on 127.0.0.1, timed from
 * launch to exit, interleaved with the least a SessionStart hook can be (one trusted hook that
 * prints `{}`) — beside mpm as `mpm hooks install --agent codex` leaves it (SessionStart, Stop,
 * SessionEnd, trusted, and `mpm mcp` registered). Each kind has a CODEX_HOME of its own; the
 * project and HOME are shared. Goal: within 50 ms of the least hook (median). Beside the goal, the
 * breakdown: mpm's hooks without its server, `mpm mcp` beside the least hook, and the least stdio
 * MCP server a Deno script can be beside the least hook (what any server Codex starts and waits
 * for costs). Before each run the bench waits (bounded) until no mpm process of the last run is
 * left, so the detached Stop and SessionEnd work lands on no run's clock. Last, one run each with
 * `mpm mcp` and the least server behind a tap says what Codex sends its server and when each is
 * answered. Nothing here asserts a time: read the table. Without the client it says why in one
 * line and exits 0.
 *
 *   MPM_BENCH_CODEX_RUNS=15 deno run --allow-all scripts/bench/agents/bench_codex.ts
 *
 * MPM_BENCH_CODEX_RUNS sets the runs of each kind (default 7); MPM_BENCH_BUNDLE=FILE has the
 * hooks run that bundle instead of bundling the work tree; MPM_BENCH_CODEX_KEEP=1 keeps the folder
 * (projects, CODEX_HOMEs, the bundle) to look into afterwards.
 */
import { join } from "node:path";
import { interleaved, LEAST_MCP_SERVER, middle } from "../bench_lib.ts";
import { percentile } from "./bench_exit.ts";
import { mpmOnPath, oneCommitProject, settled } from "./agent_setup.ts";
import { codexCli } from "../../../tests/codex/install.ts";
import { startMockApi } from "../../../tests/codex/mock_api.ts";
import { codexConfig, codexEnv } from "../../../tests/codex/run.ts";
import { hookHash } from "../../../src/agents/codex/hooks.ts";
import { CODEX_MCP } from "../../../src/agents/codex/config_toml.ts";
import { baseEnv, runProcess } from "../../../tests/helpers.ts";

const RUNS = Number(Deno.env.get("MPM_BENCH_CODEX_RUNS") ?? 7);
/** `codex exec` ends at most this much later with mpm than with the least hook (median). */
const GOAL_MS = 50;

const LEAST_COMMAND = "printf '{}'";

/** hooks.json and the trust for the least SessionStart hook, in `codexHome`. */
async function leastHook(codexHome: string, config: string): Promise<void> {
  const hooks = join(codexHome, "hooks.json");
  const timeout = 10;
  await Deno.writeTextFile(
    hooks,
    JSON.stringify({
      hooks: {
        SessionStart: [{ hooks: [{ type: "command", command: LEAST_COMMAND, timeout }] }],
      },
    }),
  );
  const hash = hookHash({ event: "SessionStart", command: LEAST_COMMAND, timeout });
  await Deno.writeTextFile(
    join(codexHome, "config.toml"),
    config +
      `\n[hooks.state.${JSON.stringify(`${hooks}:session_start:0:0`)}]\ntrusted_hash = "${hash}"\n`,
  );
}

/** The kinds of run, in the order each round runs them and the table lists them. */
const KINDS = [
  ["least", "the least SessionStart hook (prints {})"],
  ["mpm", "mpm as hooks install --agent codex leaves it"],
  ["hooks", "  mpm's hooks only (its [mcp_servers.mpm] taken out)"],
  ["mcp", "  the least hook + mpm mcp (mpm's server only)"],
  ["leastMcp", "  the least hook + the least stdio MCP server (a Deno script)"],
] as const;
type Kind = typeof KINDS[number][0];

/** A config.toml's `[mcp_servers.NAME]` table running `command args`. */
function serverTable(name: string, command: string, args: readonly string[]): string {
  const q = (text: string) => JSON.stringify(text);
  return `\n[mcp_servers.${name}]\ncommand = ${q(command)}\nargs = [${args.map(q).join(", ")}]\n`;
}

async function run(codex: string, dir: string): Promise<void> {
  const { bundleFile, bin, path } = await mpmOnPath(dir);
  const root = join(dir, "project");
  const home = join(dir, "home");
  await Deno.mkdir(home);
  await oneCommitProject(root);
  await using api = startMockApi(
    Array.from({ length: 2 * KINDS.length * (RUNS + 2) }, () => ({ text: "Noted." })),
  );
  const config = codexConfig(api, root);
  const homes = Object.fromEntries(
    KINDS.map(([kind]) => [kind, join(dir, `codex-${kind}`)]),
  ) as Record<Kind, string>;
  for (const folder of Object.values(homes)) await Deno.mkdir(folder);
  const cli = async (codexHome: string, ...args: string[]) => {
    const out = await runProcess(join(bin, "mpm"), args, {
      cwd: root,
      env: { ...baseEnv(home), PATH: path, CODEX_HOME: codexHome },
    });
    if (out.code !== 0) throw new Error(`mpm ${args.join(" ")}: ${out.stderr}`);
  };
  await cli(homes.mpm, "start", "Refunds");
  await cli(homes.mpm, "pause", "-s", "Refunds half done", "-n", "Wire the webhook");
  for (const kind of ["mpm", "hooks"] as const) {
    await Deno.writeTextFile(join(homes[kind], "config.toml"), config);
    await cli(homes[kind], "hooks", "install", "--agent", "codex");
  }
  // Hooks only: mpm's block without its server (the table ends at the block's end line).
  const hooksConfig = join(homes.hooks, "config.toml");
  const withServer = await Deno.readTextFile(hooksConfig);
  const withoutServer = withServer.replace(/\[mcp_servers\.mpm\]\n(?:[a-z_]+ = .*\n)+/, "");
  if (withoutServer === withServer) throw new Error("install registered no [mcp_servers.mpm]");
  await Deno.writeTextFile(hooksConfig, withoutServer);
  await leastHook(homes.least, config);
  await leastHook(
    homes.mcp,
    config + serverTable("mpm", CODEX_MCP.command, CODEX_MCP.args) +
      'env_vars = ["MPM_BIN"]\n',
  );
  const leastScript = join(dir, "least_mcp.js");
  await Deno.writeTextFile(leastScript, LEAST_MCP_SERVER);
  await leastHook(
    homes.leastMcp,
    config + serverTable("least", Deno.execPath(), ["run", "-A", "--quiet", leastScript]),
  );
  const contestants = KINDS.map(([kind]) => ({
    label: kind,
    cmd: codex,
    args: ["exec", "--skip-git-repo-check", "hi"],
    cwd: root,
    env: codexEnv({ codex, cwd: root, home, codexHome: homes[kind], env: { PATH: path } }),
    before: () => settled(bundleFile),
  }));
  const times = await interleaved(contestants, RUNS);
  const cpu = await cpuTimes(contestants);
  console.log(report(times, cpu));
  console.log(await handshakes(dir, codex, contestants[1].env, config, leastScript));
}

/**
 * A stdio MCP server's tap (not mpm): starts the server its arguments name, passes every line
 * both ways, and appends each to the log its first argument names with the ms since it started.
 */
const TAP = `
const start = performance.now();
const [log, command, ...args] = Deno.args;
const note = (from, text) => {
  let m = {};
  try { m = JSON.parse(text); } catch { m = { method: "(not JSON)" }; }
  Deno.writeTextFileSync(log, JSON.stringify({ ms: performance.now() - start, from,
    method: m.method, id: m.id }) + "\\n", { append: true });
};
const server = new Deno.Command(command, { args, stdin: "piped", stdout: "piped" }).spawn();
const pump = async (from, tag, write) => {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of from) {
    rest += decoder.decode(chunk, { stream: true });
    for (let at; (at = rest.indexOf("\\n")) >= 0; rest = rest.slice(at + 1)) {
      note(tag, rest.slice(0, at));
      await write(new TextEncoder().encode(rest.slice(0, at + 1)));
    }
  }
};
const toServer = server.stdin.getWriter();
pump(Deno.stdin.readable, "Codex", (bytes) => toServer.write(bytes)).then(() => toServer.close());
await pump(server.stdout, "mpm", (bytes) => Deno.stdout.write(bytes));
`;

/**
 * One `codex exec` with mpm's server alone behind the tap, and one with the least server: what
 * Codex sends (0.169.0 may send more than initialize and tools/list) and when each is answered,
 * in ms since the tap started the server (a Deno start of its own comes before that).
 */
async function handshakes(
  dir: string,
  codex: string,
  env: Record<string, string>,
  config: string,
  least: string,
): Promise<string> {
  const tap = join(dir, "tap.js");
  await Deno.writeTextFile(tap, TAP);
  const said: string[] = [];
  const servers = [
    ["mpm mcp", CODEX_MCP.command, CODEX_MCP.args],
    ["the least server", Deno.execPath(), ["run", "-A", "--quiet", least]],
  ] as const;
  for (const [n, [name, command, args]] of servers.entries()) {
    const log = join(dir, `tap-${n}.log`);
    const home = join(dir, `codex-tap-${n}`);
    await Deno.mkdir(home);
    // The server alone: mpm's hooks' trust names the files of mpm's own CODEX_HOME.
    await Deno.writeTextFile(
      join(home, "config.toml"),
      config +
        serverTable("mpm", Deno.execPath(), ["run", "-A", "--quiet", tap, log, command, ...args]) +
        'env_vars = ["MPM_BIN"]\n',
    );
    const out = await new Deno.Command(codex, {
      args: ["exec", "--skip-git-repo-check", "hi"],
      cwd: join(dir, "project"),
      clearEnv: true,
      env: { ...env, CODEX_HOME: home },
      stdout: "null",
      stderr: "null",
    }).output();
    const lines = (await Deno.readTextFile(log).catch(() => "")).split("\n").filter(Boolean)
      .map((line) => {
        const { ms, from, method, id } = JSON.parse(line);
        return `${ms.toFixed(0)} ms ${from === "Codex" ? "Codex" : "server"}: ${
          method ?? `answer to ${id}`
        }`;
      });
    said.push(
      `${name} under one codex exec (exit ${out.code}), ms since its start: ` +
        (lines.length > 0 ? lines.join("; ") : "nothing was logged") + ".",
    );
  }
  return "\n" + said.join("\n");
}

/**
 * Each contestant's CPU time (user + system, from /usr/bin/time: Codex and every process it
 * waited for), RUNS times each, interleaved; none without /usr/bin/time. What a hook leaves
 * running in the background after Codex has gone is not counted: it is off the person's path
 * (and waited for before the next run, so it lands on no run's count either).
 */
async function cpuTimes(
  contestants: {
    label: string;
    cmd: string;
    args: string[];
    cwd: string;
    env: Record<string, string>;
    before: () => Promise<void>;
  }[],
): Promise<Map<string, number[]> | null> {
  const timeBin = await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => null);
  if (timeBin === null) return null;
  const cpu = new Map(contestants.map((c) => [c.label, [] as number[]]));
  for (let round = 0; round < RUNS; round++) {
    for (const c of contestants) {
      await c.before();
      const out = await new Deno.Command(timeBin, {
        args: ["-f", "mpm-bench-cpu %U %S", c.cmd, ...c.args],
        cwd: c.cwd,
        env: c.env,
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).output();
      const found = new TextDecoder().decode(out.stderr).match(/mpm-bench-cpu ([\d.]+) ([\d.]+)/);
      if (!out.success || !found) throw new Error(`${c.label}: codex exec failed under ${timeBin}`);
      cpu.get(c.label)!.push((Number(found[1]) + Number(found[2])) * 1000);
    }
  }
  return cpu;
}

function report(times: Map<string, number[]>, cpu: Map<string, number[]> | null): string {
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  const signed = (ms: number) => `${ms >= 0 ? "+" : ""}${f(ms)}`;
  const least = times.get("least")!;
  const cpuOf = (label: string) => {
    const list = cpu?.get(label);
    return list && list.length > 0 ? middle(list) : null;
  };
  const row = ([label, name]: readonly [Kind, string]) => {
    const list = times.get(label)!;
    const own = cpuOf(label);
    const floor = cpuOf("least");
    const over = label === "least" ? "" : signed(middle(list) - middle(least));
    const cpuOver = label === "least" || own === null || floor === null ? "" : signed(own - floor);
    return `| ${name} | ${f(middle(list))} | ${over} | ${f(percentile(list, 0.9))} | ${
      f(Math.min(...list))
    } | ${own === null ? "n/a" : f(own)} | ${cpuOver} |`;
  };
  const over = middle(times.get("mpm")!) - middle(least);
  return [
    `codex exec, launch → exit (${RUNS} runs each, interleaved; CPU: user + system of Codex and ` +
    "what it waited for, median; each run starts once the last one's mpm processes are gone):",
    "| | median | vs least | p90 | min | CPU | CPU vs least |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...KINDS.map(row),
    "",
    `codex exec with mpm, median: ${signed(over)} (goal ≤ +${f(GOAL_MS)}): ${
      over <= GOAL_MS ? "met" : "NOT met"
    }.`,
  ].join("\n");
}

if (import.meta.main) {
  const found = await codexCli();
  if (!("path" in found)) {
    console.log(`codex exec: skipped, Codex CLI is not installed here (${found.skip}).`);
  } else {
    const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "mpm-bench-codex-" }));
    try {
      await run(found.path, dir);
    } finally {
      if (Deno.env.get("MPM_BENCH_CODEX_KEEP")) console.error(`Kept ${dir}.`);
      else await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}
