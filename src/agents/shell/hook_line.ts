/**
 * The shell line an agent's hook runs: mpm where it is found (`MPM_BIN`, else PATH; none runs
 * nothing), with the agent named. Codex CLI 0.169.0 and Gemini CLI 0.61.0 each wait for a hook's
 * shell to exit and its pipes to close, and kill none of what it left running: a hook whose
 * answer nobody reads (a turn's end, the end) hands the payload to mpm in the background on fd 3
 * and the shell exits at once, so the agent never waits for mpm there. Gemini's hook shells are
 * in its own process group, which a terminal closed at its exit hangs up: there mpm starts with
 * SIGHUP ignored. The lines name nothing of this machine: Codex trusts a hook by its hash, the
 * same everywhere. Pure.
 */

export type HookAgent = "codex" | "gemini";

/** How the line runs mpm: in the hook's place, or in the background (SIGHUP ignored or not). */
export type HookRun = "in-place" | "background" | "background, hangup ignored";

/** Where mpm is found; without it the hook does nothing and succeeds. */
const FOUND = `command -v "\${MPM_BIN:-mpm}" >/dev/null 2>&1 || exit 0; `;

/** The line for `verb`. */
export function hookLine(verb: string, agent: HookAgent, run: HookRun): string {
  const mpm = `"\${MPM_BIN:-mpm}" hook ${verb} --agent ${agent}`;
  if (run === "in-place") return `${FOUND}exec ${mpm}`;
  const ignore = run === "background" ? "" : "trap '' HUP; ";
  return `${FOUND}exec 3<&0; ${ignore}${mpm} <&3 3<&- >/dev/null 2>&1 &`;
}
