/**
 * Runs the real Claude Code once in print mode against the mock API, and hands back what a test
 * needs to judge the run: exit code, the JSON result, stderr, the debug log, and the transcript.
 *
 * The command: `claude -p PROMPT --output-format json --debug-file FILE --allowedTools Bash
 * [args…]`, with only these variables: the test suite's base environment (PATH, git identity,
 * DENO_DIR so hooks can run mpm from source), `HOME` (a temp one unless given), `TMPDIR` (the
 * client puts its `cc-socks/` socket folder and `claude-0/` there), `ANTHROPIC_BASE_URL`,
 * `ANTHROPIC_API_KEY=test` and `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`. As root (CI), the
 * client refuses `--dangerously-skip-permissions`, so tools are allowed by name instead.
 *
 * Facts about 2.1.330 the helpers rely on:
 * - Invalid settings never change the exit code in print mode. They are reported only in the
 *   debug file, one line each, as
 *   `2026-…Z [ERROR] Invalid setting skipped without dialog (automated session): <file>: <key
 *   path>: <message>` — e.g. `…/.claude/settings.json: hooks.Stop.0.hooks.0: Invalid command hook
 *   (command: Invalid input: expected string, received undefined); entry ignored.`, or
 *   `…/.claude/settings.json: : Invalid or malformed JSON` for a file that does not parse.
 * - `--debug-file FILE` also makes a `latest` symlink beside FILE, so FILE gets a folder of its
 *   own. The log always has an unrelated `[ERROR] Failed to save config with lock: … .claude.json`
 *   on a fresh HOME: that is why only settings lines count as errors here.
 * - The transcript is `$HOME/.claude/projects/<cwd with every non-alphanumeric character turned
 *   into "-">/<session_id>.jsonl`; `session_id` is in the JSON result.
 * - `--output-format json` prints one object: `{type: "result", subtype: "success", is_error,
 *   result (the final text), session_id, num_turns, usage, modelUsage, permission_denials…}`.
 */
import { join } from "node:path";
import { baseEnv } from "../helpers.ts";
import { HANG_GUARD_MS } from "./wait.ts";
import type { MockApi } from "./mock_api.ts";

/** What `--output-format json` prints; only the fields tests use are typed. */
export interface ClaudeResult {
  type: string;
  subtype: string;
  is_error: boolean;
  result: string;
  session_id: string;
  num_turns: number;
  [key: string]: unknown;
}

export interface ClaudeRunOptions {
  /** The native binary (from `claudeCode()` in install.ts). */
  claude: string;
  /** The mock API, or any base URL. */
  api: MockApi | string;
  prompt: string;
  cwd: string;
  /** HOME for the client (and its hooks); by default a new empty one, removed on dispose. */
  home?: string;
  /** Tools allowed without asking; `--allowedTools Bash` by default. */
  allowedTools?: string[];
  /** More arguments, after the defaults (`--settings FILE`, `--continue`…). */
  args?: string[];
  /** More variables, over the defaults. */
  env?: Record<string, string>;
  /** A run that takes longer is killed and the test fails: a hang guard, HANG_GUARD_MS by default. */
  timeoutMs?: number;
}

export interface ClaudeRun extends AsyncDisposable {
  code: number;
  stdout: string;
  /** stdout parsed, or undefined when it is not JSON. */
  json?: ClaudeResult;
  stderr: string;
  /** The whole `--debug-file` log. */
  debugLog: string;
  home: string;
  /** Wall time of the run, in milliseconds. */
  ms: number;
}

/**
 * Tells the client to wait for its MCP servers before it asks the model. By default 2.1.330 asks
 * without waiting for a server still starting, and even told to wait it gives up after 5 s
 * (`MCP_CONNECT_TIMEOUT_MS`): on a busy machine the first request then lacks mpm's tools. Both
 * limits here are HANG_GUARD_MS, only a guard (checked: a server 8 s slow to start is offered).
 */
export const WAIT_FOR_MCP: Record<string, string> = {
  MCP_CONNECTION_NONBLOCKING: "false",
  MCP_CONNECT_TIMEOUT_MS: String(HANG_GUARD_MS),
  MCP_TIMEOUT: String(HANG_GUARD_MS),
};

/** Only a guard against a hung client (tests/claude_code/wait.ts): a busy machine is slower. */
const DEFAULT_TIMEOUT_MS = HANG_GUARD_MS;

/** Runs `claude -p PROMPT` once; dispose the result to remove its temp folders. */
export async function runClaude(options: ClaudeRunOptions): Promise<ClaudeRun> {
  const scratch = await Deno.realPath(await Deno.makeTempDir({ prefix: "mpm-claude-" }));
  const remove = () => Deno.remove(scratch, { recursive: true }).catch(() => {});
  try {
    const home = options.home ?? join(scratch, "home");
    await Deno.mkdir(home, { recursive: true });
    await Deno.mkdir(join(scratch, "debug"));
    const debugFile = join(scratch, "debug", "claude.log");
    const url = typeof options.api === "string" ? options.api : options.api.url;
    const args = [
      "-p",
      options.prompt,
      "--output-format",
      "json",
      "--debug-file",
      debugFile,
      "--allowedTools",
      ...(options.allowedTools ?? ["Bash"]),
      ...(options.args ?? []),
    ];
    const env = {
      ...baseEnv(home),
      TMPDIR: scratch,
      ANTHROPIC_BASE_URL: url,
      ANTHROPIC_API_KEY: "test",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      ...options.env,
    };
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    const child = new Deno.Command(options.claude, {
      args,
      cwd: options.cwd,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    const out = await child.output().finally(() => clearTimeout(timer));
    const ms = performance.now() - started;
    const decoder = new TextDecoder();
    const stdout = decoder.decode(out.stdout);
    const stderr = decoder.decode(out.stderr);
    const debugLog = await Deno.readTextFile(debugFile).catch(() => "");
    if (timedOut) {
      throw new Error(
        `claude -p did not finish in ${timeoutMs / 1000} s.\nstderr: ${stderr}\n` +
          `debug log (end):\n${debugLog.split("\n").slice(-30).join("\n")}`,
      );
    }
    return {
      code: out.code,
      stdout,
      json: parseJson(stdout),
      stderr,
      debugLog,
      home,
      ms,
      [Symbol.asyncDispose]: remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

function parseJson(text: string): ClaudeResult | undefined {
  try {
    return JSON.parse(text) as ClaudeResult;
  } catch {
    return undefined;
  }
}

/**
 * The debug log's complaints about settings files, each without its time stamp
 * ("Invalid setting skipped without dialog (automated session): /…/settings.json: hooks…").
 * Empty when Claude Code accepted every settings file.
 */
export function settingsErrors(debugLog: string): string[] {
  return debugLog.split("\n")
    .map((line) => line.match(/^\S+ \[(?:ERROR|WARN)\] (.*)$/)?.[1])
    .filter((message): message is string =>
      message !== undefined && (/invalid setting/i.test(message) ||
        /settings(\.local)?\.json/.test(message) && /invalid|malformed|ignored/i.test(message))
    );
}

/** The folder name Claude Code gives a project under `~/.claude/projects/`. */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, "-");
}

/** Where the client wrote the session's transcript: `HOME/.claude/projects/<cwd>/<id>.jsonl`. */
export function transcriptPath(home: string, cwd: string, sessionId: string): string {
  return join(home, ".claude", "projects", projectDirName(cwd), `${sessionId}.jsonl`);
}

/** The transcript of a finished run (found by the session id in its JSON result). */
export function runTranscriptPath(run: ClaudeRun, cwd: string): string {
  if (!run.json) throw new Error(`claude printed no JSON result:\n${run.stdout}\n${run.stderr}`);
  return transcriptPath(run.home, cwd, run.json.session_id);
}

/** A transcript's entries, one parsed object per line. */
export async function readTranscript(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).split("\n").filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}
