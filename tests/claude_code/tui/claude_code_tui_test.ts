/**
 * The daily cycle in the real, interactive Claude Code: typed into its TUI in tmux (tui.ts)
 * against the mock API, with mpm's hooks installed and an `mpm` on PATH running this source
 * tree. What a person sees and what the model is sent, at each step:
 * - a session that edits a file and ends with `/exit`: the context reaches the model, the session
 *   name is the session title, the automatic pause keeps the person's words;
 * - `/clear`, `/compact` and `/resume` in one session: Claude's tasks follow the `/clear`, the
 *   compaction shows no JSON and sends the model nothing of mpm's, the resumed conversation gets
 *   only what changed since, and the automatic pause names `/resume` in words;
 * - a todo added between two sessions joins the person's words instead of burying them.
 * Skipped with one line where tmux or the client cannot be had.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, type Repo, withRepo, writeMpmProgram } from "../../helpers.ts";
import {
  type MessagesRequest,
  type MockReply,
  requestText,
  startMockApi,
  toolResults,
} from "../mock_api.ts";
import { ready, seedClaudeJson, startTui, type Tui, tuiOrSkip } from "../tui.ts";
import { waitFor } from "../wait.ts";

const claude = await tuiOrSkip();

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** The text of the request's last user turn: the prompt typed, or a tool's result. */
function lastUserTurn(request: MessagesRequest): { text: string; toolResult: boolean } {
  const turn = request.messages.filter((m) => m.role === "user").at(-1);
  if (!turn) return { text: "", toolResult: false };
  if (typeof turn.content === "string") return { text: turn.content, toolResult: false };
  const toolResult = turn.content.some((block) => block.type === "tool_result");
  const text = turn.content.filter((block) => block.type === "text")
    .map((block) => String(block.text)).join("\n");
  return { text, toolResult };
}

/**
 * The model's side: a prompt that matches a rule gets that rule's answer; a tool's result gets
 * `after`; anything else (a compaction's summary request, say) a plain line.
 */
function scripted(rules: [RegExp, MockReply][], after = "Done.") {
  return (request: MessagesRequest): MockReply => {
    const turn = lastUserTurn(request);
    if (turn.toolResult) return { text: after };
    for (const [when, reply] of rules) if (when.test(turn.text)) return reply;
    return { text: "Noted." };
  };
}

const bash = (command: string): MockReply => ({
  toolUse: { name: "Bash", input: { command, description: "Write the file" } },
});

/** A repository with mpm's hooks, the person's words, a client HOME and an `mpm` on PATH. */
async function project(): Promise<{ repo: Repo; path: string }> {
  const repo = await withRepo();
  const bin = join(repo.home, "..", "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  await ok(repo, "hooks", "install");
  await seedClaudeJson(repo.home, await Deno.realPath(repo.path));
  return { repo, path: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
}

/** The snapshots on disk, newest first. */
function snapshots(repo: Repo): Json[] {
  const dir = join(repo.path, ".claude-mpm", "sessions");
  return [...Deno.readDirSync(dir)]
    .filter((entry) => /^session-\d{8}-\d{6}.*\.json$/.test(entry.name))
    .map((entry) => JSON.parse(Deno.readTextFileSync(join(dir, entry.name))))
    .sort((a, b) => b.paused_at.localeCompare(a.paused_at));
}

/** Waits for the automatic pause of Claude session `id` (SessionEnd may run in the background). */
function pauseOf(repo: Repo, id: string): Promise<Json> {
  return waitFor(
    () => snapshots(repo).find((s) => s.mpm?.claude_session_id === id && s.mpm?.auto),
    { what: `the automatic pause of Claude session ${id}` },
  );
}

/** The Claude session ids the hooks saw start, in order (from the debug log's hook lines). */
async function sessionIdOf(tui: Tui, repo: Repo, source: string): Promise<string> {
  await tui.waitLog(`SessionStart:${source}`, `SessionStart:${source} in the debug log`);
  const sightings = await waitFor(async () => {
    const threads = join(repo.path, ".claude-mpm", "threads");
    const lines: Json[] = [];
    for await (const key of Deno.readDir(threads)) {
      const file = join(threads, key.name, "claude-sessions.jsonl");
      const text = await Deno.readTextFile(file).catch(() => "");
      lines.push(...text.split("\n").filter(Boolean).map((l) => JSON.parse(l)));
    }
    const found = lines.filter((l) => l.event === "SessionStart" && l.detail === source);
    return found.length > 0 && found;
  }, { what: `mpm's sighting of SessionStart:${source}` });
  return sightings[sightings.length - 1].claude_session_id;
}

Deno.test({
  name: "TUI: a session edits a file and ends with /exit; the context and the name meet the person",
  ignore: !claude,
  fn: async () => {
    const { repo, path } = await project();
    await using _repo = repo;
    await ok(repo, "start", "Payments");
    await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");
    await using api = startMockApi(scripted([
      [/edit refund/i, bash("printf 'export const refund = 1;\\n' > refund.ts")],
    ], "refund.ts is written."));
    await using tui = await startTui({
      claude: claude!,
      api,
      cwd: repo.path,
      home: repo.home,
      env: { PATH: path },
    });
    await ready(tui);
    await tui.submit("Please edit refund.ts");
    await tui.waitScreen("refund.ts is written.", "the answer after the Bash call");
    assertEquals(await repo.read("refund.ts"), "export const refund = 1;\n");
    const first = requestText(api.requests[0]);
    assertStringIncludes(first, "Payment work");
    assertStringIncludes(first, "Add refunds");
    // The session's name is Claude Code's session title, on the prompt box.
    await tui.waitLog(/Hook sessionTitle (applied|cached)/, "Claude Code taking the title");
    await tui.waitScreen(/─ Payments ─/, "the session's name on the prompt box");

    await tui.submit("/exit");
    assertEquals(await tui.waitExit(), 0);
    const id = await sessionIdOf(tui, repo, "startup");
    const auto = await pauseOf(repo, id);
    assertEquals(auto.conversation.summary, "Payment work");
    assertEquals(auto.git_context.status.untracked, ["refund.ts"]);
    const resumed = (await ok(repo, "resume")).stdout;
    assertStringIncludes(resumed, "Payment work");
    assertStringIncludes(resumed, "refund.ts");
  },
});

/** The request whose typed prompt matches `prompt` (the newest such). */
function requestFor(requests: MessagesRequest[], prompt: RegExp): string {
  const found = requests.findLast((r) => {
    const turn = lastUserTurn(r);
    return !turn.toolResult && prompt.test(turn.text);
  });
  assert(found, `no request for ${prompt}`);
  return requestText(found);
}

const count = (text: string, part: string) => text.split(part).length - 1;

Deno.test({
  name: "TUI: /clear, /compact and /resume in one session",
  ignore: !claude,
  fn: async (t) => {
    const { repo, path } = await project();
    await using _repo = repo;
    await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");
    await using api = startMockApi(scripted([
      [/plan the refunds/i, {
        toolUse: {
          name: "TaskCreate",
          input: {
            subject: "Wire the refund webhook",
            description: "POST /refunds/webhook",
            activeForm: "Wiring the refund webhook",
          },
        },
      }],
      [/edit refund/i, bash("printf 'export const refund = 1;\\n' > refund.ts")],
      [/list the tasks/i, { toolUse: { name: "TaskList", input: {} } }],
    ]));
    await using tui = await startTui({
      claude: claude!,
      api,
      cwd: repo.path,
      home: repo.home,
      // The task tools on for every model (2.1.330 turns them off for its default one).
      env: { PATH: path, CLAUDE_CODE_ENABLE_TODO_TOOLS: "1" },
    });
    await ready(tui);
    await tui.submit("Please plan the refunds");
    await tui.waitScreen("Done.", "the answer after TaskCreate");
    const first = await sessionIdOf(tui, repo, "startup");
    const tasks = (id: string) => join(repo.home, ".claude", "tasks", id);

    await t.step(
      "/clear: the words and Claude's task come back in the new conversation",
      async () => {
        await tui.submit("/clear");
        const second = await sessionIdOf(tui, repo, "clear");
        assert(second !== first);
        const auto = await pauseOf(repo, first);
        assertEquals(
          auto.mpm.auto.note,
          "Auto-saved when the Claude session ended (the conversation was cleared (/clear)).",
        );
        assertEquals(auto.mpm.claude_tasks, [{
          content: "Wire the refund webhook",
          status: "pending",
        }]);
        // The new conversation's own task list, written by mpm (Claude's own had a description).
        const task = JSON.parse(await Deno.readTextFile(join(tasks(second), "1.json")));
        assertEquals([task.subject, task.status, task.description], [
          "Wire the refund webhook",
          "pending",
          "",
        ]);
        await tui.submit("Please edit refund.ts");
        await tui.waitScreen(/Ran 1 shell command[\s\S]*Done\./, "the answer after the edit");
        // Claude Code's own TaskList tool reads the list mpm wrote. (Its task panel redraws on its
        // own schedule: in whole-suite runs on a loaded machine it had not shown the list three
        // minutes on, so what the test holds to is what Claude itself reads.)
        await tui.submit("Please list the tasks");
        await tui.waitScreen(/list the tasks[\s\S]*Done\./, "the answer after TaskList");
        const listed = api.requests.findLast((r) => lastUserTurn(r).toolResult);
        assert(listed, "no request carried TaskList's result");
        assertStringIncludes(
          JSON.stringify(toolResults(listed).at(-1)),
          "Wire the refund webhook",
        );
        const sent = requestFor(api.requests, /edit refund/i);
        assertEquals(count(sent, "Last session (mpm)"), 1);
        assertStringIncludes(sent, "Payment work");
        assertStringIncludes(sent, "(git log)");
        assertStringIncludes(sent, "Wire the refund webhook");
      },
    );

    await t.step(
      "/compact: no JSON on screen, nothing of mpm's to the model, full context after",
      async () => {
        const before = api.requests.length;
        await tui.submit("/compact");
        const shown = await tui.waitScreen(/Compacted/, "the compaction's end");
        assertStringIncludes(shown, "PreCompact [");
        assertStringIncludes(shown, "completed successfully");
        assertNotIncludes(shown, "systemMessage");
        assertNotIncludes(shown, "saved checkpoint");
        const summaryRequests = api.requests.slice(before).map(requestText);
        assert(summaryRequests.length > 0);
        for (const text of summaryRequests) {
          assertNotIncludes(text, "saved checkpoint");
          assertNotIncludes(text, "systemMessage");
        }
        const checkpoints = [...Deno.readDirSync(join(repo.path, ".claude-mpm", "checkpoints"))];
        assert(checkpoints.some((e) => /^auto-\d{8}-\d{6}\.json$/.test(e.name)));
        await tui.waitLog("SessionStart:compact", "SessionStart after /compact");
        await tui.submit("After the compaction");
        await tui.waitScreen("Noted.", "the answer after the compaction");
        const sent = requestFor(api.requests, /After the compaction/);
        assertStringIncludes(sent, "Last session (mpm)");
        assertStringIncludes(sent, "(git log)");
      },
    );

    await t.step(
      "/resume: only what changed since, and the pause names /resume in words",
      async () => {
        const current = await sessionIdOf(tui, repo, "clear");
        await tui.submit("/resume");
        await tui.waitScreen(/Resume session[\s\S]*Please plan the refunds/, "the /resume picker");
        await tui.press("Enter");
        await tui.waitLog("SessionStart:resume", "SessionStart after /resume");
        const auto = await pauseOf(repo, current);
        assertEquals(
          auto.mpm.auto.note,
          "Auto-saved when the Claude session ended (another conversation was resumed (/resume)).",
        );
        await ready(tui);
        await tui.submit("Carry on with the refunds");
        await tui.waitScreen(
          /Carry on with the refunds[\s\S]*Noted\./,
          "the answer in the resumed conversation",
        );
        const sent = requestFor(api.requests, /Carry on with the refunds/);
        assertStringIncludes(sent, "What changed since mpm's context earlier in this conversation");
        // The conversation's first context stays the only full one.
        assertEquals(count(sent, "Last session (mpm)"), 1);
        assertEquals(count(sent, "(git log)"), 1);
        // Its own task list had the task already: nothing was added to it.
        assertEquals(
          [...Deno.readDirSync(tasks(first))].filter((e) => e.name.endsWith(".json")).length,
          1,
        );
      },
    );
  },
});

Deno.test({
  name: "TUI: a todo added between two sessions joins the person's words instead of burying them",
  ignore: !claude,
  fn: async () => {
    const { repo, path } = await project();
    await using _repo = repo;
    await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");
    await using api = startMockApi(scripted([
      [/edit the refund tests/i, bash("printf 'test();\\n' > refund_test.ts")],
      [/edit refund/i, bash("printf 'export const refund = 1;\\n' > refund.ts")],
    ]));
    const session = async (prompt: string, source = "startup") => {
      await using tui = await startTui({
        claude: claude!,
        api,
        cwd: repo.path,
        home: repo.home,
        env: { PATH: path },
      });
      await ready(tui);
      await tui.submit(prompt);
      await tui.waitScreen(/Ran 1 shell command[\s\S]*Done\./, `the answer to "${prompt}"`);
      await tui.submit("/exit");
      assertEquals(await tui.waitExit(), 0);
      return await pauseOf(repo, await sessionIdOf(tui, repo, source));
    };

    await session("Please edit refund.ts");
    const added = await ok(repo, "todo", "add", "Check partial refunds");
    assertStringIncludes(added.stdout, "continuing the newest work");
    assertNotIncludes(added.stdout, "ad-hoc");
    const auto = await session("Please edit the refund tests");
    assertEquals(auto.conversation.summary, "Payment work");
    assertEquals(auto.conversation.next_steps, ["Add refunds"]);
    assertEquals(auto.todos.active.map((todo: Json) => todo.content), ["Check partial refunds"]);

    const resumed = (await ok(repo, "resume")).stdout;
    for (const words of ["Payment work", "Add refunds", "Check partial refunds"]) {
      assertStringIncludes(resumed, words);
    }
    await ok(repo, "pause");
    // The next Claude Code start is told all three.
    await using tui = await startTui({
      claude: claude!,
      api,
      cwd: repo.path,
      home: repo.home,
      env: { PATH: path },
    });
    await ready(tui);
    await tui.submit("What next?");
    await tui.waitScreen("Noted.", "the answer");
    const sent = requestFor(api.requests, /What next\?/);
    for (const words of ["Payment work", "Add refunds", "Check partial refunds"]) {
      assertStringIncludes(sent, words);
    }
  },
});
