/**
 * `deno task bench`: mpm's speed as people meet it — whole processes of the bundle
 * (`deno run -A dist/mpm.js …`), each beside `deno run -A` of an empty file (the floor: Deno's
 * own start) measured in the same rounds, interleaved, so a busy machine moves both. Medians;
 * "over" is mpm minus the floor (minus its git calls, for pause), printed beside its budget
 * (docs/speed.md) with whether it is met. Nothing here asserts a time: read the table, don't gate
 * on it.
 *
 *   deno task bench [CASE...]  (cases: version pause resume list start end sync claude memory)
 *
 * MPM_BENCH_ROUNDS sets the rounds of the quick cases (default 15; the heavy ones take a third);
 * MPM_BENCH_BUNDLE=FILE measures that bundle instead of bundling the work tree.
 * Where DENORT_BIN names a denort binary for this machine, the compiled binary (`deno task
 * compile`: the same bundle, embedded) is measured too.
 * Then the other bench files run (`history/`: the store as it grows; `agents/`: Codex, the TUI,
 * `mpm mcp`, the exit; `transcripts/`: replay, redaction; each listed in OTHER_BENCHES, a new one
 * adds a line there) and print their own figures.
 */
import { join } from "node:path";
import { bundle } from "../build/bundle.ts";
import { ROOT } from "../build/stamp.ts";
import { RACY_MS } from "../../src/sessions/store/listing/listing_cache.ts";
import { syncVault } from "../../src/vault/copy/copy.ts";
import { checksumLine } from "../../src/kernel/hashing/checksum.ts";
import { sessionIdFor } from "../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../src/sessions/store/session/build_snapshot.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { sighting, writeTranscript } from "./transcripts/bench_replay.ts";
import { besideSpinners } from "../../tests/helpers.ts";
import {
  BENCH_NOW,
  type Contestant,
  firstLine,
  interleaved,
  interleavedCpu,
  LEAST_HTTP_MCP_SERVER,
  LEAST_MCP_SERVER,
  makeClones,
  makeRepo,
  mcpRegistration,
  middle,
  peakMb,
  sh,
  writeSnapshots,
} from "./bench_lib.ts";

const ROUNDS = Number(Deno.env.get("MPM_BENCH_ROUNDS") ?? 15);
const HEAVY = Math.max(3, Math.round(ROUNDS / 3));
const DENO = Deno.execPath();

/** Other helpers' bench scripts: each runs as its own process and prints its own table. */
const OTHER_BENCHES = [
  "history/bench_big_pause.ts",
  "history/bench_board.ts",
  "agents/bench_exit.ts",
  "history/bench_history.ts",
  "history/bench_index.ts",
  "transcripts/bench_transcript.ts",
  "agents/bench_mcp.ts",
  "transcripts/bench_redact.ts",
  "transcripts/bench_replay.ts",
  "history/bench_scale.ts",
  "history/bench_s4.ts",
  "history/bench_search.ts",
  "history/bench_sync.ts",
  "agents/bench_tui.ts",
  "agents/bench_codex.ts",
  "agents/bench_gemini.ts",
];

/** One figure, or every timed run of it (its median is the figure; p90 and max are shown too). */
type Figure = number | number[];

interface Case {
  name: string;
  mpm: Figure;
  floor: Figure;
  /** What else is subtracted before the budget (pause: its git calls run by a shell script). */
  extra?: { name: string; ms: number };
  /**
   * Budget of the figure over the floor (and extra), ms; or an absolute budget; or a ratio of the
   * figure to the floor (the floor then being what it is compared with).
   */
  budget?: { over?: number; total?: number; ratio?: number };
  /** What the row checks besides a time, said in the budget column. */
  check?: string;
}

interface Setup extends AsyncDisposable {
  /** `deno run -A dist/mpm.js` as argv, and the binary's path where one was compiled. */
  mpm: string[];
  binary?: string;
  empty: string[];
  dir: string;
}

async function setup(): Promise<Setup> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-" });
  // MPM_BENCH_BUNDLE: measure a bundle built elsewhere (an older commit's, to compare).
  const given = Deno.env.get("MPM_BENCH_BUNDLE");
  const out = given ?? join(dir, "dist", "mpm.js");
  if (!given) {
    console.error(`Bundling into ${out}…`);
    await bundle(out);
  }
  await Deno.writeTextFile(join(dir, "empty.js"), "\n");
  const binary = await compiled(dir);
  return {
    mpm: [DENO, "run", "-A", "--quiet", out],
    binary,
    empty: [DENO, "run", "-A", "--quiet", join(dir, "empty.js")],
    dir,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}

/** With DENORT_BIN set: `deno task compile` for this machine's target, else undefined. */
async function compiled(dir: string): Promise<string | undefined> {
  if (!Deno.env.get("DENORT_BIN")) return undefined;
  const target = Deno.build.target;
  const out = await new Deno.Command(DENO, {
    args: [
      "run",
      "-A",
      join(ROOT, "scripts", "build", "build.ts"),
      "--target",
      target,
      "--out-dir",
      dir,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    console.error(`The compiled binary is not measured: ${new TextDecoder().decode(out.stderr)}`);
    return undefined;
  }
  return join(dir, `mpm-${target}${Deno.build.os === "windows" ? ".exe" : ""}`);
}

/**
 * Puts a case's fixture out of the way until the end of the run, rather than deleting it: on
 * ext4, files created just after thousands were deleted wait on the kernel's check of recently
 * freed inodes, so deleting the 100,000-file repository would slow the next case (sync pull
 * measured 2.2 s after it, 0.7 s without; seen with perf). Setup's folder, removed last, holds
 * them.
 */
let discarded = 0;
async function discard(s: Setup, path: string): Promise<void> {
  await Deno.mkdir(join(s.dir, "discarded"), { recursive: true });
  await Deno.rename(path, join(s.dir, "discarded", String(discarded++)));
}

/** Runs each once, untimed, and fails if one fails: a fixture's own setup. */
function prepare(...contestants: Contestant[]): Promise<unknown> {
  return interleaved(contestants, 0);
}

function run(label: string, argv: string[], more: Partial<Contestant> = {}): Contestant {
  return { label, cmd: argv[0], args: argv.slice(1), ...more };
}

/** Each contestant's timed runs, by label. */
async function measure(
  contestants: Contestant[],
  rounds: number,
): Promise<Record<string, number[]>> {
  return Object.fromEntries(await interleaved(contestants, rounds));
}

function med(figure: Figure): number {
  return typeof figure === "number" ? figure : middle(figure);
}

/** "p90 / max" of a figure's runs: how long the slow runs wait (a hook's timeout meets these). */
function tail(figure: Figure): string {
  if (typeof figure === "number" || figure.length === 0) return "";
  const sorted = [...figure].sort((a, b) => a - b);
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)];
  return `${p90.toFixed(1)} / ${sorted[sorted.length - 1].toFixed(1)}`;
}

/** A HOME of its own for every mpm process, so nothing of the user's is read or written. */
async function isolatedEnv(s: Setup): Promise<Record<string, string>> {
  const home = join(s.dir, "home");
  await Deno.mkdir(home, { recursive: true });
  return { PATH: Deno.env.get("PATH") ?? "", HOME: home, NO_COLOR: "1" };
}

async function versionCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  const m = await measure([
    run("floor", s.empty, { env }),
    run("mpm", [...s.mpm, "--version"], { env }),
    ...(s.binary ? [run("binary", [s.binary, "--version"], { env })] : []),
  ], ROUNDS * 2);
  const cases: Case[] = [{
    name: "`mpm --version`",
    mpm: m.mpm,
    floor: m.floor,
    budget: { over: 10 },
  }];
  if (s.binary) {
    cases.push({ name: "`mpm --version`, compiled binary", mpm: m.binary, floor: 0 });
  }
  return cases;
}

/**
 * The git commands a run of mpm made, as lines of shell, each fed the stdin it was given: a
 * `git` first on PATH keeps each call's arguments and input in `dir`, then runs the real one.
 */
async function gitCalls(contestant: Contestant, dir: string): Promise<string[]> {
  const real = new TextDecoder().decode(
    (await new Deno.Command("sh", { args: ["-c", "command -v git"], stdout: "piped" }).output())
      .stdout,
  ).trim();
  const bin = join(dir, "bin");
  await Deno.mkdir(bin, { recursive: true });
  const wrapper = join(bin, "git");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\ncall=$(mktemp "${dir}/call.XXXXXX")\ncat > "$call.in"\n` +
      `printf '%s\\0' "$@" > "$call.args"\nexec ${real} "$@" < "$call.in"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  const env = { ...contestant.env, PATH: `${bin}:${contestant.env?.PATH ?? ""}` };
  await contestant.before?.();
  const child = new Deno.Command(contestant.cmd, {
    args: contestant.args,
    cwd: contestant.cwd,
    env,
    stdin: contestant.stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (contestant.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(contestant.stdin));
    await writer.close();
  }
  const out = await child.output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  const calls: { at: number; line: string }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".args")) continue;
    const file = join(dir, entry.name);
    const args = (await Deno.readTextFile(file)).split("\0").slice(0, -1);
    const quoted = args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
    const input = file.slice(0, -".args".length) + ".in";
    calls.push({ at: (await Deno.stat(file)).mtime!.getTime(), line: `git ${quoted} < ${input}` });
  }
  return calls.sort((a, b) => a.at - b.at).map((call) => call.line);
}

/** What one run loads and opens, printed after the time table (`footprint`). */
const footprintRows: string[] = [];

/**
 * What one run of `contestant` loads and opens, from `strace` (left out where there is none):
 * the bundle's chunks it loads, with their size, and the files under `.claude-mpm/` it opens.
 * Counts, not times: they do not move with the machine's load.
 */
async function footprint(name: string, contestant: Contestant, dir: string): Promise<void> {
  const trace = join(dir, `trace-${footprintRows.length}`);
  await contestant.before?.();
  const child = new Deno.Command("strace", {
    args: [
      "-f",
      "-qq",
      "-e",
      "trace=open,openat",
      "-e",
      "signal=none",
      "-o",
      trace,
      contestant.cmd,
      ...contestant.args,
    ],
    cwd: contestant.cwd,
    env: contestant.env,
    stdin: contestant.stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "null",
  });
  let spawned;
  try {
    spawned = child.spawn();
  } catch {
    return; // No strace here.
  }
  if (contestant.stdin !== undefined) {
    const writer = spawned.stdin.getWriter();
    await writer.write(new TextEncoder().encode(contestant.stdin));
    await writer.close();
  }
  await spawned.status;
  const opened = new Set<string>();
  for (const line of (await Deno.readTextFile(trace)).split("\n")) {
    const match = line.match(/open(?:at)?\((?:[^,]+, )?"([^"]+)"[^)]*\)\s*=\s*\d+/);
    if (match) opened.add(match[1]);
  }
  const chunks = [...opened].filter((path) => path.includes("/mpm-chunks/"));
  let bytes = 0;
  for (const chunk of chunks) bytes += (await Deno.stat(chunk)).size;
  const store = [...opened].filter((path) => path.includes("/.claude-mpm/"));
  footprintRows.push(
    `| ${name} | ${chunks.length} | ${(bytes / 1024).toFixed(0)} | ${store.length} |`,
  );
}

async function pauseCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  const dir = await makeRepo(10_000, 120);
  try {
    const pause = run("mpm", [...s.mpm, "pause", "-s", "bench", "-n", "next"], { cwd: dir, env });
    // The shell script makes the same git calls as pause, with the same input, one after the
    // other, as a `checkpoint.sh` would: what the work costs without mpm around it.
    const calls = await gitCalls(pause, await Deno.makeTempDir({ dir: s.dir, prefix: "calls-" }));
    await footprint("pause", pause, await Deno.makeTempDir({ dir: s.dir, prefix: "trace-" }));
    const script = join(s.dir, "pause-git.sh");
    await Deno.writeTextFile(script, `#!/bin/sh\n${calls.join(" >/dev/null\n")} >/dev/null\n`);
    const m = await measure([
      run("floor", s.empty, { env }),
      run("git", ["sh", script], { cwd: dir, env }),
      pause,
    ], ROUNDS);
    return [{
      name: `pause, 10,000-file repo, 120 dirty (${calls.length} git calls)`,
      mpm: m.mpm,
      floor: m.floor,
      extra: { name: "git calls (sh)", ms: med(m.git) },
      budget: { over: 40 },
    }];
  } finally {
    await discard(s, dir);
  }
}

/** `count` commits on top of HEAD, made by one `git fast-import`. */
async function addCommits(dir: string, count: number): Promise<void> {
  const lines: string[] = [];
  const head = new TextDecoder().decode(
    (await new Deno.Command("git", { args: ["rev-parse", "HEAD"], cwd: dir, stdout: "piped" })
      .output()).stdout,
  ).trim();
  for (let i = 0; i < count; i++) {
    const body = `commit ${i}\n`;
    lines.push(
      "commit refs/heads/main",
      `committer Bench <bench@example.com> ${1_700_000_000 + i} +0000`,
      `data ${`Commit ${i}`.length}`,
      `Commit ${i}`,
      ...(i === 0 ? [`from ${head}`] : []),
      `M 100644 inline bench/c${i % 50}.txt`,
      `data ${body.length}`,
      body,
    );
  }
  const child = new Deno.Command("git", {
    args: ["fast-import", "--quiet"],
    cwd: dir,
    stdin: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  await writer.close();
  await child.status;
  await sh(dir, "reset", "-q", "--keep", "main");
}

async function resumeCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  const dir = await makeRepo(100);
  try {
    await prepare(run("pause", [...s.mpm, "pause", "-s", "before"], { cwd: dir, env }));
    await addCommits(dir, 200);
    // Resume makes the session active; each run starts from the paused state again.
    const before = () => Deno.remove(join(dir, ".claude-mpm/state.json")).catch(() => {});
    const resume = run("mpm", [...s.mpm, "resume"], { cwd: dir, env, before });
    const calls = await gitCalls(resume, await Deno.makeTempDir({ dir: s.dir, prefix: "calls-" }));
    await footprint("resume", resume, await Deno.makeTempDir({ dir: s.dir, prefix: "trace-" }));
    const m = await measure([run("floor", s.empty, { env }), resume], ROUNDS);
    return [{
      name: `resume, 200 new commits (${calls.length} git calls)`,
      mpm: m.mpm,
      floor: m.floor,
      budget: { over: 60 },
    }];
  } finally {
    await discard(s, dir);
  }
}

async function listCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-list-" });
  try {
    await sh(dir, "init", "-q", "-b", "main");
    await writeSnapshots(dir, 10_000);
    // A folder still for a moment: snapshots written by another program (here, the fixture) are
    // indexed by the first listing once the folder has been unchanged for RACY_MS
    // (src/sessions/store/listing/listing_cache.ts), so the untimed first run writes it and the
    // timed ones read it.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    // `--json` lists a page of 20 snapshots, as a person's `mpm list` shows 20 sessions.
    const page = ["list", "--json"];
    const list = run("mpm", [...s.mpm, "list"], { cwd: dir, env });
    const m = await measure([
      run("floor", s.empty, { env }),
      list,
      run("json", [...s.mpm, ...page], { cwd: dir, env }),
    ], ROUNDS);
    const calls = await gitCalls(list, await Deno.makeTempDir({ dir: s.dir, prefix: "calls-" }));
    await footprint("list", list, await Deno.makeTempDir({ dir: s.dir, prefix: "trace-" }));
    // Each timed list comes right after a pause, which keeps the index (listing_update.ts).
    const pause = async () => {
      const out = await new Deno.Command(s.mpm[0], {
        args: [...s.mpm.slice(1), "pause", "-s", "bench"],
        cwd: dir,
        env,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    };
    const after = await measure([
      run("floor", s.empty, { env }),
      run("after", [...s.mpm, ...page], { cwd: dir, env, before: pause }),
      ...(s.binary ? [run("binary", [s.binary, ...page], { cwd: dir, env, before: pause })] : []),
    ], ROUNDS);
    const all = await measure([
      run("floor", s.empty, { env }),
      run("all", [...s.mpm, "list", "--json", "--limit", "0"], { cwd: dir, env }),
    ], HEAVY);
    return [
      {
        name: `list, 10,000 sessions (${calls.length} git calls)`,
        mpm: m.mpm,
        floor: m.floor,
        budget: { over: 50 },
      },
      {
        name: "list --json, 10,000 sessions",
        mpm: m.json,
        floor: m.floor,
        budget: { over: 50 },
      },
      {
        name: "list --json right after a pause, 10,000 sessions",
        mpm: after.after,
        floor: after.floor,
        budget: { over: 50 },
      },
      ...(s.binary
        ? [{
          name: "list --json after a pause, compiled binary",
          mpm: after.binary,
          floor: 0,
        }]
        : []),
      {
        name: "list --json --limit 0, 10,000 sessions (reads all)",
        mpm: all.all,
        floor: all.floor,
      },
    ];
  } finally {
    await discard(s, dir);
  }
}

function hookPayload(dir: string, event: string, extra: Record<string, unknown>): string {
  return JSON.stringify({
    session_id: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
    transcript_path: join(dir, "missing.jsonl"),
    cwd: dir,
    hook_event_name: event,
    ...extra,
  });
}

/**
 * Each run of a SessionStart contestant starts a conversation of its own, as each `claude` does:
 * a new session id in its payload, so its claim (src/sessions/store/claude/event_claim.ts) is a new
 * one, and its transcript named after it in the folder Claude Code keeps the project's in.
 */
function newConversation(c: Contestant): Contestant {
  const before = c.before;
  return {
    ...c,
    async before() {
      await before?.();
      const id = crypto.randomUUID();
      this.stdin = c.stdin!.replace(/"session_id":"[^"]*"/, `"session_id":"${id}"`)
        .replace(/"transcript_path":"([^"]*\/)[^"/]*"/, `"transcript_path":"$1${id}.jsonl"`);
    },
  };
}

/**
 * What any SessionStart written for Deno has to do, and nothing more: read the payload, run
 * `git status` once, read three small files of `.claude-mpm/` and write two (a temporary file
 * renamed; in a folder of its own, so that mpm's runs beside it find `.claude-mpm/` as they left
 * it), print the JSON. It is not mpm: its figure over the floor is what this machine
 * charges for that much, the part of a SessionStart budget no design of mpm's can take away.
 */
const LEAST_START = `const input = [];
for await (const chunk of Deno.stdin.readable) input.push(chunk);
const payload = JSON.parse(new TextDecoder().decode(input[0]));
const git = await new Deno.Command("git", {
  args: ["status", "--porcelain=v2", "--branch", "-z"],
  cwd: payload.cwd,
  stdout: "piped",
  stderr: "null",
}).output();
const base = payload.cwd + "/.claude-mpm";
const read = (name) => { try { return Deno.readTextFileSync(base + "/" + name); } catch { return ""; } };
const known = [read("order.json"), read("cache/start.json"), read("cache/told.json")];
for (const name of ["claim", "told"]) {
  const temp = Deno.args[0] + "/." + name + "." + Deno.pid;
  Deno.writeTextFileSync(temp, JSON.stringify({ id: payload.session_id }), { mode: 0o600 });
  Deno.renameSync(temp, Deno.args[0] + "/" + name + ".json");
}
const context = known.join("").length + " " + git.stdout.length;
console.log(JSON.stringify({ hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: context } }));
`;

/**
 * The least a SessionStart hook can do at all: a process that reads the payload and answers
 * nothing. SessionStart's goal is a ratio of this (≤ 1.25×), measured in the same rounds.
 */
const EMPTY_START = `const buffer = new Uint8Array(65536);
while ((await Deno.stdin.read(buffer)) !== null) {}
`;

async function sessionStartCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  const dir = await makeRepo(100);
  try {
    await prepare(run("pause", [...s.mpm, "pause", "-s", "before"], { cwd: dir, env }));
    const stdin = hookPayload(dir, "SessionStart", { source: "startup" });
    // The answer is made ready (src/hooks/events/ready_start.ts) after the first start, as after
    // SessionEnd's pause; "no digest" is a start after the state changed (`mpm start`, a
    // manual pause): it reads the state and the snapshot (src/hooks/start/start_digest.ts) and
    // makes both again.
    const digest = join(dir, ".claude-mpm", "cache", "start.json");
    const ready = join(dir, ".claude-mpm", "cache", "ready.json");
    const start = newConversation(
      run("mpm", [...s.mpm, "hook", "session-start"], { cwd: dir, env, stdin }),
    );
    const cold = newConversation(run("cold", [...s.mpm, "hook", "session-start"], {
      cwd: dir,
      env,
      stdin,
      before: () =>
        Promise.all([digest, ready].map((file) => Deno.remove(file).catch(() => {}))).then(
          () => {},
        ),
    }));
    const callsDir = () => Deno.makeTempDir({ dir: s.dir, prefix: "calls-" });
    const coldCalls = await gitCalls(cold, await callsDir());
    const calls = await gitCalls(start, await callsDir());
    await footprint("hook session-start, small repo", start, await callsDir());
    await footprint("hook session-start, no digest yet", cold, await callsDir());
    const leastScript = join(s.dir, "least_start.js");
    await Deno.writeTextFile(leastScript, LEAST_START);
    const leastWrites = await Deno.makeTempDir({ dir: s.dir, prefix: "least-" });
    const emptyScript = join(s.dir, "empty_start.js");
    await Deno.writeTextFile(emptyScript, EMPTY_START);
    const empty = newConversation(
      run("empty", [DENO, "run", "-A", "--quiet", emptyScript], { cwd: dir, env, stdin }),
    );
    const m = await measure([
      run("floor", s.empty, { env }),
      start,
      cold,
      newConversation(
        run("least", [DENO, "run", "-A", "--quiet", leastScript, leastWrites], {
          cwd: dir,
          env,
          stdin,
        }),
      ),
      empty,
      ...(s.binary
        ? [run("binary", [s.binary, "hook", "session-start"], { cwd: dir, env, stdin })]
        : []),
    ], ROUNDS);
    // The same ratio in CPU time, which a machine busy with other work hardly moves.
    const cpu = Object.fromEntries(await interleavedCpu([start, empty], ROUNDS));
    return [
      {
        name: `hook session-start, small repo (${calls.length} git calls)`,
        mpm: m.mpm,
        floor: m.floor,
        budget: { over: 30 },
      },
      {
        name: `hook session-start, no digest yet (${coldCalls.length} git calls)`,
        mpm: m.cold,
        floor: m.floor,
      },
      {
        name: "a SessionStart with one git status, not mpm (1 git call)",
        mpm: m.least,
        floor: m.floor,
      },
      {
        name: "the least a SessionStart can do, not mpm: read the payload, answer nothing",
        mpm: m.empty,
        floor: m.floor,
      },
      {
        name: "hook session-start ÷ the least a SessionStart can do (floor column: the least)",
        mpm: m.mpm,
        floor: m.empty,
        budget: { ratio: 1.25 },
      },
      ...(cpu.mpm
        ? [{
          name: "the same, CPU ms (perf task-clock, all threads; floor column: the least's)",
          mpm: cpu.mpm,
          floor: cpu.empty,
          budget: { ratio: 1.25 },
        }]
        : []),
      ...(s.binary
        ? [{ name: "hook session-start, compiled binary", mpm: m.binary, floor: 0 }]
        : []),
    ];
  } finally {
    await discard(s, dir);
  }
}

async function sessionEndCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  console.error("Making a 100,000-file repository…");
  const dir = await makeRepo(100_000, 20);
  try {
    await prepare(run("pause", [...s.mpm, "pause", "-s", "before"], { cwd: dir, env }));
    // Only a conversation's end is recorded, and its transcript is there (end_decision.ts).
    const transcript = join(env.HOME, "conversation.jsonl");
    await Deno.writeTextFile(transcript, "");
    const stdin = hookPayload(dir, "SessionEnd", {
      reason: "prompt_input_exit",
      transcript_path: transcript,
    });
    const m = await measure([
      run("floor", s.empty, { env }),
      run("mpm", [...s.mpm, "hook", "session-end"], { cwd: dir, env, stdin }),
    ], HEAVY);
    return [{
      name: "hook session-end, 100,000-file repo",
      mpm: m.mpm,
      floor: m.floor,
      budget: { over: 300 },
    }];
  } finally {
    await discard(s, dir);
  }
}

async function syncCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-sync-" });
  try {
    const { a, b } = await makeClones(dir);
    await writeSnapshots(a, 1_000);
    await prepare(run("push", [...s.mpm, "sync", "push"], { cwd: a, env }));
    // Each pull starts from a project that has none of them, and no sync refs. The last round's
    // files are moved aside, not deleted: on ext4, files created just after thousands were
    // deleted wait on the kernel's check of recently freed inodes (~3 s of kernel time per pull
    // here, seen with perf), which no user's pull meets. The temp folder goes at the end.
    let round = 0;
    const before = async () => {
      await Deno.mkdir(join(dir, "old"), { recursive: true });
      await Deno.rename(join(b, ".claude-mpm"), join(dir, "old", String(round++))).catch(() => {});
      const refs = new TextDecoder().decode(
        (await new Deno.Command("git", {
          args: ["for-each-ref", "--format=%(refname)", "refs/mpm", "refs/remotes/origin/mpm"],
          cwd: b,
          stdout: "piped",
        }).output()).stdout,
      ).split("\n").filter(Boolean);
      for (const ref of refs) await sh(b, "update-ref", "-d", ref);
    };
    const m = await measure([
      run("floor", s.empty, { env }),
      run("mpm", [...s.mpm, "sync", "pull"], { cwd: b, env, before }),
    ], HEAVY);
    return [{
      name: "sync pull, 1,000 snapshots",
      mpm: m.mpm,
      floor: m.floor,
      budget: { total: 2000 },
    }];
  } finally {
    await discard(s, dir);
  }
}

/** Runs of each kind whose startup profile is read for Claude Code's MCP wait. */
const PREWAIT_ROUNDS = 5;

/** The tools `mpm mcp` offers, as the client names them to the model (`mcp__mpm__NAME`). */
const MPM_TOOLS = ["search", "current_work", "show_session", "show_handoff", "list_recent"];

/** `claude -p` of the real client against the mock API, with mpm's hooks and without. */
async function claudeCase(s: Setup): Promise<Case[]> {
  const { claudeCode } = await import("../../tests/claude_code/install.ts");
  const { startMockApi } = await import("../../tests/claude_code/mock_api.ts");
  const { runClaude } = await import("../../tests/claude_code/run.ts");
  const found = await claudeCode();
  if ("skip" in found) {
    console.error(`The claude -p case is not measured: ${found.skip}`);
    return [];
  }
  const env = await isolatedEnv(s);
  const bin = join(s.dir, "bin");
  await Deno.mkdir(bin, { recursive: true });
  const wrapper = join(bin, "mpm");
  const command = s.mpm.map((a) => `'${a}'`).join(" ");
  // SessionEnd runs in the background at exit (`async`): each one that finishes adds a line to
  // `ended`, and the next round waits for it, so it never runs beside a measured run.
  const ended = join(bin, "ended");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\ncase "$1 $2" in\n  "hook session-end") ${command} "$@"; code=$?; ` +
      `echo >> '${ended}'; exit $code ;;\nesac\nexec ${command} "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  const plain = await makeRepo(100);
  const hooked = await makeRepo(100);
  // The same install with its MCP server taken out: what the hooks cost apart from what Claude
  // Code's start of `mpm mcp` (waited for before the first request) adds.
  const hooksOnly = await makeRepo(100);
  // The same install with the least MCP server a Deno script can be in mpm mcp's place: what
  // any server Claude Code starts and waits for costs, apart from mpm's.
  const leastMcp = await makeRepo(100);
  const leastScript = join(s.dir, "least_mcp.js");
  await Deno.writeTextFile(leastScript, LEAST_MCP_SERVER);
  // The same least server over HTTP, started once before the runs: what a server Claude Code
  // connects to but neither starts nor stops (waits for, then SIGINTs and watches) costs a run.
  const leastHttp = await makeRepo(100);
  const httpScript = join(s.dir, "least_http_mcp.js");
  await Deno.writeTextFile(httpScript, LEAST_HTTP_MCP_SERVER);
  const httpServer = new Deno.Command(DENO, {
    args: ["run", "-A", "--quiet", httpScript],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const httpPort = await firstLine(httpServer.stdout);
  // No mpm at all: the least SessionStart hook (EMPTY_START) and the least MCP server, the least
  // any tool wired as mpm is (a hook Claude Code waits for at the start, a server it starts and
  // stops) can cost a run; the floor under the goal of 100 ms.
  const leastWired = await makeRepo(100);
  const emptyStart = join(s.dir, "empty_start.js");
  await Deno.writeTextFile(emptyStart, EMPTY_START);
  await using api = startMockApi(() => ({ text: "ok" }));
  try {
    for (const repo of [hooked, hooksOnly, leastMcp, leastHttp, leastWired]) {
      await prepare(
        run("install", [...s.mpm, "hooks", "install"], { cwd: repo, env }),
        run("pause", [...s.mpm, "pause", "-s", "before"], { cwd: repo, env }),
      );
    }
    // The client runs in the HOME install registered the server in (~/.claude.json's local scope).
    await (await mcpRegistration(env.HOME, hooksOnly)).off();
    const leastServer = {
      type: "stdio",
      command: s.empty[0],
      args: [...s.empty.slice(1, -1), leastScript],
      env: {},
    };
    await (await mcpRegistration(env.HOME, leastMcp)).put(leastServer);
    await (await mcpRegistration(env.HOME, leastWired)).put(leastServer);
    await (await mcpRegistration(env.HOME, leastHttp)).put({
      type: "http",
      url: `http://127.0.0.1:${httpPort}/mcp`,
    });
    const startCommand = [...s.empty.slice(0, -1), emptyStart].map((a) => `'${a}'`).join(" ");
    await Deno.writeTextFile(
      join(leastWired, ".claude", "settings.local.json"),
      JSON.stringify({
        hooks: { SessionStart: [{ hooks: [{ type: "command", command: startCommand }] }] },
      }),
    );
    const times = {
      without: [] as number[],
      with: [] as number[],
      hooks: [] as number[],
      least: [] as number[],
      http: [] as number[],
      wired: [] as number[],
    };
    let hookedRuns = 0;
    const endsSeen = async () =>
      (await Deno.readTextFile(ended).catch(() => "")).split("\n").length - 1;
    /** One run's time, and (`profiled`) what Claude Code's startup profile says it waited. */
    const client = async (cwd: string, profiled = false) => {
      await using result = await runClaude({
        claude: found.path,
        api,
        prompt: "hello",
        cwd,
        home: env.HOME,
        env: {
          MPM_BIN: wrapper,
          PATH: `${bin}:${env.PATH}`,
          ...(profiled ? { CLAUDE_CODE_PROFILE_STARTUP: "1" } : {}),
        },
      });
      if (result.code !== 0) throw new Error(`claude -p failed: ${result.stderr}`);
      if (cwd !== plain && cwd !== leastWired) {
        hookedRuns++;
        const deadline = performance.now() + 10_000;
        while (await endsSeen() < hookedRuns && performance.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      const log = result.debugLog;
      const prewait = Number(log.match(/"mcp_prewait_ms":(\d+)/)?.[1] ?? NaN);
      // At exit Claude Code sends the server SIGINT and looks every 50 ms whether it is gone.
      const at = (line: RegExp) =>
        Date.parse(log.match(new RegExp(`^(\\S+Z) .*(?:${line.source})`, "m"))?.[1] ?? "");
      const exit = at(/exited cleanly|Cleanup timeout/) - at(/Sending SIGINT/);
      return { ms: result.ms, prewait, exit };
    };
    const once = async (cwd: string) => (await client(cwd)).ms;
    await once(plain);
    await once(hooked);
    await once(hooksOnly);
    await once(leastMcp);
    await once(leastHttp);
    await once(leastWired);
    // All rounds, not the heavy cases' third: a run is ~0.6 s, and the client's own time moves by
    // tens of ms from run to run (5 rounds gave medians 70–120 ms apart).
    for (let i = 0; i < ROUNDS; i++) {
      times.without.push(await once(plain));
      times.with.push(await once(hooked));
      times.hooks.push(await once(hooksOnly));
      times.least.push(await once(leastMcp));
      times.http.push(await once(leastHttp));
      times.wired.push(await once(leastWired));
    }
    // What Claude Code itself says it waited for its MCP servers before the first turn (its
    // startup profile, `mcp_prewait_ms`): a few more runs of each, apart from the timed ones.
    const prewaits = { with: [] as number[], least: [] as number[] };
    const exits = { with: [] as number[], least: [] as number[] };
    for (let i = 0; i < PREWAIT_ROUNDS; i++) {
      for (const [kind, cwd] of [["with", hooked], ["least", leastMcp]] as const) {
        const { prewait, exit } = await client(cwd, true);
        prewaits[kind].push(prewait);
        exits[kind].push(exit);
      }
    }
    // On a busy machine: two CPU-bound processes beside one more run with mpm as installed.
    const offered = await besideSpinners(async () => {
      const before = api.requests.length;
      const ms = await once(hooked);
      const first = JSON.stringify(api.requests[before] ?? {});
      return { ms, offered: MPM_TOOLS.every((tool) => first.includes(`mcp__mpm__${tool}`)) };
    });
    return [{
      name: "claude -p, one prompt: with mpm's hooks vs without",
      mpm: times.hooks,
      floor: times.without,
      budget: { over: 100 },
    }, {
      name: "claude -p, one prompt: with mpm as installed (hooks and `mpm mcp`) vs without",
      mpm: times.with,
      floor: times.without,
      budget: { over: 100 },
    }, {
      name: "claude -p, one prompt: mpm's hooks and the least MCP server (not mpm) vs without",
      mpm: times.least,
      floor: times.without,
    }, {
      name: "claude -p, one prompt: mpm's hooks and the least MCP server over HTTP, already up",
      mpm: times.http,
      floor: times.without,
    }, {
      name:
        "claude -p, one prompt: the least SessionStart hook and MCP server (not mpm) vs without",
      mpm: times.wired,
      floor: times.without,
    }, {
      name: "claude -p, its own profile: wait for MCP servers before the first turn, `mpm mcp`",
      mpm: prewaits.with,
      floor: 0,
    }, {
      name: "claude -p, its own profile: wait for MCP servers before the first turn, least one",
      mpm: prewaits.least,
      floor: 0,
    }, {
      name: "claude -p, its debug log: SIGINT to the MCP server gone at exit, `mpm mcp`",
      mpm: exits.with,
      floor: 0,
    }, {
      name: "claude -p, its debug log: SIGINT to the MCP server gone at exit, least one",
      mpm: exits.least,
      floor: 0,
    }, {
      name: "claude -p with mpm as installed, two CPU-bound processes beside it (one run)",
      mpm: offered.ms,
      floor: 0,
      check: offered.offered ? "mpm's tools offered: met" : "mpm's tools offered: NOT met",
    }];
  } finally {
    await discard(s, plain);
    await discard(s, hooked);
    await discard(s, hooksOnly);
    await discard(s, leastMcp);
    await discard(s, leastHttp);
    httpServer.kill();
    await httpServer.status;
    await discard(s, leastWired);
  }
}

/** `count` valid snapshots of about `bytes` each (a long summary), with their checksums. */
async function writeLargeSnapshots(root: string, count: number, bytes: number): Promise<void> {
  const sessions = join(root, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  const start = BENCH_NOW - (count - 1) * 60_000;
  for (let i = 0; i < count; i++) {
    const now = new Date(start + i * 60_000);
    const id = sessionIdFor(now);
    const words = `Session ${i}: the refunds table, the webhook queue and the retry loop. `;
    const text = serializeSnapshot(buildSnapshot({
      summary: words.repeat(Math.ceil(bytes / words.length)),
      accomplishments: [],
      nextSteps: [],
      todos: [],
    }, { id, now, git: null, projectPath: root, version: "0.0.0", build: "bench" }));
    await Deno.writeTextFile(join(sessions, `${id}.json`), text);
    await Deno.writeTextFile(
      join(sessions, `${id}.json.sha256`),
      checksumLine(text, `${id}.json`),
    );
  }
}

/** Peak memory figures (MB of resident memory, VmHWM), printed after the time table. */
const memoryRows: string[] = [];

/**
 * Memory held by design: `sync status` and `sync pull` of a remote holding 120 records of 3.6 MB
 * each, and a search of them all (budget 300 MB), `mpm search --tools` over the vault's copy of a
 * 200 MB transcript (budget 200 MB). Peak resident memory of the mpm process, not a time.
 */
async function memoryCase(s: Setup): Promise<Case[]> {
  const env = await isolatedEnv(s);
  const dir = join(s.dir, "memory");
  await Deno.mkdir(dir, { recursive: true });
  const { a, b } = await makeClones(dir);
  await writeLargeSnapshots(a, 120, 3.6 * 1024 * 1024);
  await prepare(run("push", [...s.mpm, "sync", "push"], { env, cwd: a }));
  const row = (name: string, mb: number | null, budget: number) =>
    memoryRows.push(
      `| ${name} | ${mb === null ? "n/a" : mb.toFixed(0)} | ≤ ${budget}: ${
        mb === null ? "not measured" : mb <= budget ? "met" : "NOT met"
      } |`,
    );
  row(
    "`mpm sync status`, 120 × 3.6 MB remote records",
    await peakMb([...s.mpm, "sync", "status"], b, env),
    300,
  );
  row(
    "`mpm sync pull`, 120 × 3.6 MB remote records",
    await peakMb([...s.mpm, "sync", "pull"], b, env),
    300,
  );
  // A search holds `limit` hits, not the words of every record that matches.
  row(
    "`mpm search --limit 3`, the 120 × 3.6 MB records, every one a match",
    await peakMb([...s.mpm, "search", "--limit", "3", "webhook queue"], a, env),
    300,
  );
  await discard(s, dir);

  const project = join(s.dir, "memory-search");
  await Deno.mkdir(project, { recursive: true });
  await sh(project, "init", "-q", "-b", "main");
  const id = "c0000000-0000-4000-8000-000000000000";
  const folder = join(env.HOME, ".claude", "projects", project.replace(/[^A-Za-z0-9]/g, "-"));
  await Deno.mkdir(folder, { recursive: true });
  const transcript = join(folder, `${id}.jsonl`);
  const from = new Date(BENCH_NOW - 3_600_000);
  await writeTranscript(transcript, 200, id, from, new Date(from.getTime() + 3_600_000));
  // SessionStart records the Claude session in the active session: without one, nothing is seen
  // and the vault copies nothing.
  await prepare(
    run("start", [...s.mpm, "start", "bench", "--task", "memory"], { env, cwd: project }),
  );
  await sighting(project, env.HOME, id, transcript);
  const copied = await syncVault(projectPaths(project), {
    now: new Date(),
    home: env.HOME,
    vars: {},
    budgetBytes: Infinity,
    lockWaitMs: 1000,
  });
  if (!copied.copied.some((c) => c.id === id && c.bytes > 190 * 1024 * 1024)) {
    throw new Error(`the vault did not copy the 200 MB transcript: ${JSON.stringify(copied)}`);
  }
  // The search measured must read the whole copy: the phrase is in no line, while a tool call's
  // text is found with --tools only.
  const says = async (args: string[], expected: RegExp) => {
    const out = await new Deno.Command(s.mpm[0], {
      args: [...s.mpm.slice(1), "search", ...args],
      cwd: project,
      env,
      clearEnv: true,
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!expected.test(text)) throw new Error(`mpm search ${args.join(" ")} said: ${text}`);
  };
  await says(["--tools", "zebra unicorn"], /^Nothing matches "zebra unicorn"/);
  await says(["--tools", "npm test -- mod7"], /^\d+ matches for "npm test -- mod7"/);
  await says(["npm test -- mod7"], /^Nothing matches/);
  row(
    "`mpm search --tools`, the vault's copy of a 200 MB transcript",
    await peakMb([...s.mpm, "search", "--tools", "zebra unicorn"], project, env),
    200,
  );
  await discard(s, project);
  return [];
}

const CASES: Record<string, (s: Setup) => Promise<Case[]>> = {
  version: versionCase,
  pause: pauseCase,
  resume: resumeCase,
  list: listCase,
  start: sessionStartCase,
  end: sessionEndCase,
  sync: syncCase,
  claude: claudeCase,
  memory: memoryCase,
};

function over(c: Case): number {
  return med(c.mpm) - med(c.floor) - (c.extra?.ms ?? 0);
}

function verdict(c: Case): string {
  if (c.check !== undefined) return c.check;
  if (c.budget?.ratio !== undefined) {
    const ratio = med(c.mpm) / med(c.floor);
    return `${ratio.toFixed(2)}× (goal ≤ ${c.budget.ratio}×): ${
      ratio <= c.budget.ratio ? "met" : "NOT met"
    }`;
  }
  if (c.budget?.over !== undefined) {
    return `≤ ${c.budget.over} ms over: ${over(c) <= c.budget.over ? "met" : "NOT met"}`;
  }
  if (c.budget?.total !== undefined) {
    return `≤ ${c.budget.total} ms: ${med(c.mpm) <= c.budget.total ? "met" : "NOT met"}`;
  }
  return "";
}

export function table(cases: Case[]): string {
  const f = (ms: number) => ms.toFixed(1);
  const lines = [
    "| case | mpm ms | mpm p90 / max ms | floor ms | git calls ms | over ms | budget |",
    "|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const c of cases) {
    const floor = med(c.floor) ? f(med(c.floor)) : "";
    const extra = c.extra ? f(c.extra.ms) : "";
    const o = med(c.floor) ? f(over(c)) : "";
    const row = [c.name, f(med(c.mpm)), tail(c.mpm), floor, extra, o, verdict(c)];
    lines.push(`| ${row.join(" | ")} |`);
  }
  return lines.join("\n");
}

async function otherBenches(): Promise<void> {
  for (const file of OTHER_BENCHES) {
    // One not there is said, not skipped: a bench moved or renamed would drop out of every run
    // unseen.
    const path = join(ROOT, "scripts", "bench", file);
    console.log(`\n${file}:`);
    if (!(await Deno.stat(path).then((info) => info.isFile, () => false))) {
      console.log(`(${file} is not in scripts/bench/: not run)`);
      continue;
    }
    const out = await new Deno.Command(DENO, {
      args: ["run", "--allow-all", path],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!out.success) console.log(`(${file} failed with exit code ${out.code})`);
  }
}

if (import.meta.main) {
  const wanted = Deno.args.length ? Deno.args : Object.keys(CASES);
  const unknown = wanted.filter((name) => !(name in CASES) && name !== "others");
  if (unknown.length) {
    console.error(`Unknown case ${unknown.join(", ")}; the cases: ${Object.keys(CASES).join(" ")}`);
    Deno.exit(2);
  }
  await using s = await setup();
  const cases: Case[] = [];
  for (const name of wanted.filter((n) => n in CASES)) {
    console.error(`Measuring ${name}…`);
    cases.push(...await CASES[name](s));
  }
  const cores = navigator.hardwareConcurrency;
  console.log(
    `mpm, whole processes of the bundle (deno run -A dist/mpm.js), Deno ${Deno.version.deno}, ` +
      `${Deno.build.os} ${Deno.build.arch}, ${cores} cores; medians of ${ROUNDS} rounds ` +
      `(${HEAVY} for the heavy cases but claude -p), floor = deno run -A of an empty file in the same rounds.\n`,
  );
  console.log(table(cases));
  if (footprintRows.length) {
    const chunks = join(s.mpm.at(-1)!, "..", "mpm-chunks");
    let count = 0;
    let bytes = 0;
    for await (const entry of Deno.readDir(chunks)) {
      count++;
      bytes += (await Deno.stat(join(chunks, entry.name))).size;
    }
    console.log(`\nThe bundle: its entry and ${count} chunks, ${(bytes / 1024).toFixed(0)} KB.`);
    console.log(
      [
        "\n| one run of | chunks loaded | their KB | files opened in .claude-mpm/ |",
        "|---|---:|---:|---:|",
        ...footprintRows,
      ].join("\n"),
    );
  }
  if (memoryRows.length) {
    console.log(["\n| memory | peak MB | budget MB |", "|---|---:|---|", ...memoryRows].join("\n"));
  }
  if (!Deno.args.length || Deno.args.includes("others")) await otherBenches();
}
