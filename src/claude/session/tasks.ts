/**
 * Claude Code's task list (else its todo files), read so a pause keeps what Claude was working
 * through; a file that does not validate is skipped.
 */
import { join } from "../../kernel/path.ts";
import * as z from "../../kernel/zod.ts";
import { claudeConfigDir } from "../settings/config/config_dir.ts";

export type TodoStatus = "pending" | "in_progress" | "completed";

/** A type, not an interface, so it fits the snapshot's (loose, indexed) todo shape. */
export type ClaudeTodo = {
  content: string;
  status: TodoStatus;
};

export interface ClaudeTodos {
  active: ClaudeTodo[];
  completed: ClaudeTodo[];
  /** Where they came from, for messages: the task list, the older todo files, or nowhere. */
  source: "tasks" | "todos" | null;
}

export interface TaskSourceOptions {
  home: string;
  /** Claude Code's session id (the hook payload's `session_id`). */
  sessionId: string;
  /** The environment: `CLAUDE_CONFIG_DIR` and `CLAUDE_CODE_TASK_LIST_ID` are read from it. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The schemas, built on first use (src/kernel/zod.ts says why). */
function buildSchemas() {
  const StatusSchema = z.enum(["pending", "in_progress", "completed"]);
  const TaskSchema = z.looseObject({
    id: z.optional(z.union([z.string(), z.number()])),
    subject: z.string().check(z.minLength(1)),
    status: StatusSchema,
  });
  const TodoFileSchema = z.array(
    z.looseObject({ content: z.string().check(z.minLength(1)), status: StatusSchema }),
  );

  return { TaskSchema, TodoFileSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;

const tasksSchemas: () => Schemas = z.builtOnce(buildSchemas);

/** Task and todo files are small; anything larger is not one of them. */
const MAX_FILE_BYTES = 1024 * 1024;

/** `<config>/tasks/<CLAUDE_CODE_TASK_LIST_ID or session id>`, sanitised as Claude Code does. */
export function taskListFolder(options: TaskSourceOptions): string {
  const config = claudeConfigDir(options.home, options.env);
  const listId = options.env.CLAUDE_CODE_TASK_LIST_ID?.trim() || options.sessionId;
  return join(config, "tasks", listId.replace(/[^a-zA-Z0-9_-]/g, "-"));
}

/** Whether Claude Code keeps a task list at all (`CLAUDE_CODE_ENABLE_TASKS=false` turns it off). */
export function tasksEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.CLAUDE_CODE_ENABLE_TASKS?.trim().toLowerCase();
  return value !== "false" && value !== "0" && value !== "no" && value !== "off";
}

/** One task file of Claude Code's list: its name in the folder and its text. */
export interface TaskFile {
  name: string;
  text: string;
}

/** Tasks as Claude Code 2.1.330 writes them, with every field it requires. */
export function taskFiles(todos: readonly ClaudeTodo[]): TaskFile[] {
  return todos.map((todo, i) => {
    const id = String(i + 1);
    const task = {
      id,
      subject: todo.content,
      description: "",
      activeForm: todo.content,
      status: todo.status,
      blocks: [],
      blockedBy: [],
    };
    return { name: `${id}.json`, text: JSON.stringify(task, null, 2) };
  });
}

/** Whether the task list folder holds any task file (a missing folder holds none). */
export async function taskListHasTasks(folder: string): Promise<boolean> {
  return (await listNames(folder)).some((name) => name.endsWith(".json") && !name.startsWith("."));
}

export async function readClaudeTodos(options: TaskSourceOptions): Promise<ClaudeTodos> {
  const config = claudeConfigDir(options.home, options.env);
  const listId = options.env.CLAUDE_CODE_TASK_LIST_ID?.trim() || options.sessionId;
  const tasks = await readTaskList(join(config, "tasks", safeName(listId)));
  if (tasks.length > 0) return split(tasks, "tasks");
  const todos = await readTodoFiles(join(config, "todos"), options.sessionId);
  return todos.length > 0 ? split(todos, "todos") : { active: [], completed: [], source: null };
}

function split(todos: ClaudeTodo[], source: "tasks" | "todos"): ClaudeTodos {
  return {
    active: todos.filter((todo) => todo.status !== "completed"),
    completed: todos.filter((todo) => todo.status === "completed"),
    source,
  };
}

/** A session or list id as one path segment, so an odd id cannot point elsewhere. */
function safeName(id: string): string {
  return id.replace(/[/\\]/g, "_").replace(/^\.+$/, "_");
}

async function readTaskList(dir: string): Promise<ClaudeTodo[]> {
  const tasks: { order: string; todo: ClaudeTodo }[] = [];
  for (const name of await listNames(dir)) {
    if (!name.endsWith(".json")) continue;
    const parsed = tasksSchemas().TaskSchema.safeParse(await readJson(join(dir, name)));
    if (!parsed.success) continue;
    const { id, subject, status } = parsed.data;
    tasks.push({
      order: String(id ?? name.slice(0, -".json".length)),
      todo: { content: subject, status },
    });
  }
  return tasks.sort((a, b) => compareIds(a.order, b.order)).map((task) => task.todo);
}

async function readTodoFiles(dir: string, sessionId: string): Promise<ClaudeTodo[]> {
  const prefix = `${sessionId}-agent-`;
  const main = `${prefix}${sessionId}.json`;
  const names = (await listNames(dir))
    .filter((name) => name.startsWith(prefix) && name.endsWith(".json"))
    .sort((a, b) => (a === main ? -1 : b === main ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const seen = new Set<string>();
  const todos: ClaudeTodo[] = [];
  for (const name of names) {
    const parsed = tasksSchemas().TodoFileSchema.safeParse(await readJson(join(dir, name)));
    if (!parsed.success) continue;
    for (const { content, status } of parsed.data) {
      // A subagent's file may repeat the main agent's items; the first one seen wins.
      if (seen.has(content)) continue;
      seen.add(content);
      todos.push({ content, status });
    }
  }
  return todos;
}

/** Task ids are numbers in strings ("2" before "10"); anything else sorts after, by text. */
function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

async function listNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
  } catch {
    // Missing, not a folder, or unreadable: Claude Code's files are optional to mpm.
    return [];
  }
  return names;
}

async function readJson(path: string): Promise<unknown> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > MAX_FILE_BYTES) return undefined;
    return JSON.parse(await Deno.readTextFile(path));
  } catch {
    return undefined;
  }
}
