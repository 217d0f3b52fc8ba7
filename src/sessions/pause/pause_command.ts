/**
 * `mpm pause`: write a snapshot of the current work. Only what starts git loads before it starts;
 * what only some pauses need (`--input`, `--export`, `--commit`) loads when asked for.
 */
import { basename, dirname, join } from "../../kernel/path.ts";
import { style } from "../../kernel/format/style.ts";
import { errorText, MpmError, UsageError } from "../../kernel/errors.ts";
import { findGitDirs } from "../../git/run/root.ts";
import { displayPath, findProjectRoot, projectPaths } from "../../disk/paths.ts";
import { unsealedWarning } from "../../disk/machine_key.ts";
import type { SavedFiles } from "../store/snapshots/read_snapshot.ts";
import { beginGitRead } from "../capture/early_git.ts";
import { givenTodos, type PauseRequest } from "../store/records/snapshot/request.ts";
import type { ExportTarget } from "../report/export_copy.ts";
import type { WordsField } from "../capture/input.ts";
import { boolFlag, type Declared, listFlag, type Parsed, stringFlag } from "../../cli/command.ts";
import { type Env, homeDir } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";

/** The command's own switches, and the request it pauses with. */
export interface PauseOptions {
  /** The words of the flags (and, once read, of --input): what travels to the snapshot. */
  request: PauseRequest;
  /** `--input FILE|-`: more words as YAML or JSON (input.ts), read before anything is written. */
  input?: string;
  commit: boolean;
  exportPath?: string;
  /** With --export: replace a regular file already at the path. */
  force: boolean;
  pruneWorktrees: boolean;
  json: boolean;
}

/** A repeatable flag's items, blank ones dropped (as --input drops them). */
function wordsOf(parsed: Parsed, flag: string): string[] {
  return listFlag(parsed, flag).filter((item) => item.trim() !== "");
}

/** The switches and words `mpm pause` was given; refuses an empty summary. */
export function pauseOptions(parsed: Parsed, now: Date): PauseOptions {
  const summary = stringFlag(parsed, "summary");
  const message = stringFlag(parsed, "message");
  if (summary !== undefined && message !== undefined && summary !== message) {
    throw new UsageError("Give the summary once: -s and -m are the same option.");
  }
  // Given but empty is not "no words": it would keep the last ones without a word of warning.
  if ((summary ?? message)?.trim() === "") {
    throw new UsageError(
      "The summary is empty.",
      "Say what you did with -s TEXT, or leave -s out to keep your last words.",
    );
  }
  return {
    request: {
      summary: summary ?? message,
      accomplishments: wordsOf(parsed, "accomplishment"),
      nextSteps: wordsOf(parsed, "next-step"),
      todos: givenTodos(wordsOf(parsed, "todo"), now),
    },
    input: stringFlag(parsed, "input"),
    commit: boolFlag(parsed, "commit") ?? false,
    exportPath: stringFlag(parsed, "export"),
    force: boolFlag(parsed, "force") ?? false,
    pruneWorktrees: boolFlag(parsed, "prune-worktrees") ?? true,
    json: boolFlag(parsed, "json") ?? false,
  };
}

const INPUT_FIELDS: readonly WordsField[] = ["summary", "accomplishments", "next_steps", "todos"];

/** --input's words added to the flags': lists add up (--input's first); one summary only. */
async function withInput(env: Env, options: PauseOptions, now: Date): Promise<PauseOptions> {
  if (options.input === undefined) return options;
  const [{ oneOf }, { readWordsInput }] = await Promise.all([
    import("../capture/input.ts"),
    import("../capture/input_read.ts"),
  ]);
  const input = await readWordsInput(env, options.input, INPUT_FIELDS, "mpm pause");
  const flags = options.request;
  return {
    ...options,
    request: {
      summary: oneOf(input.summary, flags.summary, "--summary"),
      accomplishments: [...(input.accomplishments ?? []), ...flags.accomplishments],
      nextSteps: [...(input.next_steps ?? []), ...flags.nextSteps],
      todos: [...givenTodos(input.todos ?? [], now), ...flags.todos],
    },
  };
}

async function pause(env: Env, options: PauseOptions, now: Date) {
  const root = await findProjectRoot(env.cwd);
  // Bad --export values are refused before the snapshot is written, so a failed command never
  // leaves a pause behind. --commit outside git is no reason to lose the pause: it is saved
  // without the commit, and the report says so.
  if (options.force && options.exportPath === undefined) {
    throw new UsageError("--force goes with --export: it lets the copy replace a file.");
  }
  const exportTo = options.exportPath === undefined
    ? undefined
    : await (await import("../report/export_copy.ts")).exportTarget(
      env.cwd,
      options.exportPath,
      options.force,
    );
  // git status starts now, while the pause code loads and the lock is taken; it stands for the
  // state under the lock unless another mpm changed something meanwhile (early_git.ts). In a
  // large tree the status takes about as long as loading that code, so one waits for the other
  // instead of following it.
  beginGitRead(projectPaths(root));
  // Whether there are agent worktrees to clean after the pause: looked at meanwhile (it reads).
  const worktreesThere = options.pruneWorktrees ? agentWorktreesThere(root) : undefined;
  const [{ pauseProject }, { lockWaitFrom, lockWaitNotice }] = await Promise.all([
    import("../capture/pause_project.ts"),
    import("../store/state/state_store.ts"),
  ]);
  const { snapshot, files, paths, inGit, session, attached, vault } = await pauseProject(
    root,
    now,
    options.request,
    {
      lockWaitMs: lockWaitFrom(env.vars),
      onLockWait: lockWaitNotice(env.warn),
      vault: pauseVault(env),
    },
  );
  const exported = exportTo ? await exportCopy(exportTo, files, snapshot.session_id) : undefined;
  let committed: string | null = null;
  let commitFailed: MpmError | undefined;
  const commitSkipped = options.commit && !inGit;
  if (options.commit && inGit) {
    const { commitSessionFiles, StagedLeftError } = await import("../../git/history/commit.ts");
    committed = await commitSessionFiles(
      root,
      [files.json, `${files.json}.sha256`, files.md, files.yaml],
      `session: pause ${snapshot.session_id}\n\n${snapshot.conversation.summary}`,
    ).catch((error) => {
      commitFailed = uncommittedPause(
        snapshot.session_id,
        displayPath(paths, files.json),
        error,
        error instanceof StagedLeftError,
      );
      return null;
    });
  }
  const worktrees = inGit && await worktreesThere
    ? await (await import("../../worktrees/prune.ts")).pruneWorktrees(root)
    : null;
  for (const message of vault?.messages ?? []) env.warn(`mpm: ${message}`);
  // A warning, not a failure: a pause that failed would lose the person's words.
  const unsealed = unsealedWarning();
  if (unsealed) env.warn(unsealed);
  if (commitFailed !== undefined) throw commitFailed;
  return {
    snapshot,
    files,
    exported,
    committed,
    commitSkipped,
    paths,
    worktrees,
    session,
    attached,
    vault,
  };
}

/** Copies the transcripts seen into the vault once the snapshot is saved. */
function pauseVault(env: Env) {
  return { home: homeDir(env), vars: env.vars, lockWaitMs: 2_000 };
}

/** A pause saved whose --commit failed: it is there, nothing committed, how to commit by hand. */
function uncommittedPause(id: string, json: string, error: unknown, leftStaged: boolean) {
  if (leftStaged && error instanceof MpmError) {
    return new MpmError(`Paused ${id}, but --commit made no commit: ${error.message}`, error.hint);
  }
  const files = `${json.slice(0, -".json".length)}.*`;
  const commit =
    `git add -f ${files} && git commit -m "session: pause ${id}" -- ${files} (or pause again with --commit).`;
  // Git commits no chosen files while a merge or cherry-pick waits: no identity would help.
  const during = /partial commit during an? ([a-z-]+)/.exec(errorText(error))?.[1];
  if (during !== undefined) {
    return new MpmError(
      `Paused ${id}, but --commit made no commit: git commits no chosen files during a ${during}; ` +
        "its files are saved and left unstaged.",
      `Finish or abort the ${during} first, then commit them: ${commit}`,
    );
  }
  return new MpmError(
    `Paused ${id}, but --commit made no commit (${errorText(error)}); ` +
      "its files are saved and left unstaged.",
    "Set your git identity if git asked for it (git config user.name … and user.email …), " +
      `then commit them: ${commit}`,
  );
}

const NO_GIT_COMMIT = "this folder is not in a git repository, so --commit was skipped";

/** Agent worktrees are looked at only when their folder exists, so most pauses spawn no git for it. */
async function agentWorktreesThere(root: string): Promise<boolean> {
  try {
    const dirs = await findGitDirs(root);
    const main = dirs && basename(dirs.commonDir) === ".git" ? dirname(dirs.commonDir) : root;
    return (await Deno.stat(join(main, ".claude", "worktrees"))).isDirectory;
  } catch {
    return false;
  }
}

/** A `.md` or `.yaml` path gets that rendering (a handoff note reads best as markdown). */
async function exportCopy(target: ExportTarget, files: SavedFiles, id: string): Promise<string> {
  const name = target.folder ? "" : basename(target.path).toLowerCase();
  const which = /.\.md$/.test(name) ? "md" : /.\.ya?ml$/.test(name) ? "yaml" : "json";
  const [{ writeExportCopy }, { readSavedFile }] = await Promise.all([
    import("../report/export_copy.ts"),
    import("../store/snapshots/read_snapshot.ts"),
  ]);
  return await writeExportCopy(target, id, await readSavedFile(files, which));
}

export const pauseCommand: Declared = {
  json:
    `- \`mpm pause --json\`: \`{"session_id", "paused_at", "files", "session", "attached"}\`, \`files\` being
  \`{"json", "md", "yaml"}\` (absolute paths) and \`session\` the session it saved, \`{"key", "name"}\`,
  or \`null\`: the active one, or with none active the newest paused one, whose newest snapshot's id
  \`attached\` then names (else \`null\`). Plus \`"exported"\` (with \`--export\`: a new file, or with
  \`--force\` a regular file replaced; never a path in \`.git/\` or \`.claude-mpm/\`, a link, a folder or
  a device), \`"commit"\` (the new commit's hash, with \`--commit\`; outside git, \`--commit\` is skipped:
  the pause is saved, \`"commit": null\` and \`"commit_skipped"\` says why; when git's commit fails — no
  git identity, say — the pause is saved all the same, what \`--commit\` staged is unstaged again
  (what you had staged stays as it was), and mpm exits 1 naming the saved snapshot and how to commit
  its files by hand) and \`"worktrees"\` when agent worktrees were looked at:
  \`{"pruned", "preserved", "swept", "orphans_preserved", "orphan_sweep_skipped"?}\`, each list of
  \`{"path", "reason"}\` (\`pruned\` adds \`"branch"\`). \`"vault"\`: what the copy into the transcript
  vault after the pause did, \`{"copied": [ids], "pending_bytes", "messages"}\`.`,
  details: `Writes .claude-mpm/sessions/session-YYYYMMDD-HHMMSS.json (UTC) with its .sha256,
a .md and a .yaml rendering, and points LATEST-SESSION.txt at it. Secrets in any text
are redacted before they reach disk.

--input - reads the words as one YAML or JSON mapping on stdin (summary, accomplishments,
next_steps, todos), so text with quotes, $(…) or line breaks needs no shell quoting: the
/mpm-pause skill passes Claude's words this way. Its lists add to the flags' own.`,
  flags: [
    { name: "summary", short: "s", value: "TEXT", description: "What you were working on." },
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
      negated: "Do not commit the session files (the default).",
    },
    {
      name: "export",
      value: "PATH",
      description:
        "Also write a copy to PATH: the markdown for .md, the YAML for .yaml, else the JSON " +
        "(an existing folder takes <snapshot id>.json inside it).",
      complete: "files",
    },
    {
      name: "force",
      description: "With --export: replace a file already at PATH (never a folder or device).",
    },
    {
      name: "prune-worktrees",
      negatable: true,
      description: "Clean stale agent worktrees (default: on).",
      negated: "Leave stale agent worktrees in place.",
    },
    {
      name: "input",
      value: "FILE|-",
      description:
        "The words as YAML or JSON from FILE or stdin: summary, accomplishments, next_steps, todos.",
      complete: "files",
    },
    { name: "json", description: "Print the result as JSON." },
  ],
  examples: [
    'mpm pause -s "Payment integration" -a "Stripe API wired" -n "Add refunds"',
    'mpm pause -m "End of day" --commit',
    "mpm pause --input words.json",
  ],
  run: async (env, parsed) => {
    // One moment for the whole pause: the snapshot's time and its new todos' are the same.
    const now = env.now();
    const options = await withInput(env, pauseOptions(parsed, now), now);
    const paused = await pause(env, options, now);
    const { snapshot, files, session, attached, vault } = paused;
    if (options.json) {
      return json({
        session_id: snapshot.session_id,
        paused_at: snapshot.paused_at,
        files,
        ...(paused.exported ? { exported: paused.exported } : {}),
        ...(paused.committed ? { commit: paused.committed } : {}),
        ...(paused.commitSkipped ? { commit: null, commit_skipped: NO_GIT_COMMIT } : {}),
        ...(paused.worktrees ? { worktrees: paused.worktrees } : {}),
        session: session ? { key: session.key, name: session.name } : null,
        attached: attached?.snapshot.session_id ?? null,
        vault: vault
          ? {
            copied: vault.copied.map((c) => c.id),
            pending_bytes: vault.pending.reduce((n, p) => n + p.bytes, 0),
            messages: vault.messages,
          }
          : null,
      });
    }
    const s = style(env.color);
    // Loaded with the snapshot code already (take_snapshot.ts): importing it here costs nothing.
    const [{ sessionLabel }, { attachedLine }, { shown }] = await Promise.all([
      import("../store/session/session.ts"),
      import("../store/session/attach.ts"),
      import("../../kernel/safe_text/shown.ts"),
    ]);
    const lines = [
      ...(attached ? [attachedLine(attached)] : []),
      `${s.green("✓")} Paused ${s.bold(snapshot.session_id)}`,
      ...(session ? [`  Session: ${sessionLabel(session)} (now paused)`] : []),
      // A summary of several lines (Claude may write one) stays under its label, as stored.
      `  Summary: ${
        shown(snapshot.conversation.summary, { as: "indented", indent: " ".repeat(11) })
      }`,
      // A bare pause keeps the words of the last pause that had some, and says whose they are.
      ...(snapshot.mpm.carried
        ? [`           (your words of ${snapshot.mpm.carried.written_at}, carried forward)`]
        : []),
      `  Saved:   ${displayPath(paused.paths, files.json)} (+ .md, .yaml, .sha256)`,
    ];
    if (paused.exported) lines.push(`  Copy:    ${paused.exported}`);
    if (paused.committed) lines.push(`  Commit:  ${paused.committed.slice(0, 7)}`);
    if (paused.commitSkipped) lines.push(`  Commit:  none: ${NO_GIT_COMMIT}`);
    const cleanup = paused.worktrees
      ? (await import("../../worktrees/prune.ts")).renderWorktreeReport(paused.worktrees)
      : "";
    if (cleanup) lines.push("", cleanup.trimEnd());
    lines.push("", "Resume with: mpm resume");
    return text(lines);
  },
};
