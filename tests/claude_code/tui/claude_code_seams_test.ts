/**
 * The seams between mpm and the real, interactive Claude Code, typed into its TUI in tmux
 * (tui.ts) against one mock API shared by every step:
 * - a second exit with nothing done keeps the session's name and todos (an automatic snapshot
 *   that would change nothing is not written);
 * - Claude Code started in a subfolder runs the hooks, gets the context and pauses the project;
 * - a teammate's clone with mpm's project settings committed but no mpm nor its scripts: no hook
 *   fails, the status line says nothing wrong;
 * - a status line in the person's user settings stays, with mpm's part after it.
 * Skipped with one line where tmux or the client cannot be had.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../../assert.ts";
import { exists, git, ok, okJson, type Repo, withRepo, writeMpmProgram } from "../../helpers.ts";
import {
  type MessagesRequest,
  type MockApi,
  type MockReply,
  requestText,
  startMockApi,
} from "../mock_api.ts";
import { ready, seedClaudeJson, startTui, tuiOrSkip } from "../tui.ts";
import { waitFor } from "../wait.ts";

const claude = await tuiOrSkip();

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const SYSTEM_PATH = Deno.env.get("PATH") ?? "/usr/bin:/bin";

/** PATH without any folder that holds an `mpm`: a machine where mpm was never installed. */
function pathWithoutMpm(): string {
  const has = (dir: string) => {
    try {
      return Deno.statSync(join(dir, "mpm")).isFile;
    } catch {
      return false;
    }
  };
  return SYSTEM_PATH.split(":").filter((dir) => dir !== "" && !has(dir)).join(":");
}

/** The model: a prompt naming a `WRITE path` writes that file with Bash; anything else is noted. */
function model(request: MessagesRequest): MockReply {
  const turn = request.messages.filter((m) => m.role === "user").at(-1);
  if (turn && typeof turn.content !== "string") {
    if (turn.content.some((block) => block.type === "tool_result")) return { text: "Written." };
  }
  const text = turn === undefined
    ? ""
    : typeof turn.content === "string"
    ? turn.content
    : turn.content.map((block) => String(block.text ?? "")).join("\n");
  const file = /WRITE (\S+)/.exec(text)?.[1];
  if (file) {
    return {
      toolUse: {
        name: "Bash",
        input: { command: `printf 'export {};\\n' > ${file}`, description: "Write the file" },
      },
    };
  }
  return { text: "Noted." };
}

/** A repository, an `mpm` for PATH (this source tree) and a client HOME seeded for its root. */
async function project(): Promise<{ repo: Repo; path: string }> {
  const repo = await withRepo();
  const bin = join(repo.home, "..", "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  await seedClaudeJson(repo.home, await Deno.realPath(repo.path));
  return { repo, path: `${bin}:${SYSTEM_PATH}` };
}

/** The snapshots on disk, newest first. */
function snapshots(root: string): Json[] {
  const dir = join(root, ".claude-mpm", "sessions");
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].map((entry) => entry.name);
  } catch {
    return [];
  }
  return names.filter((name) => /^session-\d{8}-\d{6}.*\.json$/.test(name))
    .map((name) => JSON.parse(Deno.readTextFileSync(join(dir, name))))
    .sort((a, b) => b.paused_at.localeCompare(a.paused_at));
}

/** The lines of `.claude-mpm/events.jsonl`. */
function events(root: string): Json[] {
  try {
    return Deno.readTextFileSync(join(root, ".claude-mpm", "events.jsonl")).split("\n")
      .filter(Boolean).map((line) => JSON.parse(line));
  } catch {
    return [];
  }
}

/** The automatic pauses SessionEnd recorded in events.jsonl (written or not). */
const autoPauses = (root: string) => events(root).filter((e) => e.command === "pause" && e.auto);

/** The screen with its wrapping undone: a message the TUI breaks over lines reads as one. */
const flat = (screen: string) => screen.replace(/\s+/g, " ");

/** What must never be shown or logged: a hook that failed. */
function assertNoHookFailed(text: string, where: string): void {
  const lines = text.split("\n").filter((line) =>
    /hook.*(failed|error)|failed.*hook/i.test(line) &&
    // Not a failure: the client's note that a background hook had ended (status 0) before it
    // wrote the hook its input, as the teammate's SessionEnd that finds no script can.
    !/\[DEBUG\] Async hook stdin write failed \(EPIPE\)/.test(line)
  );
  assertEquals(lines, [], `${where} names a failed hook`);
}

/** One client run: prompt (if any), then `/exit`; returns the TUI's debug log and screen. */
async function session(
  api: MockApi,
  options: {
    cwd: string;
    home: string;
    path: string;
    prompt?: string;
    answer?: string;
    /** What the screen must come to show after the answer (the status line, say). */
    shows?: RegExp;
  },
): Promise<{ log: string; screen: string }> {
  await using tui = await startTui({
    claude: claude!,
    api,
    cwd: options.cwd,
    home: options.home,
    env: { PATH: options.path },
  });
  await ready(tui);
  let screen = "";
  if (options.prompt) {
    await tui.submit(options.prompt);
    screen = await tui.waitScreen(options.answer ?? "Noted.", `the answer to "${options.prompt}"`);
    await tui.waitLog(/Hooks: Stop \[.*\] finished/, "the Stop hook");
    if (options.shows) {
      screen = await tui.waitScreen(options.shows, `the screen to show ${options.shows}`);
    }
  }
  await tui.submit("/exit");
  assertEquals(await tui.waitExit(), 0);
  return { log: await tui.debugLog(), screen };
}

Deno.test({
  name: "TUI seams: exits, subfolders, a teammate's clone and a person's status line",
  ignore: !claude,
  fn: async (t) => {
    await using api = startMockApi(model);

    await t.step("a second exit with nothing done keeps the session's name and todos", async () => {
      const { repo, path } = await project();
      await using _repo = repo;
      await ok(repo, "start", "Refunds", "-t", "feature", "--var", "feature=refunds");
      await ok(repo, "hooks", "install");
      const started = await okJson(repo, "status", "--json");
      const todos = started.active.todos.map((todo: Json) => todo.content);
      assert(todos.length > 0, "the feature template gives the session its todos");

      await session(api, { cwd: repo.path, home: repo.home, path, prompt: "Plan the refunds" });
      const first = await waitFor(
        () => autoPauses(repo.path).length === 1 && snapshots(repo.path),
        { what: "the first exit's automatic pause" },
      );
      assertEquals(first.length, 1);
      assertEquals(first[0].mpm.name, "Refunds");
      assertEquals(first[0].todos.active.map((todo: Json) => todo.content), todos);

      // A conversation that changes nothing (one with no message at all is no conversation, and
      // its SessionEnd records nothing: hooks/events/end_decision.ts).
      const { log } = await session(api, {
        cwd: repo.path,
        home: repo.home,
        path,
        prompt: "Anything left?",
      });
      assertNoHookFailed(log, "the second run's debug log");
      const second = await waitFor(
        () => autoPauses(repo.path).length === 2 && autoPauses(repo.path)[1],
        { what: "the second exit's automatic pause" },
      );
      // Nothing changed between the two exits: the second pause wrote no snapshot.
      assertEquals(second.unchanged, true);
      assertEquals(snapshots(repo.path).length, 1);
      const [newest] = await okJson(repo, "list", "--json");
      assertEquals(newest.name, "Refunds");
      const shown = await okJson(repo, "show", newest.session_id, "--json");
      assertEquals(shown.todos.active.map((todo: Json) => todo.content), todos);
      const resumed = (await ok(repo, "resume")).stdout;
      assertStringIncludes(resumed, "Name: Refunds");
      const open = Number(/Todos \((\d+) open/.exec(resumed)?.[1] ?? 0);
      assertEquals(open, todos.length);
    });

    await t.step(
      "Claude Code started in a subfolder runs the hooks and pauses the project",
      async () => {
        const { repo, path } = await project();
        await using _repo = repo;
        await ok(repo, "hooks", "install");
        await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
        // A tracked file beside it, so git names the new file rather than its folder.
        await repo.commit("The ledger's routes", { "src/api/routes.ts": "export {};\n" });
        const sub = await Deno.realPath(join(repo.path, "src", "api"));
        await seedClaudeJson(repo.home, sub);
        const before = api.requests.length;
        const { log, screen } = await session(api, {
          cwd: sub,
          home: repo.home,
          path,
          prompt: "Please WRITE handler.ts",
          answer: "Written.",
        });
        assertMatch(log, /Hooks: SessionStart:startup \[.*\] finished with status 0/);
        assertNoHookFailed(log, "the debug log");
        assertNoHookFailed(screen, "the screen");
        const sent = requestText(api.requests[before]);
        assertStringIncludes(sent, "Ledger API half done");
        assertStringIncludes(sent, "Wire the ledger route");
        const auto = await waitFor(
          () => snapshots(repo.path).find((s) => s.mpm?.auto?.trigger === "session-end"),
          { what: "the automatic pause at the repository's root" },
        );
        assertEquals(auto.conversation.summary, "Ledger API half done");
        assertEquals(auto.git_context.status.untracked, ["src/api/handler.ts"]);
        assertEquals(await exists(join(sub, ".claude-mpm")), false);
      },
    );

    await t.step(
      "a teammate's clone without mpm: no hook fails, the status line says nothing wrong",
      async () => {
        const { repo } = await project();
        await using _repo = repo;
        await ok(repo, "hooks", "install", "--scope", "project");
        await ok(repo, "pause", "-s", "Shared settings");
        await repo.git("add", ".claude/settings.json");
        await repo.git("commit", "-q", "-m", "Claude Code settings with mpm's hooks");
        const clone = join(repo.path, "..", "teammate");
        const home = join(repo.path, "..", "teammate-home");
        await git(join(repo.path, ".."), "clone", "-q", repo.path, clone);
        await Deno.mkdir(home);
        assertEquals(await exists(join(clone, ".claude", "settings.json")), true);
        assertEquals(await exists(join(clone, ".claude-mpm")), false);
        await seedClaudeJson(home, await Deno.realPath(clone));
        // No mpm anywhere: not on PATH, and a HOME without ~/.local/bin/mpm.
        const { log, screen } = await session(api, {
          cwd: clone,
          home,
          path: pathWithoutMpm(),
          prompt: "Hello from the clone",
        });
        assertMatch(log, /Hooks: SessionStart:startup \[.*\] finished with status 0/);
        assertMatch(log, /Hooks: Stop \[.*\] finished with status 0/);
        assertNoHookFailed(log, "the debug log");
        assertNoHookFailed(screen, "the screen");
        assertNotIncludes(screen.toLowerCase(), "problem");
        // The one thing said: SessionStart's line on how to install mpm (once per project).
        assertStringIncludes(
          flat(screen),
          "mpm hooks do nothing here: the mpm program is not installed.",
        );
        // The status line prints nothing where the project has no .claude-mpm.
        assertEquals(screen.split("\n").filter((line) => /^\s*mpm\b/.test(line)), []);
        assertEquals(await exists(join(clone, ".claude-mpm")), false);
      },
    );

    await t.step("a status line in the user settings stays, with mpm's part after it", async () => {
      const { repo, path } = await project();
      await using _repo = repo;
      await Deno.mkdir(join(repo.home, ".claude"), { recursive: true });
      await Deno.writeTextFile(
        join(repo.home, ".claude", "settings.json"),
        JSON.stringify({ statusLine: { type: "command", command: "echo person-marker-7" } }),
      );
      await ok(repo, "start", "Ledger");
      const installed = (await ok(repo, "hooks", "install")).stdout;
      assertStringIncludes(installed, "Status line: yours, from ~/.claude/settings.json, kept");
      const { log, screen } = await session(api, {
        cwd: repo.path,
        home: repo.home,
        path,
        prompt: "Hello with my status line",
        shows: /person-marker-7.*mpm: Ledger/,
      });
      const line = screen.split("\n").map((row) => row.trim())
        .find((row) => row.startsWith("person-marker-7"));
      assertMatch(line ?? "", /^person-marker-7 \| mpm: Ledger( · \d+% context)?$/);
      assertNoHookFailed(log, "the debug log");
      // The person's settings are theirs still.
      assertEquals(
        JSON.parse(await Deno.readTextFile(join(repo.home, ".claude", "settings.json"))),
        { statusLine: { type: "command", command: "echo person-marker-7" } },
      );
    });
  },
});
