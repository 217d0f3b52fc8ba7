/**
 * Drives the real Codex CLI's TUI as a person does, in a tmux pane against the mock Responses API
 * (mock_api.ts): `codex --no-daemon` (without it, the TUI starts an app-server daemon that copies
 * the client into `$CODEX_HOME/packages` and outlives it, so SessionEnd would not fire at exit).
 * Keys go in with `send-keys`, the screen comes back with `capture-pane`; every wait is on a
 * condition with a deadline, never a fixed sleep. The environment is run.ts's `codexEnv`.
 */
import { join } from "node:path";
import { waitFor } from "../claude_code/wait.ts";
import { codexEnv, type CodexRunOptions } from "./run.ts";

export interface CodexTui extends AsyncDisposable {
  type(text: string): Promise<void>;
  press(...keys: string[]): Promise<void>;
  screen(): Promise<string>;
  waitScreen(test: RegExp, what: string): Promise<string>;
  /** The client's exit code, once it has exited. */
  waitExit(): Promise<number>;
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** Whether tmux runs here. */
export async function tmuxRuns(): Promise<boolean> {
  try {
    return (await new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

/** Starts `codex --no-daemon` in a tmux pane of its own; dispose to end it. */
export async function startCodexTui(options: CodexRunOptions): Promise<CodexTui> {
  const scratch = await Deno.realPath(await Deno.makeTempDir({ prefix: "mpm-codex-tui-" }));
  const socket = join(scratch, "tmux.sock");
  const exitFile = join(scratch, "exit-code");
  const env: Record<string, string> = { ...codexEnv(options), TERM: "xterm-256color" };
  const launcher = join(scratch, "launch.sh");
  await Deno.writeTextFile(
    launcher,
    [
      "#!/bin/sh",
      `cd ${quote(options.cwd)} || exit 1`,
      `env -i ${Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(" ")} ` +
      `${quote(options.codex)} ${(options.args ?? ["--no-daemon"]).map(quote).join(" ")}`,
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
  if (!(await tmux("new-session", "-d", "-s", "codex", "-x", "120", "-y", "40", launcher)).ok) {
    throw new Error("tmux could not start a session for Codex CLI.");
  }
  const screen = async () => {
    const shot = await tmux("capture-pane", "-p", "-t", "codex");
    return shot.ok ? shot.text : "";
  };
  return {
    type: async (text) => void await tmux("send-keys", "-t", "codex", "-l", text),
    press: async (...keys) => void await tmux("send-keys", "-t", "codex", ...keys),
    screen,
    waitScreen: async (test, what) => {
      let last = "";
      try {
        await waitFor(async () => test.test(last = await screen()), {
          what: `Codex's screen to show ${what}`,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}\nThe screen:\n${last}`);
      }
      return last;
    },
    waitExit: async () => {
      const code = await waitFor(
        async () => (await Deno.readTextFile(exitFile).catch(() => "")).trim() || null,
        { what: "Codex CLI to exit" },
      );
      return Number(code);
    },
    [Symbol.asyncDispose]: async () => {
      await tmux("kill-server");
      await Deno.remove(scratch, { recursive: true }).catch(() => {});
    },
  };
}
