/** What every hook handler works with, once the payload passed its checks (hook_command.ts). */
import type { HookPayload } from "../../claude/session/payload.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Env } from "../../cli/env.ts";
import type { AgentId } from "../../agents/agent.ts";

export interface HookContext {
  env: Env;
  payload: HookPayload;
  root: string;
  paths: ProjectPaths;
  now: Date;
  /** Problems worth a line on stderr that do not stop the hook. */
  warn: (text: string) => void;
  /** The agent that ran the hook; Claude Code when not said. */
  agent?: AgentId;
}
