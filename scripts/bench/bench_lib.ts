/**
 * What the bench scripts share: the row they print, a median timer, whole-process runs
 * interleaved round by round, and generated repositories and session folders.
 */
import { join } from "node:path";
import { checksumLine } from "../../src/kernel/hashing/checksum.ts";
import { sessionIdFor } from "../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../src/sessions/store/session/build_snapshot.ts";
import { DENO_DIR } from "../../tests/helpers.ts";

const RUNS = Number(Deno.env.get("MPM_BENCH_RUNS") ?? 7);

export interface Row {
  name: string;
  ms: number;
  baseline?: { name: string; ms: number };
  budget?: string;
}

/** The median of `runs` timed calls of `fn` in this process, after one untimed call. */
export async function median(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await fn(); // warm-up: module caches, git's own caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return middle(times);
}

export function middle(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The whole environment of an mpm process a bench starts (with `clearEnv`): `home` as HOME, no
 * colour, UTC, and `identity` as git's author and committer when given.
 */
export function benchEnv(
  home: string,
  identity?: { name: string; email: string },
): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    DENO_DIR,
    NO_COLOR: "1",
    TZ: "UTC",
    ...(identity
      ? {
        GIT_AUTHOR_NAME: identity.name,
        GIT_AUTHOR_EMAIL: identity.email,
        GIT_COMMITTER_NAME: identity.name,
        GIT_COMMITTER_EMAIL: identity.email,
      }
      : {}),
  };
}

/** Writes `text` to a process's stdin and closes it; nothing when there is no text. */
export async function feed(child: Deno.ChildProcess, text: string | undefined): Promise<void> {
  if (text === undefined) return;
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
}

/**
 * `deno run ARGS` as a whole process with exactly `env`: its time and, from /usr/bin/time when
 * there is one, its peak memory and its CPU time (user + system: on a busy machine it says more
 * about mpm than the clock does).
 */
export function timedDeno(
  cwd: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ ms: number; mb: number | null; cpuMs: number | null }> {
  const denoArgs = ["run", "--quiet", "-A", "--frozen", "--cached-only", ...args];
  return timedProcess([Deno.execPath(), ...denoArgs], cwd, env);
}

/** timedDeno for any program, `stdin` fed and closed when given. */
export async function timedProcess(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  stdin?: string,
): Promise<{ ms: number; mb: number | null; cpuMs: number | null }> {
  const timeBin = await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => null);
  const [cmd, cmdArgs] = timeBin
    ? [timeBin, ["-f", "maxrss %M cpu %U %S", ...argv]]
    : [argv[0], argv.slice(1)];
  const start = performance.now();
  const child = new Deno.Command(cmd, {
    args: cmdArgs,
    cwd,
    env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await feed(child, stdin);
  const out = await child.output();
  const ms = performance.now() - start;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${argv.slice(-2).join(" ")}: ${stderr}`);
  const kb = stderr.match(/maxrss (\d+)/)?.[1];
  const cpu = stderr.match(/cpu ([\d.]+) ([\d.]+)/);
  return {
    ms,
    mb: kb ? Number(kb) / 1024 : null,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null,
  };
}

/** One program the bench starts as a whole process, the way a shell or a hook would. */
export interface Contestant {
  label: string;
  cmd: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the process's stdin (a hook's payload). */
  stdin?: string;
  /** Untimed, before each run: puts the fixture back (a pulled project emptied again…). */
  before?: () => Promise<void>;
}

/**
 * Runs every contestant once per round, in the same order each round, after one untimed
 * warm-up round (which must succeed): the floor and the program it is compared with share the
 * machine's load of that moment, so a busy neighbour moves both. Returns each one's times.
 */
export async function interleaved(
  contestants: Contestant[],
  rounds: number,
): Promise<Map<string, number[]>> {
  const times = new Map(contestants.map((c) => [c.label, [] as number[]]));
  for (let round = -1; round < rounds; round++) {
    for (const c of contestants) {
      await c.before?.();
      const ms = await timeProcess(c, round === -1);
      if (round >= 0) times.get(c.label)!.push(ms);
    }
  }
  return times;
}

/**
 * Each contestant's CPU time per run (user + system, every thread: `perf stat`'s task-clock, to
 * the microsecond), run round by round as `interleaved` runs them; empty without perf. A busy
 * machine stretches a run's clock time far more than the CPU it spends, so a ratio of CPU times
 * still says something when one of clock times no longer does.
 */
export async function interleavedCpu(
  contestants: Contestant[],
  rounds: number,
): Promise<Map<string, number[]>> {
  const report = await Deno.makeTempFile({ prefix: "mpm-bench-cpu-" });
  try {
    const times = new Map(contestants.map((c) => [c.label, [] as number[]]));
    for (let round = 0; round < rounds; round++) {
      for (const c of contestants) {
        await c.before?.();
        const ms = await cpuOfRun(c, report);
        if (ms === null) return new Map();
        times.get(c.label)!.push(ms);
      }
    }
    return times;
  } finally {
    await Deno.remove(report).catch(() => {});
  }
}

/** One run's task-clock in ms, as `perf stat -x,` writes it to `report`; null without perf. */
async function cpuOfRun(c: Contestant, report: string): Promise<number | null> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("perf", {
      args: ["stat", "-x,", "-e", "task-clock", "-o", report, "--", c.cmd, ...c.args],
      cwd: c.cwd,
      env: c.env,
      stdin: c.stdin === undefined ? "null" : "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch {
    return null;
  }
  await feed(child, c.stdin);
  if (!(await child.status).success) return null;
  const line = (await Deno.readTextFile(report)).split("\n").find((l) => l.includes("task-clock"));
  const ms = Number(line?.split(",")[0]);
  return line !== undefined && Number.isFinite(ms) ? ms : null;
}

async function timeProcess(c: Contestant, check: boolean): Promise<number> {
  const start = performance.now();
  const child = new Deno.Command(c.cmd, {
    args: c.args,
    cwd: c.cwd,
    env: c.env,
    stdin: c.stdin === undefined ? "null" : "piped",
    stdout: check ? "piped" : "null",
    stderr: check ? "piped" : "null",
  }).spawn();
  await feed(child, c.stdin);
  if (!check) {
    await child.status;
    return performance.now() - start;
  }
  const out = await child.output();
  const ms = performance.now() - start;
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`${c.label}: \`${[c.cmd, ...c.args].join(" ")}\` exited ${out.code}: ${err}`);
  }
  return ms;
}

export async function sh(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (out.code !== 0) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A bare remote and two empty repositories (a and b) with it as origin, all in `dir`. */
export async function makeClones(dir: string): Promise<{ remote: string; a: string; b: string }> {
  const remote = join(dir, "remote.git");
  const [a, b] = [join(dir, "a"), join(dir, "b")];
  await sh(dir, "init", "-q", "--bare", remote);
  for (const repo of [a, b]) {
    await sh(dir, "init", "-q", "-b", "main", repo);
    await sh(repo, "config", "user.name", "Bench");
    await sh(repo, "config", "user.email", "bench@example.com");
    await sh(repo, "remote", "add", "origin", remote);
  }
  return { remote, a, b };
}

/**
 * A repository with `files` committed files spread over folders of 100, and `dirty` changed
 * paths: five in six modified tracked files, the rest new untracked ones. The commit is made by
 * one `git fast-import` and checked out by git, so 100,000 files take seconds, not minutes.
 */
export async function makeRepo(files: number, dirty = 2): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `mpm-bench-${files}-` });
  await sh(dir, "init", "-q", "-b", "main");
  await sh(dir, "config", "user.name", "Bench");
  await sh(dir, "config", "user.email", "bench@example.com");
  const lines = [
    "commit refs/heads/main",
    "committer Bench <bench@example.com> 1700000000 +0000",
    "data 9",
    "Generated",
  ];
  for (let i = 0; i < files; i++) {
    const body = `export const v${i} = ${i};\n`;
    lines.push(`M 100644 inline src/m${Math.floor(i / 100)}/f${i}.ts`, `data ${body.length}`, body);
  }
  const child = new Deno.Command("git", {
    args: ["fast-import", "--quiet"],
    cwd: dir,
    stdin: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  await writer.close();
  const imported = await child.output();
  if (!imported.success) {
    throw new Error(`git fast-import: ${new TextDecoder().decode(imported.stderr)}`);
  }
  await sh(dir, "reset", "-q", "--hard", "main");
  await settle(dir);
  const modified = Math.ceil(dirty * 5 / 6);
  for (let i = 0; i < modified; i++) {
    const n = (i * 37) % files;
    await Deno.writeTextFile(join(dir, `src/m${Math.floor(n / 100)}/f${n}.ts`), "changed\n");
  }
  for (let i = modified; i < dirty; i++) {
    await Deno.writeTextFile(join(dir, `new${i}.txt`), "untracked\n");
  }
  return dir;
}

/**
 * Makes a fresh checkout look like a user's: files written long before the index. Just after
 * `reset --hard`, thousands of files share the index's second, and git, unable to trust their
 * times ("racily clean"), re-reads each one on every `git status` until something rewrites the
 * index; mpm's git calls never do (GIT_OPTIONAL_LOCKS=0). On 100,000 files that was ~430 ms of
 * status against ~240 ms in a settled clone.
 */
async function settle(dir: string): Promise<void> {
  const files = new Deno.Command("git", { args: ["ls-files", "-z"], cwd: dir, stdout: "piped" })
    .spawn();
  const touch = new Deno.Command("xargs", {
    args: ["-0", "touch", "-h", "-d", "@1700000000"],
    cwd: dir,
    stdin: "piped",
  }).spawn();
  await files.stdout.pipeTo(touch.stdin);
  if (!(await touch.status).success) throw new Error("touch failed");
  await sh(dir, "update-index", "-q", "--really-refresh");
}

/**
 * The minute made-up records are dated back from: the run's own, so the newest fall inside the
 * board's and a pull's senders' window of teammates (14 days), as a team's do. Dates move with
 * the day; ids and records keep their sizes.
 */
export const BENCH_NOW = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;

/**
 * `count` valid snapshots, numbered from `first`, one a minute up to number `newest` (by default
 * the last of these) at BENCH_NOW, written straight into `root`.
 */
export async function writeSnapshots(
  root: string,
  count: number,
  options: {
    first?: number;
    newest?: number;
    also?: (name: string, text: string) => Promise<void>;
  } = {},
): Promise<void> {
  const sessions = join(root, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  const writes: Promise<void>[] = [];
  const first = options.first ?? 0;
  const start = BENCH_NOW - (options.newest ?? first + count - 1) * 60_000;
  for (let i = first; i < first + count; i++) {
    const now = new Date(start + i * 60_000);
    const id = sessionIdFor(now);
    const text = serializeSnapshot(buildSnapshot({
      summary: `Session number ${i}: payments, refunds and the webhook retry queue`,
      accomplishments: ["Stripe client", "Webhook endpoint"],
      nextSteps: ["Refunds", "Retry queue"],
      todos: [{ content: "Write the refund tests", status: "pending" }],
    }, {
      id,
      now,
      git: null,
      projectPath: root,
      version: "0.0.0",
      build: "bench",
    }));
    const checksum = checksumLine(text, `${id}.json`);
    if (options.also) {
      await options.also(`${id}.json`, text);
      await options.also(`${id}.json.sha256`, checksum);
    }
    writes.push(Deno.writeTextFile(join(sessions, `${id}.json`), text));
    writes.push(Deno.writeTextFile(join(sessions, `${id}.json.sha256`), checksum));
    if (writes.length >= 512) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
}

/**
 * A process's peak resident memory in MB (VmHWM), polled from /proc; null where there is none.
 * Exit 0 and 4 (a refusal mpm reports) are runs; another exit throws with its stderr.
 */
export async function peakMb(argv: string[], cwd: string, env: Record<string, string>) {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let peak: number | null = null;
  const poll = setInterval(() => {
    try {
      const kb = Number(
        Deno.readTextFileSync(`/proc/${child.pid}/status`).match(/VmHWM:\s+(\d+)/)?.[1],
      );
      if (kb) peak = Math.max(peak ?? 0, kb / 1024);
    } catch {
      // Gone, or no /proc here.
    }
  }, 10);
  const out = await child.output();
  clearInterval(poll);
  if (out.code !== 0 && out.code !== 4) {
    throw new Error(`${argv.slice(-3).join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return peak as number | null;
}

/**
 * mpm's MCP server as `mpm hooks install` registers it — Claude Code's local scope, `HOME`'s
 * `~/.claude.json`, `projects[root].mcpServers.mpm` — put back or taken away between runs, so
 * that a run without mpm has no server either. Edit only while no client runs: Claude Code
 * rewrites the file.
 */
export async function mcpRegistration(
  home: string,
  root: string,
): Promise<
  { on: () => Promise<void>; off: () => Promise<void>; put: (entry: unknown) => Promise<void> }
> {
  const file = join(home, ".claude.json");
  type Config = { projects?: Record<string, { mcpServers?: Record<string, unknown> }> };
  const read = async (): Promise<Config> =>
    JSON.parse(await Deno.readTextFile(file).catch(() => "{}"));
  const entry = (await read()).projects?.[root]?.mcpServers?.mpm;
  if (entry === undefined) throw new Error(`mpm hooks install registered no MCP server in ${file}`);
  const set = async (server: unknown) => {
    const config = await read();
    const project = (config.projects ??= {})[root] ??= {};
    const servers = project.mcpServers ??= {};
    if (server !== undefined) servers.mpm = server;
    else delete servers.mpm;
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2) + "\n");
  };
  return { on: () => set(entry), off: () => set(undefined), put: set };
}

/** How the least servers below answer a JSON-RPC request: from constants, with one tool. */
const LEAST_ANSWER = `
const answer = (m) => ({ jsonrpc: "2.0", id: m.id, result: m.method === "initialize"
  ? { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} },
    serverInfo: { name: "least", version: "1" } }
  : m.method === "tools/list"
  ? { tools: [{ name: "noop", description: "Nothing.", inputSchema: { type: "object", properties: {} } }] }
  : {} });
`;

/**
 * The least an MCP server can be, as a Deno script (not mpm): it answers `initialize` and
 * `tools/list` (one tool) from constants and ends when stdin closes. What any server Claude Code
 * starts beside it costs, against which `mpm mcp`'s cost is read.
 */
export const LEAST_MCP_SERVER = LEAST_ANSWER + `
const out = (m) => Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(m) + "\\n"));
const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
let rest = "";
for await (const chunk of lines) {
  rest += chunk;
  let at;
  while ((at = rest.indexOf("\\n")) >= 0) {
    const m = JSON.parse(rest.slice(0, at));
    rest = rest.slice(at + 1);
    if (m.id !== undefined) out(answer(m));
  }
}
`;

/**
 * The same server over HTTP (MCP's streamable HTTP, one JSON answer per POST), on 127.0.0.1 at a
 * port of the system's choosing, which it prints on stdout once it listens: a server Claude Code
 * neither starts nor stops, against which the cost of being started and stopped is read.
 */
export const LEAST_HTTP_MCP_SERVER = LEAST_ANSWER + `
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(port) },
  async (request) => {
    if (request.method !== "POST") {
      return new Response(null, { status: 405, headers: { allow: "POST" } });
    }
    const m = await request.json();
    return m.id === undefined ? new Response(null, { status: 202 }) : Response.json(answer(m));
  });
`;

/** The first line a process prints on `stream`; the rest of the stream is let go. */
export async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    const at = text.indexOf("\n");
    if (at >= 0) return text.slice(0, at).trim();
  }
  throw new Error("the process ended before it printed a line");
}
