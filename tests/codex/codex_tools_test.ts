/**
 * mpm's MCP tools in the real Codex CLI (0.169.0), called by the model (the mock Responses API
 * answers with a tool call): Codex runs a tool mpm marks read-only (`readOnlyHint`) without asking
 * the person, in `codex exec` and in the TUI, and its answer goes back to the model; a tool that
 * writes (`todo_add`) is put to the person first. Skipped with one line where the client (or, for
 * the TUI, tmux) cannot be had.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, type Repo, withRepo, writeMpmProgram } from "../helpers.ts";
import { codexOrSkip } from "./install.ts";
import { type ResponsesRequest, startMockApi } from "./mock_api.ts";
import { codexConfig, runCodex } from "./run.ts";
import { startCodexTui, tmuxRuns } from "./tui.ts";

const codex = await codexOrSkip();
const tmux = await tmuxRuns();

const SEARCH = { namespace: "mcp__mpm", name: "search", arguments: { query: "ledger" } };
const TODO_ADD = { namespace: "mcp__mpm", name: "todo_add", arguments: { content: "Wire it" } };
const PROMPT = /Allow the mpm MCP server to run tool/;

/** A project with a pause to find, mpm installed for Codex, and the environment to run it in. */
async function installed(repo: Repo, baseUrl: string) {
  const codexHome = join(repo.home, ".codex");
  await Deno.mkdir(codexHome, { recursive: true });
  await Deno.writeTextFile(
    join(codexHome, "config.toml"),
    codexConfig({ baseUrl, requests: [], others: [] } as never, repo.path),
  );
  const bin = join(repo.home, "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  await ok(repo, "pause", "-s", "Ledger API half done");
  await ok(repo, "hooks", "install", "--agent", "codex");
  return { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
}

/** The text of every tool result the requests carried back to the model. */
function toolOutputs(requests: ResponsesRequest[]): string {
  return requests.flatMap((r) => r.input ?? [])
    .filter((item) => (item as { type?: string }).type === "function_call_output")
    .map((item) => JSON.stringify(item)).join("\n");
}

Deno.test({
  name: "codex exec: the model calls mpm's search and gets its answer",
  ignore: !codex,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([{ text: "", call: SEARCH }, { text: "Found it." }]);
    const env = await installed(repo, api.baseUrl);
    const run = await runCodex({ codex: codex!, cwd: repo.path, home: repo.home, env });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout + run.stderr, "Found it.");
    assertStringIncludes(toolOutputs(api.requests), "API half done");
    // Codex started it as install registered it: one shell that execs mpm, no `$(…)` process.
    const config = await Deno.readTextFile(join(repo.home, ".codex", "config.toml"));
    assertStringIncludes(config, '[mcp_servers.mpm]\ncommand = "sh"\n');
    assertEquals(config.includes("$(command -v"), false, config);
  },
});

Deno.test({
  name: "codex TUI: mpm's read-only search runs without a prompt; todo_add asks the person",
  ignore: !codex || !tmux,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([
      { text: "", call: SEARCH },
      { text: "", call: TODO_ADD },
      { text: "Done." },
    ]);
    const env = await installed(repo, api.baseUrl);
    await using tui = await startCodexTui({ codex: codex!, cwd: repo.path, home: repo.home, env });
    await tui.waitScreen(/›|>_|Ask Codex|context left/i, "its prompt");
    await tui.type("hi");
    await tui.waitScreen(/› hi/, "the typed word");
    await tui.press("Enter");
    await tui.waitScreen(/Allow the mpm MCP server to run tool "todo_add"/, "todo_add's prompt")
      .catch(async () => {
        // The TUI takes keys before its start has finished: once more, if the first was lost.
        await tui.press("Enter");
        await tui.waitScreen(
          /Allow the mpm MCP server to run tool "todo_add"/,
          "todo_add's prompt",
        );
      });
    const screen = await tui.screen();
    // The search ran before, unasked: its answer went back to the model, and only one prompt
    // (todo_add's) was ever shown.
    assertStringIncludes(screen, "Called mpm.search");
    assertStringIncludes(toolOutputs(api.requests), "API half done");
    assertEquals(screen.match(new RegExp(PROMPT, "g"))?.length, 1, screen);
    assert(!/run tool "search"/.test(screen), screen);
  },
});
