/**
 * Which of the snapshots folder's records a sync record has no line of (grown.ts unnamed): told
 * from the folder's index and the record's lines a part at a time, or undefined when the folders
 * must be listed instead.
 */
import { assertEquals } from "../../tests/assert.ts";
import { join } from "../kernel/path.ts";
import { projectPaths } from "../disk/paths.ts";
import { linePath } from "./record_parts.ts";
import { type FolderNow, unnamed } from "./grown.ts";

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
