/**
 * Drives the real Gemini CLI's TUI as a person does, in a tmux pane against the mock Gemini API
 * (mock_api.ts): `node gemini.js` with no prompt, in the environment run.ts's `geminiEnv` gives.
 * Keys go in with `send-keys`, the screen comes back with `capture-pane`; every wait is on a
 * condition with a deadline (only a guard against a hang), never a fixed sleep.
 */
import { join } from "node:path";
import { waitFor } from "../claude_code/wait.ts";
import type { GeminiCli } from "./install.ts";
import type { MockApi } from "./mock_api.ts";
import { geminiEnv } from "./run.ts";

export { tmuxRuns } from "../codex/tui.ts";

export interface GeminiTuiOptions {
  gemini: GeminiCli;
  api: MockApi;
  cwd: string;
  home: string;
  env?: Record<string, string>;
}

export interface GeminiTui extends AsyncDisposable {
  type(text: string): Promise<void>;
  press(...keys: string[]): Promise<void>;
  screen(): Promise<string>;
  waitScreen(test: RegExp, what: string): Promise<string>;
  /** The client's exit code, once it has exited. */
  waitExit(): Promise<number>;
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** Starts the Gemini TUI in a tmux pane of its own; dispose to end it. */
export async function startGeminiTui(options: GeminiTuiOptions): Promise<GeminiTui> {
  const scratch = await Deno.realPath(await Deno.makeTempDir({ prefix: "mpm-gemini-tui-" }));
  const socket = join(scratch, "tmux.sock");
  const exitFile = join(scratch, "exit-code");
  const env: Record<string, string> = { ...geminiEnv(options), TERM: "xterm-256color" };
  const launcher = join(scratch, "launch.sh");
  await Deno.writeTextFile(
    launcher,
    [
      "#!/bin/sh",
      `cd ${quote(options.cwd)} || exit 1`,
      `env -i ${Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(" ")} ` +
      `${quote(options.gemini.node)} ${quote(options.gemini.path)}`,
      `echo $? > ${quote(exitFile)}`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  const tmux = async (...args: string[]) => {
    const out = await new Deno.Command("tmux", {
      args: ["-S", socket, "-f", "/dev/null", ...args],
      env: { PATH: env.PATH, HOME: options.home, TERM: "xterm-256color", LANG: "C.UTF-8" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { ok: out.success, text: new TextDecoder().decode(out.stdout) };
  };
  if (!(await tmux("new-session", "-d", "-s", "gemini", "-x", "120", "-y", "40", launcher)).ok) {
    throw new Error("tmux could not start a session for Gemini CLI.");
  }
  const screen = async () => {
    const shot = await tmux("capture-pane", "-p", "-t", "gemini");
    return shot.ok ? shot.text : "";
  };
  return {
    type: async (text) => void await tmux("send-keys", "-t", "gemini", "-l", text),
    press: async (...keys) => void await tmux("send-keys", "-t", "gemini", ...keys),
    screen,
    waitScreen: async (test, what) => {
      let last = "";
      try {
        await waitFor(async () => test.test(last = await screen()), {
          what: `Gemini's screen to show ${what}`,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}\nThe screen:\n${last}`);
      }
      return last;
    },
    waitExit: async () => {
      const code = await waitFor(
        async () => (await Deno.readTextFile(exitFile).catch(() => "")).trim() || null,
        { what: "Gemini CLI to exit" },
      );
      return Number(code);
    },
    [Symbol.asyncDispose]: async () => {
      await tmux("kill-server");
      await Deno.remove(scratch, { recursive: true }).catch(() => {});
    },
  };
}
