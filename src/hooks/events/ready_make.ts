/**
 * Making the start ready (sessions/store/caches/start_ready.ts, sent by ready_start.ts): a start
 * that worked its answer out (session_start.ts), and SessionEnd once its pause and the session's
 * summary are written, keep the answer a new conversation would get, with what it was made from.
 *
 * What it was made from is stamped before the text is read (`readyBefore`), and again after: an
 * answer during whose making any of it changed is not kept. The project files the text names
 * (the context file, the summary, the files the config names) are only known once read, and are
 * stamped after (a pull moves the sessions folder and ref, stamped always). Not kept either: an
 * answer with a part the clock alone may change within a day (a handoff, a worktree's origin,
 * teammates' lines: teammates.ts `lasts`), or with warnings, or whose times a cut went through.
 */
import { basename, dirname, join } from "../../kernel/path.ts";
import { findGitDirs } from "../../git/run/root.ts";
import { gitStamp } from "../../git/tree/stamp.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { forDisk } from "../../disk/files/written.ts";
import {
  inputStamps,
  keepReady,
  readyInputPaths,
  readyStamps,
} from "../../sessions/store/caches/start_ready.ts";
import { rememberTold, type Told } from "../../sessions/store/claude/told_store.ts";
import { type Sighting, sightingText } from "../../sessions/store/claude/claude_sessions.ts";
import type { MadeFrom } from "../start/start_text.ts";
import { sessionTitle, transcriptShape } from "./ready_start.ts";
import { fillTimes, TimeMarks } from "../../kernel/format/ago.ts";
import { unendedNames } from "../../sessions/store/session/unended.ts";

/** What an answer is made from, as it was before it was read. */
export interface ReadyBefore {
  root: string;
  paths: ProjectPaths;
  /** git's state (with no upstream's ref); null: no repository, or refs mpm cannot read. */
  stamp: string | null;
  commonDir: string | null;
  inputs: Record<string, string>;
}

export async function readyBefore(paths: ProjectPaths, root: string): Promise<ReadyBefore> {
  const commonDir = (await findGitDirs(root))?.commonDir ?? null;
  return {
    root,
    paths,
    stamp: await gitStamp(root, null),
    commonDir,
    inputs: await readyStamps(paths, commonDir, []),
  };
}

export interface MadeAnswer {
  /** The text as made, its times marked by `marks`. */
  text: string | null;
  marks: TimeMarks;
  title: string;
  told: Told | undefined;
  made: MadeFrom | undefined;
  /** Problems the making met (then nothing is kept). */
  warned: boolean;
  /** The transcript the agent names for this conversation, if any, and the conversation's id. */
  transcript: string | null;
  conversation: string;
}

/** Keeps `answer` for the next start when it may be sent as it is; best effort. */
export async function keepReadyAnswer(before: ReadyBefore, answer: MadeAnswer): Promise<void> {
  const { text, marks, told, made } = answer;
  if (text === null || told === undefined || made === undefined) return;
  if (answer.warned || made.warned || made.byClock || before.stamp === null) return;
  // A conversation that ended without its end hook is paused by the next start worked out in full.
  if (unendedNames(before.paths).length > 0) return;
  const context = marks.timedText(text);
  if (context === null) return;
  const now = inputStamps(Object.keys(before.inputs));
  if (Object.entries(before.inputs).some(([file, stamp]) => now[file] !== stamp)) return;
  if (await gitStamp(before.root, null) !== before.stamp) return;
  const stamp = await gitStamp(before.root, made.upstream);
  if (stamp === null) return;
  // What it tells, remembered once for every start that sends it (told_store.ts `textKey`).
  await rememberTold(before.paths, fillTimes(context, new Date(marks.getTime())), told);
  await keepReady(before.paths, {
    made: marks.toISOString(),
    stamp,
    upstream: made.upstream,
    inputs: {
      ...before.inputs,
      ...inputStamps(readyInputPaths(before.paths, before.commonDir, made.files)),
    },
    key: made.key,
    ...await plainTranscripts(answer.transcript, answer.conversation),
    context,
    title: answer.title,
    version: 1,
  });
}

/**
 * The folder of `transcript` and the shape of its name (ready_start.ts `transcriptShape`) when
 * redaction leaves a SessionStart sighting of a transcript named so there as it is (tried with a
 * new conversation id in it): then the next start writes its sighting without the secret rules.
 * Nulls otherwise.
 */
async function plainTranscripts(
  transcript: string | null,
  conversation: string,
): Promise<{ transcripts: string | null; transcript_name: string | null }> {
  const none = { transcripts: null, transcript_name: null };
  if (transcript === null) return none;
  const folder = dirname(transcript);
  const name = basename(transcript);
  // A transcript not named after its conversation (an older payload's): Claude Code's shape.
  const shape = transcriptShape(name, conversation) ?? "{id}.jsonl";
  const id = crypto.randomUUID();
  const part = shape.includes("{id8}") ? conversation.slice(0, 8) : conversation;
  const path = transcriptShape(name, conversation) === null
    ? join(folder, `${id}.jsonl`)
    : join(folder, name.split(part).join(shape.includes("{id8}") ? id.slice(0, 8) : id));
  const sighting: Sighting = {
    time: new Date(0).toISOString(),
    event: "SessionStart",
    claude_session_id: id,
    transcript_path: path,
    detail: "startup",
  };
  const clean = await forDisk(sightingText, sighting);
  return JSON.stringify(clean) === JSON.stringify(sighting)
    ? { transcripts: folder, transcript_name: shape }
    : none;
}

/**
 * After SessionEnd's pause and summary: the answer the next new conversation gets, made now
 * (a handoff is not marked given: with one, nothing is kept). Best effort.
 */
export async function makeReady(
  paths: ProjectPaths,
  root: string,
  conversation: { transcript: string | null; id: string },
  now: Date,
  vars: Readonly<Record<string, string | undefined>> = {},
): Promise<void> {
  const before = await readyBefore(paths, root);
  const marks = new TimeMarks(now.getTime());
  const { sessionStartText } = await import("../start/start_text.ts");
  // Loaded with start_text.ts already.
  const { teammateBudget } = await import("../../board/teammates.ts");
  const made = await sessionStartText({
    root,
    paths,
    now: marks,
    source: "startup",
    digest: true,
    teammateBudgetMs: teammateBudget(vars),
  });
  await keepReadyAnswer(before, {
    text: made.text,
    marks,
    title: made.facts?.name ? sessionTitle(made.facts.name) : "",
    told: made.told,
    made: made.made,
    warned: made.report.length > 0,
    transcript: conversation.transcript,
    conversation: conversation.id,
  });
}
