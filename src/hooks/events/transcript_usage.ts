/**
 * The context usage a hook payload's transcript shows, for Stop (checkpoint_hook.ts) and SessionEnd
 * (session_end.ts), against the window Claude Code's status line recorded for the Claude session
 * (sessions/store/claude/window_record.ts) when there is one. A file of its own so SessionEnd,
 * which runs as Claude Code exits, does not load the checkpoint code (its store among it) that it
 * never runs.
 */
import { resolve } from "../../kernel/path.ts";
import { type HookPayload, modelId } from "../../claude/session/payload.ts";
import { scanTranscript } from "../../claude/transcript/transcript.ts";
import {
  type ContextUsage,
  parseWindowOverride,
  payloadWindow,
  type TailScan,
} from "../../claude/session/context_usage.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Env } from "../../cli/env.ts";
import { rememberedModel } from "../../sessions/store/claude/records.ts";
import { readWindowRecord, type WindowRecord } from "../../sessions/store/claude/window_record.ts";

/**
 * The context usage the payload's transcript shows. Where it shows none because it is not
 * written yet (Stop can run before Claude Code writes it) or holds no reply, what the status
 * line last reported, if it measured anything; else null.
 */
export async function transcriptUsage(
  ctx: { env: Env; payload: HookPayload; paths: ProjectPaths },
  options: { awaitReply?: boolean } = {},
): Promise<ContextUsage | null> {
  const payload = ctx.payload as Record<string, unknown>;
  const named = modelId(payload.model);
  const [record, remembered] = await Promise.all([
    readWindowRecord(ctx.paths, ctx.payload.session_id),
    named !== null ? undefined : rememberedModel(ctx.paths, ctx.payload.session_id),
  ]);
  const path = ctx.payload.transcript_path;
  const measure = (): Promise<TailScan> =>
    path
      ? scanTranscript(resolve(ctx.env.cwd, path), {
        recordedWindow: record?.window,
        windowOverride: parseWindowOverride(ctx.env.vars.MPM_CONTEXT_WINDOW),
        reportedWindow: payloadWindow(payload),
        model: named ?? remembered,
      }).then((found) => found.scan, () => ({ found: "nothing" as const }))
      : Promise.resolve({ found: "nothing" });
  let scan = await measure();
  // Stop can run a moment before Claude Code writes down the reply it is about (the interactive
  // client writes its transcript in batches): the reply is waited for, in a transcript that
  // exists. One never written (persistence off) is not waited for.
  const until = performance.now() + REPLY_WAIT_MS;
  while (
    options.awaitReply && replyMissing(scan) && path && await isFile(resolve(ctx.env.cwd, path))
  ) {
    if (performance.now() >= until) break;
    await pause(REPLY_POLL_MS);
    scan = await measure();
  }
  if (scan.found === "usage") return scan.usage;
  // After a compaction the status line's figure may still be the old context's: nothing.
  return scan.found === "nothing" ? recordedUsage(record) : null;
}

/**
 * How long Stop waits for the reply to reach the transcript: Claude Code writes it a moment after
 * it starts the hook, and the hook's deadline is far beyond this.
 */
export const REPLY_WAIT_MS = 2_000;
const REPLY_POLL_MS = 50;

/**
 * A promise settled after `ms`, on the runtime's own timer (see hook_command.ts `lateAfter` for
 * why not `setTimeout`).
 */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    AbortSignal.timeout(ms).addEventListener("abort", () => resolve(), { once: true });
  });
}

/** The transcript holds no reply after the newest prompt: none at all, or only older ones. */
function replyMissing(scan: TailScan): boolean {
  return scan.found === "nothing" || scan.behind === true;
}

async function isFile(path: string): Promise<boolean> {
  return (await Deno.lstat(path).catch(() => undefined))?.isFile === true;
}

/** The status line's own measure, as a usage; null before it measured a reply. */
function recordedUsage(record: WindowRecord | undefined): ContextUsage | null {
  if (record === undefined || record.used_percentage === null || record.tokens === null) {
    return null;
  }
  return {
    tokens: record.tokens,
    window: record.window,
    percent: Math.round(record.used_percentage * 10) / 10,
    model: record.model,
    window_source: "claude",
  };
}
