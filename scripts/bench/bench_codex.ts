/**
 * What mpm costs a person running Codex CLI: the real client (tests/codex/install.ts, the pinned
 * 0.169.0) headless, `codex exec PROMPT` against the mock Responses API on 127.0.0.1, timed from
 * launch to exit, interleaved with the least a SessionStart hook can be (one trusted hook that
 * prints `{}`) — beside mpm as `mpm hooks install --agent codex` leaves it (SessionStart, Stop,
 * SessionEnd, trusted, and `mpm mcp` registered). Each kind has a CODEX_HOME of its own; the
 * project and HOME are shared. Goal: within 50 ms of the least hook (median). Nothing here
 * asserts a time: read the table. Without the client it says why in one line and exits 0.
 *
 *   MPM_BENCH_CODEX_RUNS=15 deno run --allow-all scripts/bench/bench_codex.ts
 *
 * MPM_BENCH_CODEX_RUNS sets the runs of each kind (default 7); MPM_BENCH_BUNDLE=FILE has the
 * hooks run that bundle instead of bundling the work tree.
 */
import { join } from "node:path";
import { bundle } from "../build/bundle.ts";
import { interleaved, middle } from "./bench_lib.ts";
import { percentile } from "./bench_exit.ts";
import { codexCli } from "../../tests/codex/install.ts";
import { startMockApi } from "../../tests/codex/mock_api.ts";
import { codexConfig, codexEnv } from "../../tests/codex/run.ts";
import { hookHash } from "../../src/agents/codex/hooks.ts";
import { baseEnv, runProcess } from "../../tests/helpers.ts";

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

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function run(codex: string, dir: string): Promise<void> {
  const bundleFile = Deno.env.get("MPM_BENCH_BUNDLE") ?? join(dir, "dist", "mpm.js");
  if (!Deno.env.get("MPM_BENCH_BUNDLE")) {
    console.error(`Bundling into ${bundleFile}…`);
    await bundle(bundleFile);
  }
  const bin = join(dir, "bin");
  await Deno.mkdir(bin);
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  await Deno.writeTextFile(
    join(bin, "mpm"),
    `#!/bin/sh\nexec ${quote(Deno.execPath())} run -A --quiet --no-config ${
      quote(bundleFile)
    } "$@"\n`,
    { mode: 0o755 },
  );
  const path = `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
  const root = join(dir, "project");
  const home = join(dir, "home");
  await Deno.mkdir(root);
  await Deno.mkdir(home);
  await git(root, "init", "-q", "-b", "main");
  await Deno.writeTextFile(join(root, "README.md"), "# demo\n");
  await git(root, "add", "README.md");
  await git(
    root,
    "-c",
    "user.name=Bench",
    "-c",
    "user.email=bench@mpm.invalid",
    "commit",
    "-q",
    "-m",
    "Initial commit",
  );
  await using api = startMockApi(
    Array.from({ length: 8 * (RUNS + 2) }, () => ({ text: "Noted." })),
  );
  const config = codexConfig(api, root);
  const homes = { least: join(dir, "codex-least"), mpm: join(dir, "codex-mpm") };
  for (const folder of Object.values(homes)) await Deno.mkdir(folder);
  await leastHook(homes.least, config);
  await Deno.writeTextFile(join(homes.mpm, "config.toml"), config);
  const cli = async (...args: string[]) => {
    const out = await runProcess(join(bin, "mpm"), args, {
      cwd: root,
      env: { ...baseEnv(home), PATH: path, CODEX_HOME: homes.mpm },
    });
    if (out.code !== 0) throw new Error(`mpm ${args.join(" ")}: ${out.stderr}`);
  };
  await cli("start", "Refunds");
  await cli("pause", "-s", "Refunds half done", "-n", "Wire the webhook");
  await cli("hooks", "install", "--agent", "codex");
  const contestant = (label: string, codexHome: string) => ({
    label,
    cmd: codex,
    args: ["exec", "--skip-git-repo-check", "hi"],
    cwd: root,
    env: codexEnv({ codex, cwd: root, home, codexHome, env: { PATH: path } }),
  });
  const times = await interleaved([
    contestant("least", homes.least),
    contestant("mpm", homes.mpm),
  ], RUNS);
  const cpu = await cpuTimes([contestant("least", homes.least), contestant("mpm", homes.mpm)]);
  console.log(report(times.get("least")!, times.get("mpm")!, cpu));
}

/**
 * Each contestant's CPU time (user + system, from /usr/bin/time: Codex and every process it
 * waited for), RUNS times each, interleaved; none without /usr/bin/time. What a hook leaves
 * running in the background after Codex has gone is not counted: it is off the person's path.
 */
async function cpuTimes(
  contestants: {
    label: string;
    cmd: string;
    args: string[];
    cwd: string;
    env: Record<string, string>;
  }[],
): Promise<Map<string, number[]> | null> {
  const timeBin = await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => null);
  if (timeBin === null) return null;
  const cpu = new Map(contestants.map((c) => [c.label, [] as number[]]));
  for (let round = 0; round < RUNS; round++) {
    for (const c of contestants) {
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

function report(least: number[], mpm: number[], cpu: Map<string, number[]> | null): string {
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  const cpuOf = (label: string) => {
    const list = cpu?.get(label);
    return list && list.length > 0 ? f(middle(list)) : "n/a";
  };
  const row = (name: string, label: string, list: number[]) =>
    `| ${name} | ${f(middle(list))} | ${f(percentile(list, 0.9))} | ${f(Math.min(...list))} | ${
      cpuOf(label)
    } |`;
  const over = middle(mpm) - middle(least);
  return [
    `codex exec, launch → exit (${RUNS} runs each, interleaved; CPU: user + system of Codex and ` +
    "what it waited for, median):",
    "| | median | p90 | min | CPU |",
    "| --- | --- | --- | --- | --- |",
    row("the least SessionStart hook (prints {})", "least", least),
    row("mpm as hooks install --agent codex leaves it", "mpm", mpm),
    "",
    `codex exec with mpm, median: ${over >= 0 ? "+" : ""}${f(over)} (goal ≤ +${f(GOAL_MS)}): ${
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
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}
