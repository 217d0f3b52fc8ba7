/**
 * The one door every agent's start goes through: SessionStart made ready, the answer to a new
 * conversation (`startup`) — Claude Code's, Codex's or Gemini's (`--agent`) — made when work ended
 * and kept with what it was made from (sessions/store/caches/start_ready.ts), sent as it is while
 * that is current, in the shape the agent takes (kernel/agent_start.ts). main.ts tries it first
 * for `mpm hook session-start [--agent AGENT]`, before the command line is parsed, so a start
 * loads this file and the few it needs and nothing else: no state, snapshot, digest or context
 * file is read, no git process runs. Where the answer is not current, or the start is another
 * kind (`resume`, `clear`, `compact`, `fork`), or anything here fails, it answers null and the
 * hook runs in full (hook_command.ts, session_start.ts), which makes the answer ready again.
 *
 * What the full hook records of a start, this records too, the same way: the event claimed (one
 * mpm per event), the conversation's sighting under the session (naming the agent when it is not
 * Claude Code), or unfiled before there is one (its line as redaction would leave it: only a
 * transcript in the folder, and named in the shape, the making found redaction leaves as it is is
 * written here), and the model the agent named, when it has a model id's shape. What the text
 * tells was remembered when it was made (told_store.ts keys a text by what it says, not by how
 * long ago its times were).
 */
import { basename, dirname, resolve } from "../../kernel/path.ts";
import { fillTimes } from "../../kernel/format/ago.ts";
import { printable } from "../../kernel/format/text.ts";
import type { AgentName } from "../../kernel/agent_name.ts";
import { agentTyped, startAnswerOf } from "../../kernel/agent_start.ts";
import { modelId, parsePayload } from "../../claude/session/payload.ts";
import { isNoTranscript } from "../../claude/transcript/transcript_kind.ts";
import { findReadyRoot, projectDirWorktree, projectPaths } from "../../disk/paths.ts";
import { useMachineKeyFrom } from "../../disk/machine_key.ts";
import { currentReady, storeThere } from "../../sessions/store/caches/start_ready.ts";
import { claimEvent, claimOrigin } from "../../sessions/store/claude/event_claim.ts";
import { sightingOf } from "../../sessions/store/claude/claude_sessions.ts";
import { appendSighting } from "../../sessions/store/claude/claude_sessions_store.ts";
import { rememberModel } from "../../sessions/store/claude/records.ts";

/** Payloads are a few KB; a tool's input can be large, but not this large. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** A conversation id as the agents give them (UUIDs): nothing that could name another folder. */
const CONVERSATION_ID = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * The shape of the name an agent gives conversation `id`'s transcript: `name` with the id taken
 * out (or, where Gemini names a chat by its first 8, those), and its digits (a time) too: Claude
 * Code's `{id}.jsonl`, Codex's `rollout-####-##-##T##-##-##-{id}.jsonl`. Null for an id of
 * another shape, or a name without it. Pure.
 */
export function transcriptShape(name: string, id: string): string | null {
  if (!CONVERSATION_ID.test(id)) return null;
  const part = name.includes(id) ? id : name.includes(id.slice(0, 8)) ? id.slice(0, 8) : null;
  if (part === null) return null;
  const [before, ...after] = name.split(part);
  const mark = part === id ? "{id}" : "{id8}";
  return `${before.replace(/\d/g, "#")}${mark}${after.join(part).replace(/\d/g, "#")}`;
}

/** A session name as a title: one line of printable text, not too long for a tab. */
export function sessionTitle(name: string): string {
  const line = printable(name).replace(/\s+/g, " ").trim();
  return line.length <= 80 ? line : line.slice(0, 79).trimEnd() + "…";
}

/**
 * The agent of `mpm hook session-start ARGS` when the door can answer it: no arguments (Claude
 * Code's) or `--agent AGENT` alone; undefined for anything else, which the command line parses.
 */
export function doorAgent(args: readonly string[]): AgentName | undefined {
  if (args.length === 0) return "claude-code";
  if (args.length === 1 && args[0].startsWith("--agent=")) {
    return agentTyped(args[0].slice("--agent=".length));
  }
  if (args.length === 2 && args[0] === "--agent") return agentTyped(args[1]);
  return undefined;
}

export interface ReadyInput {
  /** The hook's stdin. */
  payload: string;
  vars: Readonly<Record<string, string>>;
  /** The folder mpm was started in. */
  cwd: string;
  now: Date;
  /** The agent whose start it is (`--agent`): Claude Code when not given. */
  agent?: AgentName;
}

/** The start's stdout when its answer was ready ("" when its twin answers); else null. */
export async function readyStart(input: ReadyInput): Promise<string | null> {
  const parsed = parsePayload(input.payload);
  if (!parsed.ok) return null;
  const payload = parsed.payload;
  if (payload.hook_event_name !== "SessionStart" || payload.source !== "startup") return null;
  const home = input.vars.HOME ?? input.vars.USERPROFILE;
  if (home === undefined) return null;
  useMachineKeyFrom(input.vars, home);
  const root = await findReadyRoot(resolve(input.cwd, payload.cwd));
  // Claude Code's own worktree, and the plugin's runs: the full hook decides.
  if (input.vars.MPM_FROM_PLUGIN === "1") return null;
  if (await projectDirWorktree(root, input.vars.CLAUDE_PROJECT_DIR) !== undefined) return null;
  const paths = projectPaths(root);
  // No store, nothing made ready: the full hook decides whether to make one.
  if (!storeThere(paths)) return null;
  // The event is claimed while the answer is checked: where it is not current, the full hook,
  // of the same origin, takes the claim over; where the twin claimed first, nothing is said.
  const [ready, claimed] = await Promise.all([
    currentReady(paths, root, input.now),
    claimEvent(paths, {
      claudeSessionId: payload.session_id,
      event: payload.hook_event_name,
      payload,
      origin: claimOrigin(input.vars),
    }, input.now),
  ]);
  if (!claimed) return "";
  if (ready === null) return null;
  const agent = input.agent ?? "claude-code";
  const sighting = sightingOf(payload, input.now, agent);
  // In the folder, and named in the shape, that the making found redaction leaves as they are,
  // and not something that is no transcript there (a FIFO: claude/transcript/transcript_kind.ts),
  // which the full hook records as none.
  const path = sighting.transcript_path;
  const plain = ready.transcripts !== null && path !== null &&
    dirname(path) === ready.transcripts &&
    transcriptShape(basename(path), payload.session_id) === ready.transcript_name &&
    !isNoTranscript(path);
  if (!plain) return null;
  const model = modelId(payload.model);
  await Promise.all([
    // With no session yet, the sighting waits unfiled for the first one (claude_sessions_store.ts).
    appendSighting(paths, ready.key, JSON.stringify(sighting)),
    model === null ? null : rememberModel(paths, payload.session_id, model, input.now),
  ]);
  return startAnswerOf(agent, fillTimes(ready.context, input.now), ready.title);
}
