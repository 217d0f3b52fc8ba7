/**
 * How mpm's pause, SessionEnd and resume grow with the repository, beside `git status` alone on
 * the same work tree: repositories of 1,000 to 200,000 files, a tenth of them untracked (spread
 * through the tracked folders, so git lists each one), as whole processes of the bundle
 * (`deno run -A dist/mpm.js …`, as scripts/bench/bench.ts runs it), interleaved round by round.
 * Medians, and each one's ratio to git status. SessionEnd runs with its real deadline (3 s): the
 * last column says how often it saved its pause in time and how often it queued it (spool.ts),
 * which the next command then saved.
 *
 *   deno run -A scripts/bench/history/bench_scale.ts [--sizes 1000,10000,100000,200000] [--runs N]
 *
 * MPM_BENCH_BUNDLE=FILE measures that bundle instead of bundling the work tree. `deno task
 * bench` runs it with the others (scripts/bench/bench.ts, OTHER_BENCHES); the two largest sizes
 * take minutes to build.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle } from "../../build/bundle.ts";
import { type Contestant, interleaved, makeRepo, middle } from "../bench_lib.ts";

const DENO = Deno.execPath();
const SIZES = [1_000, 10_000, 100_000, 200_000];
/** The status mpm's pause runs (git/tree/status.ts), with mpm's settings. */
const STATUS = ["status", "--porcelain=v2", "--branch", "-z", "--find-renames"];

/** `files` files, a tenth of them untracked beside the committed ones in the same folders. */
async function scaleRepo(files: number): Promise<string> {
  const untracked = Math.floor(files / 10);
  const tracked = files - untracked;
  const dir = await makeRepo(tracked, 0);
  const folders = Math.ceil(tracked / 100);
  let writes: Promise<void>[] = [];
  for (let i = 0; i < untracked; i++) {
    writes.push(Deno.writeTextFile(join(dir, `src/m${i % folders}/new${i}.ts`), `// new ${i}\n`));
    if (writes.length >= 512) {
      await Promise.all(writes);
      writes = [];
    }
  }
  await Promise.all(writes);
  return dir;
}

async function mpmRun(mpm: string[], cwd: string, env: Record<string, string>, args: string[]) {
  const out = await new Deno.Command(mpm[0], {
    args: [...mpm.slice(1), ...args],
    cwd,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`mpm ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function queuedCount(dir: string): Promise<number> {
  let count = 0;
  try {
    for await (const entry of Deno.readDir(join(dir, ".claude-mpm", "spool"))) {
      if (/^pause-.*\.json$/.test(entry.name)) count++;
    }
  } catch {
    // No spool folder: nothing queued.
  }
  return count;
}

interface Figures {
  files: number;
  git: number;
  pause: number;
  end: number;
  resume: number;
  saved: number;
  queued: number;
}

async function measureSize(
  mpm: string[],
  home: string,
  files: number,
  rounds: number,
): Promise<Figures> {
  console.error(`Making a ${files.toLocaleString("en")}-file repository…`);
  const dir = await scaleRepo(files);
  const env = { PATH: Deno.env.get("PATH") ?? "", HOME: home, NO_COLOR: "1" };
  let round = 0;
  let saved = 0;
  let queued = 0;
  // A pause SessionEnd queued is saved here, untimed, by the next command that changes state.
  const foldQueued = async () => {
    if (await queuedCount(dir) > 0) await mpmRun(mpm, dir, env, ["todo", "add", "fold"]);
  };
  // Only a conversation's end is recorded, and its transcript is there (end_decision.ts).
  const transcript = join(home, "conversation.jsonl");
  await Deno.writeTextFile(transcript, "");
  try {
    await mpmRun(mpm, dir, env, ["start", "Scale bench"]);
    const end: Contestant = {
      label: "end",
      cmd: mpm[0],
      args: [...mpm.slice(1), "hook", "session-end"],
      cwd: dir,
      env,
      before: async () => {
        // A new file, so that the pause has something to save (a file changed again is the same
        // status); a Claude session of its own, so that the event is not one this project saw.
        round++;
        await Deno.writeTextFile(join(dir, `src/m0/round${round}.ts`), `// round ${round}\n`);
        end.stdin = JSON.stringify({
          session_id: crypto.randomUUID(),
          transcript_path: transcript,
          cwd: dir,
          hook_event_name: "SessionEnd",
          reason: "prompt_input_exit",
        });
      },
    };
    const contestants: Contestant[] = [
      {
        label: "git",
        cmd: "git",
        args: STATUS,
        cwd: dir,
        env: { ...env, GIT_OPTIONAL_LOCKS: "0" },
      },
      {
        label: "pause",
        cmd: mpm[0],
        args: [...mpm.slice(1), "pause", "-s", "bench"],
        cwd: dir,
        env,
        before: async () => {
          // What the SessionEnd before did, counted once per round.
          if (round > 0) (await queuedCount(dir)) > 0 ? queued++ : saved++;
          await foldQueued();
        },
      },
      {
        label: "resume",
        cmd: mpm[0],
        args: [...mpm.slice(1), "resume"],
        cwd: dir,
        env,
      },
      end,
    ];
    const times = await interleaved(contestants, rounds);
    if ((await queuedCount(dir)) > 0) queued++;
    else saved++;
    const m = Object.fromEntries([...times].map(([label, list]) => [label, middle(list)]));
    // The warm-up round's SessionEnd is counted too.
    return { files, git: m.git, pause: m.pause, end: m.end, resume: m.resume, saved, queued };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function table(rows: Figures[]): string {
  const ms = (n: number) => n.toFixed(0);
  const x = (n: number, of: number) => `${(n / of).toFixed(2)}×`;
  return [
    "| files (10 % untracked) | git status ms | pause ms | × | SessionEnd ms | × | resume ms | × | SessionEnd saved / queued |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows.map((r) =>
      `| ${r.files.toLocaleString("en")} | ${ms(r.git)} | ${ms(r.pause)} | ${
        x(r.pause, r.git)
      } | ` +
      `${ms(r.end)} | ${x(r.end, r.git)} | ${ms(r.resume)} | ${x(r.resume, r.git)} | ` +
      `${r.saved} / ${r.queued} |`
    ),
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { sizes: { type: "string" }, runs: { type: "string" } },
  });
  const sizes = values.sizes
    ? values.sizes.split(",").map((size) => Number(size.replaceAll("_", "")))
    : SIZES;
  if (sizes.some((size) => !Number.isInteger(size) || size < 10)) {
    console.error("--sizes takes whole numbers of files of at least 10, such as 1000,10000.");
    Deno.exit(2);
  }
  const work = await Deno.makeTempDir({ prefix: "mpm-bench-scale-" });
  try {
    const given = Deno.env.get("MPM_BENCH_BUNDLE");
    const out = given ?? join(work, "dist", "mpm.js");
    if (!given) {
      console.error(`Bundling into ${out}…`);
      await bundle(out);
    }
    const mpm = [DENO, "run", "-A", "--quiet", out];
    const home = join(work, "home");
    await Deno.mkdir(home, { recursive: true });
    const rows: Figures[] = [];
    for (const files of sizes) {
      // Fewer rounds where each takes seconds.
      const rounds = values.runs ? Number(values.runs) : files >= 100_000 ? 3 : 7;
      rows.push(await measureSize(mpm, home, files, rounds));
    }
    console.log(
      `mpm against git status alone, whole processes of the bundle, Deno ${Deno.version.deno}, ` +
        `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores; medians ` +
        `(${values.runs ?? "7"} rounds${values.runs ? "" : ", 3 from 100,000 files"}); ` +
        `× is the ratio to git status.\n`,
    );
    console.log(table(rows));
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
