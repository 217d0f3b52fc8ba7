/**
 * The tests' environment sets the product's time limits far past what a loaded machine needs
 * (tests/helpers.ts ROOMY_LIMITS): each must be one the product takes, not one it ignores for
 * its default, or a test would again turn on the machine's speed.
 */
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { baseEnv, HANG_GUARD_MS, ROOMY_LIMITS } from "../helpers.ts";
import { hookDeadline } from "../../src/hooks/events/hook_command.ts";
import { probeTimeout } from "../../src/doctor/probes/probe_wired.ts";
import { SHIPPED_SCRIPTS } from "../../src/hooks/install/scripts/scripts.ts";
import { lockWaitFrom } from "../../src/sessions/store/state/state_store.ts";
import { teammateBudget } from "../../src/board/teammates.ts";
import type { Env } from "../../src/cli/env.ts";

Deno.test("the tests' roomy limits are ones the product reads, each past the hang guard", () => {
  const vars = baseEnv("/nowhere");
  const env = { vars } as unknown as Env;
  for (const event of ["session-start", "session-end", "checkpoint", "on-error"] as const) {
    assertEquals(hookDeadline(env, event), Number(ROOMY_LIMITS.MPM_HOOK_DEADLINE_MS));
  }
  assertEquals(probeTimeout(vars), Number(ROOMY_LIMITS.MPM_DOCTOR_PROBE_MS));
  assertEquals(lockWaitFrom(vars), Number(ROOMY_LIMITS.MPM_LOCK_WAIT_MS));
  assertEquals(teammateBudget(vars), Number(ROOMY_LIMITS.MPM_TEAMMATE_BUDGET_MS));
  for (const script of Object.values(SHIPPED_SCRIPTS)) {
    assertStringIncludes(script, "limit=${MPM_HOOK_TIMEOUT:-");
  }
  assertEquals(Number(vars.MPM_HOOK_TIMEOUT) * 1000 > HANG_GUARD_MS, true);
  assertEquals(Number(vars.MPM_HOOK_DEADLINE_MS) > HANG_GUARD_MS, true);
  assertEquals(Number(vars.MPM_DOCTOR_PROBE_MS) > HANG_GUARD_MS, true);
  assertEquals(Number(vars.MPM_LOCK_WAIT_MS) > HANG_GUARD_MS, true);
  assertEquals(Number(vars.MPM_TEAMMATE_BUDGET_MS) > HANG_GUARD_MS, true);
});
