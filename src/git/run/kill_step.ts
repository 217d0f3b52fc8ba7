/**
 * Crash tests' kill at the n-th outside-visible step (`MPM_TEST_KILL_AT`), at the lowest floor so
 * git calls and disk writes count in one sequence.
 */

/** The variable that names the step to die at (1 is the first). */
export const KILL_AT_VAR = "MPM_TEST_KILL_AT";

/** The variable that, set to 1, has each step write a line saying what it is on stderr. */
export const KILL_TRACE_VAR = "MPM_TEST_KILL_TRACE";

/** What a step is: a git call about to start or just ended, or a file put in place. */
export type StepKind = "git-start" | "git-end" | "file";

/** Steps left before the kill; 0: unarmed. */
let left = 0;
let tracing = false;
/** A test's action at each step (in-process tests only); null: none. */
let race: ((kind: StepKind, what: string | readonly string[]) => void) | null = null;

/** Has `action` run at every step until the returned function is called (tests only). */
export function raceAtStep(
  action: (kind: StepKind, what: string | readonly string[]) => void,
): () => void {
  race = action;
  return () => {
    if (race === action) race = null;
  };
}

/** Arms the counter from the run's environment (dispatch calls it once per run). */
export function armKillSteps(vars: Readonly<Record<string, string | undefined>>): void {
  const raw = vars[KILL_AT_VAR];
  left = raw !== undefined && /^[1-9]\d{0,6}$/.test(raw) ? Number(raw) : 0;
  tracing = vars[KILL_TRACE_VAR] === "1";
}

/** One step (`what`: the git call's arguments, or the file); dies here when it is the step armed. */
export function killStep(kind: StepKind, what: string | readonly string[]): void {
  if (tracing) {
    // One JSON line each: no argument or path can break it.
    const line = `${KILL_TRACE_VAR} ${JSON.stringify([kind, what])}\n`;
    Deno.stderr.writeSync(new TextEncoder().encode(line));
  }
  if (race !== null) race(kind, what);
  if (left === 0 || --left > 0) return;
  Deno.kill(Deno.pid, "SIGKILL");
  // kill(2) on oneself delivers before it returns; this line is never reached.
  throw new Error(`${KILL_AT_VAR}: the process should have died here.`);
}
