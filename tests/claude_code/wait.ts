/**
 * Waiting for what a hook writes after `claude -p` has exited. Claude Code runs an `async` hook
 * (mpm's SessionEnd at exit) in the background and does not wait for it: 2.1.330 lets it run to
 * its end after the client is gone, so its files land a moment after the run returns.
 */
import { join } from "node:path";
import { HANG_GUARD_MS } from "../helpers.ts";

export { HANG_GUARD_MS };

export interface WaitOptions {
  /** What is awaited, for the failure message ("the session-end snapshot"). */
  what: string;
  /**
   * Give up after this long: only a guard against a hang (HANG_GUARD_MS by default), never a
   * bound the awaited thing is expected to beat, so a loaded machine only makes it later.
   */
  timeoutMs?: number;
  /** How often the condition is asked; 25 ms by default. */
  intervalMs?: number;
}

/**
 * Asks `condition` until it gives something other than undefined, null or false, and returns
 * that; throws, naming `what`, when it has not after `timeoutMs`. A condition that throws fails
 * at once: a missing file is for the condition to answer as "not yet".
 */
export async function waitFor<T>(
  condition: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions,
): Promise<T> {
  const { what, timeoutMs = HANG_GUARD_MS, intervalMs = 25 } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() >= deadline) {
      throw new Error(`Waited ${timeoutMs / 1000} s for ${what}, and it did not come.`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until mpm's SessionEnd hook has finished in the project at `root`: its last write is the
 * session's summary (`.claude-mpm/threads/<key>/summary.md`, after the pause itself), so once
 * that exists nothing is still writing there, and the next mpm command or the test's clean-up
 * does not race it. Only for a project with an mpm session (a pause) the Claude session ran in,
 * and no summary yet: without a session SessionEnd writes none, and an earlier one would count.
 */
export async function sessionEndDone(root: string, timeoutMs?: number): Promise<void> {
  const threads = join(root, ".claude-mpm", "threads");
  await waitFor(() => summaries(threads).length > 0, {
    what: `SessionEnd's summary.md under ${threads} (SessionEnd runs in the background at exit)`,
    timeoutMs,
  });
}

/** The `<key>/summary.md` files in a threads folder; none while it does not exist. */
function summaries(threads: string): string[] {
  let keys: string[];
  try {
    keys = [...Deno.readDirSync(threads)].map((entry) => entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return keys.map((key) => join(threads, key, "summary.md")).filter((file) => {
    try {
      return Deno.statSync(file).isFile;
    } catch {
      return false;
    }
  });
}
