/** `mpm status`: the active session, the stack of parents, and the latest pause. */
import {
  deepestFirst,
  frameSummary,
  keptStashes,
  orphanStashes,
  renderStatus,
} from "../report/stack.ts";
import { listStashes } from "../../git/tree/stash.ts";
import { childWorktrees } from "../report/worktree_link.ts";
import { settledWorktrees } from "./worktree_family.ts";
import { style } from "../../kernel/format/style.ts";
import { findProjectRoot, projectPaths } from "../../disk/paths.ts";
import { listEntries } from "../store/listing/listing.ts";
import { latestOwnPause } from "../report/latest_pause.ts";
import { readState } from "../store/state/state_store.ts";
import { FOREIGN_STATE_NOTE } from "../store/state/state_seal.ts";
import { foreignState } from "../store/records/state/state.ts";
import { boolFlag, type Declared } from "../../cli/command.ts";
import { agentOf } from "../../kernel/agent_name.ts";
import { agentIn } from "../store/claude/claude_sessions_store.ts";
import { json, text } from "../../cli/output.ts";

export const statusCommand: Declared = {
  json: `- \`mpm status --json\`:
  \`{"active", "stack", "latest", "latest_agent", "orphan_stashes", "kept_stashes",
  "worktrees", "foreign_state"}\`
  (\`foreign_state\`: \`state.json\` is there but not this machine's, and read as none: see its seal;
  \`worktrees\`: the entries of \`state.json\`'s \`worktrees\`, \`[]\` for none; one still \`"pending": true\`
  is a worktree a killed \`mpm branch --worktree\` left, one never made is left out). \`active\` is the
  active session as in \`state.json\` plus \`"agent"\` (the agent its hooks' sightings in
  \`threads/<key>/claude-sessions.jsonl\` name last, \`claude-code\` when none names another or none was
  seen), or \`null\`; \`latest\` the newest snapshot's id, or \`null\`; \`latest_agent\` that snapshot's
  agent (\`mpm.agent\`, \`claude-code\` where it has none), \`null\` with no readable one (the text view
  says \`Agent: Codex\` under the active session and \`(…, Codex)\` after the latest pause, and nothing
  of Claude Code); \`stack\` lists the parents from the top of the stack down (the direct parent
  first), each as
  \`{"snapshot_id", "key", "name", "git_branch", "git_head", "stash", "stash_commit",\`
  \`"child_git_branch", "child_name", "branched_at", "phase", "recorded_paths", "depth", "task",\`
  \`"todos": {"open", "done"}}\` (\`stash_commit\` only when the frame records it; \`recorded_paths\`: how
  many paths the frame's tree record holds, \`null\` without one); \`orphan_stashes\` lists the stashes
  mpm made (\`mpm: …\`) that no frame names, each \`{"ref", "message", "restore"}\`, \`restore\` being the
  command that puts the work back (\`git stash pop --index 'stash@{N}'\`); \`kept_stashes\` lists the
  stashes \`mpm return\` kept on purpose that still exist, each
  \`{"message", "status", "kept_at", "ref"}\`.`,
  details: `The stack lists the parents \`mpm branch\` put aside, the direct parent first, each
with the git branch and stash \`mpm return\` will restore.
Stashes mpm made that no frame names are listed with the command that restores each.
"Latest pause" is the person's own, sealed on this machine: a teammate's newer one is not it.
Work in another agent than Claude Code says which (Codex, Gemini): the active session's is the agent
its hooks saw last, the latest pause's the one it was written in.`,
  more: `--json prints {"active": {..., "agent"} | null, "stack": [...the direct parent first...],
"latest": ID | null, "latest_agent": AGENT | null,
"orphan_stashes": [{"ref", "message", "restore"}], "kept_stashes": [...],
"worktrees": [{"name", "path", "branch", "session", "created_at", "kept"?, "pending"?}],
"foreign_state": BOOL}: a
worktree still "pending" is one an interrupted \`mpm branch --worktree\` left with no session;
"foreign_state" is true when .claude-mpm/state.json was not written by mpm on this machine (it is
then read as none).`,
  flags: [{ name: "json", description: "Print the status as JSON." }],
  run: async (env, parsed) => {
    // Reading needs no lock: state.json is replaced atomically.
    const paths = projectPaths(await findProjectRoot(env.cwd));
    const [state, entries, stashes] = await Promise.all([
      readState(paths).then(settledWorktrees),
      listEntries(paths, { locations: ["sessions", "pause"] }),
      listStashes(paths.root),
    ]);
    // Work mpm stashed that no frame names (a crash): never silently forgotten.
    const orphans = orphanStashes(stashes, state.stack, state.kept_stashes);
    const kept = keptStashes(stashes, state.kept_stashes ?? []);
    const [latest, activeAgent] = await Promise.all([
      latestOwnPause(paths, entries),
      state.active ? agentIn(paths, state.active.key) : undefined,
    ]);
    if (boolFlag(parsed, "json")) {
      const depth = state.stack.length;
      return json({
        active: state.active && { ...state.active, agent: agentOf(activeAgent) },
        stack: deepestFirst(state.stack).map((frame, i) => frameSummary(frame, depth - 1 - i)),
        latest: latest?.id ?? null,
        latest_agent: latest && !latest.unreadable ? agentOf(latest.agent) : null,
        orphan_stashes: orphans,
        kept_stashes: kept,
        worktrees: childWorktrees(state),
        foreign_state: foreignState(state),
      });
    }
    const lines = renderStatus(
      { state, activeAgent: agentOf(activeAgent), latest, orphans, kept, now: env.now() },
      style(env.color),
    );
    // A state.json this machine did not write was read as none (store/state/state_seal.ts).
    if (foreignState(state)) lines.splice(1, 0, FOREIGN_STATE_NOTE);
    return text(lines);
  },
};
