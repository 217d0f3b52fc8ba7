/**
 * `mpm replay` and `mpm summary`, run as a user would: a session with two Claude Code sessions
 * (recorded by the hooks from their payloads, transcripts from the fixtures), a checkpoint, a
 * branch and return, and two commits, replayed in the terminal, as JSON lines and as HTML.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../assert.ts";
import { mpm, type Repo, type RunResult, withRepo } from "../helpers.ts";
import { MIXED, MIXED_ID, REAL, REAL_ID, retime, SECRETS } from "./replay_helpers.ts";
import { parsePayload } from "../../src/claude/session/payload.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { recordClaudeSighting } from "../../src/sessions/store/claude/claude_sessions_store.ts";

function runner(repo: Repo) {
  const env = { HOME: repo.home, TZ: "UTC" };
  const run = (args: string[], stdin?: string) => mpm(args, { cwd: repo.path, env, stdin });
  const ok = async (args: string[], stdin?: string): Promise<RunResult> => {
    const result = await run(args, stdin);
    if (result.code !== 0) {
      throw new Error(`mpm ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
    }
    return result;
  };
  return { run, ok };
}

/** The hook payload Claude Code sends, for a session whose transcript is at `path`. */
function payload(
  repo: Repo,
  event: string,
  id: string,
  path: string,
  extra: Record<string, string>,
) {
  return JSON.stringify({
    session_id: id,
    transcript_path: path,
    cwd: repo.path,
    hook_event_name: event,
    ...extra,
  });
}

async function workFile(repo: Repo, name: string): Promise<{ key: string; text: string }> {
  const work = join(repo.path, ".claude-mpm", "threads");
  // Every session has a folder (its work-tree record); only the one with Claude sessions has `name`.
  const keys = [...Deno.readDirSync(work)].map((e) => e.name)
    .filter((key) => [...Deno.readDirSync(join(work, key))].some((e) => e.name === name));
  assertEquals(keys.length, 1, `one session folder under threads/ holds ${name}: ${keys}`);
  return { key: keys[0], text: await Deno.readTextFile(join(work, keys[0], name)) };
}

/** The newest sighting the hooks recorded, as its line says. */
async function lastLine(repo: Repo): Promise<string> {
  const lines = (await workFile(repo, "claude-sessions.jsonl")).text.trim().split("\n");
  return lines[lines.length - 1];
}

/** The time of the newest sighting the hooks recorded: a transcript's entries come after it. */
async function lastSighting(repo: Repo): Promise<Date> {
  return new Date(JSON.parse(await lastLine(repo)).time);
}

function assertInOrder(text: string, parts: string[]): void {
  let at = -1;
  for (const part of parts) {
    const found = text.indexOf(part, at + 1);
    assert(found > at, `"${part}" should come after the previous part in:\n${text}`);
    at = found;
  }
}

Deno.test("mpm replay: two Claude sessions, a checkpoint, a branch and return, two commits", async (t) => {
  await using repo = await withRepo();
  const { run, ok } = runner(repo);
  const transcriptA = join(repo.home, ".claude", "projects", "shop", `${REAL_ID}.jsonl`);
  const transcriptB = join(repo.home, ".claude", "projects", "shop", `${MIXED_ID}.jsonl`);
  await Deno.mkdir(join(transcriptA, ".."), { recursive: true });

  await t.step("the first Claude session, a checkpoint and a commit", async () => {
    await ok(["start", "payments", "--task", "Stripe payments"]);
    await ok(
      ["hook", "session-start"],
      payload(repo, "SessionStart", REAL_ID, transcriptA, { source: "startup" }),
    );
    const seen = await lastSighting(repo);
    await ok(["todo", "add", "write tests"]);
    await Deno.writeTextFile(transcriptA, retime(await Deno.readTextFile(REAL), seen, new Date()));
    await ok(["checkpoint", "save", "before-refunds", "--note", "charges work"]);
    await repo.commit("Add charge()", { "src/pay.ts": "export const charge = 1;\n" });
  });

  await t.step("a branch into a hotfix with its own commit, and the return", async () => {
    await ok(["branch", "hotfix", "--task", "Fix the login"]);
    await repo.commit("Fix the login", { "src/login.ts": "export const ok = true;\n" });
    await ok(["return", "-s", "login fixed"]);
  });

  await t.step(
    "the second Claude session ends, and SessionEnd pauses and writes the summary",
    async () => {
      await ok(
        ["hook", "session-start"],
        payload(repo, "SessionStart", MIXED_ID, transcriptB, { source: "startup" }),
      );
      const seen = await lastSighting(repo);
      await ok(["todo", "add", "tax rules"]);
      await Deno.writeTextFile(
        transcriptB,
        retime(await Deno.readTextFile(MIXED), seen, new Date()),
      );
      await ok(
        ["hook", "session-end"],
        payload(repo, "SessionEnd", MIXED_ID, transcriptB, { reason: "prompt_input_exit" }),
      );
      const sightings = (await workFile(repo, "claude-sessions.jsonl")).text;
      assertEquals(
        sightings.trim().split("\n").map((l) => JSON.parse(l)).map((s) =>
          `${s.event} ${s.claude_session_id}`
        ),
        [`SessionStart ${REAL_ID}`, `SessionStart ${MIXED_ID}`, `SessionEnd ${MIXED_ID}`],
      );
      const summary = (await workFile(repo, "summary.md")).text;
      assertStringIncludes(summary, '# Session summary: "payments"');
      assertStringIncludes(summary, "## Layer 1: Full History (0-1 hour old)");
      assertStringIncludes(summary, "prompt: Add a cart total, and check it with a subagent.");
      assertStringIncludes(summary, "edit: src/cart.ts (+5 −0)");
      assertStringIncludes(summary, "failure: Bash `ls /nonexistent-tests-dir`");
      for (const secret of SECRETS) assertNotIncludes(summary, secret);
    },
  );

  await t.step("in the terminal", async () => {
    const out = (await ok(["replay"])).stdout;
    assertStringIncludes(out, 'Replay of "payments"');
    assertInOrder(out, [
      'mpm  started "payments"',
      `claude code  session ${REAL_ID.slice(0, 8)} started (startup)`,
      "prompt  Add a payment module with charge and refund, then run the tests.",
      "create",
      "edit src/pay.ts (+4 −0)",
      "tool Bash failed  ls /nonexistent-tests-dir",
      "compaction  (manual, 1,220 tokens before)",
      "checkpoint before-refunds",
      'branched into "hotfix"',
      'returned from "hotfix"',
      `claude code  session ${MIXED_ID.slice(0, 8)} started (startup)`,
      "prompt  Add a cart total, and check it with a subagent.",
      "thinking  The cart needs a total()",
      "edit src/cart.ts (+5 −0)",
      "(subagent) prompt  Read src/cart.ts",
      "edit README.md (+2 −0)",
      "tool Bash  cat .env",
      "paused automatically",
      `note: Claude session ${MIXED_ID.slice(0, 8)}: skipped 1 unreadable line, ` +
      "1 entry of a type this mpm does not know, 1 tool result without its call.",
    ]);
    assertMatch(out, /\[\d\d:\d\d:\d\d\] commit [0-9a-f]{7} {2}Add charge\(\)/);
    assertMatch(out, /\[\d\d:\d\d:\d\d\] commit [0-9a-f]{7} {2}Fix the login/);
    assertStringIncludes(out, "           +  quantity: number;");
    assertStringIncludes(out, "→ STRIPE_KEY=[REDACTED:stripe-key]");
    for (const secret of SECRETS) assertNotIncludes(out, secret);

    const edits = (await ok(["replay", "--only", "edits,commits"])).stdout;
    assertNotIncludes(edits, "prompt  ");
    assertNotIncludes(edits, "checkpoint");
    assertStringIncludes(edits, "edit src/cart.ts");
    assertStringIncludes(edits, "Fix the login");
    const skipped = (await ok(["replay", "--skip-tools"])).stdout;
    assertNotIncludes(skipped, "tool Bash");
    assertStringIncludes(skipped, "edit src/cart.ts");
  });

  await t.step("as JSON lines", async () => {
    const lines = (await ok(["replay", "--json"])).stdout.trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    const [first, last] = [lines[0], lines[lines.length - 1]];
    assertEquals([first.kind, first.name, first.active], ["session", "payments", false]);
    assertEquals(first.claude.map((c: { id: string }) => c.id), [REAL_ID, MIXED_ID]);
    assertEquals(last.kind, "end");
    assertEquals(last.events, lines.length - 2);
    const mixed = last.transcripts.find((t: { claude_session: string }) =>
      t.claude_session === MIXED_ID
    );
    assertEquals([mixed.bad_lines, mixed.unknown_types, mixed.orphan_results], [1, 1, 1]);
    const events = lines.slice(1, -1);
    const times = events.map((e) => e.time);
    assertEquals(times, [...times].sort(), "events in time order");
    const find = (pred: (e: Record<string, unknown>) => boolean) => events.find(pred)!;
    const checkpoint = find((e) => e.kind === "checkpoint");
    const branch = find((e) => e.kind === "mpm" && e.command === "branch");
    const back = find((e) => e.kind === "mpm" && e.command === "return");
    // git dates are whole seconds, so the repository's first commit, made in the second the
    // session started, counts as the session's too.
    const commits = events.filter((e) => e.kind === "commit" && e.subject !== "Initial commit");
    assertEquals(commits.map((c) => c.subject), ["Add charge()", "Fix the login"]);
    // git keeps whole seconds: each commit lies between the records around it, to the second.
    const second = (e: Record<string, unknown>) => String(e.time).slice(0, 19);
    assert(second(checkpoint) <= second(commits[0]) && commits[0].time <= branch.time);
    assert(second(branch) <= second(commits[1]) && commits[1].time <= back.time);
    const edit = find((e) => e.kind === "edit" && e.path === "src/cart.ts");
    assertEquals([edit.tool, edit.operation, edit.added, edit.removed], [
      "MultiEdit",
      "multi-edit",
      5,
      0,
    ]);
    assertEquals(
      new Set(
        events.filter((e) => e.source === "claude" && e.kind !== "claude").map((e) =>
          e.claude_session
        ),
      ),
      new Set([REAL_ID, MIXED_ID]),
    );
    assert(events.some((e) => e.sidechain === true && e.kind === "prompt"));
    const all = JSON.stringify(lines);
    for (const secret of SECRETS) assertNotIncludes(all, secret);
    assertStringIncludes(all, "[REDACTED:anthropic-key]");
  });

  await t.step("as one HTML page", async () => {
    const file = join(repo.home, "replay.html");
    const out = (await ok(["replay", "--html", file])).stdout;
    assertMatch(out, /^Wrote .*replay\.html: \d+ events, \d+ KB\.\n$/);
    const html = await Deno.readTextFile(file);
    assertStringIncludes(
      html,
      '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';',
    );
    const data = JSON.parse(
      html.match(/id="mpm-events" type="application\/json">([\s\S]*?)<\/script>/)![1],
    );
    const kinds = new Set(data.map((e: { kind: string }) => e.kind));
    for (
      const kind of [
        "prompt",
        "edit",
        "tool",
        "thinking",
        "commit",
        "checkpoint",
        "mpm",
        "compact-summary",
      ]
    ) {
      assert(kinds.has(kind), `the page holds a ${kind} event`);
    }
    const meta = JSON.parse(
      html.match(/id="mpm-meta" type="application\/json">([\s\S]*?)<\/script>/)![1],
    );
    assertEquals(meta.session.name, "payments");
    assert(meta.notes.some((n: string) => n.includes("1 unreadable line")));
    for (const secret of SECRETS) assertNotIncludes(html, secret);
    if (Deno.build.os !== "windows") assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  });

  await t.step("mpm summary, in layers", async () => {
    const out = (await ok(["summary"])).stdout;
    assertInOrder(out, [
      "## Layer 1: Full History (0-1 hour old)",
      "prompt: Add a payment module",
      "prompt: Add a cart total",
      "## Layer 2: Detailed Summary (1-4 hours old)",
      "### Current state",
      "Open todos: write tests; tax rules",
      "## Layer 3: Brief Summary (4+ hours old)",
      "## Layer 4: Archived (completed sessions)",
      '"hotfix": login fixed (completed)',
    ]);
    const json = JSON.parse((await ok(["summary", "--json"])).stdout);
    assertEquals(json.session.name, "payments");
    assert(json.layer1.items.some((i: { kind: string }) => i.kind === "failure"));
  });

  await t.step("the child session replays on its own", async () => {
    const status = JSON.parse((await ok(["list", "--json"])).stdout);
    const child = status.find((s: { state: string }) => s.state === "completed");
    const out = (await ok(["replay", child.session_id])).stdout;
    assertStringIncludes(out, 'Replay of "hotfix"');
    assertStringIncludes(out, 'began as a branch of "payments"');
    assertStringIncludes(out, "completed by mpm return");
    assertNotIncludes(out, "Add a cart total");
    assertEquals((await run(["replay", "--only", "nothing"])).code, 2);
  });
});

Deno.test("replay survives a missing transcript, a FIFO and bad flags, with one sentence each", async () => {
  await using repo = await withRepo();
  const { run, ok } = runner(repo);
  assertEquals((await run(["replay"])).code, 3);
  await ok(["start", "broken"]);
  const missing = join(repo.home, "gone.jsonl");
  await ok(
    ["hook", "session-start"],
    payload(repo, "SessionStart", "aaaa-missing", missing, { source: "startup" }),
  );
  const out = (await ok(["replay"])).stdout;
  assertStringIncludes(out, `note: The transcript ${missing} does not exist (any more).`);
  if (Deno.build.os !== "windows") {
    // A FIFO is no transcript (claude/transcript/transcript_kind.ts): the hook records none, and
    // one recorded while nothing was there yet (its line sealed here) is neither read nor named.
    const fifo = join(repo.home, "pipe.jsonl");
    assert((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success);
    await ok(
      ["hook", "session-start"],
      payload(repo, "SessionStart", "bbbb-fifo", fifo, { source: "resume" }),
    );
    const recorded = JSON.parse(await lastLine(repo));
    assertEquals([recorded.claude_session_id, recorded.transcript_path], ["bbbb-fifo", null]);
    const before = parsePayload(
      payload(repo, "SessionStart", "dddd-fifo", fifo, { source: "resume" }),
    );
    assert(before.ok);
    useMachineKeyFrom({ HOME: repo.home }, repo.home);
    await recordClaudeSighting(projectPaths(repo.path), before.payload, new Date());
    // A transcript with a 1 GiB line between two good ones (sparse: no disk, little time).
    const huge = join(repo.home, "huge.jsonl");
    const seen = await lastSighting(repo);
    const entry = (text: string, ms: number) =>
      JSON.stringify({
        type: "user",
        timestamp: new Date(seen.getTime() + ms).toISOString(),
        message: { content: text },
      }) + "\n";
    {
      using file = await Deno.open(huge, { write: true, create: true });
      const first = new TextEncoder().encode(entry("before the long line", 1));
      await file.write(first);
      await file.truncate(first.length + 1024 ** 3);
      await file.seek(0, Deno.SeekMode.End);
      await file.write(new TextEncoder().encode("\n" + entry("after the long line", 2)));
    }
    await ok(
      ["hook", "session-start"],
      payload(repo, "SessionStart", "cccc-huge", huge, { source: "startup" }),
    );
    // Opening a FIFO with no writer would block for ever; the replay must finish instead.
    const result = await ok(["replay", "--json"]);
    const lines = result.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const end = lines[lines.length - 1];
    assertNotIncludes(result.stdout, fifo);
    assertEquals(
      end.transcripts.map((t: { claude_session: string }) => t.claude_session),
      ["aaaa-missing", "cccc-huge"],
    );
    assertEquals(
      lines.filter((l) => l.kind === "prompt").map((l) => l.text),
      ["before the long line", "after the long line"],
    );
    assert(end.notes.includes("Claude session cccc-hug: skipped 1 line too long to read."));
  }
  const step = await run(["replay", "--step"]);
  assertEquals(step.code, 2);
  assertStringIncludes(
    step.stderr,
    "--step waits for Enter between events, so it needs a terminal",
  );
  const both = await run(["replay", "--json", "--html", "x.html"]);
  // With --json the error comes as JSON on stdout; either way it is one sentence.
  assertEquals([both.code, (both.stdout + both.stderr).includes("choose one")], [2, true]);
  const since = await run(["replay", "--since", "yesterday"]);
  assertEquals(
    [since.code, since.stderr.includes("--since must be a date, a time or a duration")],
    [2, true],
  );
});

Deno.test("replay and summary name a damaged snapshot and why, and each names itself", async () => {
  await using repo = await withRepo();
  const { run, ok } = runner(repo);
  const nothing = await run(["summary"]);
  assertEquals(nothing.code, 3);
  assertStringIncludes(nothing.stderr, "nothing to summarize.");
  assertStringIncludes((await run(["replay"])).stderr, "nothing to replay.");

  await ok(["pause", "-s", "the only pause"]);
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const [file] = [...Deno.readDirSync(sessions)].map((e) => e.name).filter((n) =>
    n.endsWith(".json")
  );
  await Deno.writeTextFile(join(sessions, file), '{"broken\n');
  for (const args of [["replay"], ["summary"], ["replay", "0"], ["summary", "0"]]) {
    const refused = await run(args);
    assertEquals(refused.code, 4, args.join(" "));
    assertStringIncludes(refused.stderr, `${file} is not valid JSON`);
  }
});
