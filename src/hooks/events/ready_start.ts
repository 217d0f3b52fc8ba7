/**
 * SessionStart made ready: the answer to a new conversation (`startup`), made when work ended and
 * kept with what it was made from (sessions/store/caches/start_ready.ts), sent as it is while that
 * is current. main.ts tries it first for `mpm hook session-start`, before the command line is
 * parsed, so a start loads this file and the few it needs and nothing else: no state, snapshot,
 * digest or context file is read, no git process runs. Where the answer is not current, or the
 * start is another kind (`resume`, `clear`, `compact`, `fork`), or anything here fails, it
 * answers null and the hook runs in full (hook_command.ts, session_start.ts), which makes the
 * answer ready again.
 *
 * What the full hook records of a start, this records too, the same way: the event claimed (one
 * mpm per event), the Claude session's sighting under the session, or unfiled before there is one
 * (its line as redaction would leave it: only a transcript path the making found redaction leaves
 * as it is is written here), and the model Claude Code named, when it has a model id's shape.
 * What the text tells was remembered when it was made (told_store.ts keys a text by what it says,
 * not by how long ago its times were).
 */
import { join, resolve } from "../../kernel/path.ts";
import { fillTimes } from "../../kernel/format/ago.ts";
import { printable } from "../../kernel/format/text.ts";
import { modelId, parsePayload } from "../../claude/session/payload.ts";
import { isNoTranscript } from "../../claude/transcript/transcript_kind.ts";
import { findProjectRoot, projectDirWorktree, projectPaths } from "../../disk/paths.ts";
import { useMachineKeyFrom } from "../../disk/machine_key.ts";
import { currentReady, storeThere } from "../../sessions/store/caches/start_ready.ts";
import { claimEvent, claimOrigin } from "../../sessions/store/claude/event_claim.ts";
import { sightingOf } from "../../sessions/store/claude/claude_sessions.ts";
import { appendSighting } from "../../sessions/store/claude/claude_sessions_store.ts";
import { rememberModel } from "../../sessions/store/claude/records.ts";

/** Payloads are a few KB; a tool's input can be large, but not this large. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** A Claude Code session id: a UUID, lower case. */
const CLAUDE_SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The transcript Claude Code keeps session `id` in, in `folder`, as mpm names it; null for an id
 * of another shape.
 */
export function transcriptIn(folder: string, id: string): string | null {
  return CLAUDE_SESSION_ID.test(id) ? join(folder, `${id}.jsonl`) : null;
}

/** A session name as a title: one line of printable text, not too long for a tab. */
export function sessionTitle(name: string): string {
  const line = printable(name).replace(/\s+/g, " ").trim();
  return line.length <= 80 ? line : line.slice(0, 79).trimEnd() + "…";
}

/** SessionStart's stdout: the context and the session's title, either of which may be empty. */
export function startAnswer(text: string | null, title: string): string {
  if (text === null && title === "") return "";
  return JSON.stringify({
    hookSpecificOutput: {
      hookEventName: "SessionStart",
      ...(text === null ? {} : { additionalContext: text }),
      // Claude Code 2.1.330 shows it in the prompt box, `/resume`'s list and the terminal title.
      ...(title === "" ? {} : { sessionTitle: title }),
    },
  }) + "\n";
}

export interface ReadyInput {
  /** The hook's stdin. */
  payload: string;
  vars: Readonly<Record<string, string>>;
  /** The folder mpm was started in. */
  cwd: string;
  now: Date;
}

/** The start's stdout when its answer was ready ("" when its twin answers); else null. */
export async function readyStart(input: ReadyInput): Promise<string | null> {
  const parsed = parsePayload(input.payload);
  if (!parsed.ok) return null;
  const payload = parsed.payload;
  if (payload.hook_event_name !== "SessionStart" || payload.source !== "startup") return null;
  const home = input.vars.HOME ?? input.vars.USERPROFILE;
  if (home === undefined) return null;
  useMachineKeyFrom(input.vars, home);
  const root = await findProjectRoot(resolve(input.cwd, payload.cwd));
  // Claude Code's own worktree, and the plugin's runs: the full hook decides.
  if (input.vars.MPM_FROM_PLUGIN === "1") return null;
  if (await projectDirWorktree(root, input.vars.CLAUDE_PROJECT_DIR) !== undefined) return null;
  const paths = projectPaths(root);
  // No store, nothing made ready: the full hook decides whether to make one.
  if (!storeThere(paths)) return null;
  // The event is claimed while the answer is checked: where it is not current, the full hook,
  // of the same origin, takes the claim over; where the twin claimed first, nothing is said.
  const [ready, claimed] = await Promise.all([
    currentReady(paths, root, input.now),
    claimEvent(paths, {
      claudeSessionId: payload.session_id,
      event: payload.hook_event_name,
      payload,
      origin: claimOrigin(input.vars),
    }, input.now),
  ]);
  if (!claimed) return "";
  if (ready === null) return null;
  const sighting = sightingOf(payload, input.now);
  // Where Claude Code keeps the conversation's transcript, and not something that is none there
  // (a FIFO: claude/transcript/transcript_kind.ts), which the full hook records as none.
  const plain = ready.transcripts !== null && sighting.transcript_path !== null &&
    sighting.transcript_path === transcriptIn(ready.transcripts, payload.session_id) &&
    !isNoTranscript(sighting.transcript_path);
  if (!plain) return null;
  const model = modelId(payload.model);
  await Promise.all([
    // With no session yet, the sighting waits unfiled for the first one (claude_sessions_store.ts).
    appendSighting(paths, ready.key, JSON.stringify(sighting)),
    model === null ? null : rememberModel(paths, payload.session_id, model, input.now),
  ]);
  return startAnswer(fillTimes(ready.context, input.now), ready.title);
}
