import { forgedIndex, indexFields, readColumns } from "../../../../tests/sessions/index_fields.ts";
import { assert, assertEquals } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { sessionIdFor, sessionSortKey } from "../../../kernel/ids.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { listEntries, listSnapshots } from "./listing.ts";
import {
  addedLines,
  cacheFile,
  changedColumns,
  folderStamp,
  type Found,
  indexColumns,
  indexText,
  MIN_ENTRIES,
  RACY_MS,
  readIndexBytes,
  writeIndexLines,
  writeListing,
} from "./listing_cache.ts";

/** A project whose sessions folder holds `count` snapshot records (names are all listing reads). */
async function project(count: number) {
  const root = await Deno.makeTempDir({ prefix: "mpm-listing-" });
  const paths = projectPaths(root);
  await Deno.mkdir(paths.sessions, { recursive: true });
  const start = Date.UTC(2025, 0, 1);
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const id = sessionIdFor(new Date(start + i * 60_000));
      return Deno.writeTextFile(join(paths.sessions, `${id}.json`), "{}\n");
    }),
  );
  return {
    root,
    paths,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

/** Writes the index as a run `RACY_MS` later would, from `found` (what the folder holds or not). */
async function index(paths: ReturnType<typeof projectPaths>, drop = 0) {
  // The folder last changed a minute ago, as a still folder would have: a change made now is
  // then sure to move its time (the index is only written for such folders).
  const past = new Date(Date.now() - 60_000);
  await Deno.utime(paths.sessions, past, past);
  const stamp = (await folderStamp(paths.sessions))!;
  const file = cacheFile(paths, "sessions");
  const found = (await listEntries(paths)).slice(drop).map((e) => ({
    id: e.id,
    format: e.format,
    key: e.id.replace(/\D/g, ""),
  }));
  const later = Math.max(stamp.mtime, stamp.ctime) + RACY_MS;
  await writeListing(paths, file, paths.sessions, stamp, found, later);
  return { file, stamp };
}

Deno.test("a folder just changed, or a small one, gets no index", async () => {
  await using p = await project(MIN_ENTRIES);
  await listEntries(p.paths);
  const file = cacheFile(p.paths, "sessions");
  assertEquals(await Deno.stat(file).catch(() => null), null);
  await using small = await project(3);
  const stamp = (await folderStamp(small.paths.sessions))!;
  await writeListing(small.paths, file, small.paths.sessions, stamp, [], stamp.mtime + RACY_MS);
  assertEquals(await Deno.stat(cacheFile(small.paths, "sessions")).catch(() => null), null);
});

Deno.test("a current index is what the listing reads; a changed folder is listed again", async () => {
  await using p = await project(MIN_ENTRIES + 1);
  const all = await listEntries(p.paths);
  assertEquals(all.length, MIN_ENTRIES + 1);
  // An index missing the newest snapshot: it is used while the folder is unchanged…
  await index(p.paths, 1);
  const read = await listEntries(p.paths);
  assertEquals(read.map((e) => e.id), all.slice(1).map((e) => e.id));
  assertEquals(read[0].file, all[1].file);
  // …and no longer once a file is added there.
  const id = sessionIdFor(new Date(Date.UTC(2026, 0, 1)));
  await Deno.writeTextFile(join(p.paths.sessions, `${id}.json`), "{}\n");
  const after = await listEntries(p.paths);
  assertEquals(after.length, MIN_ENTRIES + 2);
  assertEquals(after[0].id, id);
});

Deno.test("an index with a bad entry or for another folder state is not used", async () => {
  await using p = await project(MIN_ENTRIES + 1);
  const all = await listEntries(p.paths);
  const { file, stamp } = await index(p.paths, 1);
  const text = await Deno.readTextFile(file);
  assert(await readColumns(file, p.paths.sessions, stamp) !== null);
  assertEquals(
    await readColumns(file, p.paths.sessions, { ...stamp, mtime: stamp.mtime + 1 }),
    null,
  );
  assertEquals(await readColumns(file, join(p.root, "elsewhere"), stamp), null);
  // An id that could lead out of the folder, in a line of the same width: the index is not
  // read in full, and the listing met it first, so gives the folder's own listing.
  const escape = text.replace(/session-\d{8}-\d{6}/, "../../escape/../../../.");
  assertEquals(escape.length, text.length);
  await Deno.writeTextFile(file, escape);
  assertEquals(await readColumns(file, p.paths.sessions, stamp), null);
  assertEquals((await listEntries(p.paths)).map((e) => e.id), all.map((e) => e.id));
  // A bad line further down, met only by a listing of everything.
  const lines = text.split("\n");
  lines[lines.length - 3] = lines[lines.length - 3].replace("session-", "session/");
  await Deno.writeTextFile(file, lines.join("\n"));
  assertEquals((await listSnapshots(p.paths)).slice(0, 2), all.slice(1, 3));
  assertEquals((await listEntries(p.paths)).map((e) => e.id), all.map((e) => e.id));
  // A line cut short: the size is not what the header says.
  await Deno.writeTextFile(file, text.replace("session-", "session"));
  assertEquals(await readColumns(file, p.paths.sessions, stamp), null);
  await Deno.writeTextFile(file, "not json");
  assertEquals((await listEntries(p.paths)).length, MIN_ENTRIES + 1);
});

Deno.test("from a current index, listSnapshots builds the entries a page asks for", async () => {
  await using p = await project(MIN_ENTRIES + 3);
  const all = await listEntries(p.paths);
  await index(p.paths);
  const listing = await listSnapshots(p.paths);
  assertEquals(listing.length, all.length);
  assertEquals(listing.slice(0, 3), all.slice(0, 3));
  assertEquals(listing.slice(MIN_ENTRIES), all.slice(MIN_ENTRIES));
  assertEquals(listing.slice(-2), all.slice(-2));
  assertEquals(listing.slice(), all);
});

Deno.test("a large index: read past its head, or swapped meanwhile, it lists what the folder holds", async () => {
  // About 2,000 lines fit the head a listing reads first; these run past it.
  await using p = await project(2_600);
  const all = await listEntries(p.paths);
  await index(p.paths);
  const listing = await listSnapshots(p.paths);
  assertEquals(listing.slice(0, 3), all.slice(0, 3));
  assertEquals(listing.slice(1_900, 2_100), all.slice(1_900, 2_100));
  assertEquals(listing.slice(), all);
  // Another index written after the head was read (one without the newest): the rest of the
  // file is not this one's, so the folder's own listing answers.
  const swapped = await listSnapshots(p.paths);
  assertEquals(swapped.slice(0, 1), all.slice(0, 1));
  await index(p.paths, 1);
  assertEquals(swapped.slice(2_500, 2_600), all.slice(2_500, 2_600));
  assertEquals(swapped.slice(0, 1), all.slice(0, 1));
});

Deno.test("an index with a stray line break or an unknown format letter is not used", async () => {
  await using p = await project(MIN_ENTRIES + 1);
  const { file, stamp } = await index(p.paths, 1);
  const raw = indexFields(await Deno.readTextFile(file))!;
  assertEquals(raw.version, 3);
  assertEquals(raw.ids.split("\n").length, MIN_ENTRIES);
  const cases = [
    { ...raw, ids: `${raw.ids}\n` },
    { ...raw, ids: raw.ids.replace("\n", "\n\n") },
    { ...raw, formats: `q${raw.formats.slice(1)}` },
    { ...raw, formats: raw.formats.slice(1) },
    { ...raw, ids: raw.ids.replace("session-", "session-x") },
  ];
  for (const bad of cases) {
    await Deno.writeTextFile(file, forgedIndex(bad));
    assertEquals(await readColumns(file, p.paths.sessions, stamp), null);
  }
  await Deno.writeTextFile(file, forgedIndex(raw));
  assertEquals((await readColumns(file, p.paths.sessions, stamp))?.ids.length, MIN_ENTRIES);
});

Deno.test("a large index is read as far as the entries asked for, not whole", async () => {
  await using p = await project(12_000);
  const all = await listEntries(p.paths);
  const { file } = await index(p.paths);
  const listing = await listSnapshots(p.paths);
  // Past the head (64 KB: 2,600 of these lines): four times as much is read, not all 12,000.
  assertEquals(listing.slice(3_000, 3_100), all.slice(3_000, 3_100));
  // The file's line 11,000 then made to say line 10,999's (same header, same size): a listing
  // that had read the whole file would still give the old one.
  const bytes = await Deno.readFile(file);
  const start = bytes.indexOf(0x0a) + 1;
  const width = JSON.parse(new TextDecoder().decode(bytes.subarray(0, start - 1))).width;
  const at = (i: number) => start + i * width;
  bytes.copyWithin(at(11_000), at(10_999), at(11_000));
  await Deno.writeFile(file, bytes);
  assertEquals(listing.slice(11_000, 11_001)[0].id, all[10_999].id);
});

Deno.test("lines added as bytes land where changedColumns puts them, a known one taking its format", () => {
  const id = (minute: number) => sessionIdFor(new Date(Date.UTC(2025, 0, 1) + minute * 60_000));
  const ids = Array.from({ length: 50 }, (_, i) => id(1000 - 2 * i));
  const before = { ids, formats: "j".repeat(50) };
  const stamp = { ino: 1, mtime: 2, ctime: 3 };
  const text = new TextEncoder().encode(indexText({ folder: "/f", ...stamp, ...before }));
  const end = text.indexOf(0x0a) + 1;
  const width = (text.length - end) / 50;
  const index = { bytes: text, start: end, count: 50, width };
  const added: Found[] = [id(2000), id(951), id(901), id(1), id(980), id(953)]
    .map((id) => ({ id, format: "json" as const, key: sessionSortKey(id) }));
  added.push({ id: id(1000), format: "md", key: sessionSortKey(id(1000)) });
  const lines = addedLines(index, added)!;
  assertEquals(indexColumns(lines), changedColumns(before, { added }));
  // An id wider than the lines: the caller goes by Columns.
  const wide = `${id(3)}-12345678901234567890`;
  assertEquals(addedLines(index, [{ id: wide, format: "json", key: sessionSortKey(wide) }]), null);
});

Deno.test("a pull's lines are written from the buffer they were added in, and again from it", async () => {
  await using p = await project(0);
  const id = (minute: number) => sessionIdFor(new Date(Date.UTC(2025, 0, 1) + minute * 60_000));
  const before = { ids: Array.from({ length: 600 }, (_, i) => id(2000 - 2 * i)), formats: "" };
  before.formats = "j".repeat(before.ids.length);
  const folder = p.paths.sessions;
  const stamp = { ino: 1, mtime: 2, ctime: 3 };
  const file = cacheFile(p.paths, "sessions");
  await Deno.mkdir(join(p.paths.base, "cache"), { recursive: true });
  await Deno.writeTextFile(file, indexText({ folder, ...stamp, ...before }));
  const read = (await readIndexBytes(file, folder, stamp))!;
  const added: Found[] = [id(1999), id(1)].map((id) => ({
    id,
    format: "json",
    key: sessionSortKey(id),
  }));
  const lines = addedLines(read, added)!;
  // The store's lines are copied once, into the buffer the file is written from: no second
  // copy behind the header, whether the header is new or another's (the LATEST-SESSION stamp).
  const once = (await writeIndexLines(p.paths, file, folder, { ...stamp, mtime: 4 }, lines))!;
  assert(once.bytes.buffer === lines.bytes.buffer);
  const twice = (await writeIndexLines(p.paths, file, folder, { ...stamp, mtime: 55 }, once))!;
  assert(twice.bytes.buffer === lines.bytes.buffer);
  const after = (await readIndexBytes(file, folder, { ...stamp, mtime: 55 }))!;
  assertEquals(indexColumns(after), changedColumns(before, { added }));
});
