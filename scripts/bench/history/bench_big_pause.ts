/**
 * No pause is too big to save: `mpm pause` and SessionEnd's automatic pause (`mpm hook
 * session-end`) of a change of 150,000 and 1,000,000 staged paths (a vendored tree of empty
 * files, a thousand to a folder), whole processes: peak resident memory of mpm's own process
 * (VmHWM, polled) and of the whole tree with git's (/usr/bin/time: git status of a million
 * staged paths alone peaks near 600 MB, its index), CPU time (user + system) by /usr/bin/time,
 * and whether the person's words were saved. Goal: the words saved, in bounded memory (mpm's
 * own ≤ 300 MB at 1,000,000). Nothing here asserts a time: read the table.
 *
 *   deno run -A scripts/bench/history/bench_big_pause.ts [--paths 150000,1000000] [--keep DIR]
 *
 * `--keep DIR` makes each tree once under DIR and uses it again on the next run (a million
 * files take minutes of git to stage); without it, the trees are made in a temp folder and
 * removed.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DENO_DIR } from "../../../tests/helpers.ts";

const MAIN = join(import.meta.dirname!, "..", "..", "..", "main.ts");
const GOAL_MB = 300;

const flags = parseArgs({
  args: Deno.args,
  options: { paths: { type: "string", default: "150000,1000000" }, keep: { type: "string" } },
});
const sizes = flags.values.paths.split(",").map(Number);

function envOf(home: string): Record<string, string> {
  return {
    // SessionEnd's own 3 s deadline queues a pause whose git status outlasts it, for the next
    // command to save (hooks/events/session_end.ts); this measures the pause itself, as the
    // tests do (tests/helpers.ts).
    MPM_HOOK_DEADLINE_MS: "600000",
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    DENO_DIR,
    NO_COLOR: "1",
    GIT_AUTHOR_NAME: "Bench",
    GIT_AUTHOR_EMAIL: "bench@example.com",
    GIT_COMMITTER_NAME: "Bench",
    GIT_COMMITTER_EMAIL: "bench@example.com",
  };
}

async function git(cwd: string, env: Record<string, string>, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd, env, clearEnv: true, stdout: "null" })
    .output();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A repository with `paths` empty files staged under vendor/, made once under `dir`. */
async function vendoredRepo(dir: string, paths: number): Promise<{ repo: string; home: string }> {
  const repo = join(dir, "repo");
  const home = join(dir, "home");
  const done = join(dir, "made");
  if (await Deno.stat(done).then(() => true, () => false)) return { repo, home };
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  Deno.mkdirSync(repo, { recursive: true });
  Deno.mkdirSync(home, { recursive: true });
  const env = envOf(home);
  await git(repo, env, "init", "-q", "-b", "main");
  Deno.writeTextFileSync(join(repo, "README.md"), "bench\n");
  await git(repo, env, "add", "README.md");
  await git(repo, env, "commit", "-q", "-m", "init");
  const empty = new Uint8Array();
  for (let folder = 0; folder < paths / 1000; folder++) {
    const sub = join(repo, "vendor", `pkg${folder}`);
    Deno.mkdirSync(sub, { recursive: true });
    for (let i = 0; i < 1000; i++) Deno.writeFileSync(join(sub, `f${i}.js`), empty);
  }
  await git(repo, env, "add", "-A");
  Deno.writeTextFileSync(done, "");
  return { repo, home };
}

/**
 * The peak resident memory (VmHWM) of mpm's own process, the child of `/usr/bin/time` at `pid`,
 * polled until it ends: /usr/bin/time's maximum is that of the largest process in the tree, and
 * `git status` of a million staged paths is larger than mpm (its index alone).
 */
async function ownPeak(pid: number, ended: Promise<unknown>): Promise<number> {
  let peak = 0;
  let done = false;
  ended.then(() => done = true, () => done = true);
  while (!done) {
    try {
      const children = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
      for (const child of children.split(" ").filter(Boolean)) {
        const status = Deno.readTextFileSync(`/proc/${child}/status`);
        peak = Math.max(peak, Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0));
      }
    } catch {
      // Gone between the two reads, or no /proc here.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return peak / 1024;
}

/**
 * One whole mpm process under /usr/bin/time: the peak RSS of the process tree (git's too) and of
 * mpm's own process (MB), and CPU time (s, user + system, git's included).
 */
async function timed(
  cwd: string,
  home: string,
  args: string[],
  stdin?: string,
): Promise<{ mb: number; ownMb: number; cpuS: number }> {
  const child = new Deno.Command("/usr/bin/time", {
    args: ["-f", "maxrss %M cpu %U %S", Deno.execPath(), "run", "-A", "--quiet", MAIN, ...args],
    cwd,
    env: envOf(home),
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = child.output();
  const ownMb = await ownPeak(child.pid, output);
  const out = await output;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`mpm ${args.join(" ")}: ${stderr}`);
  const kb = Number(stderr.match(/maxrss (\d+)/)?.[1] ?? NaN);
  const cpu = stderr.match(/cpu ([\d.]+) ([\d.]+)/);
  return { mb: kb / 1024, ownMb, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN };
}

/** The newest snapshot in the repository, as written. */
function newest(
  repo: string,
): { conversation?: { summary?: string }; mpm?: { claude_session_id?: string } } {
  const sessions = join(repo, ".claude-mpm", "sessions");
  const latest = Deno.readTextFileSync(join(sessions, "LATEST-SESSION.txt")).trim();
  const text = Deno.readTextFileSync(join(sessions, `${latest}.json`));
  return JSON.parse(text);
}

const base = flags.values.keep ?? await Deno.makeTempDir({ prefix: "mpm-bench-big-pause-" });
try {
  console.log(`a pause of N staged paths, whole processes (peak RSS; CPU user+sys, /usr/bin/time)`);
  for (const paths of sizes) {
    const { repo, home } = await vendoredRepo(join(base, String(paths)), paths);
    const words = `Vendored ${paths} paths`;
    const pause = await timed(repo, home, ["pause", "-s", words, "-n", "Trim what we use"]);
    const paused = newest(repo).conversation?.summary === words;
    // One more change, so that SessionEnd writes a snapshot rather than find the state unchanged.
    Deno.writeTextFileSync(join(repo, `notes-${Date.now()}.txt`), "one more change\n");
    const claude = `bench-${Date.now()}`;
    const transcript = join(home, ".claude", "projects", "t.jsonl");
    Deno.mkdirSync(join(transcript, ".."), { recursive: true });
    Deno.writeTextFileSync(transcript, "");
    const end = await timed(
      repo,
      home,
      ["hook", "session-end"],
      JSON.stringify({
        session_id: claude,
        transcript_path: transcript,
        cwd: repo,
        hook_event_name: "SessionEnd",
        reason: "prompt_input_exit",
      }),
    );
    const last = newest(repo);
    const ended = last.mpm?.claude_session_id === claude && last.conversation?.summary === words;
    for (
      const [name, run, saved] of [["pause", pause, paused], ["session-end", end, ended]] as const
    ) {
      console.log(
        `${name} of ${paths.toLocaleString("en")} paths`.padEnd(36) +
          `mpm ${run.ownMb.toFixed(0)} MB`.padStart(12) +
          `  with git ${run.mb.toFixed(0)} MB`.padStart(18) +
          `${run.cpuS.toFixed(1)} s CPU`.padStart(12) + `  words ${saved ? "saved" : "LOST"}` +
          `  goal ≤ ${GOAL_MB} MB (mpm): ${run.ownMb <= GOAL_MB ? "met" : "NOT met"}`,
      );
    }
  }
} finally {
  if (!flags.values.keep) await Deno.remove(base, { recursive: true }).catch(() => {});
}
