/**
 * Runs the real Codex CLI once, headless (`codex exec PROMPT`), against the mock Responses API,
 * with a HOME and CODEX_HOME of the test's own and no way out: the only provider is the mock
 * (`[model_providers.mock]`, `wire_api = "responses"`, `env_key`, `request_max_retries = 0`),
 * and every other host goes through a proxy that is not there (127.0.0.1:9, refused), so the
 * client's tries at outside hosts fail at once and it goes on (0.169.0 does).
 *
 * `codexConfig` is the person's config.toml for such a run: tests write it before
 * `mpm hooks install --agent codex` adds mpm's block, as a person's would be.
 */
import { join } from "node:path";
import { baseEnv } from "../helpers.ts";
import { HANG_GUARD_MS } from "../claude_code/wait.ts";
import type { MockApi } from "./mock_api.ts";

/** The person's config.toml: the mock as the model's provider, this project trusted. */
export function codexConfig(api: MockApi, project: string): string {
  return [
    'model = "gpt-mock"',
    'model_provider = "mock"',
    "",
    "[model_providers.mock]",
    'name = "mock"',
    `base_url = "${api.baseUrl}"`,
    'wire_api = "responses"',
    'env_key = "MOCK_API_KEY"',
    "request_max_retries = 0",
    "stream_max_retries = 0",
    "",
    `[projects.${JSON.stringify(project)}]`,
    'trust_level = "trusted"',
    "",
  ].join("\n");
}

export interface CodexRunOptions {
  codex: string;
  /** `exec PROMPT` by default; or the whole argument list. */
  prompt?: string;
  args?: string[];
  cwd: string;
  home: string;
  /** CODEX_HOME; `<home>/.codex` by default. */
  codexHome?: string;
  env?: Record<string, string>;
}

export interface CodexRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a Codex run gets. */
export function codexEnv(options: CodexRunOptions): Record<string, string> {
  return {
    ...baseEnv(options.home),
    CODEX_HOME: options.codexHome ?? join(options.home, ".codex"),
    MOCK_API_KEY: "test",
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    ALL_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    ...options.env,
  };
}

/** Runs `codex exec PROMPT` (or `codex ARGS`) once. */
export async function runCodex(options: CodexRunOptions): Promise<CodexRun> {
  const args = options.args ?? ["exec", "--skip-git-repo-check", options.prompt ?? "hi"];
  const out = await new Deno.Command(options.codex, {
    args,
    cwd: options.cwd,
    clearEnv: true,
    env: codexEnv(options),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(HANG_GUARD_MS),
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}
