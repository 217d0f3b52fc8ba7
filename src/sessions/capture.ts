/**
 * Writing one snapshot of a session: what `mpm pause`, `mpm branch` (state "branched"),
 * `mpm return` (state "completed") and automatic pauses share. It changes no state.json:
 * callers that do hold the lock and change it themselves.
 */
import { buildSnapshot, type GitFacts } from "./pause.ts";
import { snapshotInfo } from "./session.ts";
import type { ContextUsage, MpmInfo, SessionState, Snapshot, Todo } from "../kernel/snapshot.ts";
import type { ActiveSession } from "./state.ts";
import { todosForSnapshot } from "./todos.ts";
import { ensureExcluded } from "../git/exclude.ts";
import { type GitState, readGitState } from "../git/status.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { type SavedFiles, saveSnapshot, updateLatest } from "./store.ts";
import { buildInfo } from "../cli/build_info.ts";

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
}

/**
 * Writes one snapshot and points LATEST-SESSION.txt at it. Changes no state: callers that
 * change it hold the lock and do so themselves.
 */
export async function writeSessionSnapshot(
  input: SessionSnapshotInput,
): Promise<{ snapshot: Snapshot; files: SavedFiles; inGit: boolean }> {
  const { root, paths, now, request, session } = input;
  const state = input.git !== undefined ? input.git : await readGitState(root);
  const git: GitFacts | null = state ? { ...state.status, subject: state.subject } : null;
  if (state) await ensureExcluded(root);
  const info = buildInfo();
  const { snapshot, files } = await saveSnapshot(paths, now, (id) => {
    const built = buildSnapshot({
      id,
      now,
      summary: request.summary,
      accomplishments: request.accomplishments,
      nextSteps: request.nextSteps,
      todos: [...todosForSnapshot(session), ...request.todos],
      git,
      projectPath: root,
      version: info.version,
      build: info.build,
      session: session ? snapshotInfo(session) : undefined,
      state: input.state ?? "paused",
      claudeSessionId: request.claudeSessionId,
      contextUsage: request.contextUsage,
      summarySource: request.summarySource,
      notes: [...(session?.notes ?? []), ...(request.notes ?? [])],
    });
    // The key ties the snapshots of one piece of work together across pauses and resumes.
    return session ? { ...built, mpm: { ...built.mpm, key: session.key } } : built;
  });
  await updateLatest(paths);
  return { snapshot, files, inGit: state !== null };
}
