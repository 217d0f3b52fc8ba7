/**
 * Injected failure points for crash tests. `MPM_TEST_FAIL_AT=<name>` in the environment makes
 * the process die at the point of that name the way `kill -9` would — no `finally`, no cleanup,
 * no lock released — so a test reproduces a crash at one exact step instead of racing a random
 * kill against the clock. Unset (always, outside tests) it costs one string comparison.
 */

/** The variable that names the point to die at. */
export const FAIL_AT_VAR = "MPM_TEST_FAIL_AT";

/** Dies here when `vars` names this point. */
export function failPoint(vars: Readonly<Record<string, string>>, name: string): void {
  if (vars[FAIL_AT_VAR] !== name) return;
  Deno.kill(Deno.pid, "SIGKILL");
  // kill(2) on oneself delivers before it returns; this line is never reached.
  throw new Error(`${FAIL_AT_VAR}=${name}: the process should have died here.`);
}
