/** `show_session`: one snapshot as `mpm show` prints it, named by id, prefix, index or key. */
import * as z from "../../kernel/zod.ts";
import { NothingToDo } from "../../kernel/errors.ts";
import { sessionKey, type Snapshot } from "../../kernel/snapshot.ts";
import { style } from "../../kernel/format/style.ts";
import { listEntries, type Location } from "../../sessions/store/listing/listing.ts";
import {
  loadEach,
  openProject,
  pickSession,
  type Project,
} from "../../sessions/store/session/project.ts";
import { readState } from "../../sessions/store/state/state_store.ts";
import { renderResumeReport } from "../../sessions/report/render_report.ts";
import { answer, MAX_SESSION_CHARS, shownBlock } from "./render.ts";
import { described, tool } from "./tool.ts";
import { whoseSnapshot } from "./words.ts";

const plain = style(false);

/** Where show_session looks: every snapshot, the archived ones too. */
const SHOWN_LOCATIONS: Location[] = ["sessions", "pause", "archive"];

/** The snapshot `id` names (as `mpm show` takes it), else a session key's newest snapshot. */
async function snapshotNamed(
  project: Project,
  id: string,
): Promise<{ snapshot: Snapshot; key: string | null }> {
  try {
    const { snapshot } = await pickSession(project, id, { locations: SHOWN_LOCATIONS });
    return { snapshot, key: null };
  } catch (error) {
    if (!(error instanceof NothingToDo) || /^\d{1,7}$/.test(id)) throw error;
    const snapshot = await newestOfKey(project, id);
    if (snapshot !== undefined) return { snapshot, key: id };
    const state = await readState(project.paths);
    if (state.active?.key === id) {
      throw new NothingToDo(
        `Session ${id} is the active one and has no snapshot yet; current_work shows it.`,
      );
    }
    throw error;
  }
}

/** The newest readable snapshot of the session whose key is `key`, if any. */
async function newestOfKey(project: Project, key: string): Promise<Snapshot | undefined> {
  const entries = await listEntries(project.paths, { locations: SHOWN_LOCATIONS });
  const loaded = await loadEach(project, entries);
  return loaded.find((l) => l.snapshot !== undefined && sessionKey(l.snapshot) === key)?.snapshot;
}

export const showSessionTool = tool({
  name: "show_session",
  title: "Show one session",
  description:
    "One paused session (a snapshot) as `mpm show` prints it: its name and task, the summary, " +
    "accomplishments, next steps, todos, Claude's tasks at that point and git state at the " +
    "pause, with whose words they are. Give the id a search hit or list_recent named (or a " +
    "unique prefix of one, or its index in list_recent, 0 for the newest); a session's key " +
    "(s-…, as search names a conversation's session) shows that session's newest snapshot.",
  input: z.object({
    id: described(
      z.string().check(z.minLength(1), z.maxLength(200)),
      "The snapshot's id, a unique prefix of one, its index (0 = newest), or a session's key.",
    ),
  }),
  readOnly: true,
  run: async (env, args) => {
    const project = await openProject(env);
    const { snapshot, key } = await snapshotNamed(project, args.id);
    const report = renderResumeReport(snapshot, undefined, env.now(), plain).split("\n");
    const head = key === null ? [] : [`The newest snapshot of session ${key}:`];
    return answer(
      [shownBlock(
        [...head, whoseSnapshot(snapshot), ...report],
        MAX_SESSION_CHARS,
        "this session",
      )],
      "",
    );
  },
});
