/** What every hook handler works with, once the payload passed its checks (hook_command.ts). */
import type { HookPayload } from "../../claude/session/payload.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Env } from "../../cli/env.ts";

export interface HookContext {
  env: Env;
  payload: HookPayload;
  root: string;
  paths: ProjectPaths;
  now: Date;
  /** Problems worth a line on stderr that do not stop the hook. */
  warn: (text: string) => void;
}
