/** `mpm pause`: write a snapshot of the current work. */
import { basename, dirname, extname, join, resolve } from "node:path";
import { style } from "../kernel/style.ts";
import { UsageError } from "../kernel/errors.ts";
import { commitSessionFiles } from "../git/commit.ts";
import { findGitDirs } from "../git/root.ts";
import { pruneWorktrees, renderWorktreeReport, type WorktreeReport } from "../worktrees/prune.ts";
import { writeAtomic } from "../disk/atomic.ts";
import { findProjectRoot } from "../disk/paths.ts";
import { displayPath, type SavedFiles } from "./store.ts";
import { sessionLabel } from "./session.ts";
import { lockWaitFrom } from "./state_store.ts";
import { pauseProject } from "./pause_project.ts";
import { boolFlag, type Command, listFlag, stringFlag } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";

export interface PauseOptions {
  summary?: string;
  accomplishments: string[];
  nextSteps: string[];
  todos: string[];
  commit: boolean;
  exportPath?: string;
  pruneWorktrees: boolean;
  json: boolean;
}

export function pauseOptions(
  parsed: Parameters<NonNullable<Command["run"]>>[1],
): PauseOptions {
  const summary = stringFlag(parsed, "summary");
  const message = stringFlag(parsed, "message");
  if (summary !== undefined && message !== undefined && summary !== message) {
    throw new UsageError(
      "Give the summary once: -s and -m are the same option.",
    );
  }
  return {
    summary: summary ?? message,
    accomplishments: listFlag(parsed, "accomplishment"),
    nextSteps: listFlag(parsed, "next-step"),
    todos: listFlag(parsed, "todo"),
    commit: boolFlag(parsed, "commit") ?? false,
    exportPath: stringFlag(parsed, "export"),
    pruneWorktrees: boolFlag(parsed, "prune-worktrees") ?? true,
    json: boolFlag(parsed, "json") ?? false,
  };
}

async function pause(env: Env, options: PauseOptions) {
  const root = await findProjectRoot(env.cwd);
  // Bad --commit or --export values are refused before the snapshot is written, so a failed
  // command never leaves a pause behind.
  if (options.commit && !(await findGitDirs(root))) {
    throw new UsageError(
      "--commit needs a git repository, and this folder is not in one; nothing was saved.",
      "Run `mpm pause` without --commit.",
    );
  }
  const exportTo = options.exportPath === undefined
    ? undefined
    : await exportTarget(env, options.exportPath);
  const { snapshot, files, paths, inGit, session } = await pauseProject(
    root,
    env.now(),
    {
      summary: options.summary,
      accomplishments: options.accomplishments,
      nextSteps: options.nextSteps,
      todos: options.todos.map((content) => ({
        content,
        status: "pending" as const,
      })),
    },
    { lockWaitMs: lockWaitFrom(env.vars) },
  );
  const exported = exportTo ? await exportCopy(exportTo, files, snapshot.session_id) : undefined;
  let committed: string | null = null;
  if (options.commit) {
    if (!inGit) {
      throw new UsageError(
        "--commit needs a git repository; the snapshot was saved without a commit.",
      );
    }
    committed = await commitSessionFiles(
      root,
      [files.json, `${files.json}.sha256`, files.md, files.yaml],
      `session: pause ${snapshot.session_id}\n\n${snapshot.conversation.summary}`,
    );
  }
  const worktrees = options.pruneWorktrees && inGit ? await pruneAgentWorktrees(root) : null;
  return { snapshot, files, exported, committed, paths, worktrees, session };
}

/** Agent worktrees are looked at only when their folder exists, so most pauses spawn no git for it. */
async function pruneAgentWorktrees(
  root: string,
): Promise<WorktreeReport | null> {
  const dirs = await findGitDirs(root);
  const main = dirs && basename(dirs.commonDir) === ".git" ? dirname(dirs.commonDir) : root;
  try {
    if (!(await Deno.stat(join(main, ".claude", "worktrees"))).isDirectory) {
      return null;
    }
  } catch {
    return null;
  }
  return await pruneWorktrees(root);
}

interface ExportTarget {
  path: string;
  /** An existing folder: the copy goes in it, named after the snapshot. */
  folder: boolean;
}

async function exportTarget(env: Env, given: string): Promise<ExportTarget> {
  if (given.trim() === "") {
    throw new UsageError(
      "--export needs a path.",
      "Example: --export ~/handoff.md",
    );
  }
  const path = resolve(env.cwd, given);
  if ((await Deno.stat(path).catch(() => null))?.isDirectory) {
    return { path, folder: true };
  }
  if (!(await Deno.stat(dirname(path)).catch(() => null))?.isDirectory) {
    throw new UsageError(
      `--export ${given}: the folder ${dirname(path)} does not exist; nothing was saved.`,
      "Create the folder first, or export to one that exists.",
    );
  }
  return { path, folder: false };
}

/** A `.md` or `.yaml` path gets that rendering (a handoff note reads best as markdown). */
async function exportCopy(
  target: ExportTarget,
  files: SavedFiles,
  id: string,
): Promise<string> {
  const path = target.folder ? join(target.path, `${id}.json`) : target.path;
  const ext = extname(path).toLowerCase();
  const source = ext === ".md"
    ? files.md
    : ext === ".yaml" || ext === ".yml"
    ? files.yaml
    : files.json;
  await writeAtomic(path, await Deno.readFile(source), { root: dirname(path) });
  return path;
}

export const pauseCommand: Command = {
  name: "pause",
  summary: "Save a snapshot of the current work: what you did, what comes next, and git state.",
  details: `Writes .claude-mpm/sessions/session-YYYYMMDD-HHMMSS.json (UTC) with its .sha256,
a .md and a .yaml rendering, and points LATEST-SESSION.txt at it. Secrets in any text
are redacted before they reach disk.`,
  flags: [
    {
      name: "summary",
      short: "s",
      value: "TEXT",
      description: "What you were working on.",
    },
    {
      name: "message",
      short: "m",
      value: "TEXT",
      description: "Same as --summary (claude-mpm's spelling).",
    },
    {
      name: "accomplishment",
      short: "a",
      value: "TEXT",
      multiple: true,
      description: "Something you finished (repeatable).",
    },
    {
      name: "next-step",
      short: "n",
      value: "TEXT",
      multiple: true,
      description: "What comes next (repeatable).",
    },
    {
      name: "todo",
      value: "TEXT",
      multiple: true,
      description: "An open todo to record (repeatable).",
    },
    {
      name: "commit",
      negatable: true,
      description:
        "Commit the session files (only them, never your staged changes). Default: no commit.",
    },
    {
      name: "export",
      value: "PATH",
      description:
        "Also write a copy to PATH: the markdown for .md, the YAML for .yaml, else the JSON.",
      complete: "files",
    },
    {
      name: "prune-worktrees",
      negatable: true,
      description: "Clean stale agent worktrees (default: on).",
    },
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: [
    'mpm pause -s "Payment integration" -a "Stripe API wired" -n "Add refunds"',
    'mpm pause -m "End of day" --commit',
  ],
  run: async (env, parsed) => {
    const options = pauseOptions(parsed);
    const { snapshot, files, exported, committed, paths, worktrees, session } = await pause(
      env,
      options,
    );
    if (options.json) {
      return json({
        session_id: snapshot.session_id,
        paused_at: snapshot.paused_at,
        files,
        ...(exported ? { exported } : {}),
        ...(committed ? { commit: committed } : {}),
        ...(worktrees ? { worktrees } : {}),
        session: session ? { key: session.key, name: session.name } : null,
      });
    }
    const s = style(env.color);
    const lines = [
      `${s.green("✓")} Paused ${s.bold(snapshot.session_id)}`,
      ...(session ? [`  Session: ${sessionLabel(session)} (now paused)`] : []),
      `  Summary: ${snapshot.conversation.summary}`,
      `  Saved:   ${displayPath(paths, files.json)} (+ .md, .yaml, .sha256)`,
    ];
    if (exported) lines.push(`  Copy:    ${exported}`);
    if (committed) lines.push(`  Commit:  ${committed.slice(0, 7)}`);
    const cleanup = worktrees ? renderWorktreeReport(worktrees) : "";
    if (cleanup) lines.push("", cleanup.trimEnd());
    lines.push("", "Resume with: mpm resume");
    return text(lines);
  },
};
