/**
 * Which context partition a session uses (`mpm context use`): the one place that reads the field
 * of the active session that names it. Apart from the pause code so SessionStart, which needs
 * only this, does not load it.
 */
import type { ActiveSession } from "../state/state.ts";

/** The field of the active session (state.json) that names its context partition. */
export const PARTITION_FIELD = "context_partition";

/** The context partition the session uses; null: `.claude/context.md`. */
export function contextPartition(session: ActiveSession | null): string | null {
  const value = (session as Record<string, unknown> | null)?.[PARTITION_FIELD];
  return typeof value === "string" ? value : null;
}
