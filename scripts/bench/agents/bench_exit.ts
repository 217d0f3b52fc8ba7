/**
 * What mpm costs a person leaving Claude Code: the real client (tests/claude_code/install.ts) in
 * tmux against the mock API, one project, runs interleaved with and without mpm's hooks and
 * status line (`.claude/settings.local.json` as `mpm hooks install` writes it, or no such file).
 * Each run starts the client, has one reply (so the Stop hook and the status line have run and
 * there is a transcript), makes one new untracked file (so the automatic pause has something to
 * record), and sends `/exit`. Timed from the Enter that sends it:
 * - until the client's process is gone (polled in /proc every millisecond), both ways;
 * - with mpm, until SessionEnd's snapshot is on disk (it runs in the background, `async`).
 * Budgets: the process is gone within 100 ms of the run without mpm, at the median and at the
 * 90th percentile (an exit in five or ten that waits is what a person notices, not the median);
 * the snapshot is written within 1 s of `/exit` at the 90th percentile. Nothing here asserts a
 * time: read the table.
 *
 *   MPM_BENCH_EXIT_RUNS=30 deno run --allow-all scripts/bench/agents/bench_exit.ts
 *
 * MPM_BENCH_EXIT_RUNS sets the runs of each kind (default 5; 30 or more for the p90 to mean
 * something); MPM_BENCH_BUNDLE=FILE has the hooks run that bundle instead of bundling the work
 * tree; MPM_BENCH_EXIT_LOGS=DIR keeps each run's Claude Code `--debug-file` there, named by kind,
 * run and time (`with-07-1243ms.log`), to see where a slow exit waited. Without tmux or the
 * client it says why in one line and exits 0.
 */
import { join } from "node:path";
import { mcpRegistration, middle } from "../bench_lib.ts";
import { baseEnv, runProcess } from "../../../tests/helpers.ts";
import { mpmOnPath, oneCommitProject } from "./agent_setup.ts";
import { type MockApi, startMockApi } from "../../../tests/claude_code/mock_api.ts";
import { ready, seedClaudeJson, startTui, tuiAvailable } from "../../../tests/claude_code/tui.ts";
import { waitFor } from "../../../tests/claude_code/wait.ts";

const RUNS = Number(Deno.env.get("MPM_BENCH_EXIT_RUNS") ?? 5);
const LOGS = Deno.env.get("MPM_BENCH_EXIT_LOGS");
/** The client's process may take this much longer to go with mpm than without (median, p90). */
const GONE_BUDGET_MS = 100;
/** SessionEnd's snapshot is on disk this long after `/exit` at most (p90). */
const SNAPSHOT_BUDGET_MS = 1000;

interface Figures {
  gone: number[];
  snapshot: number[];
  /** From the client gone to the snapshot: mostly SessionEnd's own time. */
  afterGone: number[];
}

/** The pid of the process whose command line holds `marker` (the run's own debug file). */
function pidOf(marker: string): number | undefined {
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      if (cmdline.includes(marker) && !cmdline.startsWith("tmux")) {
        // The client itself (`env -i … claude` execs it), not the shell that launched it.
        if (cmdline.split("\0")[0].endsWith("claude")) return Number(entry.name);
      }
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return undefined;
}

/** Whether the process is gone: no /proc entry, or a zombie its shell has yet to reap. */
function gone(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/**
 * Whether an mpm process (a hook's, the status line's refresh) still runs from `bundle`; not
 * `mpm mcp`, the MCP server Claude Code keeps for the whole session.
 */
function mpmRunning(bundleFile: string): boolean {
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const args = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).split("\0");
      if (args.includes(bundleFile) && args.filter(Boolean).at(-1) !== "mcp") return true;
    } catch {
      // Gone meanwhile.
    }
  }
  return false;
}

/** The one-minute load average (/proc/loadavg): a busy machine slows every figure here. */
function loadAverage(): number {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return NaN;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function snapshotNames(root: string): Set<string> {
  try {
    return new Set(
      [...Deno.readDirSync(join(root, ".claude-mpm", "sessions"))].map((entry) => entry.name)
        .filter((name) => /^session-\d{8}-\d{6}.*\.json$/.test(name)),
    );
  } catch {
    return new Set();
  }
}

/** A project as `mpm hooks install` leaves it, for the real client to start in, with or without mpm. */
export interface ClientProject {
  claude: string;
  /** The bundle the project's `mpm` (first on `path`) runs. */
  bundleFile: string;
  root: string;
  home: string;
  /** PATH with that `mpm` first. */
  path: string;
  api: MockApi;
  /** Puts mpm's hooks, status line and MCP server back (`with`) or takes them away. */
  use(kind: "with" | "without"): Promise<void>;
}

/**
 * Runs `bench` on a project with one paused session and mpm installed, in a temporary folder,
 * against the mock API (answering "Noted."); without tmux or the client it says why in one line.
 */
export async function withClientProject(
  name: string,
  bench: (project: ClientProject) => Promise<void>,
): Promise<void> {
  const found = await tuiAvailable();
  if (!("claude" in found)) {
    console.log(`${name}: skipped, ${found.skip}`);
    return;
  }
  const dir = await Deno.realPath(
    await Deno.makeTempDir({ prefix: `mpm-${name.replaceAll("_", "-")}-` }),
  );
  try {
    await setUp(found.claude, dir, bench);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function setUp(
  claude: string,
  dir: string,
  bench: (project: ClientProject) => Promise<void>,
): Promise<void> {
  const { bundleFile, bin, path } = await mpmOnPath(dir);
  const root = join(dir, "project");
  const home = join(dir, "home");
  await Deno.mkdir(home);
  await oneCommitProject(root);
  const cli = async (...args: string[]) => {
    const out = await runProcess(join(bin, "mpm"), args, {
      cwd: root,
      env: { ...baseEnv(home), PATH: path },
    });
    if (out.code !== 0) throw new Error(`mpm ${args.join(" ")}: ${out.stderr}`);
  };
  await cli("start", "Refunds");
  await cli("pause", "-s", "Refunds half done", "-n", "Wire the webhook");
  await cli("hooks", "install");
  const settings = join(root, ".claude", "settings.local.json");
  const installed = await Deno.readTextFile(settings);
  await seedClaudeJson(home, root);
  // The MCP server install registers (in HOME's ~/.claude.json): without mpm, none.
  const mcp = await mcpRegistration(home, root);
  await using api = startMockApi(() => ({ text: "Noted." }));
  const use = async (kind: "with" | "without") => {
    if (kind === "with") {
      await Deno.writeTextFile(settings, installed);
      await mcp.on();
    } else {
      await Deno.remove(settings).catch(() => {});
      await mcp.off();
    }
  };
  await bench({ claude, bundleFile, root, home, path, api, use });
}

async function run(
  { claude, bundleFile, root, home, path, api, use }: ClientProject,
): Promise<void> {
  const figures: Record<"with" | "without", Figures> = {
    with: { gone: [], snapshot: [], afterGone: [] },
    without: { gone: [], snapshot: [], afterGone: [] },
  };
  const loads: number[] = [];
  let made = 0;
  // One untimed round first: caches, the client's first start in this HOME.
  for (let round = -1; round < RUNS; round++) {
    for (const kind of ["with", "without"] as const) {
      await use(kind);
      await Deno.writeTextFile(join(root, `scratch-${++made}.txt`), "x\n");
      const before = snapshotNames(root);
      await using tui = await startTui({
        claude,
        api,
        cwd: root,
        home,
        env: { PATH: path },
      });
      await ready(tui);
      await tui.submit("Carry on");
      await tui.waitScreen("Noted.", "the answer");
      if (kind === "with") {
        await tui.waitLog(/Hooks: Stop \[.*\] finished/, "the Stop hook");
      }
      const pid = await waitFor(() => pidOf(tui.debugFile), { what: "the client's process" });
      // What the reply started in the background (the status line's refresh) ends first: the
      // figure is the exit's own, not a race with mpm's start-up on a busy machine.
      await waitFor(() => !mpmRunning(bundleFile), {
        what: "mpm's background work after the reply",
        timeoutMs: 15_000,
      });
      await tui.type("/exit");
      await tui.waitScreen(
        (shot) => shot.split("\n").some((line) => line.startsWith("❯") && line.includes("/exit")),
        "the prompt to show /exit",
      );
      const sent = performance.now();
      await tui.press("Enter");
      let goneAt: number | undefined;
      let writtenAt: number | undefined;
      const deadline = sent + 15_000;
      while (performance.now() < deadline) {
        const now = performance.now();
        if (goneAt === undefined && gone(pid)) goneAt = now;
        if (kind === "with" && writtenAt === undefined) {
          if ([...snapshotNames(root)].some((name) => !before.has(name))) writtenAt = now;
        }
        if (goneAt !== undefined && (kind === "without" || writtenAt !== undefined)) break;
        await tick();
      }
      if (goneAt === undefined) throw new Error(`The client did not exit (${kind} mpm).`);
      if (kind === "with" && writtenAt === undefined) {
        throw new Error("SessionEnd wrote no snapshot within 15 s of /exit.");
      }
      // SessionEnd goes on after the snapshot (the digest, the vault): the next run waits.
      await waitFor(() => !mpmRunning(bundleFile), {
        what: "SessionEnd to finish",
        timeoutMs: 15_000,
      });
      if (round < 0) continue;
      if (LOGS) {
        const name = `${kind}-${String(round).padStart(2, "0")}-${
          (goneAt - sent).toFixed(0)
        }ms.log`;
        await Deno.mkdir(LOGS, { recursive: true });
        await Deno.copyFile(tui.debugFile, join(LOGS, name)).catch(() => {});
      }
      loads.push(loadAverage());
      figures[kind].gone.push(goneAt - sent);
      if (writtenAt !== undefined) {
        figures[kind].snapshot.push(writtenAt - sent);
        figures[kind].afterGone.push(writtenAt - goneAt);
      }
    }
  }
  console.log(report(figures));
  console.log(`The machine's load average over the runs: ${middle(loads).toFixed(1)} (median).`);
}

/** The value under which `share` of `times` fall (nearest rank): p90 is `percentile(t, 0.9)`. */
export function percentile(times: number[], share: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)];
}

function report(figures: Record<"with" | "without", Figures>): string {
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  const row = (name: string, times: number[]) =>
    `| ${name} | ${f(middle(times))} | ${f(percentile(times, 0.9))} | ${f(Math.max(...times))} | ${
      f(Math.min(...times))
    } |`;
  const over = (at: (times: number[]) => number) =>
    at(figures.with.gone) - at(figures.without.gone);
  const judge = (name: string, ms: number) =>
    `${name}: ${ms >= 0 ? "+" : ""}${f(ms)} with mpm (budget +${f(GONE_BUDGET_MS)}): ${
      ms <= GONE_BUDGET_MS ? "holds" : "over"
    }.`;
  const snapshot = percentile(figures.with.snapshot, 0.9);
  return [
    `Leaving Claude Code with /exit (${RUNS} runs each, interleaved; from the Enter):`,
    "| | median | p90 | max | min |",
    "| --- | --- | --- | --- | --- |",
    row("process gone, without mpm", figures.without.gone),
    row("process gone, with mpm's hooks and status line", figures.with.gone),
    row("snapshot on disk, with mpm", figures.with.snapshot),
    row("snapshot on disk, after the process is gone", figures.with.afterGone),
    "",
    judge("Process gone, median", over(middle)),
    judge("Process gone, p90", over((times) => percentile(times, 0.9))),
    `Snapshot, p90: ${f(snapshot)} after /exit (goal ≤ ${f(SNAPSHOT_BUDGET_MS)}): ${
      snapshot <= SNAPSHOT_BUDGET_MS ? "met" : "NOT met"
    }.`,
  ].join("\n");
}

if (import.meta.main) await withClientProject("bench_exit", run);
