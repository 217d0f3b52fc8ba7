import { forgedIndex, indexFields } from "../../../../tests/sessions/index_fields.ts";
import { assert, assertEquals } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { sessionIdFor, sessionSortKey } from "../../../kernel/ids.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { listEntries } from "./listing.ts";
import {
  cacheFile,
  changedColumns,
  type Columns,
  folderStamp,
  MIN_ENTRIES,
  RACY_MS,
} from "./listing_cache.ts";
import { keepIndexes, openIndexUpdate, written } from "./listing_update.ts";
import { readColumns } from "../../../../tests/sessions/index_fields.ts";

const START = Date.UTC(2025, 0, 1);
const idAt = (minute: number) => sessionIdFor(new Date(START + minute * 60_000));

/** A project whose sessions folder holds `count` records, one a minute from START. */
async function project(count: number) {
  const root = await Deno.makeTempDir({ prefix: "mpm-listing-update-" });
  const paths = projectPaths(root);
  await Deno.mkdir(paths.sessions, { recursive: true });
  await Promise.all(
    Array.from(
      { length: count },
      (_, i) => Deno.writeTextFile(join(paths.sessions, `${idAt(i)}.json`), "{}\n"),
    ),
  );
  return { root, paths, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

/** What the index says now, or null when it is not current. */
async function current(paths: ReturnType<typeof projectPaths>): Promise<Columns | null> {
  const stamp = await folderStamp(paths.sessions);
  return stamp ? await readColumns(cacheFile(paths, "sessions"), paths.sessions, stamp) : null;
}

Deno.test("changedColumns puts added ids in their place and drops removed ones", () => {
  const ids = [idAt(9), idAt(7), idAt(5), idAt(3)];
  const before: Columns = { ids, formats: "jyjm" };
  const after = changedColumns(before, {
    added: [written(idAt(8)), written(idAt(10)), written(idAt(1))],
    removed: [idAt(5)],
  });
  assertEquals(after.ids, [idAt(10), idAt(9), idAt(8), idAt(7), idAt(3), idAt(1)]);
  assertEquals(after.formats, "jjjymj");
  // One already listed comes back with its new format, in the same place.
  const again = changedColumns(before, { added: [{ ...written(idAt(7)), format: "json" }] });
  assertEquals(again, { ids, formats: "jjjm" });
  assertEquals(
    changedColumns({ ids: [], formats: "" }, { added: [written(idAt(2))] }).ids,
    [idAt(2)],
  );
  assertEquals(written(idAt(2)).key, sessionSortKey(idAt(2)));
});

Deno.test("a writer's commit leaves an index a listing uses at once, with its new id", async () => {
  await using p = await project(MIN_ENTRIES);
  // No index yet: the commit lists the folder.
  const first = await openIndexUpdate(p.paths, "sessions");
  const newest = idAt(MIN_ENTRIES);
  await Deno.writeTextFile(join(p.paths.sessions, `${newest}.json`), "{}\n");
  await first.commit({ added: [written(newest)] });
  const listed = await current(p.paths);
  assertEquals(listed?.ids.length, MIN_ENTRIES + 1);
  assertEquals(listed?.ids[0], newest);
  // A current index: the commit adds to it, without listing. Proved by an id the folder does not
  // hold that the index was made to name: it is still there after the commit.
  const forged = idAt(-1);
  const stamp = (await folderStamp(p.paths.sessions))!;
  const file = cacheFile(p.paths, "sessions");
  const raw = indexFields(await Deno.readTextFile(file))!;
  await Deno.writeTextFile(
    file,
    forgedIndex({ ...raw, ids: `${raw.ids}\n${forged}`, formats: `${raw.formats}j` }),
  );
  assertEquals((await current(p.paths))?.ids.at(-1), forged, "the index was not used");
  assertEquals(await folderStamp(p.paths.sessions), stamp);
  const second = await openIndexUpdate(p.paths, "sessions");
  const next = idAt(MIN_ENTRIES + 1);
  await Deno.writeTextFile(join(p.paths.sessions, `${next}.json`), "{}\n");
  await second.commit({ added: [written(next)] });
  const after = await current(p.paths);
  assertEquals(after?.ids[0], next);
  assertEquals(after?.ids.at(-1), forged);
});

Deno.test("after a writer's commit, a change made the next moment still makes the index stale", async () => {
  await using p = await project(MIN_ENTRIES);
  await keepIndexes(p.paths, ["sessions"]);
  assert(await current(p.paths) !== null);
  // The commit set the folder's time back: a file added now, in the same clock tick, moves it.
  const info = await Deno.stat(p.paths.sessions);
  assert(Date.now() - info.mtime!.getTime() >= RACY_MS, "the folder's time was not set back");
  const stray = idAt(MIN_ENTRIES + 5);
  await Deno.writeTextFile(join(p.paths.sessions, `${stray}.json`), "{}\n");
  assertEquals(await current(p.paths), null);
  assertEquals((await listEntries(p.paths))[0].id, stray);
});

Deno.test("a folder under the index's size loses its index; a small one is left as it is", async () => {
  await using p = await project(MIN_ENTRIES);
  await keepIndexes(p.paths, ["sessions"]);
  const file = cacheFile(p.paths, "sessions");
  assert(await Deno.stat(file).catch(() => null));
  const update = await openIndexUpdate(p.paths, "sessions");
  await Deno.remove(join(p.paths.sessions, `${idAt(0)}.json`));
  await update.commit({ removed: [idAt(0)] });
  assertEquals(await Deno.stat(file).catch(() => null), null);
  await using small = await project(3);
  const mtime = (await Deno.stat(small.paths.sessions)).mtime;
  await keepIndexes(small.paths, ["sessions"]);
  assertEquals((await Deno.stat(small.paths.sessions)).mtime, mtime, "a small folder's time moved");
});

Deno.test("a commit again after a later change stamps what the last wrote: nothing read or listed", async () => {
  await using p = await project(MIN_ENTRIES);
  await keepIndexes(p.paths, ["sessions"]);
  // An id the folder does not hold, that the index was made to name: a listing would drop it.
  const forged = idAt(-1);
  const file = cacheFile(p.paths, "sessions");
  const raw = indexFields(await Deno.readTextFile(file))!;
  await Deno.writeTextFile(
    file,
    forgedIndex({ ...raw, ids: `${raw.ids}\n${forged}`, formats: `${raw.formats}j` }),
  );
  const update = await openIndexUpdate(p.paths, "sessions");
  const newest = idAt(MIN_ENTRIES);
  await Deno.writeTextFile(join(p.paths.sessions, `${newest}.json`), "{}\n");
  await update.commit({ added: [written(newest)] });
  // The index gone, and the folder changed by a file no index lists (as LATEST-SESSION.txt does).
  await Deno.remove(file);
  await Deno.writeTextFile(p.paths.latest, `${newest}\n`);
  await update.commit({});
  const after = await current(p.paths);
  assertEquals([after?.ids[0], after?.ids.at(-1)], [newest, forged]);
});
