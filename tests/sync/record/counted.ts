/**
 * A push, pull or status run in this process as a clone's machine, with the local record files
 * (`.json`) it read through the sync's reader: what the sync tests count.
 */
import type { Repo } from "../../helpers.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { readBytesIfExists } from "../../../src/disk/read/read.ts";
import { resolveRemote } from "../../../src/sync/remote/refs.ts";
import type { pullSync, SyncReport } from "../../../src/sync/pull.ts";
import type { pushSync } from "../../../src/sync/push.ts";
import type { statusSync } from "../../../src/sync/status.ts";

/** Runs `op` in `repo` as its machine; `reads`: the `.json` files it read, in order. */
export async function counted(
  repo: Repo,
  op: typeof pushSync | typeof pullSync | typeof statusSync,
): Promise<{ report: SyncReport; reads: string[] }> {
  useMachineKeyFrom({ HOME: repo.home });
  const reads: string[] = [];
  const reader = (path: string) => {
    reads.push(path);
    return readBytesIfExists(path);
  };
  const setup = await resolveRemote(repo.path);
  const report = await op(repo.path, setup, { reader, now: new Date() });
  return { report, reads: reads.filter((p) => p.endsWith(".json")) };
}
