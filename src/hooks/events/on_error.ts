/**
 * PostToolUseFailure and StopFailure (the on-error script): an error record under errors/, with
 * the git state and recent commits around it. Redaction and bounds are error_record.ts's.
 */
import type { Result } from "../../cli/command.ts";
import { ensureExcluded } from "../../git/run/exclude.ts";
import { recentCommits } from "../../git/history/history.ts";
import { lastCommits } from "../../git/history/head_facts.ts";
import { readStatus } from "../../git/tree/status.ts";
import type { HookContext } from "./hook_context.ts";
import { buildErrorRecord } from "../../sessions/store/claude/error_record.ts";
import { writeErrorRecord } from "../../sessions/store/claude/records.ts";

/** Commits an error record lists, newest first. */
const RECENT_COMMITS = 5;

export async function onError(ctx: HookContext): Promise<Result> {
  const { payload, root, paths, now } = ctx;
  // The status says whether there is a commit, so the last ones need only a `git log` beside it
  // (git/history/head_facts.ts), not recentCommits's second process to find HEAD.
  const [status, log] = await Promise.all([
    readStatus(root).then((read) => read ?? "none" as const, () => "failed" as const),
    lastCommits(root, RECENT_COMMITS).catch(() => null),
  ]);
  const commits = status === "failed"
    ? await recentCommits(root, RECENT_COMMITS).catch(() => null)
    : status !== "none" && status.head !== null
    ? log
    : null;
  if (typeof status === "object") await ensureExcluded(root);
  const record = await buildErrorRecord({
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
    git: typeof status === "object" ? status : null,
    recentCommits: commits ?? [],
  });
  await writeErrorRecord(paths, record, now);
  return {};
}
