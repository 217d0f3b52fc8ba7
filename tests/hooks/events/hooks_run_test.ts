/**
 * The installed hook scripts run as Claude Code runs them — under sh and under bash, with the
 * recorded payloads on stdin, in real git repositories, with a HOME holding Claude Code's task
 * files and transcripts — and what `mpm hook` leaves behind.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../assert.ts";
import { exists, mpm, type Repo, withRepo } from "../../helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";
import {
  CLAUDE_SESSION,
  hookEnv,
  installed,
  listFiles,
  payload,
  runScript,
  seedClaudeHome,
  setTranscript,
  SHELLS,
  snapshots,
} from "../hooks_helpers.ts";

const SECRET = "sk_live_51HqLyjWDarjtT1zdp7dcXYZ";

function context(run: { json?: Record<string, unknown> }): string {
  const output = run.json?.hookSpecificOutput as Record<string, string>;
  assertEquals(output.hookEventName, "SessionStart");
  return output.additionalContext;
}

for (const shell of SHELLS) {
  Deno.test(`${shell}: a Claude session's hooks, from start to end, with recorded payloads`, async () => {
    await using repo = await installed();
    // No session yet: SessionStart prints nothing at all.
    const empty = await runScript(
      shell,
      repo,
      "pre-session",
      payload("session-start-startup.json", repo),
    );
    assertEquals([empty.code, empty.stdout, empty.stderr], [0, "", ""]);

    // SessionEnd pauses, with Claude's tasks, its session id and context usage. These runs name
    // the window (as a user may), which comes before the model's documented one.
    const window = { MPM_CONTEXT_WINDOW: "200000" };
    const end = await runScript(
      shell,
      repo,
      "post-session",
      payload("session-end.json", repo),
      window,
    );
    assertEquals([end.code, end.stdout], [0, ""], end.stderr);
    const [snapshot] = await snapshots(repo);
    const conversation = snapshot.conversation as { summary: string };
    // No person wrote anything yet, so mpm's own note is all there is.
    assertEquals(
      conversation.summary,
      "Auto-saved when the Claude session ended (the user exited Claude Code).",
    );
    assertEquals(snapshot.todos, { active: [], completed: [] });
    const info = snapshot.mpm as Record<string, unknown>;
    assertEquals(info.claude_tasks, [
      { content: "Add webhook handlers", status: "in_progress" },
      { content: "Add refund functionality", status: "pending" },
      { content: "Integrate Stripe API", status: "completed" },
    ]);
    assertEquals(info.claude_session_id, CLAUDE_SESSION);
    assertEquals(info.summary_source, "auto");
    assertEquals(info.written_by, "mpm");
    assertEquals(info.context_usage, {
      tokens: 144000,
      window: 200000,
      percent: 72,
      model: "claude-sonnet-4-5-20250929",
      window_source: "override",
    });

    // The next session starts with that context and what changed since.
    await repo.commit("Add refund endpoint", { "src/refunds.ts": "export {};\n" });
    const start = await runScript(
      shell,
      repo,
      "pre-session",
      payload("session-start-startup.json", repo, { cwd: join(repo.path, "src") }),
    );
    assertEquals(start.code, 0, start.stderr);
    const text = context(start);
    assertStringIncludes(text, conversation.summary);
    assertStringIncludes(text, "- [ ] Add webhook handlers (in progress)");
    assertStringIncludes(text, "- [ ] Add refund functionality");
    assertStringIncludes(text, "1 new commit(s)");
    assertStringIncludes(text, "Add refund endpoint");
    assertStringIncludes(text, "A src/refunds.ts");
    assert(text.length <= 10_000);

    // Stop at 72 %: a resume file and a message, once.
    const stop = await runScript(shell, repo, "checkpoint", payload("stop.json", repo), window);
    assertEquals(stop.code, 0, stop.stderr);
    const message = stop.json?.systemMessage as string;
    assertMatch(message, /^mpm: the context window is 72% full \(144,000 of 200,000 tokens\)/);
    const resume = (await listFiles(join(repo.path, ".claude-mpm", "sessions")))
      .filter((name) => name.startsWith("session-resume-"));
    assertEquals(resume.length, 1);
    assertMatch(resume[0], /^session-resume-\d{4}-\d\d-\d\d-\d{6}\.md$/);
    assertStringIncludes(message, `.claude-mpm/sessions/${resume[0]}`);
    const again = await runScript(shell, repo, "checkpoint", payload("stop.json", repo), window);
    assertEquals([again.code, again.stdout], [0, ""]);

    // PreCompact: an auto- checkpoint.
    const compact = await runScript(
      shell,
      repo,
      "checkpoint",
      payload("pre-compact-auto.json", repo),
    );
    assertEquals(compact.code, 0, compact.stderr);
    const checkpoints = await listFiles(join(repo.path, ".claude-mpm", "checkpoints"));
    const auto = checkpoints.find((name) => /^auto-\d{8}-\d{6}\.json$/.test(name));
    assert(auto, checkpoints.join(", "));
    // Nothing on stdout (Claude Code hands a PreCompact hook's stdout to the model); one plain
    // line on stderr, which Claude Code shows no one when the hook succeeds.
    assertEquals(compact.stdout, "");
    assertEquals(
      compact.stderr,
      `mpm: saved checkpoint ${auto.replace(/\.json$/, "")} before the compaction.\n`,
    );

    // A failed tool: an error record with the secret redacted.
    const failure = await runScript(
      shell,
      repo,
      "on-error",
      payload("post-tool-use-failure.json", repo),
    );
    assertEquals([failure.code, failure.stdout], [0, ""], failure.stderr);
    const errors = await listFiles(join(repo.path, ".claude-mpm", "errors"));
    assertEquals(errors.length, 1);
    assertMatch(errors[0], /^\d{8}-\d{6}-Bash\.json$/);
    const record = JSON.parse(
      Deno.readTextFileSync(join(repo.path, ".claude-mpm", "errors", errors[0])),
    );
    assertEquals(record.tool, "Bash");
    assertEquals(record.tool_input, { command: "npm test", description: "Run tests" });
    assertStringIncludes(record.error, "STRIPE_SECRET_KEY=[REDACTED");
    assertEquals(record.git.branch, "main");
    assertEquals(record.recent_commits[0].subject, "Add refund endpoint");
    assertEquals(
      Deno.statSync(join(repo.path, ".claude-mpm", "errors", errors[0])).mode! & 0o777,
      0o600,
    );

    // A truncated payload: a line on stderr, nothing else, exit 0.
    const malformed = await runScript(
      shell,
      repo,
      "on-error",
      Deno.readTextFileSync(
        join(
          import.meta.dirname!,
          "..",
          "..",
          "fixtures",
          "claude-code",
          "payloads",
          "malformed.txt",
        ),
      ),
    );
    assertEquals([malformed.code, malformed.stdout], [0, ""]);
    assertMatch(
      malformed.stderr,
      /^mpm hook on-error: the hook payload is not valid JSON.*ignored\.\n$/,
    );
    assertEquals((await listFiles(join(repo.path, ".claude-mpm", "errors"))).length, 1);

    // The secret reached no file mpm wrote.
    for (const file of await listFiles(join(repo.path, ".claude-mpm"))) {
      const body = Deno.readTextFileSync(join(repo.path, ".claude-mpm", file));
      assert(!body.includes(SECRET), `${file} holds the secret`);
    }
  });
}

Deno.test("StopFailure leaves an error record named after the event", async () => {
  await using repo = await installed();
  const run = await runScript("sh", repo, "on-error", payload("stop-failure.json", repo));
  assertEquals([run.code, run.stdout], [0, ""], run.stderr);
  const errors = await listFiles(join(repo.path, ".claude-mpm", "errors"));
  assertEquals(errors.length, 1);
  assertMatch(errors[0], /-StopFailure\.json$/);
  const record = JSON.parse(
    Deno.readTextFileSync(join(repo.path, ".claude-mpm", "errors", errors[0])),
  );
  assertEquals([record.tool, record.error, record.error_details], [
    null,
    "rate_limit",
    "429 Too Many Requests",
  ]);
});

/** A transcript whose last main-thread answer used `tokens` of context. */
async function transcriptAt(repo: Repo, tokens: number): Promise<void> {
  const entry = {
    type: "assistant",
    isSidechain: false,
    message: {
      model: "claude-sonnet-4-5-20250929",
      usage: {
        input_tokens: 1000,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: tokens - 1000,
      },
    },
  };
  await Deno.writeTextFile(
    join(repo.home, ".claude", "projects", "transcript.jsonl"),
    JSON.stringify(entry) + "\n",
  );
}

Deno.test("the checkpoint hook says it louder at 85 % and 95 %, once each, and again after a compaction", async () => {
  await using repo = await installed({ transcript: "transcript-30pct.jsonl" });
  const stop = () =>
    runScript("sh", repo, "checkpoint", payload("stop.json", repo), {
      MPM_CONTEXT_WINDOW: "200000",
    });
  assertEquals((await stop()).stdout, "");
  await transcriptAt(repo, 172_000);
  const loud = await stop();
  assertMatch(loud.json?.systemMessage as string, /^⚠ mpm: the context window is 86% full/);
  assertEquals((await stop()).stdout, "");
  await transcriptAt(repo, 191_000);
  const louder = await stop();
  assertMatch(louder.json?.systemMessage as string, /^‼ mpm: THE CONTEXT WINDOW IS 95\.5% FULL/);
  assertEquals((await stop()).stdout, "");
  const resumeFiles = (await listFiles(join(repo.path, ".claude-mpm", "sessions")))
    .filter((name) => name.startsWith("session-resume-"));
  assertEquals(resumeFiles.length, 2);
  // The markers live outside sessions/, so `mpm list` sees no new session.
  assertEquals((await repo.run("list", "--json")).stdout.trim(), "[]");

  // A compaction starts a new context: its thresholds may be announced again.
  assertEquals(
    (await runScript("sh", repo, "checkpoint", payload("pre-compact-auto.json", repo))).code,
    0,
  );
  await setTranscript(repo, "transcript-72pct.jsonl");
  assertMatch((await stop()).json?.systemMessage as string, /72% full/);
});

Deno.test("context usage honours the 1M window and MPM_CONTEXT_WINDOW", async () => {
  await using repo = await installed({ transcript: "transcript-1m-60pct.jsonl" });
  const quiet = await runScript("bash", repo, "checkpoint", payload("stop.json", repo));
  assertEquals([quiet.code, quiet.stdout], [0, ""]);
  await setTranscript(repo, "transcript-30pct.jsonl");
  const small = await runScript("sh", repo, "checkpoint", payload("stop.json", repo), {
    MPM_CONTEXT_WINDOW: "80000",
  });
  assertMatch(small.json?.systemMessage as string, /75% full \(60,000 of 80,000 tokens\)/);
});

Deno.test("the resume file lists the tasks, context usage, git state and next actions", async () => {
  await using repo = await installed();
  await repo.write("src/app.ts", "changed\n");
  const run = await runScript("sh", repo, "checkpoint", payload("stop.json", repo), {
    MPM_CONTEXT_WINDOW: "200000",
  });
  assertEquals(run.code, 0, run.stderr);
  const dir = join(repo.path, ".claude-mpm", "sessions");
  const [name] = (await listFiles(dir)).filter((n) => n.startsWith("session-resume-"));
  const text = Deno.readTextFileSync(join(dir, name));
  assertStringIncludes(text, "**Context**: 144,000 / 200,000 tokens (72%)");
  assertStringIncludes(text, "## Completed Tasks\n- [x] Integrate Stripe API");
  assertStringIncludes(text, "## In Progress\n- [ ] Add webhook handlers");
  assertStringIncludes(text, "## Pending Tasks\n- [ ] Add refund functionality");
  assertStringIncludes(text, "**Branch**: `main`");
  assertStringIncludes(text, "- `src/`");
  assertStringIncludes(text, "- `");
  assertStringIncludes(text, "Initial commit");
  assertStringIncludes(text, "1. Finish: Add webhook handlers");
  assertStringIncludes(text, "> I added the refund endpoint and its tests.");
  assertEquals(Deno.statSync(join(dir, name)).mode! & 0o777, 0o600);
});

Deno.test("session-end takes the older todo files when there is no task list", async () => {
  await using repo = await installed({ tasks: "todos" });
  const run = await runScript(
    "bash",
    repo,
    "post-session",
    payload("session-end.json", repo, { reason: "clear" }),
  );
  assertEquals(run.code, 0, run.stderr);
  const [snapshot] = await snapshots(repo);
  assertEquals((snapshot.mpm as { claude_tasks: unknown[] }).claude_tasks.length, 3);
  assertStringIncludes((snapshot.conversation as { summary: string }).summary, "cleared (/clear)");
  assertStringIncludes((snapshot.mpm as { notes: string[] }).notes.join(" "), "todo files");
});

Deno.test("a hook script never fails: mpm missing, mpm failing, the user's own lines printing", async () => {
  await using repo = await installed();
  const missing = await runScript(
    "sh",
    repo,
    "pre-session",
    payload("session-start-startup.json", repo),
    {
      MPM_BIN: join(repo.home, "no-such-mpm"),
    },
  );
  // Its stdout tells the person once what to install
  // (tests/hooks/wiring/hooks_missing_mpm_test.ts).
  assertEquals(missing.code, 0);
  assertMatch(
    missing.stderr,
    /^mpm hook pre-session: mpm not found \(put it on PATH or set MPM_BIN\); skipped\.\n$/,
  );

  const failing = join(repo.home, "failing-mpm");
  Deno.writeTextFileSync(failing, "#!/bin/sh\ncat >/dev/null\nexit 3\n");
  Deno.chmodSync(failing, 0o755);
  // MPM_HOOK_TIMEOUT empty: the script's own limit, as Claude Code runs it.
  const failed = await runScript("bash", repo, "post-session", payload("session-end.json", repo), {
    MPM_BIN: failing,
    MPM_HOOK_TIMEOUT: "",
  });
  assertEquals([failed.code, failed.stdout], [0, ""]);
  assertEquals(
    failed.stderr,
    "mpm hook post-session: mpm failed or ran over 4 s (exit 3); Claude Code goes on.\n",
  );

  // What the user's own lines print goes to stderr, so SessionStart's stdout stays mpm's JSON.
  await runScript("sh", repo, "post-session", payload("session-end.json", repo));
  const script = join(repo.path, ".claude-mpm", "hooks", "pre-session.sh");
  Deno.writeTextFileSync(
    script,
    Deno.readTextFileSync(script).replace(
      "  :\n",
      '  echo "pulling"\n  printf "%s" "$payload" | grep -q SessionStart && echo "saw payload"\n  false\n',
    ),
  );
  const start = await runScript(
    "sh",
    repo,
    "pre-session",
    payload("session-start-startup.json", repo),
  );
  assertEquals(start.code, 0);
  assertStringIncludes(context(start), "Auto-saved when the Claude session ended");
  assertStringIncludes(
    start.stderr,
    "pulling\nsaw payload\nmpm hook pre-session: your lines failed (exit 1).\n",
  );
});

Deno.test("two compactions in the same second each get their own auto- checkpoint", async () => {
  await using repo = await withRepo();
  const now = new Date("2025-10-20T14:30:22Z");
  const compact = payload("pre-compact-auto.json", repo);
  const first = await runHook(hookEnv(repo, compact, now), "checkpoint");
  const env = hookEnv(repo, compact, now);
  const second = await runHook(env, "checkpoint");
  assertEquals([first.exitCode, second.exitCode, first.stdout, second.stdout], [
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assertEquals(env.warnings, [
    "mpm: saved checkpoint auto-20251020-143022-2 before the compaction.",
  ]);
  const names = (await listFiles(join(repo.path, ".claude-mpm", "checkpoints")))
    .filter((name) => name.endsWith(".json"));
  assertEquals(names, ["auto-20251020-143022-2.json", "auto-20251020-143022.json"]);
});

Deno.test("mpm hook: wrong event, bad cwd and empty input exit 0; an unknown EVENT is a usage error", async () => {
  await using repo = await withRepo();
  const hook = (event: string, stdin: string) =>
    mpm(["hook", event], { cwd: repo.path, env: { HOME: repo.home }, stdin });
  const wrong = await hook("session-start", payload("stop.json", repo));
  assertEquals([wrong.code, wrong.stdout], [0, ""]);
  assertStringIncludes(wrong.stderr, "got a Stop payload, but serves SessionStart; ignored.");
  const nowhere = await hook(
    "checkpoint",
    payload("pre-compact-auto.json", repo, { cwd: join(repo.path, "gone") }),
  );
  assertEquals([nowhere.code, nowhere.stdout], [0, ""]);
  assertStringIncludes(nowhere.stderr, "is not a folder; ignored.");
  // A SessionEnd there ended a conversation in a folder that is gone (a worktree Claude Code
  // removed): nothing to record, and nothing to say.
  const gone = await hook(
    "session-end",
    payload("session-end.json", repo, { cwd: join(repo.path, "gone") }),
  );
  assertEquals([gone.code, gone.stdout, gone.stderr], [0, "", ""]);
  assertEquals(await listFiles(join(repo.path, ".claude-mpm")), []);
  const nothing = await hook("checkpoint", "");
  assertEquals([nothing.code, nothing.stderr], [
    0,
    "mpm hook checkpoint: the hook payload is empty; ignored.\n",
  ]);
  const noCwd = await hook(
    "on-error",
    JSON.stringify({ session_id: "x", hook_event_name: "StopFailure" }),
  );
  assertEquals([noCwd.code, noCwd.stderr], [
    0,
    "mpm hook on-error: the hook payload has no cwd; ignored.\n",
  ]);
  const unknown = await hook("pre-compact", payload("pre-compact-auto.json", repo));
  assertEquals(unknown.code, 2);
  assertStringIncludes(unknown.stderr, "session-start, session-end, checkpoint, on-error");
});

Deno.test({
  name: "mpm hook: a .claude-mpm linked out of the project is said once, and every event exits 0",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    const outside = join(repo.home, "elsewhere");
    await Deno.mkdir(outside);
    await Deno.symlink(outside, join(repo.path, ".claude-mpm"));
    const refused = `Refusing to use ${
      join(repo.path, ".claude-mpm")
    }: it is a symbolic link to ${await Deno.realPath(outside)}, outside the project.\n`;
    const runs: [string, string][] = [
      ["session-start", "session-start-startup.json"],
      ["session-start", "session-start-resume.json"],
      ["session-end", "session-end.json"],
      ["checkpoint", "stop.json"],
      ["checkpoint", "pre-compact-auto.json"],
      ["on-error", "post-tool-use-failure.json"],
      ["on-error", "stop-failure.json"],
    ];
    for (const [event, name] of runs) {
      // SessionStart as a process: main.ts tries its ready answer before the command line loads.
      const run = await mpm(["hook", event], {
        cwd: repo.path,
        env: { HOME: repo.home },
        stdin: payload(name, repo),
        spawn: event === "session-start",
      });
      assertEquals([run.code, run.stdout, run.stderr], [0, "", `mpm hook ${event}: ${refused}`]);
    }
    assertEquals(await listFiles(outside), []);
  },
});

Deno.test("outside git: a folder without .claude-mpm gets none; one with it pauses without git state", async () => {
  await using dir = await withRepo({ git: false });
  await seedClaudeHome(dir);
  const hook = (event: string, stdin: string) =>
    mpm(["hook", event], { cwd: dir.path, env: { HOME: dir.home }, stdin });
  // Hooks that run in every folder (the plugin's, --scope user's): $HOME gets no store.
  for (
    const [event, file] of [["session-start", "session-start-startup.json"], [
      "session-end",
      "session-end.json",
    ]]
  ) {
    const none = await hook(event, payload(file, dir));
    assertEquals([none.code, none.stdout, none.stderr], [0, "", ""]);
  }
  assertEquals(await exists(join(dir.path, ".claude-mpm")), false);
  // A project outside git (mpm's own files there already, as `mpm hooks install` leaves them).
  await Deno.mkdir(join(dir.path, ".claude-mpm"), { mode: 0o700 });
  const end = await hook("session-end", payload("session-end.json", dir));
  assertEquals([end.code, end.stdout, end.stderr], [0, "", ""]);
  const [snapshot] = await snapshots(dir);
  assertEquals(snapshot.git_context, null);
  assertEquals((snapshot.mpm as { claude_tasks: unknown[] }).claude_tasks.length, 3);
  const failure = await hook("on-error", payload("post-tool-use-failure.json", dir));
  assertEquals([failure.code, failure.stderr], [0, ""]);
  const [name] = await listFiles(join(dir.path, ".claude-mpm", "errors"));
  const record = JSON.parse(Deno.readTextFileSync(join(dir.path, ".claude-mpm", "errors", name)));
  assertEquals([record.git, record.recent_commits], [null, []]);
  const start = await hook("session-start", payload("session-start-startup.json", dir));
  assertStringIncludes(
    JSON.parse(start.stdout).hookSpecificOutput.additionalContext,
    "Auto-saved when the Claude session ended",
  );
});

Deno.test("after mpm return, SessionStart tells of the parent's work, not the finished child", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("start", "feature-a", "--task", "Build the cart")).code, 0);
  assertEquals((await repo.run("branch", "hotfix", "--task", "Fix login")).code, 0);
  assertEquals((await repo.run("return", "-s", "Login fixed")).code, 0);
  const now = new Date();
  const result = await runHook(
    hookEnv(repo, payload("session-start-startup.json", repo), now),
    "session-start",
  );
  const text = JSON.parse(result.stdout!).hookSpecificOutput.additionalContext as string;
  assertStringIncludes(text, "feature-a");
  // The child's words are not the session's: only the line that says it is finished quotes them.
  assert(!text.includes("Summary: Login fixed"), text);
  assertEquals(text.split("\n").filter((line) => line.includes("Login fixed")).length, 1, text);
  assertStringIncludes(text, '"hotfix", branched from it, was completed (');
});
