/**
 * `mpm hook EVENT`: what the shipped hook scripts call, with Claude Code's JSON payload on stdin.
 * A hook must never break Claude Code, so a payload that is too large, malformed or for another
 * event, and a project mpm refuses to write in, are reported on stderr and end with exit 0; only
 * an unknown EVENT (a mistake in a script, not in Claude Code's input) is a usage error. Each event's work is a file of its own, loaded
 * only for its event: session_start.ts, session_end.ts, checkpoint_hook.ts (Stop; PreCompact's
 * in pre_compact.ts), on_error.ts. What they share is hook_context.ts.
 *
 * One mpm per event: when mpm's plugin and `mpm hooks install` both run it, the second run of an
 * event does nothing (sessions/store/claude/event_claim.ts). And the plugin, which Claude Code runs
 * in every folder, writes nothing in one that is neither a git repository nor already holds
 * `.claude-mpm/`.
 */
import { isAbsolute, resolve } from "../../kernel/path.ts";
import { lateAfter, startEarly } from "../../kernel/early.ts";
import { type HookPayload, parsePayload } from "../../claude/session/payload.ts";
import { isNoTranscript, lookAtTranscriptSync } from "../../claude/transcript/transcript_kind.ts";
import { errorText, UsageError } from "../../kernel/errors.ts";
import { useMachineKeyFrom } from "../../disk/machine_key.ts";
import { findProjectRoot, projectDirWorktree, projectPaths } from "../../disk/paths.ts";
import { bareGitDir, findGitRoot } from "../../git/run/root.ts";
import { gitStopped, stopGitOn } from "../../git/run/run.ts";
import { exists, statQuietly } from "../../disk/read/stat.ts";
import { UnsafePathError } from "../../disk/files/confine/confine.ts";
import { type Declared, type Result, stringFlag } from "../../cli/command.ts";
import { type AgentId, agentNamed, DEFAULT_AGENT } from "../../agents/agent.ts";
import { agentTyped } from "../../kernel/agent_start.ts";
import { type Env, homeDir } from "../../cli/env.ts";
import type { HookContext } from "./hook_context.ts";
import { endDecision, type EndFacts } from "./end_decision.ts";
import { MAX_PAYLOAD_BYTES } from "./ready_start.ts";

export const HOOK_EVENTS = ["session-start", "session-end", "checkpoint", "on-error"] as const;
export type HookEvent = typeof HOOK_EVENTS[number];

/** The Claude Code events each `mpm hook EVENT` serves. */
const SERVES: Record<HookEvent, readonly string[]> = {
  "session-start": ["SessionStart"],
  "session-end": ["SessionEnd"],
  // Gemini CLI's AfterAgent is its turn's end, as Stop is Claude Code's and Codex's.
  "checkpoint": ["PreCompact", "Stop", "AfterAgent"],
  "on-error": ["PostToolUseFailure", "StopFailure"],
};

/** Payloads are a few KB; a tool's input can be large, but not this large (ready_start.ts). */
export { MAX_PAYLOAD_BYTES };

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
  agent: AgentId = DEFAULT_AGENT,
): Promise<Result> {
  // As dispatch does: what this machine wrote is told by the key under this env's home (also
  // for a hook run in-process, without dispatch).
  useMachineKeyFrom(env.vars, homeDir(env));
  const ms = hookDeadline(env, event);
  if (event === "session-end") stopGitBefore(ms);
  try {
    const result = await Promise.race([
      runHookUntimed(env, event, extras, agent),
      lateAfter(ms),
    ]);
    if (result !== "late") return result;
    env.warn(`mpm hook ${event}: gave up after ${ms} ms so as not to hold Claude Code up.`);
    return {};
  } finally {
    stopGitOn(undefined);
  }
}

/**
 * How long before SessionEnd's deadline its git is stopped (at most a quarter of it): time for
 * the pause to unwind — the lock released, its queued file kept for the next command — before
 * the hook gives up. A large work tree's `git status` can outlast the whole deadline.
 */
const GIT_STOP_MARGIN_MS = 500;

/** Stops every git call of this run `GIT_STOP_MARGIN_MS` before `ms` (git/run/run.ts). */
function stopGitBefore(ms: number): void {
  const controller = new AbortController();
  stopGitOn(controller.signal);
  lateAfter(Math.max(1, ms - Math.min(GIT_STOP_MARGIN_MS, Math.floor(ms / 4))))
    .then(() => controller.abort());
}

async function runHookUntimed(
  env: Env,
  event: HookEvent,
  extras: HookExtras,
  agent: AgentId,
): Promise<Result> {
  const label = `mpm hook ${event}`;
  const warn = (text: string) => env.warn(`${label}: ${text}`);
  let input: string;
  try {
    input = await env.readStdin(MAX_PAYLOAD_BYTES);
  } catch (error) {
    warn(`${errorText(error)} Ignored.`);
    return {};
  }
  const parsed = parsePayload(input);
  if (!parsed.ok) {
    warn(`${parsed.error}; ignored.`);
    return {};
  }
  const payload = withTranscriptOnly(parsed.payload);
  if (!SERVES[event].includes(payload.hook_event_name)) {
    warn(
      `got a ${payload.hook_event_name} payload, but serves ${
        SERVES[event].join(" and ")
      }; ignored.`,
    );
    return {};
  }
  const cwd = resolve(env.cwd, payload.cwd);
  // Only a session ends a session: Claude Code's subcommands fire SessionEnd too, and a
  // conversation in a worktree Claude Code removed left nothing (end_decision.ts). Nothing is
  // written or said for either.
  if (event === "session-end" && endDecision(endFacts(payload, cwd, env.vars)) !== "record") {
    return {};
  }
  if (!isFolder(cwd)) {
    warn(`the payload's cwd (${cwd}) is not a folder; ignored.`);
    return {};
  }
  let sighted: Promise<string | null> = Promise.resolve(null);
  try {
    // Hooks that run everywhere (mpm's plugin, `hooks install --scope user`) make no
    // `.claude-mpm/` in a folder that is neither a git repository nor already holds one ($HOME).
    if (!(await isProject(cwd))) return {};
    let root = await findProjectRoot(cwd);
    // Claude Code's own worktree (`claude --worktree`), kept at `/exit`: SessionEnd runs back in
    // the folder Claude Code started in, and the worktree the conversation was in is paused.
    const tree = await projectDirWorktree(root, env.vars.CLAUDE_PROJECT_DIR);
    if (tree !== undefined) root = await findProjectRoot(tree);
    const paths = projectPaths(root);
    // SessionEnd's status (all of its time in a large work tree) starts now, to run while the
    // event is claimed and the Claude session recorded; a twin that finds the event claimed
    // leaves it unread.
    if (event === "session-end") {
      startEarly(() =>
        import("../../sessions/capture/early_git.ts").then((m) => m.beginGitRead(paths))
      );
    }
    // SessionStart's one git call, `git status`, likewise runs while the event is claimed and
    // the start's code loads, instead of after them — unless the status kept when work ended is
    // still current (start/record/start_git.ts): then no git at all.
    if (event === "session-start") {
      startEarly(() =>
        import("../start/record/start_git.ts").then((m) => m.beginStartGit(root, paths))
      );
    }
    const now = env.now();
    // A turn's end (Stop, Gemini's AfterAgent) fires after every reply and claims nothing.
    if (agentNamed(agent).moment(payload.hook_event_name) !== "turn-end") {
      const { claimEvent, claimOrigin } = await import(
        "../../sessions/store/claude/event_claim.ts"
      );
      const claimed = await claimEvent(paths, {
        claudeSessionId: payload.session_id,
        event: payload.hook_event_name,
        // As it came: its twin, maybe the start made ready (ready_start.ts), claims the same.
        payload: parsed.payload,
        origin: claimOrigin(env.vars),
      }, now);
      if (!claimed) return {};
    }
    // The state and the newest snapshot are read once (the session store remembers them), for
    // the sighting and the handler alike; SessionStart's digest knows the key when it is current.
    // The error events record none, and never load the sessions store.
    const store = event === "on-error" ? null : await loadSighting();
    // A hook run reads the disk as it is now, whatever ran before it in this process (tests).
    store?.forgetReads(paths);
    const digestKey = event === "session-start"
      ? () =>
        import("../start/start_digest.ts").then(async (m) =>
          (await m.currentDigest(paths))?.key ?? null
        )
      : undefined;
    // Which Claude sessions belonged to which mpm session, for `mpm replay` and `summary`.
    sighted = store
      ? store.recordClaudeSighting(paths, payload, now, digestKey, agent).catch((error) => {
        warn(`the Claude session was not recorded: ${errorText(error)}`);
        return null;
      })
      : Promise.resolve(null);
    // SessionStart's text needs nothing the sighting writes, so its git calls start while the
    // Claude session is recorded; it waits for the sighting before it folds queued pauses. The
    // other events change what the sighting reads (SessionEnd pauses): theirs is recorded first.
    if (event !== "session-start") await sighted;
    // Another agent's turn end (Codex's Stop, Gemini's AfterAgent) is nothing more: the sighting
    // above is its cheap mark (the conversation, its transcript, the time), which is all a
    // session ended without SessionEnd needs. Claude Code's context-window checks read Claude's
    // transcripts.
    if (
      agent !== DEFAULT_AGENT && agentNamed(agent).moment(payload.hook_event_name) === "turn-end"
    ) {
      // The mark that a conversation is under way: its SessionEnd takes it away, and where none
      // comes (SIGHUP, Codex's daemon) the next start or command pauses for it (unended.ts).
      const { markUnended, unmarkUnended } = await import(
        "../../sessions/store/session/unended.ts"
      );
      const { ENDED_WITHIN_MS, endClaimedWithin } = await import(
        "../../sessions/store/claude/event_claim.ts"
      );
      await markUnended(paths, {
        unended: agent,
        session_id: payload.session_id,
        transcript_path: payload.transcript_path ?? "",
        time: now.toISOString(),
      });
      // The turn's end and SessionEnd run at once in the background (Gemini's exit): an end that
      // began before this mark was down may have taken it away already, so it goes here. Looked
      // for after the mark: an end that begins later takes it away itself.
      if (await endClaimedWithin(paths, payload.session_id, now, ENDED_WITHIN_MS)) {
        await unmarkUnended(paths, payload.session_id);
      }
      return {};
    }
    const handler = await HANDLERS[event]();
    const result = await handler({
      env,
      payload,
      root,
      paths,
      now,
      warn,
      agent,
    });
    // SessionEnd's pause may have made the project's first session, and filed the conversation
    // under it (session_end.ts): the sighting store knows the key it ended under.
    const key = event === "session-end" && store
      ? await store.sightingRecorded(paths)
      : await sighted;
    // Not after git was stopped: the time is up, and the pause is still queued.
    if (event === "session-end" && key !== null && extras.afterSessionEnd && !gitStopped()) {
      await extras.afterSessionEnd({ env, root, key, now }).catch((error) =>
        warn(`after the pause: ${errorText(error)}`)
      );
    }
    // The next new conversation's answer, made now that the work has ended (ready_make.ts): not
    // after `/clear` or `/resume`, whose next start is not a new conversation's.
    if (
      event === "session-end" && !gitStopped() &&
      payload.reason !== "clear" && payload.reason !== "resume"
    ) {
      await import("./ready_make.ts").then((m) =>
        m.makeReady(
          paths,
          root,
          {
            transcript: payload.transcript_path ?? null,
            id: payload.session_id,
          },
          now,
          env.vars,
        )
      ).catch((error) => warn(`the next start was not made ready: ${errorText(error)}`));
    }
    return result;
  } catch (error) {
    warn(errorText(error));
    // A project mpm refuses to write in (its `.claude-mpm`, or a link in it, leading out) is the
    // project's doing, not a failure: said once, and Claude Code goes on. Anything else exits 1,
    // never 2: to Claude Code a hook's exit 2 means "block", which mpm never wants.
    return error instanceof UnsafePathError ? {} : { exitCode: 1 };
  } finally {
    // The process ends when this returns: a sighting still being written is finished first.
    await sighted;
  }
}

/**
 * Each event's work, in a module of its own that only that event loads: SessionStart runs on
 * every Claude Code start, and should not pay for loading the pause, checkpoint and error code.
 */
const HANDLERS: Record<HookEvent, () => Promise<Handler>> = {
  "session-start": () => import("./session_start.ts").then((m) => m.sessionStart),
  "session-end": () => import("./session_end.ts").then((m) => m.sessionEnd),
  "checkpoint": () => import("./checkpoint_hook.ts").then((m) => m.checkpoint),
  "on-error": () => import("./on_error.ts").then((m) => m.onError),
};

async function loadSighting() {
  const [{ recordClaudeSighting, sightingRecorded }, { forgetReads }] = await Promise.all([
    import("../../sessions/store/claude/claude_sessions_store.ts"),
    import("../../sessions/store/state/state_store.ts"),
  ]);
  return { recordClaudeSighting, sightingRecorded, forgetReads };
}

/**
 * The payload with its transcript path only where it can name a conversation's transcript
 * (claude/transcript/transcript_kind.ts decides): Claude Code sends an absolute path to a regular
 * file (not written yet at a start). A relative path, or one naming a folder, a FIFO, a socket or
 * a device, is no transcript: nothing opens, reads, records or copies it, and a SessionEnd naming
 * one is no conversation's end (end_decision.ts).
 */
function withTranscriptOnly(payload: HookPayload): HookPayload {
  const path = payload.transcript_path;
  if (path === undefined || path === "" || !isNoTranscript(path)) return payload;
  const { transcript_path: _, ...rest } = payload;
  return rest as HookPayload;
}

/**
 * Where the plugin's hooks may write: a git repository, or a folder already holding
 * `.claude-mpm/`. Claude Code runs a plugin in every folder it is started in, and a home folder
 * or a download folder is no project of the person's.
 */
async function isProject(cwd: string): Promise<boolean> {
  const root = await findGitRoot(cwd);
  // A bare repository has no work tree to keep a session of: passed by in silence, like $HOME.
  if (bareGitDir(cwd, root) !== undefined) return false;
  return root !== undefined || await exists(resolve(cwd, ".claude-mpm"));
}

function isFolder(path: string): boolean {
  return statQuietly(path)?.isDirectory === true;
}

/** What SessionEnd's decision reads (end_decision.ts): the transcript and the project folder. */
function endFacts(
  payload: HookPayload,
  cwd: string,
  vars: Readonly<Record<string, string | undefined>>,
): EndFacts {
  const transcript = payload.transcript_path ?? "";
  const dir = vars.CLAUDE_PROJECT_DIR ?? "";
  const projectDir = isAbsolute(dir) && resolve(dir) !== cwd ? resolve(dir) : null;
  return {
    // An absolute path to a regular file or to nothing yet (withTranscriptOnly): there when it is
    // the file.
    transcriptThere: transcript !== "" && lookAtTranscriptSync(transcript).kind === "file",
    cwdThere: isFolder(cwd),
    projectDir,
    projectDirThere: projectDir !== null && isFolder(projectDir),
  };
}

/** `mpm hook` with the extras the registry hands in. */
export function hookCommandWith(extras: HookExtras): Declared {
  return {
    ...hookCommand,
    run: (env, parsed) =>
      runHook(env, hookEvent(parsed.args[0]), extras, hookAgent(stringFlag(parsed, "agent"))),
  };
}

/** `--agent`: which agent ran the hook (its payload is read by that agent's rules). */
function hookAgent(given: string | undefined): AgentId {
  if (given === undefined) return DEFAULT_AGENT;
  const id = agentTyped(given);
  if (id === undefined) {
    throw new UsageError(
      `${JSON.stringify(given)} is not an agent mpm knows.`,
      "Use --agent claude-code (the default), --agent codex or --agent gemini.",
    );
  }
  return id;
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

export const hookCommand: Declared = {
  details: `Reads the agent's hook payload (JSON; Claude Code's unless --agent) on stdin and
works in the payload's cwd.
EVENT is one of:
  session-start  SessionStart: print the last session's context for Claude
  session-end    SessionEnd: pause automatically, with Claude's tasks and context usage,
                 keeping your last words (nothing when nothing changed; queued when the
                 lock is busy).`,
  more: `Nothing at all outside a conversation (claude mcp list,
                 claude plugin install: no transcript), nor for a worktree Claude Code
                 removed at /exit (claude --worktree left clean)
  checkpoint     PreCompact: save an auto-… checkpoint; Stop: check the context window
                 (at 70/85/95 % write sessions/session-resume-….md and warn)
  on-error       PostToolUseFailure, StopFailure: write an error record to errors/
The first three also note the Claude session's id and transcript path under the current
session (threads/<key>/claude-sessions.jsonl), for \`mpm replay\` and \`mpm summary\`.
A bad payload is reported on stderr and exits 0, so a hook never breaks Claude Code; so do
a project mpm refuses (a .claude-mpm linked out of it) and a hook past its deadline
(SessionEnd 3 s, others 8 s; MPM_HOOK_DEADLINE_MS).
When mpm's plugin and \`mpm hooks install\` both run it, the second run of an event does
nothing. A hook writes nothing in a folder that is neither a git repository nor holds
.claude-mpm/ (the plugin's and --scope user's hooks run in every folder, $HOME included).`,
  args: [{ name: "EVENT", description: "The hook to run.", complete: [...HOOK_EVENTS] }],
  flags: [{
    name: "agent",
    value: "AGENT",
    description:
      "The agent that ran the hook: claude-code (the default), codex or gemini (Codex CLI's and Gemini CLI's hooks, as mpm hooks install --agent codex|gemini writes them).",
    complete: ["claude-code", "codex", "gemini"],
  }],
  examples: [
    "mpm hook session-start < payload.json",
    "mpm hook session-start --agent codex < payload.json",
  ],
  run: (env, parsed) =>
    runHook(env, hookEvent(parsed.args[0]), {}, hookAgent(stringFlag(parsed, "agent"))),
};
