/** `current_work`: the active session, its todos and the newest pause, as `mpm status` says them. */
import * as z from "../../kernel/zod.ts";
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import {
  ofOtherSession,
  OTHER_SESSION,
  type Snapshot,
  writtenElsewhere,
} from "../../kernel/snapshot.ts";
import { style } from "../../kernel/format/style.ts";
import { listEntries } from "../../sessions/store/listing/listing.ts";
import {
  openProject,
  type Picked,
  pickSession,
  type Project,
} from "../../sessions/store/session/project.ts";
import { readState } from "../../sessions/store/state/state_store.ts";
import type { State } from "../../sessions/store/records/state/state.ts";
import { sessionLabel } from "../../sessions/store/session/session.ts";
import { renderTodos, todoCounts } from "../../sessions/store/records/state/todos.ts";
import { renderContext } from "../../sessions/report/render_report.ts";
import { renderStatus } from "../../sessions/report/stack.ts";
import { latestOwnPause } from "../../sessions/report/latest_pause.ts";
import { ELSEWHERE } from "../../kernel/safe_text/whose.ts";
import { answer, errorLine, MAX_SESSION_CHARS, shownBlock, shownLine } from "./render.ts";
import { tool } from "./tool.ts";
import { under, whoseSnapshot } from "./words.ts";

const plain = style(false);

/** The state with the active session's todos numbered, later lines indented. */
function shownState(state: State): State {
  const active = state.active;
  if (active === null) return state;
  return {
    ...state,
    active: {
      ...active,
      todos: active.todos.map((t) => ({ ...t, content: under(t.content, " ".repeat(11)) })),
    },
  };
}

export const currentWorkTool = tool({
  name: "current_work",
  title: "The current work",
  description:
    "What the person is working on now, as mpm keeps it: the active session's name and todos " +
    "(open and done), the parent sessions it branched from, and the newest pause of the work: " +
    "the person's last words, next steps, Claude's open tasks at that point, and git state at " +
    "the pause. Call it to orient yourself before planning, or when the person refers to " +
    '"the work", "where we were" or "the todos".',
  input: z.object({}),
  readOnly: true,
  run: async (env) => {
    const project = await openProject(env);
    const now = env.now();
    const [state, entries] = await Promise.all([
      readState(project.paths),
      listEntries(project.paths, { locations: ["sessions", "pause"] }),
    ]);
    // The person's own, as `mpm status` says it: a teammate's newer pause is not it.
    const latest = await latestOwnPause(project.paths, entries);
    const status = renderStatus({ state: shownState(state), latest, now }, plain);
    const parts = [shownBlock(status, MAX_SESSION_CHARS, "the status")];
    const active = shownState(state).active;
    if (active && active.todos.length > 0) {
      const { open, done } = todoCounts(active.todos);
      parts.push(shownBlock(
        [
          `Todos of ${sessionLabel(active)} (${open} open, ${done} done):`,
          ...renderTodos(active.todos, plain),
        ],
        MAX_SESSION_CHARS,
        "the todo list",
      ));
    }
    const picked = entries.length > 0 ? await newestOpenPause(project) : null;
    if (picked && "unreadable" in picked) {
      // An unreadable snapshot the status met is named by it already, in one line.
      if (latest?.unreadable !== true) parts.push(`The newest open pause: ${picked.unreadable}`);
    } else if (picked) {
      if (picked.passedUnreadable) parts.push(passedUnreadableLine(picked));
      parts.push(shownBlock(
        [
          pauseHeading(picked.snapshot, active?.key ?? null),
          whoseSnapshot(picked.snapshot),
          ...renderContext(picked.snapshot, now, plain),
        ],
        MAX_SESSION_CHARS,
        "this session",
      ));
      if (picked.passedOver) {
        parts.push(shownLine(
          `A newer open snapshot, ${picked.passedOver.snapshot.session_id}, was ${ELSEWHERE}; ` +
            "show_session shows it.",
        ));
      }
    } else if (entries.length === 0) {
      parts.push("No work has been paused in this project yet.");
    } else parts.push("Every paused session is finished (done or cancelled).");
    return answer(parts, "show_session gives one session whole.");
  },
});

/** The newest open pause as `mpm resume` picks it; null when none, or why none reads. */
async function newestOpenPause(project: Project): Promise<Picked | { unreadable: string } | null> {
  try {
    return await pickSession(project, undefined, { skipCompleted: true, passUnreadable: true });
  } catch (error) {
    if (error instanceof NothingToDo) return null;
    if (error instanceof MpmError) return { unreadable: errorLine(error.message) };
    throw error;
  }
}

/** At most this many snapshots passed over as unreadable are named, each with why. */
const MAX_UNREADABLE_NAMED = 3;

/** The line naming the unreadable snapshots a picked pause was found past. */
function passedUnreadableLine(picked: Picked): string {
  const passed = picked.passedUnreadable ?? [];
  const named = passed.slice(0, MAX_UNREADABLE_NAMED).map((u) => errorLine(u.error.message));
  const more = passed.length - named.length;
  const them = passed.length === 1 ? "it is" : "they are";
  return shownLine(
    `Passed over as unreadable: ${named.join(" ")}${more > 0 ? ` (and ${more} more)` : ""} ` +
      `\`mpm resume\` without an id refuses until ${them} restored or removed; ` +
      `\`mpm resume ${picked.snapshot.session_id}\` takes up the pause below.`,
  );
}

/** The line over the newest open pause: whose work it is, when it is not the active one's. */
function pauseHeading(snapshot: Snapshot, activeKey: string | null): string {
  if (ofOtherSession(snapshot, activeKey)) return `The newest pause, ${OTHER_SESSION}:`;
  if (activeKey === null && writtenElsewhere(snapshot)) {
    return "Nothing is active. The newest open pause is a teammate's or a clone's (written " +
      "elsewhere), not the person's own work:";
  }
  return "The newest pause of this work:";
}
