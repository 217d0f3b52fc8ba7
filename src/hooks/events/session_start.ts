/**
 * SessionStart (the pre-session script): queued automatic pauses are saved first, the model
 * Claude Code named is noted, and what Claude should know is printed as additionalContext
 * (start_text.ts decides what, within its budget).
 */
import type { Result } from "../../cli/command.ts";
import { errorText } from "../../kernel/errors.ts";
import { spooledNames } from "../../sessions/capture/spool_names.ts";
import type { HookContext } from "./hook_context.ts";
import { rememberModel } from "../records/records.ts";
import { sessionStartText } from "../start/start_text.ts";

/** SessionStart folds queued pauses in first, if the lock is free soon enough. */
const SESSION_START_LOCK_WAIT_MS = 300;

export async function sessionStart(ctx: HookContext): Promise<Result> {
  const { root, paths } = ctx;
  const warnings: string[] = [];
  // What the hook read for the sighting serves the text too, unless folding changes it. The
  // pause code loads only when something is queued, which is rare (issue 17).
  let reads = ctx.reads;
  if ((await spooledNames(paths)).length > 0) {
    // The sighting (running beside this hook, see hook_command.ts) reads what was there before.
    await ctx.sighted;
    reads = undefined;
    await import("../../sessions/capture/spool.ts")
      .then(({ foldSpoolQuietly }) =>
        foldSpoolQuietly(
          paths,
          SESSION_START_LOCK_WAIT_MS,
          (line) => warnings.push(line.replace(/^mpm: /, "")),
        )
      )
      .catch((error) => {
        warnings.push(`queued automatic pauses were not saved yet (${errorText(error)}).`);
      });
  }
  // Its `model` may be the only place Claude Code says `[1m]`: Stop and SessionEnd need it.
  const model = (ctx.payload as { model?: unknown }).model;
  if (typeof model === "string" && model !== "") {
    await rememberModel(paths, ctx.payload.session_id, model, ctx.now).catch((error) =>
      ctx.warn(`the session's model was not noted (${errorText(error)}).`)
    );
  }
  // The session's context, the context file, commits, branch and named files (start_text.ts).
  const { text, report } = await sessionStartText({
    root,
    paths,
    now: ctx.now,
    warnings,
    source: typeof ctx.payload.source === "string" ? ctx.payload.source : undefined,
    reads,
    digest: true,
  });
  for (const line of report) ctx.warn(line);
  if (text === null) return {};
  const output = { hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: text } };
  return { stdout: JSON.stringify(output) + "\n" };
}
