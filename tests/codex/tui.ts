/**
 * The real Codex CLI's TUI in a tmux pane (../agent_tui.ts) against the mock Responses API
 * (mock_api.ts): `codex --no-daemon` (without it, the TUI starts an app-server daemon that copies
 * the client into `$CODEX_HOME/packages` and outlives it, so SessionEnd would not fire at exit), in
 * the environment run.ts's `codexEnv` gives.
 */
import { type AgentTui, startAgentTui } from "../agent_tui.ts";
import { codexEnv, type CodexRunOptions } from "./run.ts";

export { tmuxRuns } from "../agent_tui.ts";
export type CodexTui = AgentTui;

/** Starts `codex --no-daemon` in a tmux pane of its own; dispose to end it. */
export function startCodexTui(options: CodexRunOptions): Promise<CodexTui> {
  return startAgentTui({
    name: "codex",
    label: "Codex CLI",
    cwd: options.cwd,
    home: options.home,
    env: codexEnv(options),
    argv: [options.codex, ...(options.args ?? ["--no-daemon"])],
  });
}
