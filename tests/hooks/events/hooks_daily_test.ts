/**
 * The daily cycle the hooks take part in: a person pauses with words, Claude Code sessions end
 * (SessionEnd) and start again (SessionStart), and what comes back is still the person's words.
 * Also what must never hold Claude Code up or lose a pause: a busy lock, a FIFO for a
 * transcript, a hung mpm, a deeply nested payload. And the context window, taken from what
 * Claude Code says rather than guessed.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../../assert.ts";
import { hangGuard, mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import {
  FIXTURES,
  hookEnv,
  installed,
  listFiles,
  payload,
  runScript,
  snapshots,
} from "../hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";
import { withLock } from "../../../src/disk/lock.ts";
import { MPM_HOOK_ENTRIES } from "../../../src/claude/settings/hooks/hook_entries.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function startContext(stdout: string): string {
  return JSON.parse(stdout).hookSpecificOutput.additionalContext;
}

const sessionEnd = (repo: Repo) =>
  runScript("sh", repo, "post-session", payload("session-end.json", repo));

Deno.test("SessionEnd never buries the person's words: resume, show, list and SessionStart put them first", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds", "--todo", "write tests");
  const [human] = await snapshots(repo);
  assertEquals(human.mpm.written_by, "person");

  const end = await sessionEnd(repo);
  assertEquals([end.code, end.stdout, end.stderr], [0, "", ""]);
  const [auto] = await snapshots(repo);
  assert(
    auto.session_id !== human.session_id,
    "SessionEnd wrote a snapshot (Claude's tasks are new)",
  );
  // The words are the person's, marked as carried, with when they were written.
  assertEquals(auto.conversation.summary, "Payment work");
  assertEquals(auto.conversation.next_steps, ["Add refunds"]);
  assertEquals(auto.todos.active.map((t: Json) => t.content), ["write tests"]);
  assertEquals(auto.mpm.written_by, "mpm");
  assertEquals(auto.mpm.carried, { from: human.session_id, written_at: human.paused_at });
  assertEquals(auto.mpm.auto.trigger, "session-end");
  assertEquals(
    auto.mpm.auto.note,
    "Auto-saved when the Claude session ended (the user exited Claude Code).",
  );
  // Its own part: Claude's tasks, apart from the person's todos, and the git state.
  assertEquals(auto.mpm.claude_tasks.map((t: Json) => t.content), [
    "Add webhook handlers",
    "Add refund functionality",
    "Integrate Stripe API",
  ]);
  assertEquals(auto.git_context.commit, human.git_context.commit);

  // SessionStart: the person's words first, mpm's note after, dated.
  const start = await runScript(
    "sh",
    repo,
    "pre-session",
    payload("session-start-startup.json", repo),
  );
  const text = startContext(start.stdout);
  assertStringIncludes(text, "Payment work");
  assertStringIncludes(text, "1. Add refunds");
  assertStringIncludes(text, "- [ ] write tests");
  assert(
    text.indexOf("Payment work") < text.indexOf("Note (") &&
      text.indexOf("Add refunds") < text.indexOf("Auto-saved when the Claude session ended"),
    text,
  );

  // show and list: the same order; list folds the automatic snapshot under its session.
  const shown = (await ok(repo, "show", "0")).stdout;
  assert(shown.indexOf("Summary: Payment work") < shown.indexOf("Auto-saved"), shown);
  assertStringIncludes(shown, `in ${human.session_id}; carried forward`);
  const listed = (await ok(repo, "list")).stdout;
  assertEquals(listed.match(/^ {2}\[\d+\]/gm)?.length, 1, listed);
  assertStringIncludes(listed, "Payment work");
  assertStringIncludes(listed, "+ 1 earlier snapshot of this work (index 1): mpm list --all");
  assertEquals((await ok(repo, "list", "--all")).stdout.match(/^ {2}\[\d+\]/gm)?.length, 2);

  // resume: the person's words first, then the note, then what changed.
  await repo.commit("Add refund endpoint", { "src/refunds.ts": "export {};\n" });
  const resumed = (await ok(repo, "resume")).stdout;
  assertStringIncludes(resumed, "Summary: Payment work");
  assertStringIncludes(resumed, "Add refunds");
  assertStringIncludes(resumed, "[ ] write tests");
  assertStringIncludes(resumed, "Add refund endpoint");
  assert(resumed.indexOf("Payment work") < resumed.indexOf("Auto-saved"), resumed);
  assertNotIncludes(resumed, "Automatic pause");
});

Deno.test("a SessionEnd that changed nothing writes nothing; one after a change does", async () => {
  await using repo = await installed({ tasks: "none" });
  await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");
  assertEquals((await sessionEnd(repo)).code, 0);
  assertEquals((await snapshots(repo)).length, 1, "same HEAD, tree, todos and tasks: no snapshot");
  await repo.write("app.txt", "changed\n");
  assertEquals((await sessionEnd(repo)).code, 0);
  const after = await snapshots(repo);
  assertEquals(after.length, 2);
  assertEquals(after[0].conversation.summary, "Payment work");
  assertEquals(after[0].git_context.status.untracked, ["app.txt"]);
  // And once more with nothing new since that automatic one: still two.
  assertEquals((await sessionEnd(repo)).code, 0);
  assertEquals((await snapshots(repo)).length, 2);
});

Deno.test("a bare mpm pause and mpm branch carry the person's words; pause with words replaces them", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments", "--task", "Stripe");
  await ok(repo, "todo", "add", "write tests");
  await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds", "--no-prune-worktrees");
  await ok(repo, "resume", "--no-changes");
  await repo.write("app.txt", "x\n");
  await ok(repo, "pause", "--no-prune-worktrees");
  const [bare, human] = await snapshots(repo);
  assertEquals(bare.mpm.written_by, "mpm");
  assertEquals(bare.conversation.summary, "Payment work");
  assertEquals(bare.mpm.carried.from, human.session_id);
  assertEquals(bare.mpm.key, human.mpm.key);
  await ok(repo, "resume", "--no-changes");
  await ok(repo, "branch", "hotfix");
  const [branched] = await snapshots(repo);
  assertEquals(branched.mpm.state, "branched");
  assertEquals(branched.conversation.summary, "Payment work");
  assertEquals(branched.mpm.auto.trigger, "branch");
  assertEquals(branched.mpm.carried.from, human.session_id);
  await ok(repo, "return", "-s", "Login fixed");
  const [completed] = await snapshots(repo);
  assertEquals([completed.mpm.written_by, completed.conversation.summary], [
    "person",
    "Login fixed",
  ]);
});

Deno.test("SessionEnd with the lock busy queues its pause; the next command saves it", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const paths = join(repo.path, ".claude-mpm");
  const end = await withLock(join(paths, ".lock"), () => sessionEnd(repo), { command: "test" });
  assertEquals(end.code, 0, end.stderr);
  // Queued, not waited out: a hook that waited for the lock would give up at its deadline.
  assertStringIncludes(end.stderr, "the pause is queued");
  assert(!end.stderr.includes("gave up"), end.stderr);
  assertEquals((await snapshots(repo)).length, 1);
  assertEquals((await listFiles(join(paths, "spool"))).length, 1);
  assertStringIncludes((await ok(repo, "list")).stdout, "1 automatic pause is queued");

  // The next command that changes state folds it in, as the snapshot it would have been.
  const resumed = await ok(repo, "resume", "--no-changes");
  const [folded] = await snapshots(repo);
  assertEquals(folded.mpm.auto.trigger, "session-end");
  assertEquals(folded.conversation.summary, "Payment work");
  assertStringIncludes(resumed.stdout, `Session ${folded.session_id}`);
  assertEquals(await listFiles(join(paths, "spool")), []);
});

Deno.test("a FIFO for a transcript does not hang session-end or checkpoint", async () => {
  await using repo = await installed();
  const fifo = join(repo.home, "transcript.fifo");
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output().catch(() => null);
  if (!made?.success) {
    console.log("skipped: mkfifo is not available here");
    return;
  }
  for (
    const [event, name] of [["session-end", "session-end.json"], ["checkpoint", "stop.json"]]
  ) {
    // Nobody ever writes to the FIFO: a hook that read it would wait until the hang guard.
    const run = await hangGuard(
      mpm(["hook", event], {
        cwd: repo.path,
        env: { HOME: repo.home },
        stdin: payload(name, repo, { transcript_path: fifo }),
      }),
      `mpm hook ${event}, its transcript a FIFO nobody writes to`,
    );
    assertEquals(run.code, 0, run.stderr);
  }
  // A FIFO is no transcript (claude/transcript/transcript_kind.ts): that SessionEnd was no
  // conversation's end, and paused nothing (hooks_strange_transcript_test.ts has the rest).
  assertEquals(await snapshots(repo), []);
});

Deno.test("every hook gives up at its deadline; the scripts stop a hung mpm themselves", async () => {
  await using repo = await installed();
  // A hung read: stdin a FIFO nobody writes to (the open waits for a writer).
  const fifo = join(repo.home, "stdin.fifo");
  assert((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success);
  const env = { ...hookEnv(repo, "", new Date()), readStdin: () => Deno.readTextFile(fifo) };
  const late = await runHook(
    { ...env, vars: { ...env.vars, MPM_HOOK_DEADLINE_MS: "200" } },
    "session-start",
  );
  assertEquals(late, {});
  assertMatch(env.warnings.join("\n"), /gave up after 200 ms/);
  // The read ends (empty), so nothing is left running: the hook then ignores the empty payload.
  (await Deno.open(fifo, { write: true })).close();

  const hung = join(repo.home, "hung-mpm");
  await Deno.writeTextFile(hung, "#!/bin/sh\nexec sleep 120\n");
  await Deno.chmod(hung, 0o755);
  const hasTimeout = (await new Deno.Command("sh", { args: ["-c", "command -v timeout"] }).output())
    .success;
  if (!hasTimeout) {
    console.log("skipped the script part: no `timeout` command here");
    return;
  }
  const started = performance.now();
  const run = await runScript("sh", repo, "post-session", payload("session-end.json", repo), {
    MPM_BIN: hung,
    MPM_HOOK_TIMEOUT: "1",
  });
  assertEquals(run.code, 0);
  assert(performance.now() - started < 120_000, "the script waited for the hung mpm to finish");
  assertStringIncludes(run.stderr, "mpm failed or ran over 1 s (exit 124)");
});

Deno.test("on-error survives a 50,000-deep tool input and records it, collapsed", async () => {
  await using repo = await withRepo();
  const deep = "[".repeat(50_000) + "]".repeat(50_000);
  const stdin = payload("post-tool-use-failure.json", repo).replace(
    /"tool_input":\{[^}]*\}/,
    `"tool_input":{"x":${deep}}`,
  );
  assertStringIncludes(stdin, deep);
  const env = hookEnv(repo, stdin, new Date());
  assertEquals(await runHook(env, "on-error"), {});
  assertEquals(env.warnings, []);
  const [name] = await listFiles(join(repo.path, ".claude-mpm", "errors"));
  const record = Deno.readTextFileSync(join(repo.path, ".claude-mpm", "errors", name));
  assertStringIncludes(record, "[nested too deeply]");
});

/** A transcript of Claude Code's default model (no [1m] in its id) at `tokens`. */
async function opusTranscript(repo: Repo, tokens: number, extra: string[] = []): Promise<void> {
  const entry = {
    type: "assistant",
    isSidechain: false,
    requestedModel: "claude-opus-5-5",
    message: {
      model: "claude-opus-5-5",
      usage: { input_tokens: tokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  };
  await Deno.writeTextFile(
    join(repo.home, ".claude", "projects", "transcript.jsonl"),
    [...extra, JSON.stringify(entry)].join("\n") + "\n",
  );
}

Deno.test("the context window is what Claude Code says: 15 % of a 1M window is no '75 % full'", async () => {
  await using repo = await installed();
  const stop = (vars: Record<string, string> = {}) => {
    const env = hookEnv(repo, payload("stop.json", repo), new Date());
    return runHook({ ...env, vars: { ...env.vars, ...vars } }, "checkpoint");
  };
  // Opus 5.5's documented window is 1,000,000 tokens: 15 %, no warning.
  await opusTranscript(repo, 150_000);
  assertEquals(await stop(), {});
  // Claude Code's own record of the window (modelUsage…contextWindow): 15 %, still quiet.
  const cost = JSON.stringify({
    type: "cost-state",
    modelUsage: { "claude-opus-5-5": { inputTokens: 150_000, contextWindow: 1_000_000 } },
  });
  await opusTranscript(repo, 150_000, [cost]);
  assertEquals(await stop(), {});
  // MPM_CONTEXT_WINDOW overrides what anyone says.
  const loud = await stop({ MPM_CONTEXT_WINDOW: "200000" });
  assertMatch(JSON.parse(loud.stdout!).systemMessage, /75% full \(150,000 of 200,000 tokens\)/);
  // SessionEnd records the usage with the window Claude Code reported.
  const env = hookEnv(repo, payload("session-end.json", repo), new Date());
  await runHook(env, "session-end");
  const [snapshot] = await snapshots(repo);
  assertEquals(snapshot.mpm.context_usage, {
    tokens: 150_000,
    window: 1_000_000,
    percent: 15,
    model: "claude-opus-5-5",
    window_source: "claude",
  });
});

Deno.test("SessionStart covers every source, says it supersedes earlier copies, is whole after compact and short after resuming a context it forgot", async () => {
  const entry = MPM_HOOK_ENTRIES.find((e) => e.event === "SessionStart")!;
  for (const source of ["startup", "resume", "clear", "compact", "fork"]) {
    assert(new RegExp(`^(?:${entry.matcher})$`).test(source), source);
  }
  await using repo = await installed();
  const settings = await Deno.readTextFile(join(repo.path, ".claude", "settings.local.json"));
  assertStringIncludes(settings, '"matcher": "startup|resume|clear|compact|fork"');
  await ok(repo, "pause", "-s", "Payment work", "-a", "Stripe wired", "-n", "Add refunds");
  const start = async (source: string, transcript?: string) => {
    const changes = { source, ...(transcript ? { transcript_path: transcript } : {}) };
    const env = hookEnv(repo, payload("session-start-startup.json", repo, changes), new Date());
    return startContext((await runHook(env, "session-start")).stdout!);
  };
  const full = await start("startup");
  // A fork whose transcript holds no context of mpm's, and a compaction (which removed the
  // earlier copy), get everything.
  const forked = await start("fork");
  const compact = await start("compact");
  // The real client's transcript of a conversation mpm gave a context it does not remember: short.
  const forgotten = join(FIXTURES, "transcripts", "real-2.1.330-session-start-context.jsonl");
  const resumed = await start("resume", forgotten);
  for (const text of [full, forked, compact, resumed]) {
    assertStringIncludes(text, "replaces any earlier mpm context");
    assertStringIncludes(text, "Payment work");
    assertStringIncludes(text, "Add refunds");
  }
  for (const text of [full, forked, compact]) assertStringIncludes(text, "Stripe wired");
  assertNotIncludes(resumed, "Stripe wired");
  assertStringIncludes(resumed, "- No new commits.");
  assert(resumed.length < full.length);
});

Deno.test("the model SessionStart names ([1m]) sets the window for SessionEnd, past a compaction", async () => {
  await using repo = await installed();
  await opusTranscript(repo, 150_000);
  const run = (name: string, event: "session-start" | "checkpoint" | "session-end", extra = {}) =>
    runHook(hookEnv(repo, payload(name, repo, extra), new Date()), event);
  await run("session-start-startup.json", "session-start", { model: "claude-opus-5-5[1m]" });
  await run("pre-compact-auto.json", "checkpoint");
  await run("session-end.json", "session-end");
  const [snapshot] = await snapshots(repo);
  assertEquals(snapshot.mpm.context_usage.window, 1_000_000);
  assertEquals(snapshot.mpm.context_usage.percent, 15);
  assertEquals(snapshot.mpm.context_usage.window_source, "model");
});
