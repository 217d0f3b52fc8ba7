/**
 * `mpm sync` figures: push and pull of 1,000 snapshots through a bare remote on this disk
 * (budget: under 5 s each), and the same commands when there is nothing to move; then the peak
 * memory of `mpm sync pull` (a whole process, VmHWM) taking a teammate's push of a vaulted
 * transcript of about 21 MB compressed (budget 300 MB): a pull holds a piece of a segment's text
 * at a time, never a segment or a copy. Then a sync with nothing new at 1,000 and 60,000 snapshots
 * beside `git fetch` with nothing new, a pull of new work beside `git fetch` of it, and the peak
 * of `mpm vault sync` of a 200 MB transcript (budget 200 MB): whole processes of the bundle (as
 * bench.ts runs it; MPM_BENCH_BUNDLE=FILE measures that one), CPU time and peak memory by GNU
 * time, each printed as a ratio beside its goal, and the growth from the small store to the
 * large one beside the goal of flat. Each figure is the median of `--runs` runs (default 3, or
 * MPM_BENCH_RUNS): a pull of new work and its `git fetch` once a round, each round on another
 * `fresh` new snapshots on top, from the same state (the quiet syncs after the last one done).
 * Run alone with `deno run --allow-all scripts/bench/history/bench_sync.ts [--pull-mb 650]
 * [--quiet 1000,60000] [--vault-mb 200] [--runs 3]` (0 leaves a figure out); `deno task bench`
 * runs it with the others.
 */
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { DENO_DIR } from "../../../tests/helpers.ts";
import { writeTranscript } from "../transcripts/bench_replay.ts";
import { SYNC_REF, type SyncSetup, trackingRef } from "../../../src/sync/remote/refs.ts";
import { commitIdentity } from "../../../src/sync/plan/identity.ts";
import { pullSync } from "../../../src/sync/pull.ts";
import { pushSync } from "../../../src/sync/push.ts";
import { bundle } from "../../build/bundle.ts";
import { BENCH_NOW, feed, makeClones, peakMb, type Row, sh, writeSnapshots } from "../bench_lib.ts";

let RUNS = Number(Deno.env.get("MPM_BENCH_RUNS") ?? 3);

async function timed(fn: () => Promise<unknown>, reset: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await reset();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function dropRefs(repo: string, remote?: string): Promise<void> {
  for (const ref of [SYNC_REF, trackingRef("origin")]) {
    await sh(repo, "update-ref", "-d", ref);
  }
  if (remote) await sh(remote, "update-ref", "-d", SYNC_REF);
}

export async function syncBenches(count = 1000): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-sync-" });
  try {
    const { remote, a, b } = await makeClones(dir);
    await writeSnapshots(a, count);
    const identity = commitIdentity({}, new Map([["user.name", "Bench"], ["user.email", "b@x"]]));
    const setup: SyncSetup = { remote: "origin", identity, sign: false };
    const push = await timed(() => pushSync(a, setup), () => dropRefs(a, remote));
    const pushNothing = await timed(() => pushSync(a, setup), () => Promise.resolve());
    const pull = await timed(async () => {
      const report = await pullSync(b, setup);
      if (report.moved.length !== count) throw new Error(`pulled ${report.moved.length}`);
    }, async () => {
      await Deno.remove(join(b, ".claude-mpm"), { recursive: true }).catch(() => {});
      await dropRefs(b);
    });
    const pullNothing = await timed(() => pullSync(b, setup), () => Promise.resolve());
    return [
      { name: `sync push, ${count} snapshots to an empty remote`, ms: push, budget: "< 5 s" },
      { name: `sync push, ${count} snapshots, nothing new`, ms: pushNothing },
      { name: `sync pull, ${count} snapshots into an empty project`, ms: pull, budget: "< 5 s" },
      { name: `sync pull, ${count} snapshots, nothing new`, ms: pullNothing },
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const MAIN = join(import.meta.dirname!, "..", "..", "..", "main.ts");
const PULL_BUDGET_MB = 300;
/** What runs mpm: the source by default; the bundle, as people run it, once `useBundle` says. */
let mpmCommand = [Deno.execPath(), "run", "--quiet", "-A", "--frozen", "--cached-only", MAIN];

/** The bundle measured, once `useBundle` names one. */
let bundleFile: string | undefined;

/** Measures the bundle `file` (dist/mpm.js, as scripts/bench/bench.ts does) from now on. */
export function useBundle(file: string): void {
  bundleFile = file;
  mpmCommand = [Deno.execPath(), "run", "-A", "--quiet", file];
}

/** `mpm` as a whole process, as a person runs it, with `home` as HOME. */
export function mpmArgv(...args: string[]): string[] {
  return [...mpmCommand, ...args];
}

export function envOf(home: string): Record<string, string> {
  return { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, DENO_DIR, NO_COLOR: "1" };
}

export async function mpmIn(
  cwd: string,
  home: string,
  args: string[],
  stdin?: string,
): Promise<void> {
  const [cmd, ...rest] = mpmArgv(...args);
  const child = new Deno.Command(cmd, {
    args: rest,
    cwd,
    env: envOf(home),
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await feed(child, stdin);
  const out = await child.output();
  if (!out.success) {
    throw new Error(`mpm ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A's Claude Code transcript of `mb` MB, seen by A's SessionStart (not yet vaulted). */
async function seenTranscript(dir: string, mb: number) {
  const { remote, a, b } = await makeClones(dir);
  const [homeA, homeB] = [join(dir, "home-a"), join(dir, "home-b")];
  for (const home of [homeA, homeB]) await Deno.mkdir(home, { recursive: true });
  await mpmIn(a, homeA, ["start", "bench", "--task", "pull memory"]);
  const id = "d0000000-0000-4000-8000-000000000000";
  const folder = join(homeA, ".claude", "projects", a.replace(/[^A-Za-z0-9]/g, "-"));
  await Deno.mkdir(folder, { recursive: true });
  const transcript = join(folder, `${id}.jsonl`);
  const from = new Date(BENCH_NOW - 3_600_000);
  const written = await writeTranscript(
    transcript,
    mb,
    id,
    from,
    new Date(from.getTime() + 3_600_000),
  );
  const payload = JSON.stringify({
    session_id: id,
    transcript_path: transcript,
    cwd: a,
    hook_event_name: "SessionStart",
    source: "startup",
  });
  await mpmIn(a, homeA, ["hook", "session-start"], payload);
  return { remote, a, b, homeA, homeB, written };
}

const size = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function memoryLine(name: string, peak: number | null, budget: number): string {
  const verdict = peak === null ? "not measured" : peak <= budget ? "met" : "NOT met";
  return name.padEnd(70) +
    `${peak === null ? "n/a" : peak.toFixed(0).padStart(5)} MB  budget ${budget} MB: ${verdict}`;
}

/** `mpm vault sync` of a transcript of `mb` MB: its peak resident memory (budget 200 MB). */
export async function vaultSyncMemory(mb: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-vault-" });
  try {
    const { a, homeA, written } = await seenTranscript(dir, mb);
    const peak = await peakMb(mpmArgv("vault", "sync"), a, envOf(homeA));
    return memoryLine(`vault sync peak memory, a ${size(written)} transcript`, peak, 200);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * A's Claude Code transcript of `mb` MB copied into A's vault and pushed with A's pause; then B's
 * `mpm sync pull` of it, its peak resident memory. Returns the figure's line.
 */
export async function pullMemory(mb: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-pull-" });
  try {
    const { remote, a, b, homeA, homeB, written } = await seenTranscript(dir, mb);
    await mpmIn(a, homeA, ["vault", "sync"]);
    await mpmIn(a, homeA, ["pause", "-s", "The big transcript", "--no-prune-worktrees"]);
    await mpmIn(a, homeA, ["sync", "push"]);
    const listed = await new Deno.Command("git", {
      args: ["--git-dir", remote, "ls-tree", "-r", "-l", "refs/mpm/sessions", "vault/"],
      stdout: "piped",
    }).output();
    const pushed = new TextDecoder().decode(listed.stdout).split("\n")
      .map((line) => Number(line.split(/\s+/)[3]))
      .filter((n) => Number.isFinite(n)).reduce((x, n) => x + n, 0);
    if (pushed < 1024 * 1024) throw new Error("the push carried no vaulted transcript");
    const start = performance.now();
    const peak = await peakMb(mpmArgv("sync", "pull"), b, envOf(homeB));
    const ms = performance.now() - start;
    return memoryLine(
      `sync pull peak memory, a push of ${size(pushed)} (a ${size(written)} transcript)`,
      peak,
      PULL_BUDGET_MB,
    ) + `  (${(ms / 1000).toFixed(1)} s)`;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * One commit of `refs/mpm/sessions` in the bare repository `gitDir`, made by `git fast-import`
 * from the files handed to `add` (on top of the ref's commit when it has one): a team's store of
 * 60,000 snapshots is made in seconds, not by 60,000 runs of mpm.
 */
export function fastImport(gitDir: string, parent: string | null) {
  const child = new Deno.Command("git", {
    args: ["--git-dir", gitDir, "fast-import", "--quiet"],
    stdin: "piped",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  const message = encoder.encode("bench: a team's snapshots");
  let head = `commit ${SYNC_REF}\ncommitter Bench <b@x> 1735689600 +0000\n` +
    `data ${message.length}\n`;
  const started = writer.write(concat(encoder.encode(head), message, encoder.encode("\n")))
    .then(() => parent ? writer.write(encoder.encode(`from ${parent}\n`)) : undefined);
  head = "";
  return {
    async add(path: string, text: string) {
      await started;
      const bytes = encoder.encode(text);
      await writer.write(
        concat(encoder.encode(`M 100644 inline ${path}\ndata ${bytes.length}\n`), bytes),
      );
      await writer.write(encoder.encode("\n"));
    },
    async done() {
      await started;
      await writer.close();
      const status = await child.status;
      if (!status.success) throw new Error("git fast-import failed");
    },
  };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function refOf(gitDir: string): Promise<string | null> {
  const out = await new Deno.Command("git", {
    args: ["--git-dir", gitDir, "rev-parse", "-q", "--verify", SYNC_REF],
    stdout: "piped",
  }).output();
  return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
}

/**
 * One whole process's CPU time (user and system, its children's included: git's) and peak
 * resident memory, by GNU time: the machine is shared, so its wall time says more about the
 * others' work than about this one's.
 */
async function cpuRun(argv: string[], cwd: string, env: Record<string, string>) {
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "MPMBENCH %U %S %M", ...argv],
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const said = new TextDecoder().decode(out.stderr);
  const m = said.match(/MPMBENCH ([\d.]+) ([\d.]+) (\d+)/);
  if (!m || (out.code !== 0 && out.code !== 4)) throw new Error(`${argv.join(" ")}: ${said}`);
  return { ms: (Number(m[1]) + Number(m[2])) * 1000, mb: Number(m[3]) / 1024 };
}

/** The median of RUNS cpuRuns. */
async function processRun(argv: string[], cwd: string, env: Record<string, string>) {
  const runs: Cost[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await cpuRun(argv, cwd, env));
  return median(runs);
}

/** The median CPU time and the median peak of `runs`, each on its own. */
function median(runs: Cost[]): Cost {
  const middle = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return { ms: middle(runs.map((r) => r.ms)), mb: middle(runs.map((r) => r.mb)) };
}

const GIT_FETCH = ["git", "fetch", "--quiet", "--no-tags", "origin"];

/** One whole process's CPU time and peak memory. */
export interface Cost {
  ms: number;
  mb: number;
}

/** What nothingNewBench measures at one size of the team's store. */
export interface QuietFigures {
  count: number;
  setupSeconds: number;
  firstSeconds: number;
  fetch: Cost;
  version: Cost;
  push: Cost;
  pull: Cost;
  /** A status right after them: in sync. */
  status: Cost;
  fetchNew: Cost;
  pullNew: Cost;
  /** A pull, then a push, with nothing new right after the pull of new work (the first of each). */
  pullAfter: Cost;
  pushAfter: Cost;
  fresh: number;
  /** A day of a team's work (DAY new snapshots) pulled at once, beside git fetch of it. */
  fetchDay: Cost;
  pullDay: Cost;
  /** A status, then a push, of one snapshot of A's own, once the day's are in. */
  statusNew: Cost;
  pushNew: Cost;
  /** A pull with nothing new on the remote, after another pause of A's. */
  pullPaused: Cost;
  /** A pull with nothing new by another build of mpm: an upgrade's, whose caches are not these. */
  pullUpgraded: Cost;
  /** A push with nothing new by another build again: the first sync after an upgrade a push. */
  pushUpgraded: Cost;
  /** A pull of `fresh` new snapshots by yet another build: the teammates' facts made anew. */
  pullNewUpgraded: Cost;
}

/** A team's day of snapshots, pulled at once: 30 people's 30 pauses. */
const DAY = 1000;

/**
 * The bundle `file` as another build: a copy of its folder whose build id is another, so nothing
 * the first one sealed is used (src/sessions/store/caches/cache.ts), as after an upgrade.
 */
async function upgradedCopy(file: string, dir: string, build: string): Promise<string[]> {
  const from = dirname(file);
  const to = join(dir, build);
  await Deno.mkdir(join(to, "mpm-chunks"), { recursive: true });
  await Deno.copyFile(file, join(to, basename(file)));
  for await (const entry of Deno.readDir(join(from, "mpm-chunks"))) {
    const text = await Deno.readTextFile(join(from, "mpm-chunks", entry.name));
    const other = text.replace(/\bbuild:"(?!unknown")[^"]*"/g, `build:"${build}"`);
    await Deno.writeTextFile(join(to, "mpm-chunks", entry.name), other);
  }
  return [Deno.execPath(), "run", "-A", "--quiet", join(to, basename(file))];
}

/**
 * `mpm sync push` and `pull` with nothing new, as whole processes, beside `git fetch` of the ref
 * with nothing new (goal: at most 3× its CPU time, and at most 100 MB); then a pull of `fresh`
 * new snapshots beside `git fetch` of them (goal: at most 5×, its memory flat in the store's
 * size), and the quiet pull and push right after it, RUNS rounds of these four, each on another
 * `fresh` new snapshots: a fetch's time varies more than the ratio's goal allows one run to show.
 * The team's store is `count` snapshots, the same bytes in A's project and on the remote, made by
 * fast-import; A's first push and pull (not measured) keep what a sync knows.
 */
export async function nothingNewBench(count: number, fresh = 100): Promise<QuietFigures> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-bench-quiet-" });
  try {
    const { remote, a, b } = await makeClones(dir);
    const home = join(dir, "home");
    await Deno.mkdir(home, { recursive: true });
    const env = envOf(home);
    const made = performance.now();
    const store = fastImport(remote, null);
    // The newest of all, pulled last (after the day's), are dated now.
    const newest = count + (RUNS + 1) * fresh + DAY - 1;
    await writeSnapshots(a, count, {
      newest,
      also: (name, text) => store.add(`sessions/${name}`, text),
    });
    await store.done();
    const setupSeconds = (performance.now() - made) / 1000;
    const first = performance.now();
    await mpmIn(a, home, ["sync", "push"]);
    await mpmIn(a, home, ["sync", "pull"]);
    // As a day later: the folders' last change is long past (sync_record.ts, a settled look).
    const past = new Date(Date.now() - 3_600_000);
    await Deno.utime(join(a, ".claude-mpm", "sessions"), past, past);
    await mpmIn(a, home, ["sync", "push"]);
    await mpmIn(a, home, ["sync", "pull"]);
    // The folder's listing index, as a person's pauses keep it (fast-import's files had none).
    await mpmIn(a, home, ["list"]);
    const firstSeconds = (performance.now() - first) / 1000;
    const track = `+${SYNC_REF}:refs/bench/sessions`;
    await sh(b, "fetch", "--quiet", "origin", track);
    const fetch = await processRun([...GIT_FETCH, track], a, env);
    const version = await processRun(mpmArgv("--version"), a, env);
    const push = await processRun(mpmArgv("sync", "push"), a, env);
    const pull = await processRun(mpmArgv("sync", "pull"), a, env);
    const status = await processRun(mpmArgv("sync", "status"), a, env);
    const rounds: Record<"pullNew" | "fetchNew" | "pullAfter" | "pushAfter", Cost[]> = {
      pullNew: [],
      fetchNew: [],
      pullAfter: [],
      pushAfter: [],
    };
    for (let round = 0; round < RUNS; round++) {
      // New work: `fresh` snapshots on top, pulled by A beside B's git fetch of the same commit.
      const more = fastImport(remote, await refOf(remote));
      await writeSnapshots(join(dir, `scratch-${round}`), fresh, {
        first: count + round * fresh,
        newest,
        also: (name, text) => more.add(`sessions/${name}`, text),
      });
      await more.done();
      rounds.pullNew.push(await cpuRun(mpmArgv("sync", "pull"), a, env));
      rounds.fetchNew.push(await cpuRun([...GIT_FETCH, track], b, env));
      // The first quiet syncs after that pull: what it left must spare them the store.
      rounds.pullAfter.push(await cpuRun(mpmArgv("sync", "pull"), a, env));
      rounds.pushAfter.push(await cpuRun(mpmArgv("sync", "push"), a, env));
    }
    // A team's day at once, then the first quiet pull by another build (after an upgrade).
    const day = fastImport(remote, await refOf(remote));
    await writeSnapshots(join(dir, "scratch-day"), DAY, {
      first: count + RUNS * fresh,
      newest,
      also: (name, text) => day.add(`sessions/${name}`, text),
    });
    await day.done();
    const pullDay = await cpuRun(mpmArgv("sync", "pull"), a, env);
    const fetchDay = await cpuRun([...GIT_FETCH, track], b, env);
    // A's own new work, paused as a person pauses (the pause keeps the folder's index), then
    // pushed: the push of new work.
    await mpmIn(a, home, ["pause", "-s", "The bench's own new work"]);
    const statusNew = await cpuRun(mpmArgv("sync", "status"), a, env);
    const pushNew = await cpuRun(mpmArgv("sync", "push"), a, env);
    // Another pause, then a pull with nothing new on the remote: the sync after a pause.
    await mpmIn(a, home, ["pause", "-s", "The bench's next pause"]);
    const pullPaused = await cpuRun(mpmArgv("sync", "pull"), a, env);
    const upgraded = bundleFile ? await upgradedCopy(bundleFile, dir, "bench-upgrade") : mpmArgv();
    const pullUpgraded = await cpuRun([...upgraded, "sync", "pull"], a, env);
    // And a push first, by yet another build: it checks every file again before it may send one.
    const pushing = bundleFile ? await upgradedCopy(bundleFile, dir, "bench-upgrade-2") : mpmArgv();
    const pushUpgraded = await cpuRun([...pushing, "sync", "push"], a, env);
    // New work on the remote, pulled first by another build: whose each record is, and the
    // teammates' facts a start tells, are worked out again (no cache of another build is used).
    const after = fastImport(remote, await refOf(remote));
    await writeSnapshots(join(dir, "scratch-upgraded"), fresh, {
      first: count + RUNS * fresh + DAY,
      newest,
      also: (name, text) => after.add(`sessions/${name}`, text),
    });
    await after.done();
    const pulling = bundleFile ? await upgradedCopy(bundleFile, dir, "bench-upgrade-3") : mpmArgv();
    const pullNewUpgraded = await cpuRun([...pulling, "sync", "pull"], a, env);
    const [pullNew, fetchNew, pullAfter, pushAfter] = [
      median(rounds.pullNew),
      median(rounds.fetchNew),
      median(rounds.pullAfter),
      median(rounds.pushAfter),
    ];
    return {
      count,
      setupSeconds,
      firstSeconds,
      fetch,
      version,
      push,
      pull,
      status,
      fetchNew,
      pullNew,
      pullAfter,
      pushAfter,
      fresh,
      fetchDay,
      pullDay,
      statusNew,
      pushNew,
      pullPaused,
      pullUpgraded,
      pushUpgraded,
      pullNewUpgraded,
    };
  } finally {
    // MPM_BENCH_KEEP: the store outlives the run (its setup takes minutes at 60,000), to profile.
    if (Deno.env.get("MPM_BENCH_KEEP")) console.error(`Kept ${dir}`);
    else await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const ratio = (x: number, y: number) => `${(x / y).toFixed(1)}×`;

function costLine(name: string, cost: Cost, goal: string): string {
  return `${name.padEnd(50)} ${cost.ms.toFixed(0).padStart(6)} ms CPU ${
    cost.mb.toFixed(0).padStart(5)
  } MB  ${goal}`;
}

const verdict = (met: boolean) => met ? "met" : "NOT met";

/** The lines of one size's figures, each ratio beside its goal. */
export function quietLines(f: QuietFigures): string[] {
  const n = f.count.toLocaleString("en");
  const quiet = (c: Cost) =>
    `${ratio(c.ms, f.fetch.ms)} git fetch (goal ≤ 3×: ${verdict(c.ms <= 3 * f.fetch.ms)}); ` +
    `goal ≤ 100 MB: ${verdict(c.mb <= 100)}`;
  return [
    `(${n} snapshots made by fast-import in ${f.setupSeconds.toFixed(1)} s; the first syncs, ` +
    `which learn them, took ${f.firstSeconds.toFixed(1)} s)`,
    costLine(`git fetch, nothing new, ${n} snapshots`, f.fetch, "(the limit)"),
    costLine("mpm --version (a process's start, the floor)", f.version, ""),
    costLine(`mpm sync push, nothing new, ${n}`, f.push, quiet(f.push)),
    costLine(`mpm sync pull, nothing new, ${n}`, f.pull, quiet(f.pull)),
    costLine(`mpm sync status, in sync, ${n}`, f.status, quiet(f.status)),
    costLine(`git fetch of ${f.fresh} new snapshots`, f.fetchNew, "(the limit)"),
    costLine(
      `mpm sync pull of ${f.fresh} new snapshots, ${n}`,
      f.pullNew,
      `${ratio(f.pullNew.ms, f.fetchNew.ms)} git fetch (goal ≤ 5×: ${
        verdict(f.pullNew.ms <= 5 * f.fetchNew.ms)
      })`,
    ),
    costLine(
      `mpm sync pull, nothing new right after a pull of ${f.fresh} new, ${n}`,
      f.pullAfter,
      quiet(f.pullAfter),
    ),
    costLine(`mpm sync push, nothing new right after it, ${n}`, f.pushAfter, quiet(f.pushAfter)),
    costLine(`git fetch of a day's ${DAY.toLocaleString("en")} new snapshots`, f.fetchDay, ""),
    costLine(
      `mpm sync pull of a day's ${DAY.toLocaleString("en")} new, ${n} (1 run)`,
      f.pullDay,
      `${ratio(f.pullDay.ms, f.fetchDay.ms)} git fetch (goal ≤ 5×: ${
        verdict(f.pullDay.ms <= 5 * f.fetchDay.ms)
      })`,
    ),
    costLine(`mpm sync status, 1 new snapshot to push, ${n} (1 run)`, f.statusNew, "no goal set"),
    costLine(`mpm sync push of 1 new snapshot, ${n} (1 run)`, f.pushNew, "no goal set"),
    costLine(
      `mpm sync pull, nothing new, after a pause, ${n} (1 run)`,
      f.pullPaused,
      `goal ≤ 100 MB: ${verdict(f.pullPaused.mb <= 100)}`,
    ),
    costLine(
      `mpm sync pull, nothing new, first after an upgrade, ${n}`,
      f.pullUpgraded,
      `goal ≤ 100 MB: ${verdict(f.pullUpgraded.mb <= 100)} (1 run; every cache another build's)`,
    ),
    costLine(
      `mpm sync push, nothing new, first after an upgrade, ${n}`,
      f.pushUpgraded,
      `goal ≤ 100 MB: ${verdict(f.pushUpgraded.mb <= 100)} (1 run; every cache another build's)`,
    ),
    costLine(
      `mpm sync pull of ${f.fresh} new, first after an upgrade, ${n}`,
      f.pullNewUpgraded,
      `goal ≤ 100 MB: ${verdict(f.pullNewUpgraded.mb <= 100)} (1 run; every cache another build's)`,
    ),
  ];
}

/** How the figures grow from the smallest store to the largest: flat is the goal (≤ 1.2×). */
export function growthLines(small: QuietFigures, large: QuietFigures): string[] {
  const [s, l] = [small.count.toLocaleString("en"), large.count.toLocaleString("en")];
  const line = (name: string, x: number, y: number, unit: string) =>
    `${name.padEnd(50)} ${ratio(y, x).padStart(6)} (${x.toFixed(0)} → ${y.toFixed(0)} ${unit}); ` +
    `goal flat, ≤ 1.2×: ${verdict(y <= 1.2 * x)}`;
  return [
    `Growth from ${s} to ${l} snapshots:`,
    line("  sync push, nothing new, CPU", small.push.ms, large.push.ms, "ms"),
    line("  sync push, nothing new, peak memory", small.push.mb, large.push.mb, "MB"),
    line("  sync pull, nothing new, CPU", small.pull.ms, large.pull.ms, "ms"),
    line("  sync pull, nothing new, peak memory", small.pull.mb, large.pull.mb, "MB"),
    line("  pull of new work, peak memory", small.pullNew.mb, large.pullNew.mb, "MB"),
    line("  push of new work, peak memory", small.pushNew.mb, large.pushNew.mb, "MB"),
    line("  status in sync, CPU", small.status.ms, large.status.ms, "ms"),
    line("  status, 1 new to push, peak memory", small.statusNew.mb, large.statusNew.mb, "MB"),
    line("  pull after a pause, CPU", small.pullPaused.ms, large.pullPaused.ms, "ms"),
    line("  pull after a pause, peak memory", small.pullPaused.mb, large.pullPaused.mb, "MB"),
    line(
      "  pull right after it, nothing new, peak memory",
      small.pullAfter.mb,
      large.pullAfter.mb,
      "MB",
    ),
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "pull-mb": { type: "string", default: "650" },
      "vault-mb": { type: "string", default: "200" },
      snapshots: { type: "string", default: "1000" },
      quiet: { type: "string", default: "1000,60000" },
      runs: { type: "string", default: String(RUNS) },
    },
  });
  RUNS = Math.max(1, Number(values.runs) || 1);
  // MPM_BENCH_BUNDLE: measure a bundle built elsewhere; else the work tree's, bundled here.
  const given = Deno.env.get("MPM_BENCH_BUNDLE");
  const work = await Deno.makeTempDir({ prefix: "mpm-bench-sync-bundle-" });
  const out = given ?? join(work, "dist", "mpm.js");
  if (!given) {
    console.error(`Bundling into ${out}…`);
    await bundle(out);
  }
  useBundle(out);
  console.log(
    `mpm sync, whole processes of the bundle, Deno ${Deno.version.deno}: CPU time (user + ` +
      "system, git's included) and peak resident memory, by GNU time; medians of " +
      `${RUNS} runs.`,
  );
  const figures: QuietFigures[] = [];
  for (const n of values.quiet.split(",").map(Number).filter((n) => n > 0)) {
    figures.push(await nothingNewBench(n));
    for (const line of quietLines(figures[figures.length - 1])) console.log(line);
  }
  if (figures.length > 1) {
    for (const line of growthLines(figures[0], figures[figures.length - 1])) console.log(line);
  }
  const vaultMb = Number(values["vault-mb"]);
  if (vaultMb > 0) console.log(await vaultSyncMemory(vaultMb));
  const count = Number(values.snapshots);
  if (count > 0) {
    for (const row of await syncBenches(count)) {
      console.log(
        `${row.name.padEnd(50)} ${row.ms.toFixed(0).padStart(6)} ms  ${row.budget ?? ""}`,
      );
    }
  }
  const mb = Number(values["pull-mb"]);
  if (mb > 0) console.log(await pullMemory(mb));
  await Deno.remove(work, { recursive: true }).catch(() => {});
}
