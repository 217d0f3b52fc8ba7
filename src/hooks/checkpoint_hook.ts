/**
 * `mpm hook checkpoint`: what Claude Code's PreCompact and Stop events ask of mpm. Before a
 * compaction, an `auto-…` checkpoint; after each reply, the context window's fill from the
 * transcript's tail, and at 70/85/95 % a resume file and a message, once per Claude session and
 * threshold. hook.ts reads and checks the payload first.
 */
import { projectPaths } from "../disk/paths.ts";
import { resolve } from "../kernel/path.ts";
import type { HookPayload } from "../claude/payload.ts";
import { readClaudeTodos } from "../claude/tasks.ts";
import { contextUsageFromTranscript } from "../claude/transcript.ts";
import {
  type ContextUsage,
  type KnownUsage,
  parseWindowOverride,
  payloadWindow,
} from "../claude/context_usage.ts";
import { autoCheckpointName, autoCheckpointsBeyond } from "./names.ts";
import { alertMessage, renderResumeFile, thresholdReached } from "./resume_file.ts";
import { ensureExcluded } from "../git/exclude.ts";
import { recentCommits } from "../git/history.ts";
import { readGitState } from "../git/status.ts";
import {
  CheckpointExistsError,
  checkpointNames,
  removeCheckpoint,
  saveCheckpoint,
} from "../checkpoints/store.ts";
import {
  claimAlert,
  clearAlerts,
  releaseAlert,
  rememberedModel,
  writeResumeFile,
} from "./records.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { displayPath } from "../sessions/store.ts";
import { readState } from "../sessions/state_store.ts";
import type { Result } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";

/** What every hook handler works with, once the payload passed its checks. */
export interface HookContext {
  env: Env;
  payload: HookPayload;
  root: string;
  paths: ProjectPaths;
  now: Date;
  /** Problems worth a line on stderr that do not stop the hook. */
  warn: (text: string) => void;
}

/** Names tried for one PreCompact checkpoint before giving up. */
const MAX_CHECKPOINT_ATTEMPTS = 20;

export async function checkpoint(ctx: HookContext): Promise<Result> {
  const { payload, paths, now } = ctx;
  if (payload.hook_event_name === "PreCompact") {
    const trigger = typeof payload.trigger === "string" ? payload.trigger : "automatic";
    const name = await saveAutoCheckpoint(ctx.root, now, {
      note:
        `Saved before Claude Code's ${trigger} compaction (Claude session ${payload.session_id}).`,
      now,
    });
    // A compaction starts a new context: its alerts may be given again.
    await clearAlerts(paths, payload.session_id);
    return systemMessage(`mpm: saved checkpoint ${name} before the compaction.`);
  }
  const measured = await transcriptUsage(ctx);
  // Without a window Claude Code reported (or MPM_CONTEXT_WINDOW) there is no percentage to
  // warn about: a guessed window is how a 15 % session was once called "75 % full".
  const usage = measured && isKnown(measured) ? measured : null;
  const threshold = usage ? thresholdReached(usage.percent) : null;
  if (usage === null || threshold === null) return {};
  if (!(await claimAlert(paths, payload.session_id, threshold, now))) return {};
  let file: string;
  try {
    file = await writeResumeFileNow(ctx, usage, threshold);
  } catch (error) {
    await releaseAlert(paths, payload.session_id, threshold);
    throw error;
  }
  return systemMessage(alertMessage(threshold, usage, displayPath(paths, file)));
}

/** Two compactions in one second (two Claude sessions in one project) each get a checkpoint. */
async function saveAutoCheckpoint(
  root: string,
  now: Date,
  options: { note: string; now: Date },
): Promise<string> {
  for (let attempt = 1;; attempt++) {
    const name = autoCheckpointName(now, attempt);
    try {
      await saveCheckpoint(root, name, options);
      await dropOldAutoCheckpoints(root);
      return name;
    } catch (error) {
      if (!(error instanceof CheckpointExistsError) || attempt >= MAX_CHECKPOINT_ATTEMPTS) {
        throw error;
      }
    }
  }
}

/** Automatic checkpoints kept per project (one is made per compaction). */
const AUTO_CHECKPOINTS_KEPT = 20;

async function dropOldAutoCheckpoints(root: string): Promise<void> {
  const paths = projectPaths(root);
  for (const name of autoCheckpointsBeyond(await checkpointNames(paths), AUTO_CHECKPOINTS_KEPT)) {
    await removeCheckpoint(paths, name);
  }
}

function isKnown(usage: ContextUsage): usage is KnownUsage {
  return usage.window !== null && usage.percent !== null;
}

async function writeResumeFileNow(
  ctx: HookContext,
  usage: KnownUsage,
  threshold: NonNullable<ReturnType<typeof thresholdReached>>,
): Promise<string> {
  const { env, payload, root, paths, now } = ctx;
  const [git, commits, tasks, state] = await Promise.all([
    readGitState(root),
    recentCommits(root, 5),
    readClaudeTodos({ home: homeDir(env) ?? "", sessionId: payload.session_id, env: env.vars }),
    readState(paths).catch(() => null),
  ]);
  if (git) await ensureExcluded(root);
  const text = renderResumeFile({
    now,
    usage,
    threshold,
    claudeSessionId: payload.session_id,
    tasks: [...tasks.active, ...tasks.completed],
    sessionTodos: state?.active?.todos ?? [],
    sessionName: state?.active?.name ?? null,
    git: git ? { ...git.status, subject: git.subject } : null,
    recentCommits: commits ?? [],
    lastMessage: typeof payload.last_assistant_message === "string"
      ? payload.last_assistant_message
      : undefined,
  });
  return await writeResumeFile(paths, now, text);
}

/** The context usage the payload's transcript shows; null when it shows none or is unreadable. */
export async function transcriptUsage(ctx: HookContext) {
  const path = ctx.payload.transcript_path;
  if (!path) return null;
  const windowOverride = parseWindowOverride(ctx.env.vars.MPM_CONTEXT_WINDOW);
  const payload = ctx.payload as Record<string, unknown>;
  const model = typeof payload.model === "string"
    ? payload.model
    : await rememberedModel(ctx.paths, ctx.payload.session_id);
  return await contextUsageFromTranscript(resolve(ctx.env.cwd, path), {
    windowOverride,
    reportedWindow: payloadWindow(payload),
    model,
  }).catch(() => null);
}

function systemMessage(text: string): Result {
  return { stdout: JSON.stringify({ systemMessage: text }) + "\n" };
}
