/**
 * The person's own pause is found however many teammates' snapshots sort newer: `mpm status`,
 * `mpm resume` and SessionStart each tell it, and resume asks git who sent them once, not once a
 * record.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import {
  loggingGit,
  mpm,
  okJson,
  type Repo,
  statusJson,
  withRepo,
  writeRecord,
} from "../../helpers.ts";
import { payload } from "../../hooks/hooks_helpers.ts";
import { idTime, newSessionId } from "../../../src/kernel/ids.ts";

/** More than status, resume or SessionStart read in turn before they look past them. */
const TEAMMATE_SNAPSHOTS = 80;

/** `count` open snapshots from another machine, each of its own session, dated after `own`. */
async function pulledAfter(repo: Repo, own: string, count: number): Promise<void> {
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const base = JSON.parse(await Deno.readTextFile(join(sessions, `${own}.json`)));
  const after = idTime(own)!.getTime() + 1000;
  for (let i = 0; i < count; i++) {
    const id = newSessionId(new Date(after + i), new Uint8Array([i, 7, 11]));
    // Changed bytes break this machine's seal: the record reads as written elsewhere.
    const record = {
      ...base,
      session_id: id,
      conversation: { ...base.conversation, summary: `teammate work ${i}` },
      mpm: { ...base.mpm, key: `teammate-${i}`, machine: "bobbox" },
    };
    await writeRecord(sessions, id, JSON.stringify(record, null, 2) + "\n");
  }
}

Deno.test("status, SessionStart and resume find the person's own pause past many newer teammates' snapshots", async () => {
  await using repo = await withRepo();
  const own =
    (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", "alice real work"))
      .session_id;
  await pulledAfter(repo, own, TEAMMATE_SNAPSHOTS);

  assertEquals((await statusJson(repo)).latest, own);

  const started = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-start-startup.json", repo),
  });
  assertEquals(started.code, 0, started.stderr);
  assertStringIncludes(
    JSON.parse(started.stdout).hookSpecificOutput.additionalContext,
    "alice real work",
  );

  const { bin, log } = await loggingGit(repo.home);
  const resumed = await mpm(["resume", "--json", "--no-changes"], {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
  assertEquals(resumed.code, 0, resumed.stderr);
  assertEquals(JSON.parse(resumed.stdout).session.session_id, own);
  // Who sent the teammates' records is asked of git at most once, not once a record.
  const calls = (await Deno.readTextFile(log).catch(() => "")).split("\n");
  const asked = calls.filter((call) => call.includes("refs/mpm/sessions"));
  assert(asked.length <= 1, asked.join("\n"));
});
