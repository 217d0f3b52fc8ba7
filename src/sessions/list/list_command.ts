/** `mpm list`: the project's snapshots, newest first. */
import type { Declared } from "../../cli/command.ts";
import { listFlags, runList } from "../report/list_sessions.ts";

export const listCommand: Declared = {
  json: `- \`mpm list --json\` (and \`resume --list --json\`):
  \`[{"index", "session_id", "name", "paused_at", "summary", "file", "state", "line", "written_by",
  "agent", "carried_from"}]\`
  (\`name\`: the session's name, or \`null\`), the newest 20 snapshots, newest first, or the first N
  with \`--limit N\` (\`--limit 0\`: all; the text view folds them by session and shows 20 sessions; the
  JSON never folds; a snapshot written elsewhere folds with those of its session its sender sent, as
  the board's lines of work: two people's snapshots of one session are two entries); \`state\` is the
  snapshot's \`mpm.state\`, \`archived\`, or \`invalid\` (then \`paused_at\`/\`summary\` are \`null\`,
  \`line\`/\`written_by\`/\`agent\`/\`carried_from\` absent, and \`"error"\` says why). \`line\` is the
  session's key, \`written_by\` \`person\` or \`mpm\`, \`agent\` the agent the work was done in
  (\`claude-code\`, \`codex\` or \`gemini\`: the snapshot's \`mpm.agent\`, \`claude-code\` where it has none),
  \`carried_from\` the snapshot whose words it carries, or \`null\`. The text view tags a snapshot of
  another agent than Claude Code with its name (\`[Payouts, Codex]\`); \`mpm show\` and \`mpm resume\` add
  a line \`Agent: Codex\` (the \`.md\` rendering \`- **Agent:** Codex\`); Claude Code's are shown as they
  always were. \`index\` is the number \`mpm show N\` and \`mpm resume N\` take; an archived snapshot
  (\`--all\`, \`--state archived\`) has none (\`null\`) and is named by its id.

- \`mpm list --state STATE\` (new, active, paused, completed, cancelled, archived; another word is
  exit 2) keeps only snapshots in that state (folded: sessions whose newest snapshot is); the
  snapshots of the active session (\`state.json\`'s) are \`active\`, as the list shows it.`,
  details: `One entry per session: its newest snapshot, your words first and mpm's own
note after, with the snapshots mpm saved on its own (SessionEnd, \`mpm branch\`, a bare
\`mpm pause\`) and earlier pauses folded under it. --all lists every snapshot. --json
lists the newest 20 snapshots unfolded (with "line", "written_by" and "agent"); --limit N
changes how many, --limit 0 lists them all. Work done in another agent than Claude Code is
tagged with its name (Codex, Gemini).`,
  flags: listFlags,
  examples: ["mpm list", "mpm list --limit 5 --json"],
  run: runList,
};
