/**
 * Claude Code's own lifecycle, with the real client (2.1.330; 2.1.331 passes the same, with
 * MPM_CLAUDE_CODE_VERSION) and mpm's hooks installed:
 * - its commands that are no conversation fire SessionEnd (reason `other`, for a session whose
 *   transcript was never written): `claude mcp list`, `claude mcp get NAME` and `claude plugin
 *   install P@M` that alone; `claude -p ""` (no prompt) and `claude -p … --resume UNKNOWN-ID` after
 *   a SessionStart. mpm changes nothing and says nothing for any of them, and `mpm doctor` counts
 *   no transcript gone. Found by running every subcommand of 2.1.330 and 2.1.331 with a
 *   SessionEnd hook of the person's: `--version`, `mcp add`, `mcp add-json`, `mcp remove`, `mcp
 *   reset-project-choices`, `plugin list|details|enable|disable|uninstall|update|validate`,
 *   `plugin marketplace add|list|update|remove`, `auth status`, `agents --json`, `doctor`, an
 *   unknown option and a bad `--output-format` fire none; a print run that reaches the model
 *   (even one whose every API call fails, or `/cost`) has a transcript and is a conversation.
 * - `claude -p --worktree NAME` (print mode makes and keeps the worktree): Claude is told the main
 *   tree's work, as the work the worktree came from.
 * - a new conversation (`claude -p`) gets the answer the last one's end made ready: with mpm's
 *   full hook unable to answer (its deadline 1 ms), Claude is told the session all the same, and
 *   the conversation is recorded under it.
 * - the TUI, `claude --worktree NAME` left clean: Claude Code removes the worktree at `/exit`, then
 *   runs SessionEnd in the main tree with `$CLAUDE_PROJECT_DIR` naming the folder that is gone;
 *   the main tree's active session stays active and its store untouched, byte for byte.
 *
 * mpm runs through a wrapper on PATH that notes each run's start and end (and keeps what
 * SessionEnd printed), so the test waits for the background SessionEnd to have finished, never
 * for a time. Skipped with one line where the client (or, for the TUI, tmux) cannot be had.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import {
  baseEnv,
  HANG_GUARD_MS,
  ok,
  okJson,
  type Repo,
  sessionFiles,
  withRepo,
  writeMpmProgram,
} from "../../helpers.ts";
import { storeContents } from "../../hooks/hooks_helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { type MockApi, requestText, startMockApi } from "../mock_api.ts";
import { runClaude } from "../run.ts";
import { ready, seedClaudeJson, startTui, tuiAvailable } from "../tui.ts";
import { waitFor } from "../wait.ts";

const claude = await claudeOrSkip();
const tmux = claude ? "claude" in await tuiAvailable() : false;

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/**
 * A repository with an active session ("Payments") and a change, mpm's hooks installed, and an
 * `mpm` on PATH that logs each `mpm hook session-end` run to `runs` ("start", then "done CODE"),
 * keeping its stdout and stderr beside it.
 */
async function project() {
  const repo = await withRepo();
  const scratch = join(repo.home, "..");
  const bin = join(scratch, "bin");
  await Deno.mkdir(bin, { recursive: true });
  const real = await writeMpmProgram(join(bin, "mpm-real"));
  const runs = join(scratch, "runs");
  await Deno.mkdir(runs);
  await Deno.writeTextFile(
    join(bin, "mpm"),
    `#!/bin/sh
[ "$1 $2" = "hook session-end" ] || exec '${real}' "$@"
log='${runs}/'$$
echo start > "$log.run"
'${real}' "$@" > "$log.out" 2> "$log.err"
code=$?
echo "done $code" >> "$log.run"
exit $code
`,
  );
  await Deno.chmod(join(bin, "mpm"), 0o755);
  const root = await Deno.realPath(repo.path);
  await seedClaudeJson(repo.home, root);
  await ok(repo, "start", "Payments");
  await ok(repo, "todo", "add", "wire the refund API");
  await repo.write("refunds.ts", "export const refund = 1;\n");
  await ok(repo, "hooks", "install");
  const path = `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
  return { repo, root, runs, path };
}

/** The SessionEnd runs the wrapper saw: how many started, and each one's ending and output. */
function sessionEnds(runs: string): { started: number; done: string[]; said: string } {
  const names = [...Deno.readDirSync(runs)].map((e) => e.name);
  const read = (name: string) => Deno.readTextFileSync(join(runs, name));
  const logs = names.filter((n) => n.endsWith(".run")).map(read);
  return {
    started: logs.length,
    done: logs.flatMap((log) => log.match(/^done \d+$/m) ?? []),
    said: names.filter((n) => /\.(out|err)$/.test(n)).map(read).join(""),
  };
}

/** Waits until `count` more SessionEnd runs than `before` have started, and every one has ended. */
async function endsFinished(runs: string, before: number, count: number, what: string) {
  return await waitFor(() => {
    const seen = sessionEnds(runs);
    return seen.started >= before + count && seen.done.length === seen.started && seen;
  }, { what: `the SessionEnd hook ${what} fires to finish` });
}

/** `claude ARGS` run once, as a person types it, with its own TMPDIR; its exit code. */
async function claudeRun(
  api: MockApi,
  p: { repo: Repo; root: string; path: string },
  args: string[],
): Promise<{ code: number; output: string }> {
  const tmp = await Deno.makeTempDir({ prefix: "mpm-claude-cmd-" });
  try {
    const out = await new Deno.Command(claude!, {
      args,
      cwd: p.root,
      env: {
        ...baseEnv(p.repo.home),
        PATH: p.path,
        TMPDIR: tmp,
        ANTHROPIC_BASE_URL: api.url,
        ANTHROPIC_API_KEY: "test",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(HANG_GUARD_MS),
    }).output();
    const decoder = new TextDecoder();
    return { code: out.code, output: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

/**
 * The store without what SessionStart writes: its caches, its event claims and its sightings of
 * the Claude session.
 */
function withoutStarts(store: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(store)
      .filter(([path]) => !path.startsWith("cache/") && !/\.SessionStart\.[^/]*$/.test(path))
      .map(([path, text]) => [
        path,
        path.endsWith("/claude-sessions.jsonl")
          ? text.split("\n").filter((line) => !line.includes('"event":"SessionStart"')).join("\n")
          : text,
      ])
      .filter(([path, text]) => !(path.endsWith("/claude-sessions.jsonl") && text === "")),
  );
}

/** `mpm doctor`'s transcript-vault findings. */
async function vaultFindings(repo: Repo): Promise<string[]> {
  const report = await okJson(repo, "doctor", "--json").catch(async () =>
    JSON.parse((await repo.run("doctor", "--json")).stdout)
  );
  return (report.checks as Json[]).filter((c) => c.id === "vault").map((c) => String(c.message));
}

Deno.test({
  name:
    "real Claude Code: its commands that are no conversation fire SessionEnd, and mpm changes nothing",
  ignore: !claude,
  fn: async (t) => {
    await using api = startMockApi(() => ({ text: "Noted." }));
    const p = await project();
    await using _repo = p.repo;
    const { repo, root, runs } = p;
    // A marketplace of the person's own with one plugin, and an MCP server to ask about.
    const market = join(repo.home, "..", "market");
    await Deno.mkdir(join(market, ".claude-plugin"), { recursive: true });
    await Deno.mkdir(join(market, "plug", ".claude-plugin"), { recursive: true });
    await Deno.writeTextFile(
      join(market, ".claude-plugin", "marketplace.json"),
      JSON.stringify({
        name: "localm",
        owner: { name: "Test" },
        plugins: [{ name: "plug", source: "./plug", description: "A test plugin" }],
      }),
    );
    await Deno.writeTextFile(
      join(market, "plug", ".claude-plugin", "plugin.json"),
      JSON.stringify({ name: "plug", version: "0.1.0", description: "A test plugin" }),
    );
    for (
      const args of [
        ["plugin", "marketplace", "add", market],
        ["mcp", "add-json", "probe", JSON.stringify({ command: "/bin/true" })],
      ]
    ) {
      const run = await claudeRun(api, p, args);
      assertEquals(run.code, 0, run.output);
    }
    assertEquals(sessionEnds(runs).started, 0);
    const store = await storeContents(root);

    // Commands that fire SessionEnd alone: not a byte of the store changes (no snapshot, no
    // claim, no sighting, no event).
    for (
      const args of [["mcp", "list"], ["mcp", "get", "probe"], ["plugin", "install", "plug@localm"]]
    ) {
      await t.step(`claude ${args.join(" ")}`, async () => {
        const before = sessionEnds(runs).started;
        await claudeRun(api, p, args);
        const seen = await endsFinished(runs, before, 1, `claude ${args.join(" ")}`);
        assertEquals(seen.done.slice(before), Array(seen.started - before).fill("done 0"));
        assertEquals(seen.said, "");
        assertEquals(await storeContents(root), store);
      });
    }

    // Print runs that never reach a conversation: Claude Code serves their SessionStart first
    // (mpm tells the context, noting that it did), then fires SessionEnd with no transcript, which
    // changes nothing: the store is as SessionStart left it.
    const unknown = "0c0ffee0-1111-4222-8333-444455556666";
    for (const args of [["-p", ""], ["-p", "hi", "--resume", unknown]]) {
      await t.step(`claude ${args.join(" ")}`, async () => {
        const before = sessionEnds(runs).started;
        const run = await claudeRun(api, p, args);
        assertEquals(run.code, 1, run.output);
        const seen = await endsFinished(runs, before, 1, `claude ${args.join(" ")}`);
        assertEquals(seen.done.slice(before), Array(seen.started - before).fill("done 0"));
        assertEquals(seen.said, "");
        assertEquals(withoutStarts(await storeContents(root)), withoutStarts(store));
        assertEquals(await sessionFiles(root), []);
      });
    }

    await t.step("the session goes on, and doctor counts no transcript gone", async () => {
      const status = await okJson(repo, "status", "--json");
      assertEquals(status.active?.name, "Payments");
      for (const finding of await vaultFindings(repo)) assertNotIncludes(finding, "gone");
    });
  },
});

Deno.test({
  name:
    "real Claude Code: a new conversation is told the answer made ready when the last one ended",
  ignore: !claude,
  fn: async () => {
    await using api = startMockApi(() => ({ text: "Noted." }));
    const p = await project();
    await using _repo = p.repo;
    const once = (prompt: string, env: Record<string, string> = {}) =>
      runClaude({
        claude: claude!,
        api,
        prompt,
        cwd: p.root,
        home: p.repo.home,
        env: { PATH: p.path, ...env },
      });
    {
      await using first = await once("Where were we?");
      assertEquals(first.code, 0, first.stderr);
    }
    // Its SessionEnd paused the work and made the next start's answer.
    await endsFinished(p.runs, 0, 1, "after the first conversation");
    // The full hook gives up at once: whatever the next start is told, the ready answer told it.
    await using second = await once("And now?", { MPM_HOOK_DEADLINE_MS: "1" });
    assertEquals(second.code, 0, second.stderr);
    const sent = requestText(api.requests.at(-1)!);
    assertStringIncludes(sent, "Last session (mpm)");
    assertStringIncludes(sent, "wire the refund API");
    await endsFinished(p.runs, 1, 1, "after the second conversation");
    const threads = join(p.root, ".claude-mpm", "threads");
    const sightings = [...Deno.readDirSync(threads)].map((entry) =>
      Deno.readTextFileSync(join(threads, entry.name, "claude-sessions.jsonl"))
    ).join("");
    assertStringIncludes(sightings, `"claude_session_id":"${second.json!.session_id}"`);
  },
});

Deno.test({
  name: "real Claude Code: claude -p --worktree tells Claude the main tree's work it came from",
  ignore: !claude,
  fn: async () => {
    await using api = startMockApi(() => ({ text: "Noted." }));
    const p = await project();
    await using _repo = p.repo;
    const before = await storeContents(p.root);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "What is this worktree for?",
      cwd: p.root,
      home: p.repo.home,
      args: ["--worktree", "probe"],
      env: { PATH: p.path },
    });
    assertEquals(run.code, 0, run.stderr);
    const tree = join(p.root, ".claude", "worktrees", "probe");
    const sent = requestText(api.requests[0]);
    assertStringIncludes(sent, "The work this worktree came from (mpm, the main tree's)");
    assertStringIncludes(sent, `This folder is a git worktree of ${p.root}`);
    assertStringIncludes(sent, "Active session: Payments");
    assertStringIncludes(sent, "wire the refund API");
    assertNotIncludes(sent, "Last session (mpm)");
    // Its exit is recorded in the worktree's own store, never as the main tree's work.
    await endsFinished(p.runs, 0, 1, "claude -p --worktree");
    assertEquals(await storeContents(p.root), before);
    assertEquals((await okJson(p.repo, "status", "--json")).active?.name, "Payments");
    assertEquals(
      [...Deno.readDirSync(join(tree, ".claude-mpm", "sessions"))]
        .filter((e) => e.name.endsWith(".json")).length,
      1,
    );
  },
});

Deno.test({
  name: "TUI: a clean claude --worktree exits; the main tree's session stays active and untouched",
  ignore: !tmux,
  fn: async () => {
    await using api = startMockApi(() => ({ text: "Noted." }));
    const p = await project();
    await using _repo = p.repo;
    const before = await storeContents(p.root);
    const tree = join(p.root, ".claude", "worktrees", "clean");
    await using tui = await startTui({
      claude: claude!,
      api,
      cwd: p.root,
      home: p.repo.home,
      env: { PATH: p.path },
      args: ["--worktree", "clean"],
    });
    await ready(tui);
    await tui.submit("Hello from a worktree");
    await tui.waitScreen(/Noted\./, "the answer");
    assertStringIncludes(requestText(api.requests[0]), "The work this worktree came from");
    await tui.submit("/exit");
    assertEquals(await tui.waitExit(), 0);
    const log = await tui.debugLog();
    // Claude Code removed the worktree (nothing was changed there) before its SessionEnd.
    assertStringIncludes(log, `Removed linked worktree at: ${tree}`);
    await endsFinished(p.runs, 0, 1, "the exit");
    assertEquals(sessionEnds(p.runs).said, "");
    assertEquals(await Deno.stat(tree).catch(() => null), null);
    // The main tree's work goes on: no snapshot, its state and store as they were, byte for byte.
    assertEquals(await storeContents(p.root), before);
    assertEquals((await okJson(p.repo, "status", "--json")).active?.name, "Payments");
  },
});
