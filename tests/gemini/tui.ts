/**
 * The real Gemini CLI's TUI in a tmux pane (../agent_tui.ts) against the mock Gemini API
 * (mock_api.ts): `node gemini.js` with no prompt, in the environment run.ts's `geminiEnv` gives.
 */
import { type AgentTui, startAgentTui } from "../agent_tui.ts";
import type { GeminiCli } from "./install.ts";
import type { MockApi } from "./mock_api.ts";
import { geminiEnv } from "./run.ts";

export { tmuxRuns } from "../agent_tui.ts";
export type GeminiTui = AgentTui;

export interface GeminiTuiOptions {
  gemini: GeminiCli;
  api: MockApi;
  cwd: string;
  home: string;
  env?: Record<string, string>;
}

/** Starts the Gemini TUI in a tmux pane of its own; dispose to end it. */
export function startGeminiTui(options: GeminiTuiOptions): Promise<GeminiTui> {
  return startAgentTui({
    name: "gemini",
    label: "Gemini CLI",
    cwd: options.cwd,
    home: options.home,
    env: geminiEnv(options),
    argv: [options.gemini.node, options.gemini.path],
  });
}
