/**
 * The registry: every command, in the order `mpm --help` lists them, and the tree that dispatch
 * walks. The top floor of the layers (docs/architecture.md): it imports every feature's commands,
 * and nothing but main.ts and tests imports it.
 */
import type { Command, Result } from "./cli/command.ts";
import { dispatch as dispatchIn } from "./cli/dispatch.ts";
import type { Env } from "./cli/env.ts";
import { checkpointCommand } from "./checkpoints/checkpoint_command.ts";
import { completeCommand } from "./completions/complete_command.ts";
import { completionsCommandFor } from "./completions/completions_command.ts";
import { doctorCommand } from "./doctor/doctor_command.ts";
import { hookCommand } from "./hooks/hook_command.ts";
import { hooksCommand } from "./hooks/hooks_command.ts";
import { listCommand } from "./sessions/list_command.ts";
import { migrateCommand } from "./migrate/migrate_command.ts";
import { pauseCommand } from "./sessions/pause_command.ts";
import { pruneCommand } from "./sessions/prune_command.ts";
import { resumeCommand } from "./sessions/resume_command.ts";
import { showCommand } from "./sessions/show_command.ts";
import { branchCommand } from "./sessions/branch_command.ts";
import { returnCommand } from "./sessions/return_command.ts";
import { startCommand } from "./sessions/start_command.ts";
import { statusCommand } from "./sessions/status_command.ts";
import { syncCommand } from "./sync/sync_command.ts";
import { templateCommand } from "./sessions/template_command.ts";
import { todoCommand } from "./sessions/todo_command.ts";
import { worktreesCommand } from "./worktrees/worktrees_command.ts";

export const commands: Command[] = [
  pauseCommand,
  resumeCommand,
  listCommand,
  showCommand,
  statusCommand,
  startCommand,
  todoCommand,
  branchCommand,
  returnCommand,
  worktreesCommand,
  checkpointCommand,
  migrateCommand,
  templateCommand,
  pruneCommand,
  hooksCommand,
  hookCommand,
  syncCommand,
  doctorCommand,
  completionsCommandFor(() => root),
  completeCommand,
];

export const root: Command = {
  name: "mpm",
  summary: "mpm keeps the context of your coding work alive across interruptions.",
  details: `Pause a session with what you did and what comes next; resume it later with
everything that changed since. Files live in the project under .claude-mpm/.

Exit codes: 0 done, 1 failed, 2 bad usage, 3 nothing to act on, 4 a stored file
failed its integrity check or schema.`,
  flags: [{ name: "version", short: "V", description: "Print mpm's version and build." }],
  subcommands: commands,
};

export function dispatch(env: Env, argv: string[]): Promise<Result> {
  return dispatchIn(root, env, argv);
}
