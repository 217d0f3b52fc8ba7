/**
 * `mpm statusline`, for Claude Code's `statusLine` setting: records the session's window and
 * fill from the piped input, prints one line, and caches the session part for the shell status
 * line. It never gets in the way: it prints what it can (at least "mpm"), exits 0, and writes
 * only into an existing `.claude-mpm/`.
 */
import { resolve } from "../kernel/path.ts";
import { errorText } from "../kernel/errors.ts";
import {
  MAX_STATUSLINE_INPUT_BYTES,
  parseStatusLineInput,
  type StatusLineInput,
} from "../claude/session/statusline_input.ts";
import { findProjectRoot, type ProjectPaths, projectPaths } from "../disk/paths.ts";
import { storeThere } from "../sessions/store/state/peek.ts";
import { keepStatusLine } from "../sessions/store/caches/statusline_cache.ts";
import { readState } from "../sessions/store/state/state_store.ts";
import { sessionLabel } from "../sessions/store/session/session.ts";
import { frameLabel } from "../sessions/report/stack.ts";
import { listEntries } from "../sessions/store/listing/listing.ts";
import { loadSnapshot } from "../sessions/store/snapshots/read_snapshot.ts";
import { recordWindow } from "../sessions/store/claude/window_record.ts";
import { renderStatusLine, statusLineCache, type StatusLineView } from "./render.ts";
import type { Declared, Result } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { text } from "../cli/output.ts";

export async function statusLine(env: Env): Promise<Result> {
  let input: StatusLineInput | null = null;
  let raw = "";
  try {
    raw = await env.readStdin(MAX_STATUSLINE_INPUT_BYTES);
    input = parseStatusLineInput(raw);
  } catch {
    // Too large or unreadable: not Claude Code's input.
  }
  if (input === null) return text("mpm");
  const view: StatusLineView = { session: null, percent: input.usedPercent };
  try {
    const paths = projectPaths(await findProjectRoot(resolve(env.cwd, input.cwd ?? ".")));
    // Only where mpm already keeps its files: a status line creates no `.claude-mpm/`.
    if (await storeThere(paths)) {
      await record(env, paths, input);
      // An unreadable state shows as no session, cached so, or the line would wait every reply.
      view.session = await sessionOf(paths).catch((error) => {
        if (env.vars.MPM_DEBUG) env.warn(`mpm statusline: ${errorText(error)}`);
        return null;
      });
      await keepStatusLine(paths, statusLineCache(view, raw));
    }
  } catch (error) {
    if (env.vars.MPM_DEBUG) env.warn(`mpm statusline: ${errorText(error)}`);
  }
  return text(renderStatusLine(view));
}

async function record(env: Env, paths: ProjectPaths, input: StatusLineInput): Promise<void> {
  if (input.sessionId === null || input.window === null) return;
  await recordWindow(paths, {
    claude_session_id: input.sessionId,
    window: input.window,
    used_percentage: input.usedPercent,
    tokens: input.tokens,
    model: input.model,
  }, env.now()).catch((error) => {
    if (env.vars.MPM_DEBUG) env.warn(`mpm statusline: not recorded: ${errorText(error)}`);
  });
}

/** The active session, else the newest pause; null when the project has neither. */
async function sessionOf(paths: ProjectPaths): Promise<StatusLineView["session"]> {
  const state = await readState(paths);
  const parent = state.stack.at(-1);
  if (state.active) {
    return parent
      ? { label: sessionLabel(state.active), state: "branched", parent: frameLabel(parent) }
      : { label: sessionLabel(state.active), state: "active" };
  }
  const [newest] = await listEntries(paths, { locations: ["sessions", "pause"] });
  if (newest === undefined) return null;
  // A damaged snapshot is named by its id, so the line still says the newest work is paused.
  const snapshot = await loadSnapshot(paths, newest).catch(() => null);
  // A pause names its work by its name, else by what the person said it was.
  const label = snapshot?.mpm.name ?? (snapshot?.conversation.summary || newest.id);
  return { label, state: "paused" };
}

export const statuslineCommand: Declared = {
  details: `For Claude Code's statusLine setting (\`mpm hooks install\` writes it, keeping a
status line you already have and adding mpm's part after it). Claude Code pipes its
status line input (JSON) on stdin; mpm notes the Claude session's context window and
how full it is under .claude-mpm/hooks-state/ (the Stop hook's warnings use it), and
prints one line: the mpm session's name, paused or branched, and the context's fill.
Bad input prints "mpm" and exits 0: a status line never fails.`,
  examples: ["mpm statusline < statusline-input.json"],
  run: (env) => statusLine(env),
};
