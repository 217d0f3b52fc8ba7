/**
 * Crash tests' kill at the n-th step. `MPM_TEST_KILL_AT=<n>` (armed by dispatch from the run's
 * environment) makes the process die as `kill -9` would — no `finally`, no cleanup, the lock left
 * held — at the n-th step it takes that the outside can see: a git process about to start or just
 * finished, a file the disk writer has just put in place (disk/files/atomic.ts). A test runs a command
 * once for each n and so crashes it after every step in turn, deterministically, instead of
 * racing a timer; disk/files/fail_point.ts names single points instead.
 *
 * It lives with the git adapter, the lowest floor that touches the outside, so that git calls and
 * disk writes count in one sequence. Unarmed (always, outside tests) a step is one comparison.
 */

/** The variable that names the step to die at (1 is the first). */
export const KILL_AT_VAR = "MPM_TEST_KILL_AT";

/** Steps left before the kill; 0: unarmed. */
let left = 0;

/** Arms the counter from the run's environment (dispatch calls it once per run). */
export function armKillSteps(vars: Readonly<Record<string, string | undefined>>): void {
  const raw = vars[KILL_AT_VAR];
  left = raw !== undefined && /^[1-9]\d{0,6}$/.test(raw) ? Number(raw) : 0;
}

/** One step; dies here when it is the step armed. */
export function killStep(): void {
  if (left === 0 || --left > 0) return;
  Deno.kill(Deno.pid, "SIGKILL");
  // kill(2) on oneself delivers before it returns; this line is never reached.
  throw new Error(`${KILL_AT_VAR}: the process should have died here.`);
}
