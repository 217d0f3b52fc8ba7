/**
 * PostToolUseFailure and StopFailure (the on-error script): an error record under errors/, with
 * the git state and recent commits around it. Redaction and bounds are error_record.ts's.
 */
import type { Result } from "../cli/command.ts";
import { ensureExcluded } from "../git/exclude.ts";
import { recentCommits } from "../git/history.ts";
import { readStatus } from "../git/status.ts";
import type { HookContext } from "./checkpoint_hook.ts";
import { buildErrorRecord } from "./error_record.ts";
import { writeErrorRecord } from "./records.ts";

export async function onError(ctx: HookContext): Promise<Result> {
  const { payload, root, paths, now } = ctx;
  const [status, commits] = await Promise.all([
    readStatus(root).catch(() => null),
    recentCommits(root, 5).catch(() => null),
  ]);
  if (status) await ensureExcluded(root);
  const record = buildErrorRecord({
    now,
    event: payload.hook_event_name,
    claudeSessionId: payload.session_id,
    cwd: payload.cwd,
    tool: typeof payload.tool_name === "string" ? payload.tool_name : undefined,
    toolInput: payload.tool_input,
    toolUseId: typeof payload.tool_use_id === "string" ? payload.tool_use_id : undefined,
    error: payload.error,
    errorDetails: payload.error_details,
    isInterrupt: typeof payload.is_interrupt === "boolean" ? payload.is_interrupt : undefined,
    durationMs: typeof payload.duration_ms === "number" ? payload.duration_ms : undefined,
    git: status,
    recentCommits: commits ?? [],
  });
  await writeErrorRecord(paths, record, now);
  return {};
}
