/** The commands, in the order `mpm --help` lists them. */
import type { Command } from "./command.ts";
import { completeCommand } from "./complete.ts";
import { completionsCommand } from "./completions.ts";
import { listCommand } from "./list.ts";
import { pauseCommand } from "./pause.ts";
import { resumeCommand } from "./resume.ts";
import { showCommand } from "./show.ts";
import { worktreesCommand } from "./worktrees.ts";

export const commands: Command[] = [
  pauseCommand,
  resumeCommand,
  listCommand,
  showCommand,
  worktreesCommand,
  completionsCommand,
  completeCommand,
];
