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
import { listEntries } from "../store/snapshots/store.ts";
import { latestOwnPause } from "../report/latest_pause.ts";
import { readState } from "../store/state/state_store.ts";
import { FOREIGN_STATE_NOTE } from "../store/state/state_seal.ts";
import { foreignState } from "../store/records/state/state.ts";
import { boolFlag, type Command } from "../../cli/command.ts";
import { json, text } from "../../cli/output.ts";

export const statusCommand: Command = {
  name: "status",
  summary: "Show the active session, the stack of parent sessions, and the latest pause.",
  details: `The stack lists the parents \`mpm branch\` put aside, the direct parent first, each
with the git branch and stash \`mpm return\` will restore.
Stashes mpm made that no frame names are listed with the command that restores each.
"Latest pause" is the person's own, sealed on this machine: a teammate's newer one is not it.
--json prints {"active": {...} | null, "stack": [...the direct parent first...], "latest": ID | null,
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
    // Work mpm stashed that no frame names (a crash of an older mpm): never silently forgotten.
    const orphans = orphanStashes(stashes, state.stack, state.kept_stashes);
    const kept = keptStashes(stashes, state.kept_stashes ?? []);
    const latest = await latestOwnPause(paths, entries);
    if (boolFlag(parsed, "json")) {
      const depth = state.stack.length;
      return json({
        active: state.active,
        stack: deepestFirst(state.stack).map((frame, i) => frameSummary(frame, depth - 1 - i)),
        latest: latest?.id ?? null,
        orphan_stashes: orphans,
        kept_stashes: kept,
        worktrees: childWorktrees(state),
        foreign_state: foreignState(state),
      });
    }
    const lines = renderStatus({ state, latest, orphans, kept, now: env.now() }, style(env.color));
    // A state.json this machine did not write was read as none (store/state/state_seal.ts).
    if (foreignState(state)) lines.splice(1, 0, FOREIGN_STATE_NOTE);
    return text(lines);
  },
};
