/**
 * Runs the real Gemini CLI once, headless (`gemini -p PROMPT`), against the mock Gemini API, with
 * a HOME of the test's own and no way out: `GOOGLE_GEMINI_BASE_URL` is the mock, the API key
 * is a made-up one, and every other host goes through a proxy that is not there (127.0.0.1:9,
 * refused), so its tries at outside hosts (telemetry, update checks) fail at once.
 *
 * What 0.61.0 needs to run at all, checked with the client itself: an auth type in
 * `~/.gemini/settings.json` (`security.auth.selectedType = "gemini-api-key"`; without it
 * "Invalid auth method selected", exit 41) and a trusted workspace
 * (`GEMINI_CLI_TRUST_WORKSPACE=true`; without it exit 55). `GEMINI_CLI_NO_RELAUNCH` keeps it one
 * process (by default it starts itself again with a larger heap).
 *
 * `geminiSettings` is the person's settings.json for such a run: tests write it before
 * `mpm hooks install --agent gemini` adds mpm's part, as a person's would be.
 */
import { join } from "node:path";
import { baseEnv, HANG_GUARD_MS } from "../helpers.ts";
import type { GeminiCli } from "./install.ts";
import type { MockApi } from "./mock_api.ts";

/** The person's settings.json: the API key as the way in, nothing else. */
export function geminiSettings(): string {
  return JSON.stringify({ security: { auth: { selectedType: "gemini-api-key" } } }, null, 2) +
    "\n";
}

export interface GeminiRunOptions {
  gemini: GeminiCli;
  api: MockApi;
  /** `-p PROMPT` by default; or the whole argument list. */
  prompt?: string;
  args?: string[];
  cwd: string;
  home: string;
  env?: Record<string, string>;
}

export interface GeminiRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a Gemini run gets. */
export function geminiEnv(
  options: Pick<GeminiRunOptions, "api" | "home" | "env">,
): Record<string, string> {
  return {
    ...baseEnv(options.home),
    GOOGLE_GEMINI_BASE_URL: options.api.baseUrl,
    GEMINI_API_KEY: "test-key",
    GEMINI_CLI_TRUST_WORKSPACE: "true",
    GEMINI_CLI_NO_RELAUNCH: "true",
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    ...options.env,
  };
}

/** `~/.gemini/settings.json` of a home. */
export function settingsFile(home: string): string {
  return join(home, ".gemini", "settings.json");
}

/** Runs `gemini -p PROMPT` (or `gemini ARGS`) once. */
export async function runGemini(options: GeminiRunOptions): Promise<GeminiRun> {
  const args = options.args ?? ["-p", options.prompt ?? "hi"];
  const out = await new Deno.Command(options.gemini.node, {
    args: [options.gemini.path, ...args],
    cwd: options.cwd,
    clearEnv: true,
    env: geminiEnv(options),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(HANG_GUARD_MS),
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}
