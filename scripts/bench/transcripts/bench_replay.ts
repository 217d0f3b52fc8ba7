/**
 * How fast, and in how much memory, `mpm replay` and `mpm summary` run on big sessions, as whole
 * processes (`deno run -A main.ts …`), the way a person runs them:
 *
 * - replay to HTML of a generated 20 MB and 200 MB transcript: wall time and peak RSS (budget:
 *   200 MB under 10 s, memory flat in the transcript's size);
 * - `mpm summary` of a session with 5 transcripts (budget: under 500 ms).
 *
 *   deno run -A scripts/bench/transcripts/bench_replay.ts [--sizes 20,200] [--summary-mb 4] [--runs 5]
 *
 * Peak RSS comes from /usr/bin/time -v when it exists, else from polling /proc/PID/status
 * (VmHWM), else it is not reported.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchEnv, feed, sh } from "../bench_lib.ts";

const ROOT = join(import.meta.dirname!, "..", "..", "..");
const MAIN = join(ROOT, "main.ts");
const REPLAY_BUDGET_MS = 10_000;
const SUMMARY_BUDGET_MS = 500;

interface Measured {
  ms: number;
  /** User + system CPU seconds, when /usr/bin/time reports them (a busy machine inflates wall time). */
  cpuS: number | null;
  rssMb: number | null;
  code: number;
  stderr: string;
}

async function run(
  cwd: string,
  home: string,
  args: string[],
  stdin?: string,
): Promise<Measured> {
  const timeBin = await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => null);
  const denoArgs = ["run", "--quiet", "-A", "--frozen", "--cached-only", MAIN, ...args];
  const [cmd, cmdArgs] = timeBin
    ? [timeBin, ["-v", Deno.execPath(), ...denoArgs]]
    : [Deno.execPath(), denoArgs];
  const start = performance.now();
  const child = new Deno.Command(cmd, {
    args: cmdArgs,
    cwd,
    env: benchEnv(home, { name: "Bench", email: "bench@example.com" }),
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await feed(child, stdin);
  let polled: number | null = null;
  const poll = timeBin ? null : setInterval(() => {
    try {
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1]);
      if (kb) polled = Math.max(polled ?? 0, kb / 1024);
    } catch {
      // Gone, or no /proc here.
    }
  }, 20);
  const out = await child.output();
  const ms = performance.now() - start;
  if (poll !== null) clearInterval(poll);
  const stderr = new TextDecoder().decode(out.stderr);
  const kb = stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1];
  const user = stderr.match(/User time \(seconds\): ([\d.]+)/)?.[1];
  const system = stderr.match(/System time \(seconds\): ([\d.]+)/)?.[1];
  const cpuS = user && system ? Number(user) + Number(system) : null;
  return { ms, cpuS, rssMb: kb ? Number(kb) / 1024 : polled, code: out.code, stderr };
}

/** A repository with an active mpm session; returns its folder and the session's start. */
export async function project(dir: string, home: string): Promise<{ repo: string; started: Date }> {
  const repo = join(dir, "project");
  await Deno.mkdir(repo, { recursive: true });
  await Deno.mkdir(home, { recursive: true });
  await sh(repo, "init", "-q", "-b", "main");
  await sh(
    repo,
    "-c",
    "user.name=B",
    "-c",
    "user.email=b@e",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "init",
  );
  const started = await run(repo, home, ["start", "bench", "--task", "big transcripts"]);
  if (started.code !== 0) throw new Error(`mpm start failed: ${started.stderr}`);
  const state = JSON.parse(await Deno.readTextFile(join(repo, ".claude-mpm", "state.json")));
  return { repo, started: new Date(state.active.started_at) };
}

/**
 * A transcript of about `mb` MB in Claude Code's format: turns of a prompt, thinking, text, a
 * Bash call with a 4 KB result, an Edit with its structuredPatch and a Read of 3 KB, with
 * timestamps spread over (from, to).
 */
export async function writeTranscript(path: string, mb: number, id: string, from: Date, to: Date) {
  const target = mb * 1024 * 1024;
  const filler = (n: number, seed: number) =>
    Array.from({ length: Math.ceil(n / 64) }, (_, i) => `line ${seed}.${i} ${"x".repeat(48)}`).join(
      "\n",
    )
      .slice(0, n);
  const turnBytes = 12_500;
  const turns = Math.ceil(target / turnBytes);
  const span = to.getTime() - from.getTime();
  const common = {
    sessionId: id,
    cwd: "/home/dev/shop",
    version: "2.1.328",
    gitBranch: "main",
    isSidechain: false,
  };
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let size = 0;
  let chunk: string[] = [];
  for (let t = 0; t < turns && size < target; t++) {
    const time = (k: number) => new Date(from.getTime() + span * (t + k / 8) / turns).toISOString();
    const a = (k: number, content: unknown[]) =>
      JSON.stringify({
        ...common,
        type: "assistant",
        uuid: `a${t}.${k}`,
        timestamp: time(k),
        message: { role: "assistant", model: "claude-opus-5-5", content },
      });
    const u = (k: number, content: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        ...common,
        type: "user",
        uuid: `u${t}.${k}`,
        timestamp: time(k),
        message: { role: "user", content },
        ...extra,
      });
    const lines = [
      u(0, `Turn ${t}: make the next change and run the tests.`),
      a(1, [{ type: "thinking", thinking: filler(1000, t), signature: "s" }]),
      a(2, [{ type: "text", text: `I'll change module ${t % 50} and run the tests.` }]),
      a(3, [{
        type: "tool_use",
        id: `b${t}`,
        name: "Bash",
        input: { command: `npm test -- mod${t % 50}` },
      }]),
      u(4, [{
        type: "tool_result",
        tool_use_id: `b${t}`,
        content: filler(4000, t),
        is_error: t % 17 === 0,
      }]),
      a(5, [{
        type: "tool_use",
        id: `e${t}`,
        name: "Edit",
        input: {
          file_path: `/home/dev/shop/src/mod${t % 50}.ts`,
          old_string: filler(300, t),
          new_string: filler(400, t + 1),
        },
      }]),
      u(6, [{
        type: "tool_result",
        tool_use_id: `e${t}`,
        content: "The file has been updated successfully.",
      }], {
        toolUseResult: {
          filePath: `/home/dev/shop/src/mod${t % 50}.ts`,
          structuredPatch: [{
            oldStart: 10,
            oldLines: 5,
            newStart: 10,
            newLines: 7,
            lines: [" a", "-b", "+c", "+d", " e"],
          }],
        },
      }),
      a(7, [{
        type: "tool_use",
        id: `r${t}`,
        name: "Read",
        input: { file_path: `/home/dev/shop/src/mod${t % 50}.ts` },
      }]),
      u(8, [{ type: "tool_result", tool_use_id: `r${t}`, content: filler(3000, t) }]),
    ];
    for (const line of lines) {
      chunk.push(line);
      size += line.length + 1;
    }
    if (chunk.length >= 400) {
      await file.write(encoder.encode(chunk.join("\n") + "\n"));
      chunk = [];
    }
  }
  if (chunk.length) await file.write(encoder.encode(chunk.join("\n") + "\n"));
  return size;
}

export async function sighting(repo: string, home: string, id: string, transcript: string) {
  const payload = JSON.stringify({
    session_id: id,
    transcript_path: transcript,
    cwd: repo,
    hook_event_name: "SessionStart",
    source: "startup",
  });
  const out = await run(repo, home, ["hook", "session-start"], payload);
  if (out.code !== 0) throw new Error(`hook failed: ${out.stderr}`);
}

function cpu(seconds: number | null): string {
  return seconds === null ? "" : ` (CPU ${seconds.toFixed(2)} s)`;
}

function mb(n: number | null): string {
  return n === null ? "n/a" : `${n.toFixed(0)} MB`;
}

async function benchReplay(sizeMb: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-replay-" });
  try {
    const home = join(dir, "home");
    const { repo, started } = await project(dir, home);
    const id = crypto.randomUUID();
    const transcript = join(home, `${id}.jsonl`);
    await sighting(repo, home, id, transcript);
    const bytes = await writeTranscript(
      transcript,
      sizeMb,
      id,
      new Date(started.getTime() + 1),
      new Date(),
    );
    const out = join(dir, "replay.html");
    const result = await run(repo, home, ["replay", "--html", out]);
    if (result.code !== 0) throw new Error(`replay failed: ${result.stderr}`);
    const html = (await Deno.stat(out)).size;
    const verdict = sizeMb >= 200 ? (result.ms <= REPLAY_BUDGET_MS ? "ok" : "OVER") : "";
    return `replay --html, ${(bytes / 1024 / 1024).toFixed(0)} MB transcript`.padEnd(44) +
      `${(result.ms / 1000).toFixed(2)} s`.padStart(9) + cpu(result.cpuS).padEnd(16) +
      `  peak RSS ${mb(result.rssMb)}`.padEnd(20) +
      `  page ${(html / 1024 / 1024).toFixed(1)} MB  ${verdict}`;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function benchSummary(perTranscriptMb: number, runs: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-summary-" });
  try {
    const home = join(dir, "home");
    const { repo, started } = await project(dir, home);
    const now = new Date();
    const slice = (now.getTime() - started.getTime()) / 5;
    for (let i = 0; i < 5; i++) {
      const id = crypto.randomUUID();
      const transcript = join(home, `${id}.jsonl`);
      await sighting(repo, home, id, transcript);
      const from = new Date(started.getTime() + slice * i + 1);
      await writeTranscript(
        transcript,
        perTranscriptMb,
        id,
        from,
        new Date(from.getTime() + slice - 2),
      );
    }
    // `mpm status` on the same project is the floor: starting the process and reading the state.
    await run(repo, home, ["summary"]); // warm-up: module cache
    const summary = { ms: [] as number[], cpu: [] as number[] };
    const status = { ms: [] as number[], cpu: [] as number[] };
    let rss: number | null = null;
    for (let i = 0; i < runs; i++) {
      for (const [args, into] of [[["summary"], summary], [["status"], status]] as const) {
        const result = await run(repo, home, [...args]);
        if (result.code !== 0) throw new Error(`${args[0]} failed: ${result.stderr}`);
        into.ms.push(result.ms);
        if (result.cpuS !== null) into.cpu.push(result.cpuS);
        if (args[0] === "summary") rss = result.rssMb;
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ms = median(summary.ms);
    const cpuNote = summary.cpu.length ? cpu(median(summary.cpu)) : "";
    return `summary, 5 transcripts of ${perTranscriptMb} MB`.padEnd(44) +
      `${ms.toFixed(0)} ms`.padStart(9) + cpuNote.padEnd(16) + `  peak RSS ${mb(rss)}`.padEnd(20) +
      `  budget ${SUMMARY_BUDGET_MS} ms  ${ms <= SUMMARY_BUDGET_MS ? "ok" : "OVER"}` +
      `  (mpm status here: ${median(status.ms).toFixed(0)} ms)`;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "20,200" },
      "summary-mb": { type: "string", default: "4" },
      runs: { type: "string", default: "5" },
    },
  });
  console.log(
    `mpm replay and summary, whole processes (budget: 200 MB replay under ${
      REPLAY_BUDGET_MS / 1000
    } s)`,
  );
  for (const size of values.sizes!.split(",").map(Number).filter((n) => n > 0)) {
    console.log(await benchReplay(size));
  }
  console.log(await benchSummary(Number(values["summary-mb"]), Number(values.runs)));
}
