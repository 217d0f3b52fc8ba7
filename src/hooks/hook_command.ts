/**
 * `mpm hook EVENT`: what the shipped hook scripts call, with Claude Code's JSON payload on stdin.
 * A hook must never break Claude Code, so a payload that is too large, malformed or for another
 * event is reported on stderr and ends with exit 0; only an unknown EVENT (a mistake in a script,
 * not in Claude Code's input) is a usage error. The checkpoint event's work is hooks/checkpoint_hook.ts.
 */
import { resolve } from "node:path";
import { parsePayload } from "../claude/payload.ts";
import { readClaudeTodos } from "../claude/tasks.ts";
import { UsageError } from "../kernel/errors.ts";
import { sessionStartText } from "./start_text.ts";
import { buildErrorRecord } from "./error_record.ts";
import { autoPauseNotes, autoPauseSummary } from "./pause.ts";
import { ensureExcluded } from "../git/exclude.ts";
import { recentCommits } from "../git/history.ts";
import { readStatus } from "../git/status.ts";
import { recordClaudeSighting } from "./claude_sessions_store.ts";
import { rememberModel, writeErrorRecord } from "./records.ts";
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import type { Command, Result } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { checkpoint, type HookContext, transcriptUsage } from "./checkpoint_hook.ts";
import { autoPauseProject } from "../sessions/pause_project.ts";
import { foldSpoolQuietly } from "../sessions/spool.ts";
import { contextPartition } from "../sessions/capture.ts";
import { sessionFacts } from "../sessions/context_facts.ts";
import { refreshContext } from "../context/refresh.ts";
import { contextLocation } from "../context/files.ts";

export const HOOK_EVENTS = ["session-start", "session-end", "checkpoint", "on-error"] as const;
export type HookEvent = typeof HOOK_EVENTS[number];

/** The Claude Code events each `mpm hook EVENT` serves. */
const SERVES: Record<HookEvent, readonly string[]> = {
  "session-start": ["SessionStart"],
  "session-end": ["SessionEnd"],
  "checkpoint": ["PreCompact", "Stop"],
  "on-error": ["PostToolUseFailure", "StopFailure"],
};

/** Payloads are a few KB; a tool's input can be large, but not this large. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/**
 * How long SessionEnd waits for a busy lock: Claude Code is exiting and the user waits on it.
 * Past it the pause is queued (sessions/spool.ts) and saved by the next command, never lost.
 */
const SESSION_END_LOCK_WAIT_MS = 500;

/** SessionStart folds queued pauses in first, if the lock is free soon enough. */
const SESSION_START_LOCK_WAIT_MS = 300;

type Handler = (ctx: HookContext) => Promise<Result>;

/**
 * Work a higher feature adds to a hook: hooks may not import it (docs/architecture.md), so the
 * registry passes it in. `afterSessionEnd` runs once SessionEnd's pause is saved, for the
 * session the Claude session belonged to (replay writes its summary there).
 */
export interface HookExtras {
  afterSessionEnd?: (input: { env: Env; root: string; key: string; now: Date }) => Promise<unknown>;
}

/**
 * Each hook's overall deadline, well inside the timeout its settings entry gives Claude Code
 * (SessionEnd 5 s, which 2.1.x also takes as the whole SessionEnd budget; Stop, SessionStart
 * and the error events 10 s): past it, mpm gives up, says so on stderr and exits 0, so a hung
 * read (a FIFO, a stuck disk) never holds Claude Code up. The shipped scripts also stop a hung
 * mpm with `timeout`. `MPM_HOOK_DEADLINE_MS` sets another (tests use it).
 */
export const HOOK_DEADLINE_MS: Record<HookEvent, number> = {
  "session-start": 8_000,
  "session-end": 3_000,
  "checkpoint": 8_000,
  "on-error": 8_000,
};

export function hookDeadline(env: Env, event: HookEvent): number {
  const raw = env.vars.MPM_HOOK_DEADLINE_MS;
  return raw !== undefined && /^\d{1,7}$/.test(raw) && Number(raw) > 0
    ? Number(raw)
    : HOOK_DEADLINE_MS[event];
}

export async function runHook(
  env: Env,
  event: HookEvent,
  extras: HookExtras = {},
): Promise<Result> {
  const ms = hookDeadline(env, event);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  try {
    const result = await Promise.race([runHookUntimed(env, event, extras), late]);
    if (result !== "late") return result;
    env.warn(`mpm hook ${event}: gave up after ${ms} ms so as not to hold Claude Code up.`);
    return {};
  } finally {
    clearTimeout(timer);
  }
}

async function runHookUntimed(
  env: Env,
  event: HookEvent,
  extras: HookExtras,
): Promise<Result> {
  const label = `mpm hook ${event}`;
  const warn = (text: string) => env.warn(`${label}: ${text}`);
  let input: string;
  try {
    input = await env.readStdin(MAX_PAYLOAD_BYTES);
  } catch (error) {
    warn(`${message(error)} Ignored.`);
    return {};
  }
  const parsed = parsePayload(input);
  if (!parsed.ok) {
    warn(`${parsed.error}; ignored.`);
    return {};
  }
  const payload = parsed.payload;
  if (!SERVES[event].includes(payload.hook_event_name)) {
    warn(
      `got a ${payload.hook_event_name} payload, but serves ${
        SERVES[event].join(" and ")
      }; ignored.`,
    );
    return {};
  }
  const cwd = resolve(env.cwd, payload.cwd);
  if (!(await isFolder(cwd))) {
    warn(`the payload's cwd (${cwd}) is not a folder; ignored.`);
    return {};
  }
  try {
    const root = await findProjectRoot(cwd);
    const paths = projectPaths(root);
    const now = env.now();
    // Which Claude sessions belonged to which mpm session, for `mpm replay` and `summary`.
    const key = event === "on-error"
      ? null
      : await recordClaudeSighting(paths, payload, now).catch((error) => {
        warn(`the Claude session was not recorded: ${message(error)}`);
        return null;
      });
    const result = await HANDLERS[event]({ env, payload, root, paths, now, warn });
    if (event === "session-end" && key !== null && extras.afterSessionEnd) {
      await extras.afterSessionEnd({ env, root, key, now }).catch((error) =>
        warn(`after the pause: ${message(error)}`)
      );
    }
    return result;
  } catch (error) {
    // Exit 1, never 2: to Claude Code a hook's exit 2 means "block", which mpm never wants.
    warn(message(error));
    return { exitCode: 1 };
  }
}

const HANDLERS: Record<HookEvent, Handler> = {
  "session-start": sessionStart,
  "session-end": sessionEnd,
  "checkpoint": checkpoint,
  "on-error": onError,
};

async function sessionStart(ctx: HookContext): Promise<Result> {
  const { root, paths } = ctx;
  const warnings: string[] = [];
  await foldSpoolQuietly(paths, SESSION_START_LOCK_WAIT_MS).catch((error) => {
    warnings.push(`queued automatic pauses were not saved yet (${message(error)}).`);
  });
  // Its `model` may be the only place Claude Code says `[1m]`: Stop and SessionEnd need it.
  const model = (ctx.payload as { model?: unknown }).model;
  if (typeof model === "string" && model !== "") {
    await rememberModel(paths, ctx.payload.session_id, model, ctx.now).catch((error) =>
      ctx.warn(`the session's model was not noted (${message(error)}).`)
    );
  }
  // The session's context, the context file, commits, branch and named files (start_text.ts).
  const { text, report } = await sessionStartText({
    root,
    paths,
    now: ctx.now,
    warnings,
    source: typeof ctx.payload.source === "string" ? ctx.payload.source : undefined,
  });
  for (const line of report) ctx.warn(line);
  if (text === null) return {};
  const output = { hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: text } };
  return { stdout: JSON.stringify(output) + "\n" };
}

async function sessionEnd(ctx: HookContext): Promise<Result> {
  const { env, payload, now } = ctx;
  const reason = typeof payload.reason === "string" ? payload.reason : "other";
  const [usage, tasks] = await Promise.all([
    transcriptUsage(ctx),
    readClaudeTodos({ home: homeDir(env) ?? "", sessionId: payload.session_id, env: env.vars }),
  ]);
  const facts = {
    reason,
    claudeSessionId: payload.session_id,
    taskCount: tasks.active.length + tasks.completed.length,
    taskSource: tasks.source,
    usage,
  };
  // The person's words are carried from their last pause (sessions/capture.ts); these are
  // mpm's own, kept beside them as a dated note. Claude's tasks stay apart from the todos.
  const done = await autoPauseProject(ctx.root, now, {
    summary: autoPauseSummary(facts),
    accomplishments: [],
    nextSteps: [],
    todos: [],
    claudeTasks: [...tasks.active, ...tasks.completed],
    claudeSessionId: payload.session_id,
    contextUsage: usage,
    summarySource: "auto",
    writtenBy: "mpm",
    trigger: "session-end",
    notes: autoPauseNotes(facts),
  }, { lockWaitMs: SESSION_END_LOCK_WAIT_MS });
  if (done.kind === "spooled") {
    ctx.warn("another mpm held the lock; the pause is queued and the next mpm command saves it.");
  } else {
    // The guide's update-context.sh, done safely: only the lines mpm manages change.
    const session = done.kind === "written" ? done.outcome.session : done.session;
    await updateContextFile(ctx, contextPartition(session));
  }
  return {};
}

/** `mpm context update` after a session, when a context file exists; a problem is one warning. */
async function updateContextFile(ctx: HookContext, partition: string | null): Promise<void> {
  try {
    const facts = await sessionFacts(ctx.env, ctx.root);
    await refreshContext(contextLocation(ctx.root, partition), facts, ctx.now);
  } catch (error) {
    ctx.warn(`the context file was not updated (${message(error)}).`);
  }
}

async function onError(ctx: HookContext): Promise<Result> {
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

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}

/** `mpm hook` with the extras the registry hands in. */
export function hookCommandWith(extras: HookExtras): Command {
  return { ...hookCommand, run: (env, parsed) => runHook(env, hookEvent(parsed.args[0]), extras) };
}

function hookEvent(event: string): HookEvent {
  if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
    throw new UsageError(
      `${JSON.stringify(event)} is not a hook event.`,
      `Use one of: ${HOOK_EVENTS.join(", ")}.`,
    );
  }
  return event as HookEvent;
}

export const hookCommand: Command = {
  name: "hook",
  summary: "Run one of mpm's Claude Code hooks (the shipped scripts call this).",
  details: `Reads Claude Code's hook payload (JSON) on stdin and works in the payload's cwd.
EVENT is one of:
  session-start  SessionStart: print the last session's context for Claude
  session-end    SessionEnd: pause automatically, with Claude's tasks and context usage,
                 keeping your last words (nothing when nothing changed; queued when the
                 lock is busy)
  checkpoint     PreCompact: save an auto-… checkpoint; Stop: check the context window
                 (at 70/85/95 % write sessions/session-resume-….md and warn)
  on-error       PostToolUseFailure, StopFailure: write an error record to errors/
The first three also note the Claude session's id and transcript path under the current
session (work/<key>/claude-sessions.jsonl), for \`mpm replay\` and \`mpm summary\`.
A bad payload is reported on stderr and exits 0, so a hook never breaks Claude Code; so does
a hook past its deadline (SessionEnd 3 s, others 8 s; MPM_HOOK_DEADLINE_MS).`,
  args: [{ name: "EVENT", description: "The hook to run.", complete: [...HOOK_EVENTS] }],
  examples: ["mpm hook session-start < payload.json"],
  run: (env, parsed) => runHook(env, hookEvent(parsed.args[0])),
};
