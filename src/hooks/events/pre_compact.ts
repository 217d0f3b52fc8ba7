/**
 * PreCompact (the checkpoint script, before a compaction): an `auto-…` checkpoint of the work,
 * and the Claude session's context-window alerts forgotten, since a compaction starts a new
 * context. A file of its own: Stop runs the same script after every reply and never needs the
 * checkpoint code.
 */
import type { Result } from "../../cli/command.ts";
import { projectPaths } from "../../disk/paths.ts";
import {
  CheckpointExistsError,
  dropOldAutoCheckpoints,
  saveCheckpoint,
} from "../../checkpoints/store.ts";
import type { HookContext } from "./hook_context.ts";
import { autoCheckpointName } from "../../sessions/store/claude/names.ts";
import { clearAlerts } from "../../sessions/store/claude/records.ts";

/** Names tried for one PreCompact checkpoint before giving up. */
const MAX_CHECKPOINT_ATTEMPTS = 20;

export async function preCompact(ctx: HookContext): Promise<Result> {
  const { payload, paths, now } = ctx;
  const trigger = typeof payload.trigger === "string" ? payload.trigger : "automatic";
  const name = await saveAutoCheckpoint(ctx.root, now, {
    note:
      `Saved before Claude Code's ${trigger} compaction (Claude session ${payload.session_id}).`,
    now,
  });
  // A compaction starts a new context: its alerts may be given again.
  await clearAlerts(paths, payload.session_id);
  // Nothing on stdout: Claude Code 2.1.330 passes a PreCompact hook's stdout, whatever it is
  // (a JSON `systemMessage` included, as raw text), to the model as extra compaction
  // instructions, and shows it under `/compact` as "completed successfully: <stdout>". The
  // stderr of a hook that succeeds it shows to no one: one plain line there says which
  // checkpoint was saved, for a person running the hook by hand; `mpm checkpoint list` shows it.
  ctx.env.warn(`mpm: saved checkpoint ${name} before the compaction.`);
  return {};
}

/** Two compactions in one second (two Claude sessions in one project) each get a checkpoint. */
async function saveAutoCheckpoint(
  root: string,
  now: Date,
  options: { note: string; now: Date },
): Promise<string> {
  for (let attempt = 1;; attempt++) {
    const name = autoCheckpointName(now, attempt);
    try {
      await saveCheckpoint(root, name, { ...options, auto: { trigger: "pre-compact" } });
      await dropOldAutoCheckpoints(projectPaths(root), AUTO_CHECKPOINTS_KEPT, name);
      return name;
    } catch (error) {
      if (!(error instanceof CheckpointExistsError) || attempt >= MAX_CHECKPOINT_ATTEMPTS) {
        throw error;
      }
    }
  }
}

/**
 * This machine's automatic checkpoints kept per project (one is made per compaction); others'
 * and named ones are never counted (checkpoints/retention.ts).
 */
const AUTO_CHECKPOINTS_KEPT = 20;
