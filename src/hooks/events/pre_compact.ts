/**
 * PreCompact (the checkpoint script, before a compaction): an `auto-…` checkpoint of the work,
 * and the Claude session's context-window alerts forgotten, since a compaction starts a new
 * context. A file of its own: Stop runs the same script after every reply and never needs the
 * checkpoint code (issue 17: loading it cost Stop ~15 ms here, node:crypto among it).
 */
import type { Result } from "../../cli/command.ts";
import { projectPaths } from "../../disk/paths.ts";
import {
  CheckpointExistsError,
  checkpointNames,
  removeCheckpoint,
  saveCheckpoint,
} from "../../checkpoints/store.ts";
import type { HookContext } from "./hook_context.ts";
import { autoCheckpointName, autoCheckpointsBeyond } from "../records/names.ts";
import { clearAlerts } from "../records/records.ts";

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
  return {
    stdout: JSON.stringify({
      systemMessage: `mpm: saved checkpoint ${name} before the compaction.`,
    }) + "\n",
  };
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
      await saveCheckpoint(root, name, options);
      await dropOldAutoCheckpoints(root);
      return name;
    } catch (error) {
      if (!(error instanceof CheckpointExistsError) || attempt >= MAX_CHECKPOINT_ATTEMPTS) {
        throw error;
      }
    }
  }
}

/** Automatic checkpoints kept per project (one is made per compaction). */
const AUTO_CHECKPOINTS_KEPT = 20;

async function dropOldAutoCheckpoints(root: string): Promise<void> {
  const paths = projectPaths(root);
  for (const name of autoCheckpointsBeyond(await checkpointNames(paths), AUTO_CHECKPOINTS_KEPT)) {
    await removeCheckpoint(paths, name);
  }
}
