/** `mpm list`: the project's snapshots, newest first. */
import type { Command } from "../../cli/command.ts";
import { listFlags, runList } from "../report/list_sessions.ts";

export const listCommand: Command = {
  name: "list",
  summary: "List paused work, newest first (the same as `mpm resume --list`).",
  details: `One entry per session: its newest snapshot, your words first and mpm's own
note after, with the snapshots mpm saved on its own (SessionEnd, \`mpm branch\`, a bare
\`mpm pause\`) and earlier pauses folded under it. --all lists every snapshot. --json
lists the newest 20 snapshots unfolded (with "line", "written_by" and "agent"); --limit N
changes how many, --limit 0 lists them all. Work done in another agent than Claude Code is
tagged with its name (Codex).`,
  flags: listFlags,
  examples: ["mpm list", "mpm list --limit 5 --json"],
  run: runList,
};
