/**
 * The context-window warning in the real, interactive Claude Code: typed into its TUI in tmux
 * (tui.ts) against the mock API, with `mpm hooks install` (hooks and the `mpm statusline` status
 * line) and an `mpm` on PATH running this source tree. Every answer reports 144,000 input tokens
 * (4 new, 1,996 written to the cache, 142,000 read from it), so the window decides:
 * - a 200,000-token model (`--model claude-sonnet-4-5-20250929`) is 72 % full: the Stop hook
 *   writes the resume file and its threshold marker and shows a warning that names
 *   `/mpm-handoff`, and the status line says "72% context · /mpm-handoff";
 * - the default model (1,000,000 tokens) is 14 % full: no marker, no resume file, no warning.
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
import { ok, type Repo, withRepo, writeMpmProgram } from "../../helpers.ts";
import { startMockApi } from "../mock_api.ts";
import { ready, seedClaudeJson, startTui, type Tui, tuiOrSkip } from "../tui.ts";
import { waitFor } from "../wait.ts";

const claude = await tuiOrSkip();

const TOKENS = 144_000;
const USAGE = {
  input_tokens: 4,
  cache_creation_input_tokens: 1_996,
  cache_read_input_tokens: 142_000,
};

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** A paused mpm session with mpm's hooks and status line installed, and Claude Code running. */
async function project(model?: string): Promise<{ repo: Repo; tui: Tui } & AsyncDisposable> {
  const repo = await withRepo();
  const bin = join(repo.home, "..", "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  const installed = await ok(repo, "hooks", "install");
  assertStringIncludes(installed.stdout, "Status line: mpm's added");
  await ok(repo, "pause", "-s", "Payment work");
  await seedClaudeJson(repo.home, await Deno.realPath(repo.path));
  const api = startMockApi(() => ({ text: "Done.", usage: USAGE }));
  const tui = await startTui({
    claude: claude!,
    api,
    cwd: repo.path,
    home: repo.home,
    model,
    env: { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` },
  });
  return {
    repo,
    tui,
    [Symbol.asyncDispose]: async () => {
      await tui[Symbol.asyncDispose]();
      await api[Symbol.asyncDispose]();
      await repo[Symbol.asyncDispose]();
    },
  };
}

const hooksState = (repo: Repo) => join(repo.path, ".claude-mpm", "hooks-state");

function names(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((entry) => entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** The status line's record of the Claude session once it has seen the reply's tokens. */
function windowAfterReply(repo: Repo): Promise<Json> {
  return waitFor(() => {
    for (const name of names(hooksState(repo)).filter((n) => n.endsWith(".window"))) {
      const record = JSON.parse(Deno.readTextFileSync(join(hooksState(repo), name)));
      if (record.tokens === TOKENS) return record;
    }
    return undefined;
  }, { what: `mpm statusline's .window record with ${TOKENS} tokens` });
}

/** The threshold markers (`<id>.70`, `.85`, `.95`): each an announced warning. */
const markers = (repo: Repo) => names(hooksState(repo)).filter((n) => /\.\d+$/.test(n));

/** The resume files the Stop hook wrote near a full window. */
const resumeFiles = (repo: Repo) =>
  names(join(repo.path, ".claude-mpm", "sessions")).filter((n) => n.startsWith("session-resume-"));

/** The screen with its wrapping undone: a message the TUI breaks over lines reads as one. */
const flat = (screen: string) => screen.replace(/\s+/g, " ");

/** The status line: the screen's line that starts with mpm's part. */
const statusLine = (screen: string) =>
  screen.split("\n").map((line) => line.trim()).find((line) => /^mpm\b/.test(line)) ?? "";

/**
 * Sends a prompt and waits until the reply is on screen, the Stop hook has run to its end (any
 * warning is written by then) and the status line has seen the reply's tokens.
 */
async function reply(tui: Tui, repo: Repo): Promise<{ record: Json; log: string }> {
  await ready(tui);
  await tui.submit("hello there");
  await tui.waitScreen((shot) => flat(shot).includes("● Done."), "the answer");
  const log = await tui.waitLog(/Hooks: Stop \[.*\] finished with status 0/, "the Stop hook");
  return { record: await windowAfterReply(repo), log };
}

Deno.test({
  name: "TUI: a 200,000-token model at 144,000 tokens warns at 72 % and names /mpm-handoff",
  ignore: !claude,
  fn: async () => {
    await using s = await project("claude-sonnet-4-5-20250929");
    const { repo, tui } = s;
    const { record } = await reply(tui, repo);
    assertEquals(
      [record.window, record.used_percentage, record.model],
      [200_000, 72, "claude-sonnet-4-5-20250929"],
    );
    // What the Stop hook wrote: the 70 % marker and the resume file, which points to /mpm-handoff.
    assertEquals(markers(repo), [`${record.claude_session_id}.70`]);
    const [resume, ...more] = resumeFiles(repo);
    assertEquals(more, []);
    assertMatch(resume ?? "", /^session-resume-\d{4}-\d\d-\d\d-\d{6}\.md$/);
    assertStringIncludes(
      await Deno.readTextFile(join(repo.path, ".claude-mpm", "sessions", resume)),
      "/mpm-handoff",
    );

    // What the person sees: the warning under the answer, naming the resume file and /mpm-handoff.
    const warned = flat(
      await tui.waitScreen(
        (shot) => flat(shot).includes("context window is 72% full"),
        "the Stop hook's warning",
      ),
    );
    assertStringIncludes(warned, "Stop says: mpm: the context window is 72% full");
    assertStringIncludes(warned, "(144,000 of 200,000 tokens)");
    assertStringIncludes(warned, `Resume file: .claude-mpm/sessions/${resume}.`);
    assertStringIncludes(warned, "run /mpm-handoff, then /clear");

    const shown = await tui.waitScreen(
      (shot) => statusLine(shot).includes("72% context"),
      "the status line at 72 %",
    );
    assertEquals(statusLine(shown), "mpm: Payment work (paused) · 72% context · /mpm-handoff");
  },
});

Deno.test({
  name: "TUI: the default 1,000,000-token model at 144,000 tokens stays quiet",
  ignore: !claude,
  fn: async () => {
    await using s = await project();
    const { repo, tui } = s;
    const { record, log } = await reply(tui, repo);
    assertEquals([record.window, record.used_percentage], [1_000_000, 14]);
    const shown = await tui.waitScreen(
      (shot) => statusLine(shot).includes("14% context"),
      "the status line at 14 %",
    );
    assertEquals(statusLine(shown), "mpm: Payment work (paused) · 14% context");
    // Nothing written, nothing shown, nothing in what the Stop hook answered.
    assertEquals(markers(repo), []);
    assertEquals(resumeFiles(repo), []);
    assertNotIncludes(flat(shown), "context window is");
    assertNotIncludes(flat(shown), "/mpm-handoff");
    const stopOutput = log.split("\n").filter((line) => line.includes("Hook Stop (Stop)"));
    assert(stopOutput.every((line) => !line.includes("systemMessage")), stopOutput.join("\n"));
  },
});
