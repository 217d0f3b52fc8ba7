/** The commands, in the order `mpm --help` lists them. */
import type { Command } from "./command.ts";
import { checkpointCommand } from "./checkpoint.ts";
import { completeCommand } from "./complete.ts";
import { completionsCommand } from "./completions.ts";
import { doctorCommand } from "./doctor.ts";
import { hookCommand } from "./hook.ts";
import { hooksCommand } from "./hooks.ts";
import { listCommand } from "./list.ts";
import { migrateCommand } from "./migrate.ts";
import { pauseCommand } from "./pause.ts";
import { pruneCommand } from "./prune.ts";
import { resumeCommand } from "./resume.ts";
import { showCommand } from "./show.ts";
import { branchCommand } from "./branch.ts";
import { returnCommand } from "./return.ts";
import { startCommand } from "./start.ts";
import { statusCommand } from "./status.ts";
import { syncCommand } from "./sync.ts";
import { templateCommand } from "./template.ts";
import { todoCommand } from "./todo.ts";
import { worktreesCommand } from "./worktrees.ts";

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
