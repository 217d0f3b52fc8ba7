/**
 * What the kill tests of `mpm return` share (return_kill_*_test.ts): `mpm return` killed (SIGKILL,
 * as `kill -9`) at one step after another of the steps it takes — each git call, before it starts
 * and after it ends, and each file put in place (src/git/run/kill_step.ts, `MPM_TEST_KILL_AT=<n>`)
 * — in several kinds of return, then run again. Whatever the step, the second run finishes the
 * first from what it recorded: one completed snapshot of the child, never two; the parent's work
 * back exactly, staged, unstaged, deleted and untracked; no stash left behind; the parent active
 * and the stack empty.
 *
 * Which steps: one run of each kind, not killed, tells its steps (`MPM_TEST_KILL_TRACE=1`). Every
 * step that changes something is killed at, each time: a file put in place, the end of a git call
 * that writes (switch, stash apply and drop, fast-import). A kill at a step that changes nothing
 * (a read's start or end, the start of a write) leaves what a kill at the step before it left, so
 * of each stretch of those one step is chosen at random (MPM_KILL_SEED repeats a run): every class
 * of step is covered on every run, every step over runs, at about half the processes of killing
 * at each (MPM_KILL_EVERY_STEP=1 still does).
 *
 * Each kind of return is set up once and copied for every kill point; the killed runs are
 * processes, several at once (they mostly wait on git), and the second run is dispatched in the
 * test's own process. The kinds are split over three test files, so that `deno test --parallel`
 * runs them side by side.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import {
  baseEnv,
  configureRepo,
  DENO_DIR,
  endRun,
  git,
  MAIN,
  mpm,
  mpmProcessArgs,
  tempDir,
} from "../../helpers.ts";
import { dispatch } from "../../../src/commands.ts";
import { KILL_TRACE_VAR, type StepKind } from "../../../src/git/run/kill_step.ts";
import type { Env } from "../../../src/cli/env.ts";

/** Kill points run at once: the killed processes mostly wait on git. */
const WORKERS = 3;

type Mpm = (...args: string[]) => Promise<void>;

export interface Scenario {
  name: string;
  /** After the first commit: a parent, `mpm branch`, the child's work (`m` runs mpm). */
  setup: (m: Mpm, work: Work) => Promise<void>;
  returnArgs: string[];
  /** The session active after the return (null: the child had no parent). */
  parent: string | null;
}

interface Work {
  /** The parent's uncommitted work: staged, staged then changed again, unstaged, deleted, new. */
  parent: () => Promise<void>;
  /** The child's work: a commit, and an untracked file it leaves (LEFTOVER). */
  child: () => Promise<void>;
}

/** The file the child leaves untracked: not the parent's, left where it is. */
const LEFTOVER = "left.txt";

function workIn(repo: string): Work {
  const write = (file: string, text: string) => Deno.writeTextFile(join(repo, file), text);
  return {
    parent: async () => {
      await write("a.txt", "a\nB\nc\n");
      await git(repo, "add", "a.txt");
      await write("a.txt", "a\nB\nC\n");
      await write("b.txt", "y\n");
      await Deno.remove(join(repo, "d.txt"));
      await write("u.txt", "new file\n");
    },
    child: async () => {
      await write("c.txt", "child\n");
      await git(repo, "add", "c.txt");
      await git(repo, "commit", "-q", "-m", "child work");
      await write(LEFTOVER, "left by the child\n");
    },
  };
}

export const SCENARIOS = {
  switched: {
    name: "stashed work (staged, unstaged, deleted, untracked), a git branch of its own",
    setup: async (m, work) => {
      await m("start", "parent");
      await m("todo", "add", "parent todo");
      await work.parent();
      await m("branch", "child", "--git-branch", "feat", "--stash");
      await work.child();
    },
    returnArgs: ["-s", "child done", "-a", "fixed it"],
    parent: "parent",
  },
  sameBranch: {
    name: "stashed work, the child on the same git branch",
    setup: async (m, work) => {
      await m("start", "parent");
      await work.parent();
      await m("branch", "child", "--stash");
      await work.child();
    },
    returnArgs: ["-s", "child done"],
    parent: "parent",
  },
  clean: {
    name: "a clean parent, a git branch of its own",
    setup: async (m, work) => {
      await m("start", "parent");
      await m("branch", "child", "--git-branch", "feat");
      await work.child();
    },
    returnArgs: [],
    parent: "parent",
  },
  keepBranch: {
    name: "stashed work, --keep-branch",
    setup: async (m, work) => {
      await m("start", "parent");
      await work.parent();
      await m("branch", "child", "--git-branch", "feat", "--stash");
      await work.child();
    },
    returnArgs: ["--keep-branch", "-s", "stay"],
    parent: "parent",
  },
  noParent: {
    name: "nothing active at the branch: no parent, stashed work",
    setup: async (m, work) => {
      await work.parent();
      await m("branch", "child", "--git-branch", "feat", "--stash");
      await work.child();
    },
    returnArgs: ["-s", "orphan child done"],
    parent: null,
  },
} satisfies Record<string, Scenario>;

/** What the parent's work looks like, the child's leftover left out. */
async function workState(repo: string) {
  const status = (await git(repo, "status", "--porcelain=v1", "-uall", "--branch"))
    .split("\n").filter((l) => l && !l.endsWith(LEFTOVER));
  const untracked = status.filter((l) => l.startsWith("?? ")).map((l) => l.slice(3));
  const contents = await Promise.all(
    untracked.map(async (f) => `${f}: ${await Deno.readTextFile(join(repo, f))}`),
  );
  return {
    // "## main" (or "## feat"): the branch, without what it tracks.
    branch: status[0].replace(/^## /, "").split("...")[0],
    status: status.slice(1).join("\n"),
    staged: await git(repo, "diff", "--cached"),
    unstaged: await git(repo, "diff"),
    untracked: contents,
  };
}

interface Template {
  scenario: Scenario;
  dir: string;
  home: string;
  /** The parent's work before the branch. */
  expected: Awaited<ReturnType<typeof workState>>;
  childKey: string;
}

async function makeTemplate(scenario: Scenario, base: string, home: string): Promise<Template> {
  const dir = join(base, "template");
  const repo = join(dir, "repo");
  await Deno.mkdir(repo, { recursive: true });
  await git(repo, "init", "-q", "-b", "main");
  await configureRepo(repo, "Test Author", "author@example.com");
  for (const [file, text] of [["a.txt", "a\nb\nc\n"], ["b.txt", "x\n"], ["d.txt", "gone\n"]]) {
    await Deno.writeTextFile(join(repo, file), text);
  }
  await git(repo, "add", ".");
  await git(repo, "commit", "-q", "-m", "init");
  let expected: Template["expected"] | undefined;
  await scenario.setup(async (...args) => {
    if (args[0] === "branch") expected = await workState(repo);
    const run = await mpm(args, { cwd: repo, env: { HOME: home } });
    assertEquals(run.code, 0, `${scenario.name}: mpm ${args.join(" ")}: ${run.stderr}`);
  }, workIn(repo));
  const state = JSON.parse(await Deno.readTextFile(join(repo, ".claude-mpm/state.json")));
  return { scenario, dir, home, expected: expected!, childKey: state.active.key };
}

async function copy(from: string, to: string) {
  const out = await new Deno.Command("cp", { args: ["-a", from, to] }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
}

/** `mpm return` as a process, killed at step `n`: true when it died there, false when it finished. */
async function killedReturn(t: Template, repo: string, n: number): Promise<boolean> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...await mpmProcessArgs(), "return", ...t.scenario.returnArgs],
    cwd: repo,
    env: { ...baseEnv(t.home), DENO_DIR, MPM_TEST_KILL_AT: String(n) },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (out.signal === "SIGKILL" || out.code === 137) return true;
  assertEquals(out.code, 0, `step ${n}: ${new TextDecoder().decode(out.stderr)}`);
  return false;
}

function envAt(repo: string, home: string): Env {
  return {
    cwd: repo,
    // The variables the killed run had: git's identity and HOME are the same for both.
    vars: { ...baseEnv(home), DENO_DIR },
    now: () => new Date(),
    warn: () => {},
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(""),
    execPath: Deno.execPath(),
    mainModule: MAIN,
  };
}

async function snapshots(repo: string) {
  const dir = join(repo, ".claude-mpm/sessions");
  const names = await Array.fromAsync(Deno.readDir(dir), (e) => e.name);
  const records = await Promise.all(
    names.filter((n) => n.endsWith(".json")).map(async (n) =>
      JSON.parse(await Deno.readTextFile(join(dir, n)))
    ),
  );
  return { names, records };
}

/** After the kill at step `n`: the next `mpm return` finishes it; everything is as it should be. */
async function recoverAndCheck(t: Template, repo: string, n: number) {
  const where = `${t.scenario.name}, killed at step ${n}`;
  const env = envAt(repo, t.home);
  // Reading needs no repair: status tells the state as the kill left it.
  const status = await dispatch(env, ["status", "--json"]);
  assertEquals(status.exitCode ?? 0, 0, `${where}: status ${status.stdout}`);
  const again = await dispatch(env, ["return", "--json", ...t.scenario.returnArgs]);
  const code = again.exitCode ?? 0;
  // 3: the killed run had finished all but its report (the stack is empty already).
  assert(code === 0 || code === 3, `${where}: return exited ${code}: ${again.stdout}`);
  if (code === 3) assertEquals(JSON.parse(status.stdout!).stack, [], `${where}: ${again.stdout}`);

  const { names, records } = await snapshots(repo);
  const completed = records.filter((r) => r.mpm.state === "completed" && r.mpm.key === t.childKey);
  assertEquals(
    completed.map((r) => r.mpm.state),
    ["completed"],
    `${where}: the child's completed snapshots: ${completed.map((r) => r.session_id)}`,
  );
  const [final] = completed;
  for (const ext of [".json.sha256", ".md", ".yaml"]) {
    assert(names.includes(`${final.session_id}${ext}`), `${where}: ${final.session_id}${ext}`);
  }
  const words = t.scenario.returnArgs.indexOf("-s");
  if (words >= 0) assertEquals(final.conversation.summary, t.scenario.returnArgs[words + 1], where);
  // Nothing a killed write left: no lone claim, no temp file.
  for (const name of names) {
    assert(!name.endsWith(".tmp"), `${where}: ${name}`);
    if (name.endsWith(".json.sha256")) {
      assert(names.includes(name.slice(0, -".sha256".length)), `${where}: lone ${name}`);
    }
  }
  const latest = (await Deno.readTextFile(join(repo, ".claude-mpm/sessions/LATEST-SESSION.txt")))
    .trim();
  assert(names.includes(`${latest}.json`), `${where}: LATEST-SESSION.txt names ${latest}`);

  assertEquals(await git(repo, "stash", "list"), "", `${where}: a stash was left behind`);
  const after = JSON.parse((await dispatch(env, ["status", "--json"])).stdout!);
  assertEquals(after.stack, [], where);
  assertEquals(after.active?.name ?? null, t.scenario.parent, where);
  const expected = t.scenario.returnArgs.includes("--keep-branch")
    ? { ...t.expected, branch: "feat" }
    : t.expected;
  assertEquals(await workState(repo), expected, `${where}: the parent's work is not as it was`);
}

/** A small seeded generator (mulberry32): a failing run is repeated with MPM_KILL_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A step of a return as its traced run told it (src/git/run/kill_step.ts, MPM_TEST_KILL_TRACE). */
type Step = [kind: StepKind, what: string | string[]];

/**
 * git commands that change nothing anyone can tell (`git status` may refresh the stat cache in
 * the index, which git itself checks again). Any other command counts as a change.
 */
const READS = new Set([
  "cat-file",
  "diff",
  "diff-tree",
  "for-each-ref",
  "log",
  "ls-files",
  "ls-tree",
  "merge-base",
  "rev-list",
  "rev-parse",
  "show",
  "show-ref",
  "status",
]);

/** Whether a kill at this step leaves anything a kill at the step before it did not. */
function changes([kind, what]: Step): boolean {
  if (kind === "file") return true;
  // Before a git call, nothing of it is done yet.
  if (kind === "git-start") return false;
  const [command, sub] = (what as string[]).filter((arg) => !arg.startsWith("-"));
  if (command === "stash") return sub !== "list" && sub !== "show";
  return !READS.has(command);
}

/**
 * The steps a return takes, from one run of it (not killed) that tells each step on stderr.
 */
async function traceSteps(t: Template, repo: string): Promise<Step[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...await mpmProcessArgs(), "return", ...t.scenario.returnArgs],
    cwd: repo,
    env: { ...baseEnv(t.home), DENO_DIR, [KILL_TRACE_VAR]: "1" },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, `${t.scenario.name}: the traced return: ${stderr}`);
  const prefix = `${KILL_TRACE_VAR} `;
  return stderr.split("\n").filter((line) => line.startsWith(prefix))
    .map((line) => JSON.parse(line.slice(prefix.length)));
}

/**
 * The steps to kill at (1 is the first): each one that changes something, and one chosen at
 * random from each stretch of steps between two of those. A kill anywhere in such a stretch
 * leaves the changes of the step before it; what else may differ (the lock released before the
 * report, a temp file staged beside a read) is not a step, so every step of the stretch is tried
 * over runs. All of them with MPM_KILL_EVERY_STEP=1.
 */
export function killPoints(steps: Step[], next: () => number, every = false): number[] {
  if (every) return steps.map((_, i) => i + 1);
  const chosen: number[] = [];
  let stretch: number[] = [];
  const pick = () => {
    if (stretch.length > 0) chosen.push(stretch[Math.floor(next() * stretch.length)]);
    stretch = [];
  };
  for (const [i, step] of steps.entries()) {
    if (changes(step)) {
      pick();
      chosen.push(i + 1);
    } else stretch.push(i + 1);
  }
  pick();
  return chosen;
}

/**
 * Kills `mpm return` in each scenario at the steps killPoints chooses from its traced run,
 * recovers and checks each. Returns how many kill points were run.
 */
export async function killAtSteps(t: Deno.TestContext, scenarios: Scenario[]): Promise<number> {
  const given = Deno.env.get("MPM_KILL_SEED");
  const seed = given && /^\d+$/.test(given) ? Number(given) : Date.now() % 1_000_000;
  const every = Deno.env.get("MPM_KILL_EVERY_STEP") === "1";
  const next = random(seed);
  await using base = await tempDir("mpm-return-kill-");
  const home = join(base.path, "home");
  await Deno.mkdir(home);
  let points = 0;
  for (const [i, scenario] of scenarios.entries()) {
    await t.step(`${scenario.name} (MPM_KILL_SEED=${seed})`, async () => {
      const folder = join(base.path, `s${i}`);
      await Deno.mkdir(folder);
      const template = await makeTemplate(scenario, folder, home);
      const traced = join(folder, "traced");
      await copy(template.dir, traced);
      const steps = await traceSteps(template, join(traced, "repo"));
      assert(steps.length > 10, `${scenario.name}: only ${steps.length} steps`);
      const chosen = killPoints(steps, next, every);
      const worker = async () => {
        for (let n = chosen.pop(); n !== undefined; n = chosen.pop()) {
          const copied = join(folder, `k${n}`);
          await copy(template.dir, copied);
          const repo = join(copied, "repo");
          const where = `${scenario.name}: step ${n} of ${steps.length}, ${
            JSON.stringify(steps[n - 1])
          }`;
          assert(await killedReturn(template, repo, n), `${where}: the return survived it`);
          await recoverAndCheck(template, repo, n);
          await Deno.remove(copied, { recursive: true });
          points++;
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
    });
  }
  // The in-process returns above set module-wide settings; the next test in this worker starts
  // without them.
  endRun();
  return points;
}
