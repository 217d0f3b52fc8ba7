/** `mpm summary [SESSION]`: the guide's four-layer progressive summary, from mpm's records. */
import { boolFlag, type Declared } from "../cli/command.ts";
import { homeDir } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { summarize } from "./summarize.ts";
import { LAYER_TITLES, renderSummary } from "./summary.ts";
import { usesUtc } from "./when.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";

export const summaryCommand: Declared = {
  json: `- \`mpm summary --json\`:
  \`{"session": {"key", "name", "task", "active"}, "anchor", "layer1":
  {"items": [{"time", "kind", "text"}], "more"}, "layer2": {"what_was_done", "key_decisions",
  "current_state"}, "layer3": [{"time", "text"}], "layer4": [{"key", "session_id", "time", "name",
  "summary", "state"}], "handoffs": [{"id", "time", "previous", "goal", "next_step"}], "notes"}\`;
  \`handoffs\` are Claude's handoffs of the session's line, oldest first (its chain). \`anchor\` is the
  moment the hours count back from (now for the active session, else its last record); layer 1
  \`kind\` is \`prompt\`, \`edit\` or \`failure\`; layer 2 lists are sentences; layer 4 \`state\` is
  \`completed\` or \`archived\`.

  Both read the vault's copy of a transcript Claude Code no longer has (a note says so); a copy that
  fails its checksums is not read (a note names it).`,
  details: `Made from mpm's records, git and the agents' transcripts; no model is asked.
  ${LAYER_TITLES.layer1}: prompts (not slash commands), edits and failures.
  ${LAYER_TITLES.layer2}: what was done and key decisions (your pause words,
    Claude's compaction summaries), the newest hour's too; current state.
  ${LAYER_TITLES.layer3}: one line per older pause.
  ${LAYER_TITLES.layer4}: one line per finished session.`,
  more: `The hours count back from the session's end (now, for the active session). The SessionEnd
hook writes the same summary to .claude-mpm/threads/<key>/summary.md.
Claude's handoffs of the work (/mpm-handoff) are listed as their chain, oldest first.
--json prints {"session", "anchor", "layer1", "layer2", "layer3", "layer4", "handoffs",
"notes"}.`,
  args: [{
    name: "SESSION",
    optional: true,
    description: "An id, a unique prefix, the index from `mpm list`, or a session key.",
    complete: "sessions",
  }],
  flags: [{ name: "json", description: "Print the layers as JSON." }],
  examples: ["mpm summary", "mpm summary 1 --json"],
  run: async (env, parsed) => {
    const { summary, notes } = await summarize({
      selector: parsed.args[0],
      cwd: env.cwd,
      now: env.now(),
      home: homeDir(env),
      vars: env.vars,
    });
    if (boolFlag(parsed, "json")) return json({ ...summary, notes });
    for (const note of notes) env.warn(`mpm: ${oneLine(note)}`);
    return text(renderSummary(summary, { utc: usesUtc(env.vars) }));
  },
};
