/**
 * The registry: every command in `mpm --help`'s order, each a light entry whose module loads only
 * when run.
 */
import type { Command, Declared, Result } from "./cli/command.ts";
import { loadTree } from "./cli/command.ts";
import { dispatch as dispatchIn } from "./cli/dispatch.ts";
import { type Env, homeDir } from "./cli/env.ts";

/** The name and summary `mpm --help` lists without loading the command are the command's. */
function entry(name: string, summary: string, load: () => Promise<Declared>): Command {
  return { name, summary, load: () => load().then((command) => ({ ...command, name, summary })) };
}

export const commands: Command[] = [
  entry(
    "pause",
    "Save a snapshot of the current work: what you did, what comes next, and git state.",
    () => import("./sessions/pause/pause_command.ts").then((m) => m.pauseCommand),
  ),
  entry(
    "resume",
    "Resume a paused session: its context, and what changed in the repository since.",
    () => import("./sessions/resume/resume_command.ts").then((m) => m.resumeCommand),
  ),
  entry(
    "list",
    "List paused work, newest first (the same as `mpm resume --list`).",
    () => import("./sessions/list/list_command.ts").then((m) => m.listCommand),
  ),
  entry(
    "show",
    "Show one session: its summary, accomplishments, next steps, todos and git state.",
    () => import("./sessions/list/show_command.ts").then((m) => m.showCommand),
  ),
  entry(
    "status",
    "Show the active session, the stack of parent sessions, and the latest pause.",
    () => import("./sessions/stack/status_command.ts").then((m) => m.statusCommand),
  ),
  entry(
    "start",
    "Begin an active session: a name, a task, and todos (from a template if you like).",
    () => import("./sessions/start/start_command.ts").then((m) => m.startCommand),
  ),
  entry(
    "todo",
    "The active session's todos: add, done, undo, rm, list.",
    () => import("./sessions/todo/todo_command.ts").then((m) => m.todoCommand),
  ),
  entry(
    "branch",
    "Put the active session aside and start a child session for urgent work.",
    () => import("./sessions/stack/branch_command.ts").then((m) => m.branchCommand),
  ),
  entry(
    "return",
    "Complete the child session and go back to its parent, exactly where it was.",
    () => import("./sessions/stack/return_command.ts").then((m) => m.returnCommand),
  ),
  entry(
    "done",
    "Complete the active session (or a paused one): a final snapshot in state completed.",
    () => import("./sessions/finish/done_command.ts").then((m) => m.doneCommand),
  ),
  entry(
    "cancel",
    "End the active session (or a paused one) as cancelled: work given up, not finished.",
    () => import("./sessions/finish/done_command.ts").then((m) => m.cancelCommand),
  ),
  entry(
    "handoff",
    "Hand work over: a document for a person, or Claude's handoff to a fresh conversation.",
    () => import("./sessions/handoff/handoff_command.ts").then((m) => m.handoffCommand),
  ),
  entry(
    "worktrees",
    "Manage agent worktrees under .claude/worktrees/.",
    () => import("./worktrees/worktrees_command.ts").then((m) => m.worktreesCommand),
  ),
  entry(
    "context",
    "The project's context file (.claude/context.md): print it, init, edit, update, list, use.",
    // context sits below sessions, so the session's facts are handed in.
    async () => {
      const [m, sessions, start] = await Promise.all([
        import("./context/context_command.ts"),
        import("./sessions/capture/context_facts.ts"),
        import("./hooks/start/start_text.ts"),
      ]);
      return m.contextCommandWith({
        ...sessions.contextSessionService,
        preview: start.previewText,
      });
    },
  ),
  entry(
    "checkpoint",
    "Save a named checkpoint of the work, and see what changed since.",
    () => import("./checkpoints/checkpoint_command.ts").then((m) => m.checkpointCommand),
  ),
  entry(
    "diff",
    "Show what a session changed: by content, commits and shell edits included.",
    () => import("./diff/diff_command.ts").then((m) => m.diffCommand),
  ),
  entry(
    "revert",
    "Undo what a session changed: its files back as they were (undoable: a stash).",
    () => import("./diff/revert_command.ts").then((m) => m.revertCommand),
  ),
  entry(
    "board",
    "A team's work at a glance: everyone's lines of work, and the files two touch.",
    // The board sits below sync: --pull is handed in, loaded only when asked for.
    () =>
      import("./board/board_command.ts").then((m) =>
        m.boardCommandWith({
          pull: async (env) => {
            const { syncCommand } = await import("./sync/sync_command.ts");
            const pull = syncCommand.subcommands!.find((c) => c.name === "pull")!;
            return (await pull.run!(env, { flags: {}, args: [] })).stdout ?? "";
          },
        })
      ),
  ),
  entry(
    "replay",
    "Replay a session: prompts, edits, tool calls, pauses, checkpoints and commits in order.",
    () => import("./replay/replay_command.ts").then((m) => m.replayCommand),
  ),
  entry(
    "summary",
    "Summarize a session in layers: the last hour in full, then ever shorter.",
    () => import("./replay/summary_command.ts").then((m) => m.summaryCommand),
  ),
  entry(
    "search",
    "Find text in snapshots, context files, error records and vaulted transcripts.",
    () => import("./search/search_command.ts").then((m) => m.searchCommand),
  ),
  entry(
    "index",
    "Show the search index of this project's vault, or build it again.",
    () => import("./index/index_command.ts").then((m) => m.indexCommand),
  ),
  entry(
    "vault",
    "The copies of the agents' conversations mpm keeps: list, show, restore, prune, sync.",
    // The vault sits below the sessions: what the kept snapshots point to is handed in.
    async () => {
      const [m, references, restore] = await Promise.all([
        import("./vault/vault_command.ts"),
        import("./sessions/store/archive/references.ts"),
        import("./vault/restore_command.ts"),
      ]);
      const vault = m.vaultCommandWith({ keptReferences: references.keptReferences });
      return { ...vault, subcommands: [...vault.subcommands ?? [], restore.restoreCommand] };
    },
  ),
  entry(
    "migrate",
    "Bring claude-mpm's and trusty-mpm's sessions into mpm's format (backed up, undoable).",
    () => import("./migrate/migrate_command.ts").then((m) => m.migrateCommand),
  ),
  entry(
    "template",
    "Session templates: markdown checklists whose items become a session's todos.",
    () => import("./sessions/start/template_command.ts").then((m) => m.templateCommand),
  ),
  entry(
    "prune",
    "Archive old sessions: move them to .claude-mpm/sessions/archive/.",
    () => import("./sessions/prune/prune_command.ts").then((m) => m.pruneCommand),
  ),
  entry(
    "hooks",
    "Wire mpm into Claude Code, Codex CLI or Gemini CLI: list, show, install, uninstall.",
    () => import("./hooks/install/hooks_command.ts").then((m) => m.hooksCommand),
  ),
  entry(
    "hook",
    "Run one of mpm's hooks for an agent (the installed scripts and entries call this).",
    // SessionEnd also writes the session's summary: replay sits above hooks, so it is handed in.
    () =>
      import("./hooks/events/hook_command.ts").then((m) =>
        m.hookCommandWith({
          afterSessionEnd: async ({ env, root, key, now }) =>
            (await import("./replay/summarize.ts")).writeSummaryFile({
              selector: key,
              cwd: root,
              now,
              home: homeDir(env),
              vars: env.vars,
            }),
        })
      ),
  ),
  entry(
    "statusline",
    "Claude Code's status line: the session, the context window's fill (reads stdin).",
    () => import("./statusline/statusline_command.ts").then((m) => m.statuslineCommand),
  ),
  entry(
    "skills",
    "mpm inside Claude Code: install /mpm-pause, /mpm-resume and friends as skills.",
    () => import("./skills/skills_command.ts").then((m) => m.skillsCommand),
  ),
  entry(
    "plugin",
    "Pack mpm's skills and hooks as a Claude Code plugin (its own marketplace).",
    () => import("./skills/plugin_command.ts").then((m) => m.pluginCommand),
  ),
  entry(
    "mcp",
    "Serve mpm's records to the agent as MCP tools (a server on stdin and stdout).",
    () => import("./mcp/mcp_command.ts").then((m) => m.mcpCommand),
  ),
  entry(
    "sync",
    "Share sessions with your team through the git remote (refs/mpm/sessions).",
    () => import("./sync/sync_command.ts").then((m) => m.syncCommand),
  ),
  entry(
    "doctor",
    "Check mpm's install, this project's stored files, permissions and hooks.",
    () => import("./doctor/doctor_command.ts").then((m) => m.doctorCommand),
  ),
  entry(
    "upgrade",
    "Replace this mpm with the newest release, checked and run before it takes over.",
    () => import("./upgrade/upgrade_command.ts").then((m) => m.upgradeCommand),
  ),
  entry(
    "completions",
    "Print a shell completion script for bash, zsh or fish.",
    () =>
      import("./completions/completions_command.ts").then((m) =>
        m.completionsCommandFor(() => loadTree(root))
      ),
  ),
  entry(
    "__complete",
    "Print completion candidates, one per line (used by the completion scripts).",
    () => import("./completions/complete_command.ts").then((m) => m.completeCommand),
  ),
];

export const root: Command = {
  name: "mpm",
  summary: "mpm keeps the context of your coding work alive across interruptions.",
  details: `Pause a session with what you did and what comes next; resume it later with
everything that changed since. Files live in the project under .claude-mpm/.

An option that takes one value (-s TEXT) is given once: given twice, mpm refuses rather
than keep either; options marked "repeatable" add up. With --json, a failure prints
{"error": {code, kind, message, hint}} on stdout.`,
  more: `Exit codes: 0 done (also when nothing needed doing), 1 failed, 2 bad usage, 3 the thing
named does not exist or there is nothing to act on, 4 a stored file failed its integrity
check or schema.`,
  subcommands: commands,
};

export function dispatch(env: Env, argv: string[]): Promise<Result> {
  return dispatchIn(root, env, argv);
}
