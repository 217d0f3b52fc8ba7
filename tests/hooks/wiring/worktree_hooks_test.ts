/**
 * Claude Code started in a linked worktree under `.claude/worktrees/NAME` — made by
 * `mpm branch NAME --worktree`, or by `claude --worktree NAME` with no mpm session in it — runs
 * the main tree's local settings there with no scripts in the worktree: the hook commands follow
 * the worktree's `.git` file to the main tree's scripts, and mpm works on the worktree's own
 * `.claude-mpm/`. `mpm doctor` in a worktree judges and runs what Claude Code will run there.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { baseEnv, git, ok, type Repo, runProcess, withRepo } from "../../helpers.ts";
import { mpmWrapper, storeContents } from "../hooks_helpers.ts";
import { hookCommand, type HookScript } from "../../../src/claude/settings/hooks/hook_entries.ts";
import { mainWorktreeOf } from "../../../src/disk/paths.ts";
import { PROBE_EVENT } from "../../../src/doctor/judges/judge_wired.ts";
import { mpm } from "../../helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** A command from the settings, run as Claude Code runs it: `sh -c`, started in `folder`. */
async function runCommand(
  repo: Repo,
  command: string,
  folder: string,
  payload: Json,
  projectDir = folder,
) {
  // A conversation's transcript is there when its SessionEnd runs (hooks/events/end_decision.ts).
  const transcript = join(repo.home, ".claude", "projects", "wt", "wt-claude-1.jsonl");
  await Deno.mkdir(join(transcript, ".."), { recursive: true });
  await Deno.writeTextFile(transcript, "", { append: true });
  return await runProcess("sh", ["-c", command], {
    cwd: folder,
    env: {
      ...baseEnv(repo.home),
      MPM_BIN: await mpmWrapper(join(repo.home, "..")),
      CLAUDE_PROJECT_DIR: projectDir,
    },
    stdin: JSON.stringify({
      session_id: "wt-claude-1",
      transcript_path: transcript,
      cwd: folder,
      ...payload,
    }),
  });
}

/** The command the main tree's local settings run on `event`. */
async function wired(repo: Repo, event: string, at = 0): Promise<string> {
  const settings = JSON.parse(await repo.read(".claude/settings.local.json"));
  return settings.hooks[event][at].hooks[0].command;
}

/** The snapshots in `root`'s own store, newest first. */
async function snapshots(root: string): Promise<Json[]> {
  const dir = join(root, ".claude-mpm", "sessions");
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch {
    return [];
  }
  return names.filter((name) => /^session-\d{8}-\d{6}.*\.json$/.test(name))
    .map((name) => JSON.parse(Deno.readTextFileSync(join(dir, name))))
    .sort((a, b) => b.paused_at.localeCompare(a.paused_at));
}

const contextOf = (stdout: string): string =>
  JSON.parse(stdout).hookSpecificOutput.additionalContext;

async function doctor(repo: Repo, cwd: string) {
  const result = await mpm(["doctor", "--json"], {
    cwd,
    env: {
      HOME: repo.home,
      MPM_BIN: await mpmWrapper(join(repo.home, "..")),
      MPM_DOCTOR_PROBE_MS: "30000",
    },
  });
  const report = JSON.parse(result.stdout) as { checks: Json[] };
  return { code: result.code, checks: report.checks };
}

Deno.test("Claude Code in a worktree from mpm branch --worktree: the child's context, its parent named; its exit pauses the child there", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await ok(repo, "hooks", "install");
  await ok(repo, "branch", "hotfix", "--worktree");
  const tree = await Deno.realPath(join(repo.path, ".claude", "worktrees", "hotfix"));
  assertEquals(await mainWorktreeOf(tree), await Deno.realPath(repo.path));
  // Nothing of mpm's hooks is in the worktree: the main tree's settings run its scripts.
  assertEquals(await Deno.stat(join(tree, ".claude-mpm", "hooks")).catch(() => null), null);

  const started = await runCommand(repo, await wired(repo, "SessionStart"), tree, {
    hook_event_name: "SessionStart",
    source: "startup",
  });
  assertEquals(started.code, 0, started.stderr);
  assertNotIncludes(started.stdout, "not installed here");
  const context = contextOf(started.stdout);
  assertStringIncludes(context, "Active session: hotfix");
  assertStringIncludes(context, `Branched from: Payments, still active in ${repo.path}`);

  const ended = await runCommand(repo, await wired(repo, "SessionEnd", 1), tree, {
    hook_event_name: "SessionEnd",
    reason: "prompt_input_exit",
  });
  assertEquals(ended.code, 0, ended.stderr);
  const [paused] = await snapshots(tree);
  assertEquals(paused?.mpm.name, "hotfix");
  assertEquals(paused.mpm.auto.trigger, "session-end");
  // The parent's tree is untouched: no snapshot, Payments still active there.
  assertEquals(await snapshots(repo.path), []);
  const state = JSON.parse(await repo.read(".claude-mpm/state.json"));
  assertEquals(state.active.name, "Payments");

  // From a subfolder of the worktree, and with a `.git` file git wrote with a relative path.
  await Deno.mkdir(join(tree, "src"));
  await Deno.writeTextFile(join(tree, ".git"), "gitdir: ../../../.git/worktrees/hotfix\n");
  const probe = await runCommand(repo, await wired(repo, "Stop"), join(tree, "src"), {
    hook_event_name: PROBE_EVENT,
  });
  assertStringIncludes(probe.stderr, `got a ${PROBE_EVENT} payload`);
});

Deno.test("a worktree made as claude --worktree makes it, with no mpm session: told the work it came from; the hooks run mpm on its own store", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Main tree work");
  await ok(repo, "hooks", "install");
  await git(repo.path, "worktree", "add", "-q", "-b", "worktree-agent", ".claude/worktrees/agent");
  const tree = await Deno.realPath(join(repo.path, ".claude", "worktrees", "agent"));

  const start = () =>
    wired(repo, "SessionStart").then((command) =>
      runCommand(repo, command, tree, { hook_event_name: "SessionStart", source: "startup" })
    );
  const first = await start();
  assertEquals(first.code, 0, first.stderr);
  assertNotIncludes(first.stdout, "not installed here");
  // The worktree's own store has nothing yet: the main tree's work is told as where it came from,
  // never as this worktree's own session.
  const told = contextOf(first.stdout);
  const root = await Deno.realPath(repo.path);
  assertStringIncludes(told, "The work this worktree came from (mpm, the main tree's)");
  assertStringIncludes(told, `This folder is a git worktree of ${root}, with no mpm session`);
  assertStringIncludes(told, "Main tree work");
  assertNotIncludes(told, "Last session (mpm)");
  // Only read: the main tree's store is as it was.
  assertEquals((await snapshots(repo.path)).length, 1);

  const ended = await runCommand(repo, await wired(repo, "SessionEnd", 1), tree, {
    hook_event_name: "SessionEnd",
    reason: "prompt_input_exit",
  });
  assertEquals(ended.code, 0, ended.stderr);
  const [paused] = await snapshots(tree);
  assertEquals(paused?.mpm.auto.trigger, "session-end");
  assertEquals((await snapshots(repo.path)).length, 1);

  // The next start there is told of that worktree's own pause, and still of where it came from.
  const second = await start();
  assertStringIncludes(contextOf(second.stdout), paused.session_id);
  assertStringIncludes(contextOf(second.stdout), "The work this worktree came from");
});

Deno.test("SessionEnd after Claude Code removed its clean worktree records nothing, least of all the main tree's work", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await Deno.writeTextFile(join(repo.path, "main.txt"), "changed in the main tree\n");
  await ok(repo, "hooks", "install");
  const root = await Deno.realPath(repo.path);
  const tree = join(root, ".claude", "worktrees", "agent");
  await git(repo.path, "worktree", "add", "-q", "-b", "worktree-agent", ".claude/worktrees/agent");
  const started = await runCommand(repo, await wired(repo, "SessionStart"), tree, {
    hook_event_name: "SessionStart",
    source: "startup",
  });
  assertEquals(started.code, 0, started.stderr);
  // Left clean, the worktree is removed at /exit; then, as 2.1.330 runs it, SessionEnd runs in
  // the main tree (cwd, payload's cwd) with CLAUDE_PROJECT_DIR naming the folder that is gone.
  await git(repo.path, "worktree", "remove", "--force", ".claude/worktrees/agent");
  const store = await storeContents(root);
  const ended = await runCommand(repo, await wired(repo, "SessionEnd", 1), root, {
    hook_event_name: "SessionEnd",
    reason: "prompt_input_exit",
  }, tree);
  assertEquals(ended.code, 0, ended.stderr);
  assertEquals(ended.stdout + ended.stderr, "");
  // The main tree's work goes on untouched: no snapshot, the state as it was, nothing new.
  assertEquals(await snapshots(root), []);
  assertEquals(await storeContents(root), store);
  assertEquals(JSON.parse(await repo.read(".claude-mpm/state.json")).active.name, "Payments");
  assertEquals(await Deno.stat(tree).catch(() => null), null);
});

Deno.test("SessionEnd run back in the main tree after claude --worktree pauses the worktree the conversation was in", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await ok(repo, "hooks", "install");
  await git(repo.path, "worktree", "add", "-q", "-b", "worktree-agent", ".claude/worktrees/agent");
  const root = await Deno.realPath(repo.path);
  const tree = join(root, ".claude", "worktrees", "agent");
  await Deno.writeTextFile(join(tree, "note.txt"), "x\n");
  // As Claude Code 2.1.330 runs it: cwd (the payload's too) the main tree, where it was started,
  // and CLAUDE_PROJECT_DIR the folder the conversation was held in.
  const end = async (folder: string) =>
    await runCommand(repo, await wired(repo, "SessionEnd", 1), root, {
      hook_event_name: "SessionEnd",
      reason: "prompt_input_exit",
      session_id: `in-${folder.length}`,
    }, folder);

  assertEquals((await end(tree)).code, 0);
  const [paused] = await snapshots(tree);
  assertEquals(paused?.mpm.auto.trigger, "session-end");
  assertEquals(paused.git_context.status.untracked, ["note.txt"]);
  // The main tree's work goes on: not paused for a conversation held elsewhere.
  assertEquals(await snapshots(root), []);
  assertEquals(JSON.parse(await repo.read(".claude-mpm/state.json")).active.name, "Payments");

  // A conversation held in the main tree itself is its own.
  assertEquals((await end(root)).code, 0);
  assertEquals((await snapshots(root)).map((s) => s.mpm.name), ["Payments"]);
});

Deno.test("the hook command follows only a linked worktree's .git file: not a submodule's, nor a plain folder's", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install");
  const run = async (folder: string) =>
    await runCommand(repo, hookCommand("checkpoint" satisfies HookScript), folder, {
      hook_event_name: PROBE_EVENT,
    });
  // A submodule's `.git` file names `<super>/.git/modules/NAME`: its scripts are not the main's.
  const sub = join(repo.path, "vendor", "lib");
  await Deno.mkdir(join(repo.path, ".git", "modules", "lib"), { recursive: true });
  await Deno.mkdir(sub, { recursive: true });
  await Deno.writeTextFile(join(sub, ".git"), `gitdir: ${join(repo.path, ".git/modules/lib")}\n`);
  const fromSub = await run(sub);
  assertEquals([fromSub.code, fromSub.stdout, fromSub.stderr], [0, "", ""]);
  assertEquals(await mainWorktreeOf(sub), undefined);
  assertEquals(await mainWorktreeOf(repo.path), undefined);
  // From a linked worktree the command runs the main tree's script.
  await git(repo.path, "worktree", "add", "-q", "-b", "other", ".claude/worktrees/other");
  const tree = join(repo.path, ".claude", "worktrees", "other");
  assertStringIncludes((await run(tree)).stderr, `got a ${PROBE_EVENT} payload`);
});

Deno.test("mpm doctor in a worktree runs what Claude Code runs there", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await ok(repo, "hooks", "install", "--no-statusline");
  await ok(repo, "branch", "hotfix", "--worktree");
  const tree = await Deno.realPath(join(repo.path, ".claude", "worktrees", "hotfix"));
  const settings = join(repo.path, ".claude", "settings.local.json");

  const now = await doctor(repo, tree);
  assertEquals(now.code, 0, JSON.stringify(now.checks.filter((c) => c.status !== "ok")));
  const hooks = now.checks.filter((c) => c.id === "hooks");
  assertEquals(hooks.map((c) => c.status), ["ok"], JSON.stringify(hooks));
  assertStringIncludes(hooks[0].message, `wired in ${await Deno.realPath(settings)}`);
  const [ran] = now.checks.filter((c) => c.id === "hooks-run");
  assertEquals(ran.status, "ok", JSON.stringify(now.checks));
  assertStringIncludes(ran.message, "reach mpm from this worktree's root");
  const [project] = now.checks.filter((c) => c.id === "project");
  assertStringIncludes(project.message, `a git worktree of ${await Deno.realPath(repo.path)}`);
});

Deno.test("a hook script a clone commits in a sub-folder never runs: the command runs the root's", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install");
  const sub = join(repo.path, "sub");
  const planted = join(sub, ".claude-mpm", "hooks", "checkpoint.sh");
  const mark = join(repo.home, "pwned");
  await Deno.mkdir(join(sub, ".claude-mpm", "hooks"), { recursive: true });
  await Deno.writeTextFile(planted, `#!/bin/sh\n: > "${mark}"\n`);
  await Deno.chmod(planted, 0o755);
  const run = await runCommand(repo, hookCommand("checkpoint"), sub, {
    hook_event_name: PROBE_EVENT,
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(await Deno.stat(mark).then(() => true, () => false), false);
});
