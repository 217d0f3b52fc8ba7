/**
 * Which of the snapshots folder's records a sync record has no line of (grown.ts unnamed): told
 * from the folder's index and the record's lines a part at a time, or undefined when the folders
 * must be listed instead.
 */
import { assertEquals } from "../../../tests/assert.ts";
import { join } from "../../kernel/path.ts";
import { projectPaths } from "../../disk/paths.ts";
import { linePath } from "./record_parts.ts";
import { type FolderNow, sealedAhead, sealOf, unnamed } from "./grown.ts";
import type { IndexBytes } from "../../sessions/store/listing/listing_cache.ts";

const paths = projectPaths("/p");
const path = (...names: string[]) => linePath(paths, join(paths.sessions, ...names));
const folder = (records: string[], others: string[] = []): FolderNow => ({
  records: new Set(records.map(encodeURIComponent)),
  others,
});
async function* parts(...each: (string[] | null)[]) {
  yield* each;
}

Deno.test("the folder's records without a line are the new ones; archive's and others' lines pass", async () => {
  const named = parts([path("a.json"), path("archive", "z.json")], [path("b.json")]);
  assertEquals(await unnamed(paths, folder(["a", "b", "c d"]), named, ""), ["c d"]);
  // Every one named: nothing new.
  assertEquals(await unnamed(paths, folder(["a"]), parts([path("a.json")]), ""), []);
});

Deno.test("a record gone, named twice or not a record, an unknown other, a part unread: listed", async () => {
  const none = undefined;
  assertEquals(await unnamed(paths, folder(["a"]), parts([path("gone.json")]), ""), none);
  const twice = parts([path("a.json")], [path("a.json")]);
  assertEquals(await unnamed(paths, folder(["a", "b"]), twice, ""), none);
  assertEquals(await unnamed(paths, folder(["a"]), parts([path("a.md")]), ""), none);
  assertEquals(await unnamed(paths, folder(["a"], ["o"]), parts([]), "session\tp"), none);
  assertEquals(await unnamed(paths, folder(["a"], ["o"]), parts([]), "session\to"), ["a"]);
  assertEquals(await unnamed(paths, folder(["a", "b"]), parts([path("a.json")], null), ""), none);
});

/** A checked index of these lines (`j`/`m` and an id), newest first, as listing_cache.ts writes. */
function indexOf(lines: string[], width = 30): IndexBytes {
  const header = "{}\n";
  const body = lines.map((line) => line.padEnd(width - 1) + "\n").join("");
  return {
    bytes: new TextEncoder().encode(header + body),
    start: header.length,
    count: lines.length,
    width,
  };
}

const [A, B, C] = ["session-20261101-090000", "session-20261102-090000", "session-20261103-090000"];

Deno.test("an index whose last lines are the sealed ones lacks the record only its first", async () => {
  const seal = await sealOf(indexOf([`j${B}`, `j${A}`]));
  assertEquals(await sealedAhead(indexOf([`j${C}`, `j${B}`, `j${A}`]), seal, ""), [C]);
  assertEquals(await sealedAhead(indexOf([`j${B}`, `j${A}`]), seal, ""), []);
  // One with no record is one the record keeps as another, or the lines are matched instead.
  assertEquals(await sealedAhead(indexOf([`m${C}`, `j${B}`, `j${A}`]), seal, ""), undefined);
  assertEquals(await sealedAhead(indexOf([`m${C}`, `j${B}`, `j${A}`]), seal, `session\t${C}`), []);
});

Deno.test("an index that changed below its new lines, or another width or seal, is matched instead", async () => {
  const seal = await sealOf(indexOf([`j${B}`, `j${A}`]));
  // An older snapshot pulled in among them, one rendered otherwise, one gone.
  assertEquals(await sealedAhead(indexOf([`j${B}`, `j${C}`, `j${A}`]), seal, ""), undefined);
  assertEquals(await sealedAhead(indexOf([`j${C}`, `m${B}`, `j${A}`]), seal, ""), undefined);
  assertEquals(await sealedAhead(indexOf([`j${C}`, `j${A}`]), seal, ""), undefined);
  assertEquals(await sealedAhead(indexOf([`j${C}`, `j${B}`, `j${A}`], 31), seal, ""), undefined);
  assertEquals(await sealedAhead(indexOf([`j${C}`, `j${B}`, `j${A}`]), "9\t30\tx", ""), undefined);
  assertEquals(await sealedAhead(indexOf([`j${C}`, `j${B}`, `j${A}`]), "", ""), undefined);
});
