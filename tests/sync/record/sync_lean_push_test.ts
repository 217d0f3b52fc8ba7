/**
 * A push (or a status) whose local side is its sync record (sync/push_sources.ts): the files are
 * held as their identities, and only those the remote lacks, or that the push must list
 * (excluded), become files of their own, read again from the record's lines.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { okJson, type Repo, withClones } from "../../helpers.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { pushSync } from "../../../src/sync/push.ts";
import { statusSync } from "../../../src/sync/status.ts";
import { largeStore } from "./large_store.ts";
import { counted } from "./counted.ts";
import { knowLocal, localSide } from "../../../src/sync/sync_record.ts";
import { recordFiles } from "../../../src/sync/push_sources.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { MIN_ENTRIES } from "../../../src/sessions/store/listing/listing_cache.ts";
import { settled } from "../quiet/settled.ts";

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

/** The local side a push of `repo` holds, its machine's. */
async function pushSide(repo: Repo) {
  useMachineKeyFrom({ HOME: repo.home });
  const paths = projectPaths(repo.path);
  const knowing = await knowLocal(paths, ["session", "checkpoint", "handoff"], { lean: "push" });
  return { knowing, side: await localSide(paths, knowing) };
}

Deno.test("a push from its record holds identities, and reads back only the files asked", async () => {
  await using clones = await withClones();
  const { a } = clones;
  const ids = [await pause(a, "First: the billing export"), await pause(a, "Second: its retries")];
  await settled(a);
  // Kept whole against the settled look: the next push's side is the record.
  await okJson(a, "sync", "push", "--json");
  const { knowing, side } = await pushSide(a);
  assert(side.index !== undefined, "the record's side is held as identities");
  assertEquals(side.files, []);
  assertEquals(side.index.find("session", ids[0])?.blob.length, 40);
  const asked = await recordFiles(knowing, (f) => f.id === ids[1]);
  assertEquals(asked?.map((f) => f.id), [ids[1]]);
});

Deno.test("a push from its record sends what the remote lacks and lists what it excludes", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await largeStore(a, MIN_ENTRIES);
  const spike = await pause(a, "Spike: the private export");
  await okJson(a, "sync", "push", "--json");
  // Excluded once it is on the remote: still listed as excluded, not counted as in both.
  await Deno.writeTextFile(
    join(a.path, ".claude-mpm", "sync.json"),
    JSON.stringify({ exclude: [spike] }),
  );
  const fresh = await pause(a, "Shared: the export's retries");
  assert((await pushSide(a)).side.index !== undefined, "the record (and the new one) is the side");
  const pushed = await counted(a, pushSync);
  assertEquals(pushed.reads.map((p) => p.split("/").pop()), [`${fresh}.json`]);
  assertEquals(pushed.report.moved.map((m) => m.id), [fresh]);
  assertEquals(pushed.report.excluded.map((m) => m.id), [spike]);
  assertEquals(pushed.report.in_both, MIN_ENTRIES);

  const again = await counted(a, pushSync);
  assertEquals(again.report.moved, []);
  assertEquals(again.report.in_both, MIN_ENTRIES + 1);
  assertEquals(again.report.excluded.map((m) => m.id), [spike]);
});

Deno.test("a status from its record reads only what a push would send, and tells what is coming", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await largeStore(a, MIN_ENTRIES);
  await settled(a);
  await okJson(a, "sync", "push", "--json");
  const fresh = await pause(a, "Shared: the export's retries");
  await okJson(b, "sync", "pull", "--json");
  const theirs = await pause(b, "Theirs: the invoice template");
  await okJson(b, "sync", "push", "--json");
  assert((await pushSide(a)).side.index !== undefined, "the record (and the new one) is the side");

  const status = await counted(a, statusSync);
  assertEquals(status.reads.map((p) => p.split("/").pop()), [`${fresh}.json`]);
  assertEquals(status.report.moved.map((m) => m.id), [fresh]);
  assertEquals(status.report.incoming.map((m) => m.id), [theirs]);
  assertEquals(status.report.in_both, MIN_ENTRIES);
  // Nothing written: the push that follows sends the same one.
  const pushed = await counted(a, pushSync);
  assertEquals(pushed.report.moved.map((m) => m.id), [fresh]);
});
