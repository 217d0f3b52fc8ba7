/**
 * claude-mpm's session layouts as zod schemas, and the quirks of its data that every reader of
 * them needs (placeholder texts, porcelain paths). normalize.ts maps them into Snapshots.
 */
import * as z from "../kernel/zod.ts";
import { IntegrityError } from "../kernel/errors.ts";
import { checkValue } from "../kernel/check.ts";
import { type Snapshot, snapshotCheck } from "../kernel/snapshot.ts";

export type LegacyLayout =
  | "mpm"
  | "claude-mpm-4"
  | "claude-mpm-6"
  | "claude-mpm-md"
  | "trusty-mpm-md";

export interface LegacyContext {
  /** The file's name (or path as shown to the user), for messages and `mpm.legacy.file`. */
  fileName: string;
  /** The project the file was found in; used when the file names none. */
  projectPath: string;
}

/** The schemas, built on first use: most runs read only mpm's own records. */
function buildSchemas() {
  /** YAML may turn a version such as 6.10 into a number. */
  const Text = z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String));
  /** Accomplishments and next steps: strings, or objects such as {task, priority, notes}. */
  const Item = z.union([z.string(), z.looseObject({})]);
  const LegacyTodo = z.union([z.string(), z.looseObject({ status: z.optional(z.string()) })]);

  const Conversation = z.looseObject({
    summary: z.nullish(z.string()),
    accomplishments: z.nullish(z.array(Item)),
    next_steps: z.nullish(z.array(Item)),
    primary_task: z.nullish(z.string()),
  });

  const Todos = z.looseObject({
    active: z.nullish(z.array(LegacyTodo)),
    completed: z.nullish(z.array(LegacyTodo)),
  });

  const Common = {
    session_id: z.string().check(z.minLength(1)),
    paused_at: z.string().check(z.minLength(1)),
    conversation: z.nullish(Conversation),
    todos: z.nullish(Todos),
    version: z.nullish(Text),
    build: z.nullish(Text),
    project_path: z.nullish(z.string()),
  };

  const Commit = z.looseObject({ sha: z.string(), message: z.nullish(z.string()) });

  const V6Git = z.looseObject({
    is_git_repo: z.optional(z.boolean()),
    branch: z.nullish(z.string()),
    recent_commits: z.optional(z.array(Commit)),
    status: z.optional(z.looseObject({
      clean: z.optional(z.boolean()),
      modified_files: z.optional(z.array(z.string())),
      untracked_files: z.optional(z.array(z.string())),
    })),
  }).check(z.refine(
    (g) =>
      g.is_git_repo !== undefined || g.recent_commits !== undefined ||
      g.status?.modified_files !== undefined || g.status?.untracked_files !== undefined,
    "git_context has none of is_git_repo, recent_commits, status.modified_files",
  ));

  const Task = z.looseObject({
    title: z.nullish(z.string()),
    description: z.nullish(z.string()),
  });

  const ClaudeMpm6Schema = z.looseObject({
    ...Common,
    git_context: V6Git,
    task_list: z.optional(z.looseObject({
      pending_tasks: z.nullish(z.array(Task)),
      in_progress_tasks: z.nullish(z.array(Task)),
    })),
    context_usage: z.optional(z.looseObject({
      tokens_used: z.nullish(z.number()),
      tokens_total: z.nullish(z.number()),
      percentage: z.nullish(z.number()),
    })),
    active_context: z.optional(z.looseObject({ working_directory: z.nullish(z.string()) })),
  });

  const Paths = z.nullish(z.array(z.string()));

  const ClaudeMpm4Schema = z.looseObject({
    ...Common,
    git_context: z.nullish(z.looseObject({
      branch: z.nullish(z.string()),
      commit: z.nullish(z.string()),
      commit_message: z.nullish(z.string()),
      detached: z.nullish(z.boolean()),
      upstream: z.nullish(z.string()),
      status: z.nullish(z.looseObject({
        modified: Paths,
        staged: Paths,
        untracked: Paths,
        deleted: Paths,
        renamed: z.nullish(z.array(z.object({ from: z.string(), to: z.string() }))),
        conflicted: Paths,
      })),
      is_clean: z.nullish(z.boolean()),
      ahead_behind: z.nullish(z.object({ ahead: z.int(), behind: z.int() })),
    })),
  });

  return { Item, LegacyTodo, Task, ClaudeMpm6Schema, ClaudeMpm4Schema };
}

type Schemas = ReturnType<typeof buildSchemas>;

export const legacySchemas: () => Schemas = z.builtOnce(buildSchemas);

export type ClaudeMpm6 = z.infer<Schemas["ClaudeMpm6Schema"]>;
export type ClaudeMpm4 = z.infer<Schemas["ClaudeMpm4Schema"]>;
export type Item = z.infer<Schemas["Item"]>;
export type LegacyTodo = z.infer<Schemas["LegacyTodo"]>;
export type Task = z.infer<Schemas["Task"]>;

// --- quirks of claude-mpm's data ----------------------------------------------------------

/** claude-mpm's stand-ins for "the user said nothing". */
const DEFAULT_SUMMARIES = new Set([
  "",
  "No summary provided",
  "Session paused - context not provided",
]);
const PLACEHOLDER_TASKS = new Set(["Manual pause - see message below"]);

export function summarySource(summary: string | null | undefined): "user" | "default" | "auto" {
  const text = (summary ?? "").trim();
  if (DEFAULT_SUMMARIES.has(text)) return "default";
  return text.startsWith("Session auto-paused") ? "auto" : "user";
}

/** claude-mpm's 90%-context auto-pause names itself in primary_task. */
export function isAutoPauseTask(primaryTask: string | null | undefined): boolean {
  return primaryTask?.trim().startsWith("Auto-pause triggered") ?? false;
}

export function taskFrom(primaryTask: string | null | undefined): string | null {
  const text = primaryTask?.trim();
  if (!text || PLACEHOLDER_TASKS.has(text) || isAutoPauseTask(text)) return null;
  return text;
}

/** claude-mpm's porcelain paths without codes ("old -> new" a rename), all taken as modified. */
export function gitStatusFromPorcelainPaths(
  paths: string[],
): { modified: string[]; staged: string[]; renamed: { from: string; to: string }[] } {
  const modified: string[] = [];
  const renamed: { from: string; to: string }[] = [];
  for (const path of paths) {
    const arrow = path.indexOf(" -> ");
    if (arrow > 0) renamed.push({ from: path.slice(0, arrow), to: path.slice(arrow + 4) });
    else modified.push(path);
  }
  return { modified, staged: [], renamed };
}

/** Validates the mapped record, so a legacy file can never yield a half-valid Snapshot. */
export function finishSnapshot(candidate: Record<string, unknown>, fileName: string): Snapshot {
  const checked = checkValue(snapshotCheck, candidate);
  if (checked.ok) return checked.value;
  const { path, message } = checked.problem;
  throw new IntegrityError(
    `${fileName} could not be read as a claude-mpm session: ${path.join(".")}: ${message}.`,
  );
}
