/**
 * Claude's tasks carried over: when a new conversation starts, the open tasks of the paused
 * session come back in the new Claude session's own task list, so the work Claude was going
 * through is not stranded with the old conversation. Written in Claude Code's task format
 * (claude/session/tasks.ts), each file created beside none (never over a file Claude Code wrote), and
 * only into a list that holds no task yet: a resumed conversation's own list wins.
 *
 * Claude Code reads the list only where its task tools are on (2.1.330 turns them off for some
 * models, and `CLAUDE_CODE_ENABLE_TASKS=false` turns them off everywhere); so the same tasks are
 * also in the injected context, as a list, whatever happens here.
 */
import { dirname, join } from "../../kernel/path.ts";
import type { Todo } from "../../kernel/snapshot.ts";
import { createAtomic } from "../../disk/files/atomic.ts";
import {
  type ClaudeTodo,
  taskFiles,
  taskListFolder,
  taskListHasTasks,
  tasksEnabled,
} from "../../claude/session/tasks.ts";

/**
 * Sources after which the tasks come back: a new conversation of the same work (a plain start,
 * `--continue` and `/resume`, `/clear`, a fork). Not `compact`: the conversation, and its list,
 * go on.
 */
const CARRY_SOURCES = new Set(["startup", "clear", "resume", "fork"]);

export interface CarryInput {
  source: string | undefined;
  home: string | undefined;
  sessionId: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The open tasks the paused session recorded. */
  tasks: readonly Todo[];
}

/** How many tasks were written into the list (0: none were due, or the list had tasks). */
export async function carryTasks(input: CarryInput): Promise<number> {
  if (!input.source || !CARRY_SOURCES.has(input.source) || input.home === undefined) return 0;
  if (input.tasks.length === 0 || !tasksEnabled(input.env)) return 0;
  const folder = taskListFolder({ home: input.home, sessionId: input.sessionId, env: input.env });
  if (await taskListHasTasks(folder)) return 0;
  const todos: ClaudeTodo[] = input.tasks.map((t) => ({
    content: t.content,
    status: t.status === "in_progress" ? "in_progress" : "pending",
  }));
  let written = 0;
  for (const file of taskFiles(todos)) {
    // A file there already is Claude Code's own (a task made meanwhile): the rest stay out.
    if (
      !(await createAtomic(join(folder, file.name), file.text + "\n", { root: dirname(folder) }))
    ) {
      break;
    }
    written++;
  }
  return written;
}
