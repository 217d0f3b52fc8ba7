/**
 * The context usage a hook payload's transcript shows, for Stop (checkpoint_hook.ts) and
 * SessionEnd (session_end.ts). A file of its own so SessionEnd, which runs as Claude Code exits,
 * does not load the checkpoint code with it (issue 17: about 60 KB of chunks, the checkpoint
 * store among them, that SessionEnd never runs).
 */
import { resolve } from "../../kernel/path.ts";
import type { HookPayload } from "../../claude/payload.ts";
import { contextUsageFromTranscript } from "../../claude/transcript.ts";
import {
  type ContextUsage,
  parseWindowOverride,
  payloadWindow,
} from "../../claude/context_usage.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Env } from "../../cli/env.ts";
import { rememberedModel } from "../records/records.ts";

/** The context usage the payload's transcript shows; null when it shows none or is unreadable. */
export async function transcriptUsage(
  ctx: { env: Env; payload: HookPayload; paths: ProjectPaths },
): Promise<ContextUsage | null> {
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
