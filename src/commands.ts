/** The commands, in the order `mpm --help` lists them. */
import type { Command } from "./cli/command.ts";
import { checkpointCommand } from "./checkpoints/checkpoint_command.ts";
import { completeCommand } from "./completions/complete_command.ts";
import { completionsCommand } from "./completions/completions_command.ts";
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
  completionsCommand,
  completeCommand,
];
