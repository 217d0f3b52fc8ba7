/** `mpm vault restore [SESSION|CLAUDE-ID]` (restore/restore.ts); registered under `mpm vault`. */
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import { boolFlag, type Command } from "../cli/command.ts";
import { homeDir } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { restoreConversation } from "./restore/restore.ts";
import { restoreLines } from "./restore/restore_report.ts";

export const restoreCommand: Command = {
  name: "restore",
  summary: "Put a vaulted conversation back where Claude Code looks, to `claude --resume` it.",
  json:
    `- \`mpm vault restore\` prints the command that continues the conversation (\`claude --resume <id>\`,
  preceded by \`cd <folder> &&\` when \`claude\` must run elsewhere). \`--json\`:
  \`{"id", "session",
  "status": "restored" | "already" | "dry-run", "transcript", "cwd", "moved": {"from", "to"},
  "claude_config": {"from", "to"} | null, "origin": "here" | "you" | "teammate" | "elsewhere",
  "sender", "files": [{"file", "outcome": "written" |
  "unchanged" | "kept"}], "client_versions", "installed_client", "command"}\`.
  \`--dry-run\` writes nothing. \`mpm resume --conversation --json\` adds this object as \`conversation\`
  (or \`{"error",
  "hint"}\`: the session is resumed whatever the restore says, and the exit code is
  then 1).`,
  details: `Writes the vault's copy of a Claude Code conversation (one \`mpm sync pull\`
brought from your other machine, or one Claude Code deleted) into Claude Code's folder for
this checkout (CLAUDE_CONFIG_DIR or ~/.claude, projects/<this folder>/<id>.jsonl), with the
other checkout's paths rewritten to this one's, and prints the command that continues it.
SESSION is an mpm session key (its newest conversation); CLAUDE-ID a Claude session id or its
start; without either, the newest conversation in the vault. Values redacted in the vault stay
redacted: a last line tells Claude so.`,
  more: `A transcript Claude Code already has is replaced only
when it is the start of the restored one. A copy sent by a teammate (the \`mpm sync push\` that
brought it was not signed with your own signing key, whatever email it claims), or one this
machine's mpm did not write (committed into the repository), needs --from-teammate and is never
taken without an argument; a transcript or installed Claude Code of a version restores were not
tested with needs --force.`,
  args: [{
    name: "SESSION|CLAUDE-ID",
    optional: true,
    description: "The mpm session or Claude session to restore.",
  }],
  flags: [
    { name: "from-teammate", description: "Restore a copy a teammate pushed." },
    { name: "force", description: "Restore for a Claude Code version it was not tested with." },
    { name: "dry-run", description: "Say what would be written; write nothing." },
    { name: "json", description: "Print the report as JSON." },
  ],
  examples: ["mpm vault restore", "mpm vault restore cadbfc5a", "mpm vault restore s-1a2b3c4d5e"],
  run: async (env, parsed) => {
    const root = await findProjectRoot(env.cwd);
    const report = await restoreConversation({
      root,
      cwd: env.cwd,
      paths: projectPaths(root),
      home: homeDir(env),
      vars: env.vars,
      selector: parsed.args[0],
      fromTeammate: boolFlag(parsed, "from-teammate") ?? false,
      force: boolFlag(parsed, "force") ?? false,
      dryRun: boolFlag(parsed, "dry-run") ?? false,
      now: env.now(),
    });
    if (boolFlag(parsed, "json")) return json(report);
    return text(restoreLines(env, report));
  },
};
