/**
 * Drives a real agent's TUI as a person does, in a tmux pane of its own: keys go in with
 * `send-keys`, the screen comes back with `capture-pane`, and every wait is on a condition with a
 * deadline (only a guard against a hang), never a fixed sleep. The Codex and Gemini tests start
 * their clients through it (codex/tui.ts, gemini/tui.ts).
 */
import { join } from "node:path";
import { waitFor } from "./claude_code/wait.ts";

export interface AgentTui extends AsyncDisposable {
  type(text: string): Promise<void>;
  press(...keys: string[]): Promise<void>;
  screen(): Promise<string>;
  waitScreen(test: RegExp, what: string): Promise<string>;
  /** The client's exit code, once it has exited. */
  waitExit(): Promise<number>;
}

export interface AgentTuiOptions {
  /** The tmux session's name, and the temp folder's prefix. */
  name: string;
  /** How waits name the client: "Codex CLI". */
  label: string;
  cwd: string;
  home: string;
  /** The client's whole environment (TERM is set here). */
  env: Record<string, string>;
  /** The program and its arguments. */
  argv: string[];
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

/** Starts `argv` in a tmux pane of its own, 120 × 40; dispose to end it. */
export async function startAgentTui(options: AgentTuiOptions): Promise<AgentTui> {
  const { name, label } = options;
  const scratch = await Deno.realPath(await Deno.makeTempDir({ prefix: `mpm-${name}-tui-` }));
  const socket = join(scratch, "tmux.sock");
  const exitFile = join(scratch, "exit-code");
  const env: Record<string, string> = { ...options.env, TERM: "xterm-256color" };
  const launcher = join(scratch, "launch.sh");
  await Deno.writeTextFile(
    launcher,
    [
      "#!/bin/sh",
      `cd ${quote(options.cwd)} || exit 1`,
      `env -i ${Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(" ")} ` +
      options.argv.map(quote).join(" "),
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
  if (!(await tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", launcher)).ok) {
    throw new Error(`tmux could not start a session for ${label}.`);
  }
  const screen = async () => {
    const shot = await tmux("capture-pane", "-p", "-t", name);
    return shot.ok ? shot.text : "";
  };
  return {
    type: async (text) => void await tmux("send-keys", "-t", name, "-l", text),
    press: async (...keys) => void await tmux("send-keys", "-t", name, ...keys),
    screen,
    waitScreen: async (test, what) => {
      let last = "";
      try {
        await waitFor(async () => test.test(last = await screen()), {
          what: `${label}'s screen to show ${what}`,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}\nThe screen:\n${last}`);
      }
      return last;
    },
    waitExit: async () => {
      const code = await waitFor(
        async () => (await Deno.readTextFile(exitFile).catch(() => "")).trim() || null,
        { what: `${label} to exit` },
      );
      return Number(code);
    },
    [Symbol.asyncDispose]: async () => {
      await tmux("kill-server");
      await Deno.remove(scratch, { recursive: true }).catch(() => {});
    },
  };
}
