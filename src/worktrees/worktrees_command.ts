/** `mpm worktrees prune`: removes stale agent worktrees under `.claude/worktrees/`. */
import { pruneWorktrees, renderWorktreeReport } from "./prune.ts";
import { boolFlag, type Command, type Declared } from "../cli/command.ts";

const prune: Command = {
  name: "prune",
  summary: "Remove agent worktrees under .claude/worktrees/ that hold no unsaved work.",
  json:
    `- \`mpm worktrees prune --json\`: \`{"dry_run", …}\` and the fields of \`pause\`'s \`worktrees\` above.`,
  details: `A registered worktree is removed (git worktree remove, never --force) only when it
is unlocked, has no uncommitted or untracked files, and its commits are safe: its branch is
merged into the main branch (the main worktree's branch, else origin/HEAD, else main or
master) or pushed to its upstream, or its detached HEAD is on a branch or tag.
An unregistered folder is judged by its own .git only: an empty folder is removed; a clean
checkout whose every commit the main repository holds on a ref is removed; anything else,
symbolic links included, is kept. \`mpm pause\` does the same unless --no-prune-worktrees.`,
  flags: [
    { name: "dry-run", description: "Say what would be removed; change nothing." },
    { name: "json", description: "Print the report as one JSON document." },
  ],
  examples: ["mpm worktrees prune --dry-run", "mpm worktrees prune --json"],
  run: async (env, parsed) => {
    const dryRun = boolFlag(parsed, "dry-run") ?? false;
    const report = await pruneWorktrees(env.cwd, { dryRun });
    if (boolFlag(parsed, "json")) {
      return { stdout: JSON.stringify({ dry_run: dryRun, ...report }, null, 2) + "\n" };
    }
    const text = renderWorktreeReport(report, { dryRun });
    return { stdout: text || "No agent worktrees to clean under .claude/worktrees/.\n" };
  },
};

export const worktreesCommand: Declared = {
  subcommands: [prune],
};
