/**
 * Writing one snapshot of a session: what `mpm pause`, `mpm branch` (state "branched"),
 * `mpm return` (state "completed") and automatic pauses share. It changes no state.json:
 * callers that do hold the lock and change it themselves.
 */
import { buildSnapshot, gitContext, type GitFacts } from "./pause.ts";
import { snapshotInfo } from "../state/session.ts";
import {
  type ContextUsage,
  lineOf,
  type MpmInfo,
  type SessionState,
  type Snapshot,
  type Todo,
  writtenElsewhere,
} from "../../kernel/snapshot.ts";
import { redact } from "../../kernel/safe_text/redact.ts";
import { startEarly } from "../../kernel/early.ts";
import type { ActiveSession } from "../state/state.ts";
import { numbered, todosForSnapshot } from "../todo/todos.ts";
import { ensureExcluded } from "../../git/run/exclude.ts";
import { type GitState, readGitState } from "../../git/tree/status.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { SavedFiles } from "../snapshot/store.ts";
import { pauseFacts, saveSnapshot } from "../snapshot/save_snapshot.ts";
import { buildInfo } from "../../cli/build_info.ts";
import { findLine, type LineFacts, sameState } from "./line.ts";
import { readContextRecord } from "../../context/record.ts";
import { contextPartition } from "./context_partition.ts";
import type { MarkMoment } from "../marks/marks.ts";

export { contextPartition };

/** What any pause records, whether a person typed `mpm pause` or a hook paused automatically. */
export interface PauseRequest {
  summary?: string;
  accomplishments: string[];
  nextSteps: string[];
  /** Todos to record besides the active session's own. */
  todos: Todo[];
  claudeSessionId?: string | null;
  contextUsage?: ContextUsage | null;
  summarySource?: MpmInfo["summary_source"];
  notes?: string[];
  /**
   * Who wrote the words. By default a person when the request has any (a summary,
   * accomplishments, next steps or todos) and is not `summarySource: "auto"`, else mpm.
   */
  writtenBy?: "person" | "mpm";
  /** What made an automatic snapshot: "session-end", "branch", "pause", "return", "resume". */
  trigger?: string;
  /** Claude Code's task list (kept apart from the person's todos). */
  claudeTasks?: Todo[];
  /**
   * Write nothing when the line's last snapshot has the same HEAD, work-tree status, todos and
   * tasks and the session holds nothing new (what SessionEnd wants).
   */
  skipUnchanged?: boolean;
  /** Why the session ends (`mpm cancel --reason`): kept as `mpm.reason`, redacted. */
  reason?: string;
  /** The handoff document `mpm handoff` built (sessions/handoff/handoff.ts), kept as `mpm.handoff`. */
  handoff?: Record<string, unknown>;
}

/** The command behind an automatic snapshot of each state, when the request does not say. */
const TRIGGER_OF_STATE: Partial<Record<SessionState, string>> = {
  branched: "branch",
  completed: "return",
  cancelled: "cancel",
  paused: "pause",
};

/** Snapshots read, newest first, to find a line of work's last one and its person's words. */
const LINE_SCAN_LIMIT = 40;

function hasWords(request: PauseRequest): boolean {
  return Boolean(request.summary?.trim()) || request.accomplishments.length > 0 ||
    request.nextSteps.length > 0 || request.todos.length > 0;
}

export function requestWrittenBy(request: PauseRequest): "person" | "mpm" {
  return request.writtenBy ??
    (request.summarySource !== "auto" && hasWords(request) ? "person" : "mpm");
}

/** The line of work the session (or, without one, the newest snapshot) belongs to. */
export async function readLine(
  paths: ProjectPaths,
  session: ActiveSession | null,
  asOf?: Date,
): Promise<LineFacts | null> {
  // Loaded here, not with this file: a person's `mpm pause` reads no snapshot, so it does not
  // load the reading code (store.ts, its decoders).
  const { listSnapshots, loadSnapshot } = await import("../snapshot/store.ts");
  const entries = (await listSnapshots(paths)).slice(0, LINE_SCAN_LIMIT);
  const loaded: Snapshot[] = [];
  for (const entry of entries) {
    try {
      const snapshot = await loadSnapshot(paths, entry);
      // A queued pause folded in later is dated when it was queued: words written after that
      // were not there to carry.
      if (asOf && snapshot.paused_at > asOf.toISOString()) continue;
      // A snapshot this machine did not write (a teammate's, pulled) is not the person's line:
      // its words are never carried as theirs, nor its key taken for their work.
      if (writtenElsewhere(snapshot)) continue;
      loaded.push(snapshot);
    } catch {
      // A damaged snapshot is reported by `list` and `doctor`; here it is just not a source.
      continue;
    }
    const line = findLine(loaded, session?.key);
    if (line?.words) return line;
  }
  return findLine(loaded, session?.key);
}

export interface SessionSnapshotInput {
  root: string;
  paths: ProjectPaths;
  now: Date;
  request: PauseRequest;
  /** The session the snapshot is of; null for an ad-hoc pause. */
  session: ActiveSession | null;
  /** "paused" by default; "branched" and "completed" for `mpm branch` and `mpm return`. */
  state?: SessionState;
  /** The git state when the caller has just read it; read here otherwise. */
  git?: GitState | null;
  /** An id chosen beforehand (an intent recorded it): save_snapshot.ts `SaveOptions.id`. */
  id?: string;
  /**
   * Record the work tree for the snapshot's session too (src/sessions/marks/), as this moment:
   * what `mpm diff` compares. Only for a pause that happens now (not a queued one folded in).
   */
  mark?: MarkMoment;
}

/**
 * Writes one snapshot and points LATEST-SESSION.txt at it. Changes no state: callers that
 * change it hold the lock and do so themselves.
 */
export async function writeSessionSnapshot(
  input: SessionSnapshotInput,
): Promise<{ snapshot: Snapshot; files: SavedFiles; inGit: boolean }> {
  const written = await writeSnapshotUnlessUnchanged({
    ...input,
    request: { ...input.request, skipUnchanged: false },
  });
  return written!;
}

/**
 * Like writeSessionSnapshot; with `request.skipUnchanged`, null (and nothing written) when the
 * line's last snapshot already holds this state.
 *
 * A snapshot mpm writes on its own carries the newest words a person wrote in the same line of
 * work (summary, accomplishments, next steps, name, todos), marked `mpm.carried` with where and
 * when they were written; its own words go to `mpm.auto`, and Claude's tasks to
 * `mpm.claude_tasks`.
 */
export async function writeSnapshotUnlessUnchanged(
  input: SessionSnapshotInput,
): Promise<{ snapshot: Snapshot; files: SavedFiles; inGit: boolean } | null> {
  const { root, paths, now, request, session } = input;
  const state = input.git !== undefined ? input.git : await readGitState(root);
  const git: GitFacts | null = state ? { ...state.status, subject: state.subject } : null;
  const by = requestWrittenBy(request);
  // The uncommitted files' content is hashed (a git process, save_snapshot.ts) while the line
  // and the context file are read. Not for a pause that may turn out to write nothing.
  const facts = request.skipUnchanged ? undefined : pauseFacts(root, git ? gitContext(git) : null);
  // Likewise `.claude-mpm/` is kept out of git status beside those reads, for a pause sure to
  // write (before anything is written, as below for the others).
  const excluded = state && !request.skipUnchanged
    ? startEarly(() => ensureExcluded(root))
    : undefined;
  const [line, context] = await Promise.all([
    by === "mpm" ? readLine(paths, session, now) : null,
    readContextRecord(root, contextPartition(session)),
  ]);
  const carried = line?.words ?? null;
  const info = buildInfo();
  const build = (id: string): Snapshot => {
    const fromSession = session ? snapshotInfo(session) : undefined;
    const words = carried
      ? {
        summary: carried.summary,
        accomplishments: carried.accomplishments,
        nextSteps: carried.next_steps,
      }
      : request;
    const built = buildSnapshot({
      id,
      now,
      summary: words.summary,
      accomplishments: words.accomplishments,
      nextSteps: words.nextSteps,
      // A live session's todos are newer than any snapshot's; without one, the person's last.
      todos: session || !carried
        ? numbered([...todosForSnapshot(session), ...request.todos])
        : carried.todos,
      git,
      projectPath: root,
      version: info.version,
      build: info.build,
      session: fromSession ??
        (carried
          ? { name: carried.name, task: carried.task, template: carried.template }
          : undefined),
      state: input.state ?? "paused",
      claudeSessionId: request.claudeSessionId,
      contextUsage: request.contextUsage,
      summarySource: request.summarySource,
      notes: [...(session?.notes ?? []), ...(request.notes ?? [])],
    });
    const mpm: Snapshot["mpm"] = { ...built.mpm, written_by: by };
    if (by === "mpm") {
      const trigger = request.trigger ?? TRIGGER_OF_STATE[input.state ?? "paused"] ?? "pause";
      mpm.auto = {
        trigger,
        note: redact(request.summary?.trim() || `Saved by \`mpm ${trigger}\` without words.`),
      };
      if (carried) {
        mpm.carried = { from: carried.from, written_at: carried.written_at };
        // Carried words were redacted when first written; the summary source says who made them.
        mpm.summary_source = request.summarySource ?? "default";
      }
    }
    // The context file as it is now (redacted), so resume can say whether it changed since.
    mpm.context_file = context;
    if (request.reason?.trim()) mpm.reason = redact(request.reason.trim());
    if (request.handoff) mpm.handoff = request.handoff;
    if (request.claudeTasks) {
      mpm.claude_tasks = request.claudeTasks.map((t) => ({ ...t, content: redact(t.content) }));
    }
    // The key ties the snapshots of one piece of work together across pauses and resumes.
    const key = session?.key ?? line?.key;
    if (key !== undefined) mpm.key = key;
    return { ...built, mpm };
  };
  if (request.skipUnchanged && line?.last && !session?.dirty) {
    if (sameState(build(line.last.session_id), line.last)) return null;
  }
  // The work tree is captured for `mpm diff` while the snapshot is written (marks/record_mark.ts).
  const marking = input.mark && state
    ? startEarly(() =>
      import("../marks/record_mark.ts").then((m) => ({ m, capture: m.startCapture(root) }))
    )
    : undefined;
  if (state) await (excluded ?? ensureExcluded(root));
  // LATEST-SESSION.txt is written with the renderings (save_snapshot.ts).
  const { snapshot, files } = await saveSnapshot(paths, now, build, {
    latest: true,
    facts,
    id: input.id,
  });
  if (marking && input.mark) {
    const { m, capture } = await marking;
    await m.recordMark(root, paths, lineOf(snapshot), input.mark, now, capture);
  }
  return { snapshot, files, inGit: state !== null };
}
