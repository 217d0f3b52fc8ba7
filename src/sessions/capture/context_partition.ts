/**
 * Which context partition a session uses. Apart from capture.ts so SessionStart, which needs
 * only this, does not load the pause code with it.
 */
import type { ActiveSession } from "../state/state.ts";

/** The context partition the session uses (`mpm context use`); null: `.claude/context.md`. */
export function contextPartition(session: ActiveSession | null): string | null {
  const value = (session as Record<string, unknown> | null)?.context_partition;
  return typeof value === "string" ? value : null;
}
