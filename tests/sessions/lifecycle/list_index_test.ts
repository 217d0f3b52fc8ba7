/**
 * `mpm list` end to end: `--json` lists the newest 20 snapshots unless --limit is given, as the text
 * view pages; and in a large snapshots folder the index
 * (src/sessions/store/listing/listing_cache.ts) is kept by the pause that changes the folder, so
 * the list right after it reads the index, and an index that disagrees with the folder is never
 * used and is rebuilt by the next writer.
 */
import { forgedIndex, type IndexFields, indexFields } from "../index_fields.ts";
import { join } from "node:path";
import { sessionIdFor } from "../../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../../src/sessions/store/session/build_snapshot.ts";
import { MIN_ENTRIES } from "../../../src/sessions/store/listing/listing_cache.ts";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, type Repo, withRepo, writeRecord } from "../../helpers.ts";
import { keyLookups } from "../../../src/disk/machine_key.ts";

const SESSIONS = ".claude-mpm/sessions";
const INDEX = ".claude-mpm/cache/sessions.idx";

/** `count` valid snapshots, one a minute up to an hour ago, written straight into the folder. */
async function writeRecords(repo: Repo, count: number): Promise<string[]> {
  const start = Date.now() - 3_600_000 - count * 60_000;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await writeSnapshot(repo, new Date(start + i * 60_000)));
  return ids;
}

async function writeSnapshot(repo: Repo, now: Date): Promise<string> {
  const id = sessionIdFor(now);
  const text = serializeSnapshot(buildSnapshot({
    summary: `Snapshot of ${now.toISOString()}`,
    accomplishments: [],
    nextSteps: [],
    todos: [],
  }, {
    id,
    now,
    git: null,
    projectPath: repo.path,
    version: "0.1.0",
    build: "dev",
  }));
  await writeRecord(join(repo.path, SESSIONS), id, text);
  return id;
}

type Index = IndexFields;

async function readIndex(repo: Repo): Promise<Index> {
  return indexFields(await Deno.readTextFile(join(repo.path, INDEX)))!;
}

/** Whether the index names the sessions folder as it is now. */
async function isCurrent(repo: Repo, index: Index): Promise<boolean> {
  const info = await Deno.stat(join(repo.path, SESSIONS));
  return index.ino === info.ino && index.mtime === info.mtime?.getTime() &&
    index.ctime === info.ctime?.getTime();
}

async function listedIds(repo: Repo, ...args: string[]): Promise<string[]> {
  return (await okJson(repo, "list", "--json", ...args)).map((r: { session_id: string }) =>
    r.session_id
  );
}

Deno.test("with no machine key, a list of 20 snapshots looks for it once, not once a snapshot", async () => {
  await using repo = await withRepo();
  await writeRecords(repo, 20);
  for (const args of [["list", "--json"], ["list"]]) {
    const before = keyLookups();
    await ok(repo, ...args);
    assertEquals(keyLookups() - before, 1, args.join(" "));
  }
});

Deno.test("list --json pages like the text view: 20 snapshots unless --limit; --limit 0 is all", async () => {
  await using repo = await withRepo();
  const ids = (await writeRecords(repo, 25)).reverse();
  assertEquals(await listedIds(repo), ids.slice(0, 20));
  assertEquals(await listedIds(repo, "--limit", "0"), ids);
  assertEquals(await listedIds(repo, "--limit", "3"), ids.slice(0, 3));
  assertEquals(await listedIds(repo, "--all"), ids);
  const text = (await ok(repo, "list")).stdout;
  assertStringIncludes(text, ids[19]);
  assert(!text.includes(ids[20]), text);
  assertStringIncludes(text, "… and 5 older");
});

Deno.test("an unreadable snapshot is told once: in its row, and on stderr only beside --json", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "first");
  await ok(repo, "pause", "-s", "second");
  const [, older] = await listedIds(repo);
  await Deno.writeTextFile(join(repo.path, SESSIONS, `${older}.json`), "{bad");
  const list = await ok(repo, "list");
  assertStringIncludes(list.stdout, `${older} ✗ unreadable`);
  assertStringIncludes(list.stdout, "is not valid JSON");
  assertEquals(list.stderr, "");
  const json = await ok(repo, "list", "--json");
  assertEquals(JSON.parse(json.stdout)[1].state, "invalid");
  assertStringIncludes(json.stderr, `${older}.json is not valid JSON`);
});

Deno.test("a pause keeps the index of a large folder: the list right after it reads it", async () => {
  await using repo = await withRepo();
  await writeRecords(repo, MIN_ENTRIES);
  const paused = (await okJson(repo, "pause", "-s", "right after", "--json")).session_id;
  const index = await readIndex(repo);
  assert(await isCurrent(repo, index), "the pause left no current index");
  const ids = index.ids.split("\n");
  assertEquals(ids.length, MIN_ENTRIES + 1);
  assertEquals(ids[0], paused);
  // The list reads the index, not the folder: an id taken out of the index is not listed.
  const [first, second, ...rest] = ids;
  await Deno.writeTextFile(
    join(repo.path, INDEX),
    forgedIndex({
      ...index,
      ids: [first, ...rest].join("\n"),
      formats: index.formats.slice(0, 1) + index.formats.slice(2),
    }),
  );
  assertEquals(await listedIds(repo, "--limit", "3"), [first, ...rest.slice(0, 2)]);
  assert(second);
  // A second pause adds to the index it finds current.
  const next = (await okJson(repo, "pause", "-s", "once more", "--json")).session_id;
  const after = await readIndex(repo);
  assert(await isCurrent(repo, after));
  assertEquals(after.ids.split("\n").slice(0, 3), [next, first, rest[0]]);
});

Deno.test("an index that disagrees with the folder is not used, and the next pause rebuilds it", async () => {
  await using repo = await withRepo();
  const old = await writeRecords(repo, MIN_ENTRIES);
  await ok(repo, "pause", "-s", "before the stray file");
  // Another program adds a snapshot the moment after the pause (a copy, a checkout): the list
  // sees it, though the index was current an instant before.
  // (Named for a second later than the pause's, so it sorts first.)
  const stray = await writeSnapshot(repo, new Date(Date.now() + 2_000));
  assertEquals(await listedIds(repo, "--limit", "1"), [stray]);
  // A forged index for another state of the folder, without the stray one, is not used either.
  const index = await readIndex(repo);
  assert(!(await isCurrent(repo, index)));
  await Deno.writeTextFile(
    join(repo.path, INDEX),
    forgedIndex({ ...index, ids: old[0], formats: "j" }),
  );
  assertEquals((await listedIds(repo, "--limit", "2"))[0], stray);
  // The next pause lists the folder again: the index names everything, the stray one too.
  const paused = (await okJson(repo, "pause", "-s", "after", "--json")).session_id;
  const rebuilt = await readIndex(repo);
  assert(await isCurrent(repo, rebuilt));
  const ids = rebuilt.ids.split("\n");
  assertEquals(ids.length, MIN_ENTRIES + 3);
  // (Which of the two is first depends on whether the pause came 2 seconds after the stray one.)
  assertEquals(new Set(ids.slice(0, 2)), new Set([paused, stray]));
  assertEquals(rebuilt.formats.length, ids.length);
});
