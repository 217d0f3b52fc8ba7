/**
 * Injected failure points for crash tests: `MPM_TEST_FAIL_AT=<name>` makes the process die at
 * that point as `kill -9` would (no cleanup, no lock released): a crash at one exact step.
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
