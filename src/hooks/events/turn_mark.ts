/**
 * Codex's Stop (`mpm hook checkpoint --agent codex`), the cheap mark it is meant to be: main.ts
 * tries this before the command line is imported, so a turn's end loads this file and the few it
 * needs, reads no state, snapshot or sighting and runs no git. It leaves the conversation's sealed
 * mark (sessions/store/session/unended.ts), which its SessionEnd takes away and which the next
 * start or command pauses for where no SessionEnd came. Its sighting is not looked for: Codex's
 * SessionStart and SessionEnd record the conversation every time (claude_sessions_store.ts), and
 * the mark names it and its rollout for the pause it may become.
 *
 * Where anything is not as a plain turn's end has it — another event, a payload that does not
 * parse, no HOME, a folder that is no git work tree holding `.claude-mpm/`, a store linked out of
 * the project — it answers false and the full hook (hook_command.ts) decides and says what is wrong.
 */
import { resolve } from "../../kernel/path.ts";
import { parsePayload } from "../../claude/session/payload.ts";
import { isNoTranscript } from "../../claude/transcript/transcript_kind.ts";
import { findProjectRoot, projectPaths } from "../../disk/paths.ts";
import { statQuietly } from "../../disk/read/stat.ts";
import { useMachineKeyFrom } from "../../disk/machine_key.ts";
import { findGitRoot } from "../../git/run/root.ts";
import { storeThere } from "../../sessions/store/caches/start_ready.ts";
import { markUnended } from "../../sessions/store/session/unended.ts";
import { endClaimedWithin, ENDED_WITHIN_MS } from "../../sessions/store/claude/event_claim.ts";

export interface TurnMarkInput {
  /** The hook's stdin. */
  payload: string;
  vars: Readonly<Record<string, string>>;
  /** The folder mpm was started in. */
  cwd: string;
  now: Date;
}

/** Leaves the mark of a Codex turn that just ended: true when done, false for the full hook. */
export async function codexTurnMark(input: TurnMarkInput): Promise<boolean> {
  const parsed = parsePayload(input.payload);
  if (!parsed.ok || parsed.payload.hook_event_name !== "Stop") return false;
  const payload = parsed.payload;
  const home = input.vars.HOME ?? input.vars.USERPROFILE;
  // A Claude Code worktree named by the variable is the full hook's to follow.
  if (home === undefined || input.vars.CLAUDE_PROJECT_DIR) return false;
  const cwd = resolve(input.cwd, payload.cwd);
  if (statQuietly(cwd)?.isDirectory !== true || await findGitRoot(cwd) === undefined) return false;
  let root: string;
  try {
    root = await findProjectRoot(cwd);
  } catch {
    return false;
  }
  const paths = projectPaths(root);
  // No store yet: the full hook makes it as the first conversation's sighting is recorded.
  if (!storeThere(paths)) return false;
  // Codex runs Stop and SessionEnd at once, both in the background: a Stop whose SessionEnd
  // already began leaves no mark for it to have missed (the next start would not be ready).
  if (await endClaimedWithin(paths, payload.session_id, input.now, ENDED_WITHIN_MS)) return true;
  useMachineKeyFrom(input.vars, home);
  const path = payload.transcript_path ?? "";
  await markUnended(paths, {
    unended: "codex",
    session_id: payload.session_id,
    // What is no transcript (a FIFO, a folder, a relative path) is named as none (hook_command.ts).
    transcript_path: path !== "" && isNoTranscript(path) ? "" : path,
    time: input.now.toISOString(),
  });
  return true;
}
