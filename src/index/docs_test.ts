import { DatabaseSync } from "node:sqlite";
import { assertEquals } from "../../tests/assert.ts";
import { TABLES } from "./db.ts";
import { type DocFile, docMeta, type DocRead, docTexts, updateDocs } from "./docs.ts";

/** An index in memory, and the files' contents by path (their key and words). */
function fixture() {
  const db = new DatabaseSync(":memory:");
  db.exec(TABLES);
  const disk = new Map<string, { key: string; words: string[] }>();
  const calls: string[] = [];
  const update = (files: DocFile[]) =>
    updateDocs(
      db,
      "snapshot",
      files,
      (at) => {
        calls.push(`key ${files[at].path}`);
        return Promise.resolve(disk.get(files[at].path)?.key ?? null);
      },
      (at, key): Promise<DocRead> => {
        calls.push(`read ${files[at].path}`);
        const words = disk.get(files[at].path)!.words;
        return Promise.resolve({
          key,
          meta: `meta of ${key}`,
          always: false,
          texts: words.map((w) => ["note", w]),
        });
      },
    );
  return { db, disk, calls, update };
}

Deno.test("a file is read again only when its content key changes, and leaves when unlisted", async () => {
  const { db, disk, calls, update } = fixture();
  disk.set("a", { key: "ka", words: ["the ledger", "refunds"] });
  disk.set("b", { key: "kb", words: ["ledger tables"] });
  const first = await update([{ path: "a", stamp: "1" }, { path: "b", stamp: "1" }]);
  assertEquals(calls.splice(0), ["key a", "read a", "key b", "read b"]);
  assertEquals(first.map((d) => d?.meta), ["meta of ka", "meta of kb"]);

  // Unchanged stamps: nothing is read.
  const again = await update([{ path: "a", stamp: "1" }, { path: "b", stamp: "1" }]);
  assertEquals(calls.splice(0), []);
  const ids = (docs: ({ id: number } | null)[]) => docs.map((d) => d?.id ?? null);
  assertEquals(ids(again), ids(first));
  assertEquals(again.map((d) => docMeta(db, d!.id)), ["meta of ka", "meta of kb"]);

  // A new stamp, the same content (touched): keyed, not read; the same rows.
  assertEquals(
    ids(await update([{ path: "a", stamp: "2" }, { path: "b", stamp: "1" }])),
    ids(first),
  );
  assertEquals(calls.splice(0), ["key a"]);

  // New content: read again, its old words gone.
  disk.set("a", { key: "ka2", words: ["zebra"] });
  const edited = await update([{ path: "a", stamp: "3" }, { path: "b", stamp: "1" }]);
  assertEquals(calls.splice(0), ["key a", "read a"]);
  assertEquals(edited[0]?.meta, "meta of ka2");
  const found = [...docTexts(db, "snap_live", edited, '"ledger"')].map((t) => [t.at, t.x, t.meta]);
  assertEquals(found, [[1, "ledger tables", "meta of kb"]]);

  // A file that cannot be told (no stamp) or read (no key) is not held; one unlisted leaves.
  const left = await update([{ path: "a", stamp: null }, { path: "c", stamp: "1" }]);
  assertEquals(left, [null, null]);
  assertEquals(calls.splice(0), ["key c"]);
  const rows = db.prepare("SELECT path FROM doc ORDER BY path").all().map((r) => r.path);
  assertEquals(rows, ["a"]);
  assertEquals(
    (db.prepare("SELECT count(*) AS n FROM dtext").get() as { n: number }).n,
    1,
    "b's words are gone",
  );
  // Every word of the held files in order when there is no phrase.
  assertEquals([...docTexts(db, "snap_live", edited, null)].map((t) => t.x), ["zebra"]);
});
