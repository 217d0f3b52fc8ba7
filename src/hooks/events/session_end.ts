/**
 * SessionEnd (the post-session script): an automatic pause that keeps the person's last words
 * (sessions/store/session/build_snapshot.ts carries them), with Claude's tasks and context usage as
 * its own note; nothing when nothing changed. Then the context file's managed lines are refreshed.
 *
 * The pause finishes or is queued, never half-done: it is written to the spool
 * (sessions/store/session/spool.ts) before the hook waits for git, saved under the lock with the
 * id queued, and its queued file removed under that lock (once state.json is written; when
 * nothing changed, first, so that no later fold writes what this pause found unchanged). When the
 * lock stays busy the queued file gets the git state; when git is still running near the hook's
 * deadline, it is stopped (hook_command.ts) and the file stays: the next mpm command or hook
 * folds it in, reading git then.
 */
import { readClaudeTodos } from "../../claude/session/tasks.ts";
import type { Result } from "../../cli/command.ts";
import { homeDir } from "../../cli/env.ts";
import { contextLocation, readContext } from "../../context/files.ts";
import { errorText } from "../../kernel/errors.ts";
import { gitStopped, GitStoppedError } from "../../git/run/run.ts";
import { contextPartition } from "../../sessions/store/records/state/state.ts";
import { beginGitRead } from "../../sessions/capture/early_git.ts";
import { autoPauseProject } from "../../sessions/capture/pause_project.ts";
import { readState } from "../../sessions/store/state/state_store.ts";
import type { PauseRequest } from "../../sessions/store/records/snapshot/request.ts";
import type { HookContext } from "./checkpoint_hook.ts";
import { transcriptUsage } from "./transcript_usage.ts";
import { autoPauseNotes, autoPauseSummary } from "./pause.ts";
import type { GitContext } from "../../kernel/snapshot.ts";
import { keepStatus, stampNow, statusOfPause } from "../start/record/start_git.ts";
import type { JustWritten } from "../start/start_digest.ts";
import { unmarkUnended } from "../../sessions/store/session/unended.ts";

/**
 * How long SessionEnd waits for a busy lock: Claude Code is exiting and the user waits on it. Past
 * it the pause is queued (sessions/store/session/spool.ts) and saved by the next command, never
 * lost.
 */
const SESSION_END_LOCK_WAIT_MS = 500;

export async function sessionEnd(ctx: HookContext): Promise<Result> {
  const { env, payload, now } = ctx;
  const reason = typeof payload.reason === "string" ? payload.reason : "other";
  // git status is most of SessionEnd's time in a large work tree: hook_command.ts begins it first,
  // and it runs while the event is claimed, the Claude session recorded, and the transcript,
  // Claude's tasks, the spool and the lock are seen to; the pause takes it (early_git.ts).
  const stamp = stampNow(ctx.root);
  beginGitRead(ctx.paths);
  // Another agent's transcript and tasks are not Claude Code's: none are read.
  const claude = (ctx.agent ?? "claude-code") === "claude-code";
  const [usage, tasks] = claude
    ? await Promise.all([
      transcriptUsage(ctx),
      readClaudeTodos({ home: homeDir(env) ?? "", sessionId: payload.session_id, env: env.vars }),
    ])
    : [null, { active: [], completed: [], source: null }];
  const facts = {
    reason,
    claudeSessionId: payload.session_id,
    taskCount: tasks.active.length + tasks.completed.length,
    taskSource: tasks.source,
    usage,
    ...(claude
      ? {}
      : { agent: (await import("../../agents/agent.ts")).agentNamed(ctx.agent!).name }),
  };
  // The person's words are carried from their last pause
  // (sessions/store/session/build_snapshot.ts); these are mpm's own, kept beside them as a dated
  // note. Claude's tasks stay apart from the todos.
  const request: PauseRequest = {
    summary: autoPauseSummary(facts),
    accomplishments: [],
    nextSteps: [],
    todos: [],
    // None read (no list, or its tasks are off): the work keeps the tasks it had.
    claudeTasks: tasks.source === null ? undefined : [...tasks.active, ...tasks.completed],
    claudeSessionId: payload.session_id,
    // Whose conversation it was: the snapshot names an agent that is not Claude Code.
    ...(ctx.agent === undefined || ctx.agent === "claude-code" ? {} : { agent: ctx.agent }),
    contextUsage: usage,
    summarySource: "auto",
    writtenBy: "mpm",
    trigger: "session-end",
    notes: autoPauseNotes(facts),
  };
  const queued = await queuePause(ctx, request);
  // Queued: the mark a turn's end left (unended.ts) has done its work.
  await unmarkUnended(ctx.paths, payload.session_id).catch(() => {});
  let done;
  try {
    done = await autoPauseProject(ctx.root, now, request, {
      lockWaitMs: SESSION_END_LOCK_WAIT_MS,
      queued,
    });
  } catch (error) {
    // Stopped at the deadline, or failed: the queued pause stays for the next command.
    if (!(error instanceof GitStoppedError)) throw error;
    ctx.warn(
      "git ran too long for the hook; the pause is queued and the next mpm command saves it.",
    );
    return {};
  }
  if (done.kind === "spooled") {
    ctx.warn("another mpm held the lock; the pause is queued and the next mpm command saves it.");
  } else {
    await fileFirstConversation(ctx);
  }
  if (done.kind !== "spooled" && done.kind !== "folded") {
    // The guide's update-context.sh, done safely: only the lines mpm manages change.
    const session = done.kind === "written" ? done.outcome.session : done.session;
    await updateContextFile(ctx, contextPartition(session));
    await keepStartDigest(
      ctx,
      done.kind === "written"
        ? { snapshot: done.outcome.snapshot, file: done.outcome.files.json }
        : undefined,
    );
    const git = done.kind === "written" ? done.outcome.snapshot.git_context : null;
    if (git) await keepStartStatus(ctx, await stamp, git);
  }
  // Out of time already (git was stopped meanwhile): the next pause copies them.
  if (!gitStopped()) await keepTranscripts(ctx);
  return {};
}

/**
 * The pause written to the spool before the hook waits for git: the request, the active session
 * as it is now (read without the lock: written atomically, so whole) and the id its snapshot
 * will have, with the git state left to whoever saves it.
 */
async function queuePause(
  ctx: HookContext,
  request: PauseRequest,
): Promise<{ file: string; snapshotId: string }> {
  const [{ spoolPause }, { freshSessionId }, state] = await Promise.all([
    import("../../sessions/store/session/spool.ts"),
    import("../../sessions/store/snapshots/save_snapshot.ts"),
    readState(ctx.paths).catch(() => null),
  ]);
  const snapshotId = freshSessionId(ctx.now);
  const auto = { ...request, skipUnchanged: true };
  const file = await spoolPause(ctx.paths, ctx.now, auto, state?.active ?? null, null, {
    snapshotId,
    gitAtFold: true,
  });
  return { file, snapshotId };
}

/**
 * The project's first conversation was seen before there was a session to record it under (its
 * start, its Stops, this end: claude_sessions_store.ts keeps them unfiled): the pause just made
 * one, and they are filed under it, before the vault copies what the sightings name. Anywhere
 * else the sighting found its session, and this is one look at what it recorded.
 */
async function fileFirstConversation(ctx: HookContext): Promise<void> {
  const { sightingRecorded, fileUnfiledSightings } = await import(
    "../../sessions/store/claude/claude_sessions_store.ts"
  );
  if (await sightingRecorded(ctx.paths) !== null) return;
  await fileUnfiledSightings(ctx.paths).catch((error) =>
    ctx.warn(`the Claude session was not recorded: ${errorText(error)}`)
  );
}

/** How long SessionEnd waits for another mpm copying into the vault before leaving it the work. */
const VAULT_LOCK_WAIT_MS = 200;

/**
 * The transcripts seen so far are copied into the vault (src/vault/), last: the pause and the
 * next start's digest come first within the hook's deadline, and Claude Code has finished
 * writing this session's transcript. The copy takes what is new within a budget; what it leaves
 * is copied by the next pause (`mpm doctor` says how much waits).
 */
async function keepTranscripts(ctx: HookContext): Promise<void> {
  const { copyAfterPause } = await import("../../vault/copy/copy.ts");
  const report = await copyAfterPause(ctx.paths, ctx.now, {
    home: homeDir(ctx.env),
    vars: ctx.env.vars,
    lockWaitMs: VAULT_LOCK_WAIT_MS,
  });
  for (const message of report.messages) ctx.warn(message);
}

/**
 * SessionStart's digest of what was just paused (start_digest.ts), so the next start, after
 * leaving Claude Code or after `/clear`, reads one small file. Best effort: without it the
 * start reads the state and the snapshot, as it always could. The snapshot the pause just
 * `written` is told from memory, never read back.
 */
async function keepStartDigest(ctx: HookContext, written?: JustWritten): Promise<void> {
  try {
    const { readStartFacts, writeDigest } = await import("../start/start_digest.ts");
    await writeDigest(ctx.paths, await readStartFacts(ctx.paths, written));
  } catch {
    // The next SessionStart reads in full and writes it.
  }
}

/**
 * SessionStart's status (start/record/start_git.ts): the one the pause just read, so the next start
 * runs no git when nothing was committed, checked out or added since. Best effort.
 */
async function keepStartStatus(ctx: HookContext, before: string | null, git: GitContext) {
  await keepStatus(ctx.paths, ctx.root, before, statusOfPause(git)).catch(() => {});
}

/**
 * `mpm context update` after a session, when a context file exists; a problem is one warning.
 * Most projects have none: that is one lstat, and the session's facts (state and newest
 * snapshot read again) and the update code are loaded only for a file that is there.
 */
async function updateContextFile(ctx: HookContext, partition: string | null): Promise<void> {
  try {
    const at = contextLocation(ctx.root, partition);
    // What refreshContext reads first: undefined for no file, and it throws for one it refuses.
    if (await readContext(at) === undefined) return;
    const [{ sessionFacts }, { refreshContext }] = await Promise.all([
      import("../../sessions/capture/context_facts.ts"),
      import("../../context/refresh.ts"),
    ]);
    await refreshContext(at, await sessionFacts(ctx.env, ctx.root), ctx.now);
  } catch (error) {
    ctx.warn(`the context file was not updated (${errorText(error)}).`);
  }
}
