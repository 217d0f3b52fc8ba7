/**
 * Drives the real Claude Code interactively, as a person does, in a tmux pane against the mock
 * API (mock_api.ts): keys go in with `send-keys`, the screen comes back with `capture-pane`, and
 * every wait is on a condition (the screen, a file, the debug log) with a deadline, never a fixed
 * sleep.
 *
 * What the interactive client 2.1.330 needs to start straight into its prompt, found in the
 * binary (`strings`): `~/.claude.json` with `hasCompletedOnboarding: true` and
 * `lastOnboardingVersion` (no onboarding), `theme` (no theme picker),
 * `customApiKeyResponses.approved` holding the key's last 20 characters ("test": no "use this
 * API key?" question) and `projects[<folder>].hasTrustDialogAccepted: true` (no trust dialog).
 * It is run with `--permission-mode default --allowedTools Bash` (as root it refuses to skip
 * permissions), `--debug-file` (which shows each hook run: `Hooks: SessionStart:startup [...]
 * finished with status 0`), and only `ANTHROPIC_BASE_URL`, `ANTHROPIC_API_KEY=test`,
 * `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1` and `CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_
 * AUTOINSTALL=1` (else the TUI tries to clone the official plugin marketplace) besides the test
 * suite's base environment.
 *
 * For a test of the context-window warning: `model` starts the client on another model
 * (`--model claude-sonnet-4-5-20250929`), `settings` passes a settings file (`--settings`, e.g.
 * a `statusLine`), and the mock's `usage` sets the tokens each answer reports.
 */
import { join } from "node:path";
import { baseEnv } from "../helpers.ts";
import { claudeCode } from "./install.ts";
import type { MockApi } from "./mock_api.ts";
import { HANG_GUARD_MS, waitFor } from "./wait.ts";

export interface TuiOptions {
  /** The native binary (claudeCode() in install.ts). */
  claude: string;
  api: MockApi | string;
  cwd: string;
  /** HOME for the client and its hooks; seedClaudeJson has to have prepared it. */
  home: string;
  /** More arguments after the defaults (`--resume ID`…). */
  args?: string[];
  /** More variables over the defaults. */
  env?: Record<string, string>;
  /** `--model ID`. */
  model?: string;
  /** Settings passed with `--settings FILE` (a `statusLine`, more hooks…). */
  settings?: Record<string, unknown>;
  /** The pane's size; 120 × 50 by default. */
  width?: number;
  height?: number;
}

export interface Tui extends AsyncDisposable {
  /** The `--debug-file` log. */
  debugFile: string;
  /** Types `text` as it is (no key names), as a person types it. */
  type(text: string): Promise<void>;
  /** Presses keys by tmux's names: "Enter", "C-d", "Escape", "Down"… */
  press(...keys: string[]): Promise<void>;
  /** Types `text` into the prompt, waits until the prompt shows it, and presses Enter. */
  submit(text: string): Promise<void>;
  /** The screen as text, or "" once the client is gone. */
  screen(): Promise<string>;
  /** Waits until the screen passes `test`; returns that screen. */
  waitScreen(
    test: string | RegExp | ((screen: string) => boolean),
    what: string,
    ms?: number,
  ): Promise<string>;
  /** The debug log so far. */
  debugLog(): Promise<string>;
  /** Waits until the debug log passes `test`. */
  waitLog(test: string | RegExp, what: string, ms?: number): Promise<string>;
  /** The client's exit code, once it has exited (it waits up to `ms`). */
  waitExit(ms?: number): Promise<number>;
}

const DEFAULT_WAIT_MS = HANG_GUARD_MS;

/** What the tests need to drive the TUI here, or `{skip}` saying in one sentence why not. */
export async function tuiAvailable(): Promise<{ claude: string } | { skip: string }> {
  try {
    const out = await new Deno.Command("tmux", { args: ["-V"], stdout: "piped", stderr: "null" })
      .output();
    if (!out.success) return { skip: "tmux does not run here." };
  } catch {
    return { skip: "tmux is not installed." };
  }
  const found = await claudeCode();
  return "path" in found ? { claude: found.path } : found;
}

/**
 * For a test file's top level: the client's path, or undefined after printing the one line
 * that says why every TUI test in the file is skipped.
 */
export async function tuiOrSkip(): Promise<string | undefined> {
  const found = await tuiAvailable();
  if ("claude" in found) return found.claude;
  console.log(`Skipping the interactive Claude Code tests: ${found.skip}`);
  return undefined;
}

/**
 * Writes `HOME/.claude.json` so the client starts straight into its prompt in `folder` (see the
 * top of this file), keeping what is there already.
 */
export async function seedClaudeJson(home: string, folder: string, key = "test"): Promise<void> {
  const file = join(home, ".claude.json");
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(await Deno.readTextFile(file));
  } catch {
    // None yet.
  }
  const projects = (config.projects ?? {}) as Record<string, Record<string, unknown>>;
  config = {
    ...config,
    hasCompletedOnboarding: true,
    lastOnboardingVersion: "2.1.330",
    theme: "dark",
    customApiKeyResponses: { approved: [key.trim().slice(-20)], rejected: [] },
    projects: {
      ...projects,
      [folder]: { ...(projects[folder] ?? {}), hasTrustDialogAccepted: true, allowedTools: [] },
    },
  };
  await Deno.writeTextFile(file, JSON.stringify(config, null, 2) + "\n");
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** Starts the client in a tmux pane of its own; dispose to end it and remove its files. */
export async function startTui(options: TuiOptions): Promise<Tui> {
  const scratch = await Deno.realPath(await Deno.makeTempDir({ prefix: "mpm-tui-" }));
  const socket = join(scratch, "tmux.sock");
  const debugFile = join(scratch, "debug", "claude.log");
  const exitFile = join(scratch, "exit-code");
  await Deno.mkdir(join(scratch, "debug"));
  await Deno.mkdir(join(scratch, "tmp"));
  const url = typeof options.api === "string" ? options.api : options.api.url;
  const args = [
    "--permission-mode",
    "default",
    "--allowedTools",
    "Bash",
    "--debug-file",
    debugFile,
    ...(options.model ? ["--model", options.model] : []),
    ...(options.args ?? []),
  ];
  if (options.settings) {
    const file = join(scratch, "settings.json");
    await Deno.writeTextFile(file, JSON.stringify(options.settings));
    args.push("--settings", file);
  }
  const env: Record<string, string> = {
    ...baseEnv(options.home),
    TERM: "xterm-256color",
    TMPDIR: join(scratch, "tmp"),
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: "test",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: "1",
    ...options.env,
  };
  // The pane runs this script: the client with exactly `env`, then its exit code in a file.
  const launcher = join(scratch, "launch.sh");
  await Deno.writeTextFile(
    launcher,
    [
      "#!/bin/sh",
      `cd ${quote(options.cwd)} || exit 1`,
      `env -i ${Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(" ")} ` +
      `${quote(options.claude)} ${args.map(quote).join(" ")}`,
      `echo $? > ${quote(exitFile)}`,
      "",
    ].join("\n"),
  );
  await Deno.chmod(launcher, 0o755);
  const tmux = async (...tmuxArgs: string[]) => {
    const out = await new Deno.Command("tmux", {
      args: ["-S", socket, "-f", "/dev/null", ...tmuxArgs],
      env: { PATH: env.PATH, HOME: options.home, TERM: "xterm-256color", LANG: "C.UTF-8" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { ok: out.success, text: new TextDecoder().decode(out.stdout) };
  };
  const width = String(options.width ?? 120);
  const height = String(options.height ?? 50);
  const started = await tmux("new-session", "-d", "-s", "mpm", "-x", width, "-y", height, launcher);
  if (!started.ok) throw new Error("tmux could not start a session for Claude Code.");

  const screen = async () => {
    const shot = await tmux("capture-pane", "-p", "-t", "mpm");
    return shot.ok ? shot.text : "";
  };
  const readLog = () => Deno.readTextFile(debugFile).catch(() => "");
  const matches = (test: string | RegExp, text: string) =>
    typeof test === "string" ? text.includes(test) : test.test(text);
  const waitScreen = async (
    test: string | RegExp | ((screen: string) => boolean),
    what: string,
    ms = DEFAULT_WAIT_MS,
  ) => {
    try {
      return await waitFor(async () => {
        const shot = await screen();
        return (typeof test === "function" ? test(shot) : matches(test, shot)) && shot;
      }, { what, timeoutMs: ms, intervalMs: 100 });
    } catch (error) {
      // The client's own words on what it could not do (its task list's, say) go with the screen.
      const said = (await readLog()).split("\n").filter((line) =>
        /\[(ERROR|WARN)\]|Task list/.test(line)
      );
      throw new Error(
        `${(error as Error).message}\nThe screen:\n${await screen()}\nThe debug log's warnings:\n${
          said.slice(-20).map((line) => line.slice(0, 300)).join("\n")
        }`,
      );
    }
  };
  const tui: Tui = {
    debugFile,
    type: async (text) => void await tmux("send-keys", "-t", "mpm", "-l", text),
    press: async (...keys) => void await tmux("send-keys", "-t", "mpm", ...keys),
    submit: async (text) => {
      await tui.type(text);
      // The prompt line shows what was typed before Enter may send it.
      await waitScreen(
        (shot) => shot.split("\n").some((line) => line.startsWith("❯") && line.includes(text)),
        `the prompt to show "${text}"`,
      );
      await tui.press("Enter");
    },
    screen,
    waitScreen,
    debugLog: readLog,
    waitLog: (test, what, ms = DEFAULT_WAIT_MS) =>
      waitFor(async () => {
        const log = await readLog();
        return matches(test, log) && log;
      }, { what, timeoutMs: ms, intervalMs: 100 }),
    waitExit: (ms = DEFAULT_WAIT_MS) =>
      waitFor(async () => {
        const text = await Deno.readTextFile(exitFile).catch(() => "");
        // An object, so that exit code 0 counts as an answer.
        return text.trim() !== "" && { code: Number(text.trim()) };
      }, { what: "Claude Code to exit", timeoutMs: ms, intervalMs: 50 }).then((exit) => exit.code),
    [Symbol.asyncDispose]: async () => {
      await tmux("kill-server");
      await Deno.remove(scratch, { recursive: true }).catch(() => {});
    },
  };
  return tui;
}

/**
 * Waits until the client shows its prompt box, ready for keys: the "❯" line, and under it the
 * mode line (`--permission-mode default` reads "manual mode on"; a status line may stand above it).
 */
export async function ready(tui: Tui): Promise<string> {
  return await tui.waitScreen(
    (shot) => /^❯/m.test(shot) && shot.includes("manual mode on"),
    "Claude Code's prompt",
    60_000,
  );
}
