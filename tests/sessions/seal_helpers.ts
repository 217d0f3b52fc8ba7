/**
 * Writing mpm's sealed files by hand as mpm on the test's machine would: sealed with the key of
 * the repository's HOME, so mpm takes them for the person's (state_helpers.ts does `state.json`).
 * A test that means to write one from elsewhere writes the file itself.
 */
import { endRun, type Repo } from "../helpers.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { writeWorkSummary } from "../../src/sessions/store/claude/work_summary.ts";
import { projectPaths } from "../../src/disk/paths.ts";

/** Writes `markdown` as `.claude-mpm/threads/<key>/summary.md`, sealed with `repo`'s HOME key. */
export async function writeOwnSummary(repo: Repo, key: string, markdown: string): Promise<void> {
  useMachineKeyFrom({ HOME: repo.home });
  try {
    await writeWorkSummary(projectPaths(repo.path), key, markdown);
  } finally {
    endRun();
  }
}
