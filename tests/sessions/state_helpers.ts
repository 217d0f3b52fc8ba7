/**
 * Writing a `state.json` by hand as mpm on the test's machine would: sealed with the key of the
 * repository's HOME (sessions/store/state/state_seal.ts), so the store takes it for the person's.
 * A test that means to write one from elsewhere writes the file itself.
 */
import { join } from "node:path";
import { endRun, type Repo } from "../helpers.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { sealedStateText } from "../../src/sessions/store/state/state_seal.ts";
import type { State } from "../../src/sessions/store/records/state/state.ts";

/** Writes `state` into `repo`'s `.claude-mpm/state.json`, sealed with its HOME's key. */
export async function writeOwnState(repo: Repo, state: unknown): Promise<void> {
  useMachineKeyFrom({ HOME: repo.home });
  try {
    const text = await sealedStateText(state as State);
    await Deno.mkdir(join(repo.path, ".claude-mpm"), { recursive: true });
    await Deno.writeTextFile(join(repo.path, ".claude-mpm", "state.json"), text);
  } finally {
    endRun();
  }
}
