/**
 * What mpm costs a person running Gemini CLI: the real client (tests/gemini/install.ts, the pinned
 * 0.61.0) headless, `gemini -p hi` against the mock Gemini API on 127.0.0.1, timed from launch to
 * exit, interleaved with the least a SessionStart hook can be (one hook that prints `{}`) — beside
 * mpm as `mpm hooks install --agent gemini` leaves it (SessionStart in place, AfterAgent and
 * SessionEnd in the background, `mpm mcp` registered), its hooks without the server, and its hooks
 * as an earlier mpm wrote them (AfterAgent and SessionEnd waited for). Each kind has a HOME of its
 * own; the project is shared. Before each run the bench waits (bounded) until no mpm process of
 * the last run is left, so the background work lands on no run's clock. Nothing here asserts a
 * time: read the table. Without the client it says why in one line and exits 0.
 *
 *   MPM_BENCH_GEMINI_RUNS=7 deno run --allow-all scripts/bench/agents/bench_gemini.ts
 *
 * MPM_BENCH_GEMINI_RUNS sets the runs of each kind (default 5); MPM_BENCH_BUNDLE=FILE has the
 * hooks run that bundle instead of bundling the work tree.
 */
import { join } from "node:path";
import { type Contestant, interleaved, middle } from "../bench_lib.ts";
import { percentile } from "./bench_exit.ts";
import { mpmOnPath, oneCommitProject, settled } from "./agent_setup.ts";
import { geminiOrSkip } from "../../../tests/gemini/install.ts";
import { startMockApi } from "../../../tests/gemini/mock_api.ts";
import { geminiEnv, geminiSettings, settingsFile } from "../../../tests/gemini/run.ts";
import { GEMINI_FORMER_COMMANDS, GEMINI_HOOK_ENTRIES } from "../../../src/agents/gemini/hooks.ts";
import { baseEnv, runProcess } from "../../../tests/helpers.ts";

const RUNS = Number(Deno.env.get("MPM_BENCH_GEMINI_RUNS") ?? 5);

/** The kinds of run, in the order each round runs them and the table lists them. */
const KINDS = [
  ["least", "the least SessionStart hook (prints {})"],
  ["mpm", "mpm as hooks install --agent gemini leaves it"],
  ["hooks", "  mpm's hooks only (its mcpServers.mpm taken out)"],
  ["former", "  mpm's hooks as an earlier mpm wrote them (AfterAgent, SessionEnd waited for)"],
] as const;
type Kind = typeof KINDS[number][0];

async function run(dir: string): Promise<void> {
  const gemini = await geminiOrSkip();
  if (gemini === undefined) return;
  const { bundleFile, bin, path } = await mpmOnPath(dir);
  const root = join(dir, "project");
  await oneCommitProject(root);
  await using api = startMockApi(
    Array.from({ length: 2 * KINDS.length * (RUNS + 2) }, () => ({ text: "Noted." })),
  );
  const homes = Object.fromEntries(
    KINDS.map(([kind]) => [kind, join(dir, `home-${kind}`)]),
  ) as Record<
    Kind,
    string
  >;
  for (const home of Object.values(homes)) {
    await Deno.mkdir(join(home, ".gemini"), { recursive: true });
    await Deno.writeTextFile(settingsFile(home), geminiSettings());
  }
  const cli = async (home: string, ...args: string[]) => {
    const out = await runProcess(join(bin, "mpm"), args, {
      cwd: root,
      env: { ...baseEnv(home), PATH: path },
    });
    if (out.code !== 0) throw new Error(`mpm ${args.join(" ")}: ${out.stderr}`);
  };
  await cli(homes.mpm, "pause", "-s", "Refunds half done", "-n", "Wire the webhook");
  for (const kind of ["mpm", "hooks", "former"] as const) {
    await cli(homes[kind], "hooks", "install", "--agent", "gemini");
  }
  const edit = async (home: string, change: (settings: Record<string, unknown>) => void) => {
    const settings = JSON.parse(await Deno.readTextFile(settingsFile(home)));
    change(settings);
    await Deno.writeTextFile(settingsFile(home), JSON.stringify(settings, null, 2) + "\n");
  };
  await edit(homes.hooks, (settings) => delete settings.mcpServers);
  await edit(homes.former, (settings) => {
    delete settings.mcpServers;
    let text = JSON.stringify(settings);
    for (const [i, entry] of GEMINI_HOOK_ENTRIES.slice(1).entries()) {
      text = text.replace(JSON.stringify(entry.command), JSON.stringify(GEMINI_FORMER_COMMANDS[i]));
    }
    Object.assign(settings, JSON.parse(text));
  });
  await edit(homes.least, (settings) => {
    settings.hooks = {
      SessionStart: [{ hooks: [{ type: "command", command: "printf '{}'", timeout: 10_000 }] }],
    };
  });
  const contestants: Contestant[] = KINDS.map(([kind]) => ({
    label: kind,
    cmd: gemini.node,
    args: [gemini.path, "-p", "hi"],
    cwd: root,
    env: geminiEnv({ api, home: homes[kind], env: { PATH: path } }),
    before: () => settled(bundleFile),
  }));
  const times = await interleaved(contestants, RUNS);
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  const least = middle(times.get("least")!);
  console.log(
    `gemini -p, launch → exit (${RUNS} runs each, interleaved; each run starts once the last ` +
      "one's mpm processes are gone):",
  );
  console.log("| | median | vs least | p90 | min |\n| --- | --- | --- | --- | --- |");
  for (const [kind, name] of KINDS) {
    const list = times.get(kind)!;
    const over = kind === "least"
      ? ""
      : `${middle(list) >= least ? "+" : ""}${f(middle(list) - least)}`;
    console.log(
      `| ${name} | ${f(middle(list))} | ${over} | ${f(percentile(list, 0.9))} | ${
        f(Math.min(...list))
      } |`,
    );
  }
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-gemini-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
