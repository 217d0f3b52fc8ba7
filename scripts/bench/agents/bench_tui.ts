/**
 * What mpm costs a person starting Claude Code: the real client (tests/claude_code/install.ts) in
 * tmux against the mock API, one project, runs interleaved with mpm as `mpm hooks install` leaves
 * it (hooks, status line, MCP server) and without. Each run starts the client, types a word as
 * soon as the prompt box is drawn (as a person does), and is timed from the launch until the
 * word shows in the prompt (`capture-pane`): the client draws what is typed only once
 * SessionStart's hooks have answered. Budget: within 100 ms of the run without mpm (median).
 * Nothing here asserts a time: read the table.
 *
 *   MPM_BENCH_TUI_RUNS=15 deno run --allow-all scripts/bench/agents/bench_tui.ts
 *
 * MPM_BENCH_TUI_RUNS sets the runs of each kind (default 7); MPM_BENCH_BUNDLE=FILE has the hooks
 * run that bundle instead of bundling the work tree. Without tmux or the client it says why in
 * one line and exits 0.
 */
import { middle } from "../bench_lib.ts";
import { type ClientProject, percentile, withClientProject } from "./bench_exit.ts";
import { startTui, type Tui } from "../../../tests/claude_code/tui.ts";

const RUNS = Number(Deno.env.get("MPM_BENCH_TUI_RUNS") ?? 7);
/** Typed text shows at most this much later with mpm than without (median). */
const TYPED_BUDGET_MS = 100;

async function run({ claude, root, home, path, api, use }: ClientProject): Promise<void> {
  const times: Record<"with" | "without", number[]> = { with: [], without: [] };
  // One untimed round first: caches, the client's first start in this HOME.
  for (let round = -1; round < RUNS; round++) {
    for (const kind of ["with", "without"] as const) {
      await use(kind);
      const word = `typed${round + 2}${kind}`;
      const launched = performance.now();
      await using tui = await startTui({ claude, api, cwd: root, home, env: { PATH: path } });
      await shows(tui, (shot) => /^❯/m.test(shot), "the prompt box");
      await tui.type(word);
      await shows(
        tui,
        (shot) => shot.split("\n").some((line) => line.startsWith("❯") && line.includes(word)),
        "the typed word",
      );
      if (round >= 0) times[kind].push(performance.now() - launched);
    }
  }
  console.log(report(times));
}

/**
 * Waits until the screen passes `test`, looking every few milliseconds (waitScreen looks every
 * 100 ms: too coarse for a 100 ms budget).
 */
async function shows(tui: Tui, test: (shot: string) => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (!test(await tui.screen())) {
    if (performance.now() > deadline) throw new Error(`Claude Code never showed ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function report(times: Record<"with" | "without", number[]>): string {
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  const row = (name: string, list: number[]) =>
    `| ${name} | ${f(middle(list))} | ${f(percentile(list, 0.9))} | ${f(Math.min(...list))} |`;
  const over = middle(times.with) - middle(times.without);
  return [
    `Starting Claude Code, launch → a word typed at the prompt box shows (${RUNS} runs each, ` +
    "interleaved):",
    "| | median | p90 | min |",
    "| --- | --- | --- | --- |",
    row("without mpm", times.without),
    row("with mpm as installed", times.with),
    "",
    `Typed text, median: ${over >= 0 ? "+" : ""}${f(over)} with mpm (goal ≤ +${
      f(TYPED_BUDGET_MS)
    }): ${over <= TYPED_BUDGET_MS ? "met" : "NOT met"}.`,
  ].join("\n");
}

if (import.meta.main) await withClientProject("bench_tui", run);
