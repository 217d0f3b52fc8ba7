/**
 * `mpm hook checkpoint`: what Claude Code's PreCompact and Stop events ask of mpm. Before a
 * compaction, an `auto-…` checkpoint (pre_compact.ts); after each reply, the context window's
 * fill from the transcript's tail, and at 70/85/95 % a resume file (resume_write.ts) and a
 * message, once per Claude session and threshold. hook_command.ts reads and checks the payload
 * first.
 *
 * Stop fires after every reply, so this file loads only what Stop needs to decide: the
 * transcript's tail and the alert markers. The checkpoint code (PreCompact) and the resume
 * file's git and task reads load only when they run.
 */
import type { ContextUsage, KnownUsage } from "../../claude/session/context_usage.ts";
import { alertMessage, thresholdReached } from "../records/context_alert.ts";
import { claimAlert, releaseAlert } from "../../sessions/store/claude/records.ts";
import { transcriptUsage } from "./transcript_usage.ts";
import { displayPath } from "../../disk/paths.ts";
import type { Result } from "../../cli/command.ts";
import type { HookContext } from "./hook_context.ts";

/** Where the handlers' context is defined now; kept here for the files that import it from here. */
export type { HookContext };

export async function checkpoint(ctx: HookContext): Promise<Result> {
  const { payload, paths, now } = ctx;
  if (payload.hook_event_name === "PreCompact") {
    return await (await import("./pre_compact.ts")).preCompact(ctx);
  }
  const measured = await transcriptUsage(ctx, { awaitReply: true });
  // Without a window (Claude Code's status line, MPM_CONTEXT_WINDOW, the transcript, or the
  // model's documented one) there is no percentage to warn about: a guessed window is how a
  // 15 % session was once called "75 % full".
  const usage = measured && isKnown(measured) ? measured : null;
  const threshold = usage ? thresholdReached(usage.percent) : null;
  if (usage === null || threshold === null) return {};
  if (!(await claimAlert(paths, payload.session_id, threshold, now))) return {};
  let file: string;
  try {
    file = await (await import("./resume_write.ts")).writeResumeFileNow(
      ctx,
      usage,
      threshold,
    );
  } catch (error) {
    await releaseAlert(paths, payload.session_id, threshold);
    throw error;
  }
  return {
    stdout: JSON.stringify({
      systemMessage: alertMessage(threshold, usage, displayPath(paths, file)),
    }) + "\n",
  };
}

function isKnown(usage: ContextUsage): usage is KnownUsage {
  return usage.window !== null && usage.percent !== null;
}
