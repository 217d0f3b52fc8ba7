/** `list_recent`: the newest paused sessions and Claude's handoffs, with their ids. */
import * as z from "../../kernel/zod.ts";
import { errorText } from "../../kernel/errors.ts";
import { localSessionKey, writtenElsewhere } from "../../kernel/snapshot.ts";
import { listEntries } from "../../sessions/store/listing/listing.ts";
import {
  type Listed,
  loadEach,
  openProject,
  WITHOUT_PATHS,
} from "../../sessions/store/session/project.ts";
import { readState } from "../../sessions/store/state/state_store.ts";
import { listHandoffs } from "../../sessions/store/state/claude_store.ts";
import { machineName } from "../../sessions/store/records/snapshot/machine.ts";
import { ELSEWHERE } from "../../kernel/safe_text/whose.ts";
import { answer, errorLine, shownLine } from "./render.ts";
import { described, tool } from "./tool.ts";
import { when } from "./words.ts";

/** Which listed snapshot is the active session's newest (`mpm list`'s "active now"), or -1. */
function activeIndex(listed: readonly Listed[], activeKey: string | null): number {
  if (activeKey === null) return -1;
  const found = listed.find((l) => l.snapshot && localSessionKey(l.snapshot) === activeKey);
  return found?.index ?? -1;
}

/** One snapshot's rows in list_recent: id, time, state, name, whose, the summary's first line. */
function sessionRow({ entry, index, snapshot: s, error }: Listed, activeNow: boolean): string[] {
  if (s === undefined) {
    return [`${index}. ${entry.id} · not readable: ${errorLine(errorText(error))}`];
  }
  const name = s.mpm.name ? ` · ${s.mpm.name}` : "";
  const state = activeNow ? "active now" : s.mpm.state;
  const whose = writtenElsewhere(s) ? ELSEWHERE : "the person's own";
  return [
    shownLine(`${index}. ${entry.id} · ${when(s.paused_at)} · ${state}${name}`, 300) +
    ` · ${whose}`,
    `   ${shownLine(s.conversation.summary.split("\n")[0], 200)}`,
  ];
}

export const listRecentTool = tool({
  name: "list_recent",
  title: "List recent sessions and handoffs",
  description:
    "The newest paused sessions (id, when, state, name, the first line of the summary, whose " +
    "words) and the newest handoffs Claude wrote (id, when, goal), newest first. Use the ids " +
    "with show_session and show_handoff.",
  input: z.object({
    limit: z.optional(described(
      z.int().check(z.minimum(1), z.maximum(30)),
      "How many of each to list (default 10).",
    )),
  }),
  readOnly: true,
  run: async (env, args) => {
    const limit = args.limit ?? 10;
    const project = await openProject(env);
    const [entries, handoffs, state] = await Promise.all([
      listEntries(project.paths, { locations: ["sessions", "pause"] }),
      listHandoffs(project.paths, limit),
      readState(project.paths),
    ]);
    const shown = await loadEach(project, entries.slice(0, limit), WITHOUT_PATHS);
    const activeAt = activeIndex(shown, state.active?.key ?? null);
    const sessions = shown.map((listed) => sessionRow(listed, listed.index === activeAt));
    const here = machineName();
    const handoffLines = handoffs.map((h, i) => {
      if (!h.record) return [`${i + 1}. ${h.id} · not readable: ${errorLine(h.error!.message)}`];
      const r = h.record;
      const whose = !h.own || (r.machine !== null && r.machine !== here)
        ? " · written elsewhere"
        : "";
      return [
        shownLine(`${i + 1}. ${h.id} · ${when(r.written_at)} · session ${r.line ?? "none"}`, 300) +
        whose,
        `   Goal: ${shownLine(r.handoff.goal.split("\n")[0], 200)}`,
      ];
    });
    const more = entries.length > limit ? ` (the newest ${limit} of ${entries.length})` : "";
    return answer([
      shown.length
        ? [`Paused sessions${more}:`, ...sessions.flat()].join("\n")
        : "No paused sessions in this project.",
      handoffLines.length
        ? ["Claude's handoffs:", ...handoffLines.flat()].join("\n")
        : "No handoffs from Claude in this project.",
    ], "Ask for fewer (limit).");
  },
});
