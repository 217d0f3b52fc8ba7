/**
 * A sync after a pause in a large store (src/sync/local/grown.ts): only the snapshots folder
 * changed since the sync record was kept whole, and its index names the state the sync looks at, so
 * the sync reads the new snapshot alone, lists no folder, and keeps the record whole again. A file
 * the index does not vouch for sends the sync back to listing the folders.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { okJson, type Repo, withClones, writeRecord } from "../../helpers.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { pullSync } from "../../../src/sync/pull.ts";
import { pushSync } from "../../../src/sync/push.ts";
import { largeStore } from "./large_store.ts";
import { counted as countedPaths } from "./counted.ts";
import { sessionIdFor } from "../../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../../src/sessions/store/session/build_snapshot.ts";
import { MIN_ENTRIES } from "../../../src/sessions/store/listing/listing_cache.ts";
import { knowLocal, syncRecordCheck } from "../../../src/sync/sync_record.ts";
import { readGrown } from "../../../src/sync/local/grown.ts";
import { folderLook } from "../../../src/sync/quiet/stamps.ts";
import { checkValue } from "../../../src/kernel/check.ts";
import { projectPaths } from "../../../src/disk/paths.ts";

/** The snapshots the sync record lacks, as the next sync takes them; undefined: it lists. */
async function grownOf(repo: Repo, lean = false): Promise<string[] | undefined> {
  useMachineKeyFrom({ HOME: repo.home });
  const knowing = await knowLocal(projectPaths(repo.path), ["session", "checkpoint", "handoff"], {
    lean,
  });
  return knowing.grown?.map((f) => f.id);
}

const sessions = (repo: Repo) => join(repo.path, ".claude-mpm", "sessions");

/** counted.ts's run, the files it read by name. */
async function counted(repo: Repo, op: typeof pushSync | typeof pullSync) {
  const run = await countedPaths(repo, op);
  return { ...run, reads: run.reads.map((p) => p.split("/").pop()!) };
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

Deno.test("a push after a pause in a large store reads the new snapshot alone", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await largeStore(a, MIN_ENTRIES);
  // The pause keeps the folder's index (listing_update.ts), as it does in any large store.
  await pause(a, "First: the billing export");
  const first = await counted(a, pushSync);
  assertEquals(first.report.moved.length, MIN_ENTRIES + 1);
  assertEquals(first.reads.length, MIN_ENTRIES + 1);

  const fresh = await pause(a, "Second: the billing export's retries");
  assertEquals(await grownOf(a), [fresh], "the folders are not listed");
  const second = await counted(a, pushSync);
  assertEquals(second.reads, [`${fresh}.json`], "only the new snapshot is read");
  assertEquals(second.report.moved.map((m) => m.id), [fresh]);
  assertEquals(second.report.in_both, MIN_ENTRIES + 1);
  // The record was kept whole with it: the next push reads nothing and moves nothing.
  const third = await counted(a, pushSync);
  assertEquals([third.reads, third.report.moved, third.report.in_both], [[], [], MIN_ENTRIES + 2]);
});

Deno.test("a pull after a pause in a large store reads the new snapshot alone", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await largeStore(a, MIN_ENTRIES);
  await pause(a, "First: the billing export");
  await okJson(a, "sync", "push", "--json");
  await okJson(b, "sync", "pull", "--json");
  await okJson(b, "sync", "push", "--json");

  const theirs = await pause(a, "Alice: the export's retries");
  await okJson(a, "sync", "push", "--json");
  const mine = await pause(b, "Bob: the export's schedule");
  assertEquals(await grownOf(b, true), [mine]);
  const pulled = await counted(b, pullSync);
  assertEquals(pulled.reads, [`${mine}.json`], "only Bob's new snapshot is read");
  assertEquals(pulled.report.moved.map((m) => m.id), [theirs]);
  const pushed = await counted(b, pushSync);
  assertEquals(pushed.reads, [], "the pull kept both in the record");
  assertEquals(pushed.report.moved.map((m) => m.id), [mine]);
  assertEquals(pushed.report.in_both, MIN_ENTRIES + 2);
});

Deno.test("a snapshot the folder's index does not vouch for sends the sync to list", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await largeStore(a, MIN_ENTRIES);
  await pause(a, "First: the billing export");
  await counted(a, pushSync);

  // A record put there by hand: the folder changed after the index was stamped.
  const now = new Date(Date.now() - 600_000);
  const id = sessionIdFor(now);
  const text = serializeSnapshot(buildSnapshot({
    summary: "Copied in by hand",
    accomplishments: [],
    nextSteps: [],
    todos: [],
  }, { id, now, git: null, projectPath: a.path, version: "0.1.0", build: "dev" }));
  await writeRecord(sessions(a), id, text);
  const past = new Date(Date.now() - 3_600_000);
  await Deno.utime(sessions(a), past, past);
  assertEquals(await grownOf(a), undefined);
  const listed = await counted(a, pushSync);
  assertEquals(listed.reads, [`${id}.json`], "the folder is listed: the new one is found");
  assertEquals(listed.report.moved.map((m) => m.id), [id]);

  // A record the sync record names is gone (removed by hand, the index then relisted by a
  // pause): the sync lists the folders and sends the pause's alone.
  const [gone] = (await Array.fromAsync(Deno.readDir(sessions(a))))
    .map((e) => e.name).filter((n) => n.endsWith(".json")).sort();
  await Deno.remove(join(sessions(a), gone));
  await Deno.remove(join(sessions(a), `${gone}.sha256`));
  const after = await pause(a, "Second: the billing export");
  assertEquals(await grownOf(a), undefined);
  const relisted = await counted(a, pushSync);
  assertEquals(relisted.report.moved.map((m) => m.id), [after]);
  assertEquals(relisted.report.in_both, MIN_ENTRIES + 1);
  assert(relisted.reads.includes(`${after}.json`));
});

/** The sync record's head as kept, its seal and all. */
async function headOf(repo: Repo) {
  return JSON.parse(await Deno.readTextFile(join(repo.path, ".claude-mpm", "cache", "sync.json")));
}

Deno.test("a sync that told the new snapshots keeps the index's seal: the next tells them from it", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await largeStore(a, MIN_ENTRIES);
  await pause(a, "First: the billing export");
  await counted(a, pushSync);
  assertEquals((await headOf(a)).index, "", "a record made from the files keeps no seal");
  await pause(a, "Second: the billing export's retries");
  await counted(a, pushSync);
  const sealed = await headOf(a);
  assert(sealed.index !== "", "told by matching the record's lines: the index is sealed");

  const third = await pause(a, "Third: the export's schedule");
  const paths = projectPaths(a.path);
  const now = `${sealed.whole.split("|")[0]}|${folderLook(paths).look}`;
  const unread = () => {
    throw new Error("the record's lines were read");
  };
  const grown = await readGrown(paths, sealed, now, unread, {});
  assertEquals(grown?.files.map((f) => f.id), [third], "told from the index alone");
  const pushed = await counted(a, pushSync);
  assertEquals(pushed.reads, [`${third}.json`]);
  assertEquals(pushed.report.moved.map((m) => m.id), [third]);
  assertEquals(pushed.report.in_both, MIN_ENTRIES + 2);
  // A record kept by an mpm before the seal reads as one without.
  const { index: _, ...older } = sealed;
  const read = checkValue(syncRecordCheck, older);
  assertEquals(read.ok && read.value.index, "");
});
