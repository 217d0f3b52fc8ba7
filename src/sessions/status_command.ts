/** `mpm status`: the active session, the stack of parents, and the latest pause. */
import { deepestFirst, frameSummary, renderStatus, type StatusView } from "./stack.ts";
import { style } from "../kernel/style.ts";
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import { listEntries, loadSnapshot } from "./store.ts";
import { readState } from "./state_store.ts";
import { boolFlag, type Command } from "../cli/command.ts";
import { json, text } from "../cli/output.ts";

export const statusCommand: Command = {
  name: "status",
  summary: "Show the active session, the stack of parent sessions, and the latest pause.",
  details: `The stack lists the parents \`mpm branch\` put aside, the direct parent first, each
with the git branch and stash \`mpm return\` will restore.
--json prints {"active": {...} | null, "stack": [...deepest first...], "latest": ID | null}.`,
  flags: [{ name: "json", description: "Print the status as JSON." }],
  run: async (env, parsed) => {
    // Reading needs no lock: state.json is replaced atomically.
    const paths = projectPaths(await findProjectRoot(env.cwd));
    const [state, entries] = await Promise.all([
      readState(paths),
      listEntries(paths, { locations: ["sessions", "pause"] }),
    ]);
    const newest = entries[0];
    if (boolFlag(parsed, "json")) {
      const depth = state.stack.length;
      return json({
        active: state.active,
        stack: deepestFirst(state.stack).map((frame, i) => frameSummary(frame, depth - 1 - i)),
        latest: newest?.id ?? null,
      });
    }
    let latest: StatusView["latest"] = null;
    if (newest) {
      const snapshot = await loadSnapshot(paths, newest).catch(() => undefined);
      latest = {
        id: newest.id,
        summary: snapshot?.conversation.summary ?? null,
        paused_at: snapshot?.paused_at ?? null,
      };
    }
    return text(renderStatus({ state, latest, now: env.now() }, style(env.color)));
  },
};
