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
import { sessionStartContext } from "./context.ts";
import { buildErrorRecord } from "./error_record.ts";
import { autoPauseNotes, autoPauseSummary } from "./pause.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import { currentBranch } from "../git/branch.ts";
import { ensureExcluded } from "../git/exclude.ts";
import { branchHolds, readHistorySince, recentCommits } from "../git/history.ts";
import { readStatus } from "../git/status.ts";
import { writeErrorRecord } from "./records.ts";
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import { listEntries, loadSnapshot } from "../sessions/store.ts";
import { readState } from "../sessions/state_store.ts";
import type { Command, Result } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { checkpoint, type HookContext, transcriptUsage } from "./checkpoint_hook.ts";
import { pauseProject } from "../sessions/pause_project.ts";

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

/** SessionEnd has 1.5 s in all; waiting longer than this for a busy lock would miss it. */
const SESSION_END_LOCK_WAIT_MS = 700;

/** Snapshots tried, newest first, before SessionStart gives up on finding a readable one. */
const SNAPSHOTS_TRIED = 10;

type Handler = (ctx: HookContext) => Promise<Result>;

export async function runHook(env: Env, event: HookEvent): Promise<Result> {
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
    return await HANDLERS[event]({ env, payload, root, paths, now: env.now(), warn });
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
  const [entries, state] = await Promise.all([
    listEntries(paths),
    readState(paths).catch((error) => {
      warnings.push(`the active session could not be read (${message(error)}).`);
      return null;
    }),
  ]);
  let snapshot: Snapshot | null = null;
  for (const entry of entries.slice(0, SNAPSHOTS_TRIED)) {
    try {
      const candidate = await loadSnapshot(paths, entry);
      // A child finished by `mpm return` is done; the work to pick up is its parent's.
      if (candidate.mpm.state === "completed") continue;
      snapshot = candidate;
      break;
    } catch (error) {
      warnings.push(`${entry.id} was skipped: ${message(error)}`);
    }
  }
  const active = state?.active ?? null;
  const git = snapshot?.git_context;
  const [history, branchNow] = git
    ? await Promise.all([
      readHistorySince(root, git.commit).catch(() => null),
      currentBranch(root).catch(() => undefined),
    ])
    : [null, undefined];
  const switched = git?.branch && git.commit && branchNow !== undefined &&
    branchNow !== git.branch && history?.paused_commit_exists;
  const pausedBranchHolds = switched
    ? await branchHolds(root, git!.branch!, git!.commit!).catch(() => undefined)
    : undefined;
  const text = sessionStartContext({
    snapshot,
    active,
    history,
    branchNow,
    pausedBranchHolds,
    now: ctx.now,
    warnings,
  });
  if (text === null) {
    for (const warning of warnings) ctx.warn(warning);
    return {};
  }
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
  await pauseProject(ctx.root, now, {
    summary: autoPauseSummary(facts),
    accomplishments: [],
    nextSteps: [],
    todos: [...tasks.active, ...tasks.completed],
    claudeSessionId: payload.session_id,
    contextUsage: usage,
    summarySource: "auto",
    notes: autoPauseNotes(facts),
  }, { lockWaitMs: SESSION_END_LOCK_WAIT_MS });
  return {};
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

export const hookCommand: Command = {
  name: "hook",
  summary: "Run one of mpm's Claude Code hooks (the shipped scripts call this).",
  details: `Reads Claude Code's hook payload (JSON) on stdin and works in the payload's cwd.
EVENT is one of:
  session-start  SessionStart: print the last session's context for Claude
  session-end    SessionEnd: pause automatically, with Claude's tasks and context usage
  checkpoint     PreCompact: save an auto-… checkpoint; Stop: check the context window
                 (at 70/85/95 % write sessions/session-resume-….md and warn)
  on-error       PostToolUseFailure, StopFailure: write an error record to errors/
A bad payload is reported on stderr and exits 0, so a hook never breaks Claude Code.`,
  args: [{ name: "EVENT", description: "The hook to run.", complete: [...HOOK_EVENTS] }],
  examples: ["mpm hook session-start < payload.json"],
  run: (env, parsed) => {
    const event = parsed.args[0];
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      throw new UsageError(
        `${JSON.stringify(event)} is not a hook event.`,
        `Use one of: ${HOOK_EVENTS.join(", ")}.`,
      );
    }
    return runHook(env, event as HookEvent);
  },
};
