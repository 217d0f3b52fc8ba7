/**
 * SessionStart (the pre-session script): queued automatic pauses are saved first, the model
 * Claude Code named is noted, and what Claude should know is printed as additionalContext
 * (start_text.ts decides what, within its budget; after a `resume` or `fork` of a conversation
 * that carries mpm's context, only what changed since: start/told.ts). The session's name, when
 * a person gave it one, becomes Claude Code's session title; after `/clear` and `/resume`,
 * Claude's open tasks of the paused work come back in its task list (start/carry_tasks.ts).
 */
import type { Result } from "../../cli/command.ts";
import { modelId } from "../../claude/session/payload.ts";
import { errorText } from "../../kernel/errors.ts";
import { foldSpoolQuietly, spooledNames } from "../../sessions/store/session/spool.ts";
import { queueUnended, unendedNames } from "../../sessions/store/session/unended.ts";
import type { HookContext } from "./hook_context.ts";
import type { Todo } from "../../kernel/snapshot.ts";
import { rememberModel } from "../../sessions/store/claude/records.ts";
import { sessionStartText } from "../start/start_text.ts";
import { teammateBudget } from "../../board/teammates.ts";
import { carriedContext } from "../start/carried_context.ts";
import { rememberTold } from "../../sessions/store/claude/told_store.ts";
import { sightingRecorded } from "../../sessions/store/claude/claude_sessions_store.ts";
import { homeDir } from "../../cli/env.ts";
import { TimeMarks } from "../../kernel/format/ago.ts";
import { sessionTitle } from "./ready_start.ts";
import { startAnswerOf } from "../../kernel/agent_start.ts";
import { keepReadyAnswer, readyBefore } from "./ready_make.ts";

/** SessionStart folds queued pauses in first, if the lock is free soon enough. */
const SESSION_START_LOCK_WAIT_MS = 300;

export async function sessionStart(ctx: HookContext): Promise<Result> {
  const { root, paths } = ctx;
  const warnings: string[] = [];
  // Conversations that ended without their end hook are paused first, as their end would have
  // (unended.ts): this one, which goes on, excepted.
  if (unendedNames(paths).length > 0) {
    await sightingRecorded(paths);
    await queueUnended(paths, ctx.now, {
      except: ctx.payload.session_id,
      warn: (line) => warnings.push(line.replace(/^mpm: /, "")),
    }).catch((error) =>
      warnings.push(`an unended conversation was not paused (${errorText(error)}).`)
    );
  }
  // The pause code loads only when something is queued, which is rare (spool.ts). What the
  // sighting read serves the text too, unless folding changed it (the store then reads again).
  if ((await spooledNames(paths)).length > 0) {
    // The sighting (running beside this hook, see hook_command.ts) reads what was there before.
    await sightingRecorded(paths);
    await foldSpoolQuietly(
      paths,
      SESSION_START_LOCK_WAIT_MS,
      (line) => warnings.push(line.replace(/^mpm: /, "")),
    )
      .catch((error) => {
        warnings.push(`queued automatic pauses were not saved yet (${errorText(error)}).`);
      });
  }
  // Its `model` may be the only place Claude Code says `[1m]`: Stop and SessionEnd need it.
  const model = modelId((ctx.payload as { model?: unknown }).model);
  if (model !== null) {
    await rememberModel(paths, ctx.payload.session_id, model, ctx.now).catch((error) =>
      ctx.warn(`the session's model was not noted (${errorText(error)}).`)
    );
  }
  const source = typeof ctx.payload.source === "string" ? ctx.payload.source : undefined;
  // What a resumed or forked conversation carries already (its transcript says), if anything.
  const since = await carriedContext(paths, ctx.payload, ctx.now, ctx.agent).catch(() => undefined);
  // A new conversation's answer is made ready for the next one (ready_make.ts): its times are
  // marked, to be filled in as of each start.
  const marks = source === "startup" ? new TimeMarks(ctx.now.getTime()) : null;
  // Stamped once the sighting (begun beside this hook) has made its folders, if it had to.
  const before = marks
    ? await sightingRecorded(paths).then(() => readyBefore(paths, root)).catch(() => null)
    : null;
  // The session's context, the context file, commits, branch and named files (start_text.ts).
  const made = await sessionStartText({
    root,
    paths,
    now: marks ?? ctx.now,
    warnings,
    source,
    claudeSession: ctx.payload.session_id,
    digest: true,
    since,
    teammateBudgetMs: teammateBudget(ctx.env.vars),
  });
  const { report, told, facts } = made;
  const text = marks && made.text !== null ? marks.filled(made.text) : made.text;
  for (const line of report) ctx.warn(line);
  if (text !== null && told) await rememberTold(paths, text, told);
  // Claude's task list is Claude Code's own: another agent's conversation gets none.
  if (facts && facts.tasks.length > 0 && (ctx.agent ?? "claude-code") === "claude-code") {
    await carryOver(ctx, source, facts.tasks);
  }
  const title = facts?.name ? sessionTitle(facts.name) : "";
  if (marks && before) {
    await keepReadyAnswer(before, {
      text: made.text,
      marks,
      title,
      told,
      made: made.made,
      warned: report.length > 0 || warnings.length > 0,
      transcript: ctx.payload.transcript_path ?? null,
      conversation: ctx.payload.session_id,
    }).catch(() => {});
  }
  // In the shape the agent takes, as the start made ready sends it (ready_start.ts).
  return { stdout: startAnswerOf(ctx.agent ?? "claude-code", text, title) };
}

/** Claude's open tasks back in its task list after `/clear` or `/resume`; a problem is a warning. */
async function carryOver(ctx: HookContext, source: string | undefined, tasks: Todo[]) {
  try {
    const { carryTasks } = await import("../start/carry_tasks.ts");
    await carryTasks({
      source,
      home: homeDir(ctx.env),
      sessionId: ctx.payload.session_id,
      env: ctx.env.vars,
      tasks,
    });
  } catch (error) {
    ctx.warn(`Claude's tasks were not put back in its task list (${errorText(error)}).`);
  }
}
