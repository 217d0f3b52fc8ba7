import { DatabaseSync } from "node:sqlite";
import { assertEquals } from "../../tests/assert.ts";
import { TABLES } from "./db.ts";
import { type DocFile, docMeta, type DocRead, docTexts, updateDocs } from "./docs.ts";

/** An index in memory, and the files' contents by path (their key and words). */
function fixture() {
  const db = new DatabaseSync(":memory:");
  db.exec(TABLES);
  const disk = new Map<string, { key: string; words: string[]; always?: boolean }>();
  const calls: string[] = [];
  const update = (files: DocFile[]) =>
    updateDocs(
      db,
      "snapshot",
      "snap",
      files,
      (at, path) => {
        calls.push(`key ${path}`);
        assertEquals(files[at].path, path);
        return Promise.resolve(disk.get(path)?.key ?? null);
      },
      (at, path, key): Promise<DocRead> => {
        calls.push(`read ${path}`);
        assertEquals(files[at].path, path);
        const { words, always = false } = disk.get(path)!;
        return Promise.resolve({
          key,
          meta: `meta of ${key}`,
          always,
          texts: words.map((w) => ["note", w]),
        });
      },
    );
  /** The files offered for `phrase`: place, meta (or null when not held) and words. */
  const offered = (phrase: string | null) =>
    [...docTexts(db, "snap", phrase)].map((h) => [h.at, h.meta, h.texts.map(([, x]) => x)]);
  /** The row held for each listed place (null: none). */
  const held = () =>
    db.prepare("SELECT doc FROM snap_files ORDER BY at").all().map((r) => r.doc as number | null);
  return { db, disk, calls, update, offered, held };
}

Deno.test("a file is read again only when its content key changes, and leaves when unlisted", async () => {
  const { db, disk, calls, update, offered, held } = fixture();
  disk.set("a", { key: "ka", words: ["the ledger", "refunds"] });
  disk.set("b", { key: "kb", words: ["ledger tables"] });
  await update([{ path: "a", stamp: "1" }, { path: "b", stamp: "1" }]);
  assertEquals(calls.splice(0), ["key a", "read a", "key b", "read b"]);
  const first = held();
  assertEquals(first.map((id) => docMeta(db, id!)), ["meta of ka", "meta of kb"]);

  // Unchanged stamps: nothing is read.
  await update([{ path: "a", stamp: "1" }, { path: "b", stamp: "1" }]);
  assertEquals(calls.splice(0), []);
  assertEquals(held(), first);

  // A new stamp, the same content (touched): keyed, not read; the same rows.
  await update([{ path: "a", stamp: "2" }, { path: "b", stamp: "1" }]);
  assertEquals(held(), first);
  assertEquals(calls.splice(0), ["key a"]);

  // New content: read again, its old words gone.
  disk.set("a", { key: "ka2", words: ["zebra"] });
  await update([{ path: "a", stamp: "3" }, { path: "b", stamp: "1" }]);
  assertEquals(calls.splice(0), ["key a", "read a"]);
  assertEquals(docMeta(db, held()[0]!), "meta of ka2");
  assertEquals(offered('"ledger"'), [[1, "meta of kb", ["ledger tables"]]]);
  assertEquals(offered(null), [[0, "meta of ka2", ["zebra"]], [1, "meta of kb", [
    "ledger tables",
  ]]]);

  // A file that cannot be told (no stamp) or read (no key) is not held, and is offered to be
  // read from its file; one unlisted leaves, one listed without a stamp keeps its rows.
  await update([{ path: "a", stamp: null }, { path: "c", stamp: "1" }]);
  assertEquals(held(), [null, null]);
  assertEquals(calls.splice(0), ["key c"]);
  assertEquals(offered('"zebra"'), [[0, null, []], [1, null, []]]);
  const rows = db.prepare("SELECT path FROM doc ORDER BY path").all().map((r) => r.path);
  assertEquals(rows, ["a"]);
  assertEquals(
    (db.prepare("SELECT count(*) AS n FROM dtext").get() as { n: number }).n,
    1,
    "b's words are gone",
  );
});

Deno.test("a file its source looks at every time is offered matched or not, in listed order", async () => {
  const { disk, update, offered } = fixture();
  disk.set("a", { key: "ka", words: ["refunds"] });
  disk.set("b", { key: "kb", words: [], always: true });
  disk.set("c", { key: "kc", words: ["refunds again"] });
  // More than one statement's worth of listed files, the ones that matter among them.
  const files: DocFile[] = [{ path: "a", stamp: "1" }, { path: "b", stamp: "1" }];
  for (let i = 0; i < 5000; i++) files.push({ path: `gone-${i}`, stamp: "1" });
  files.push({ path: "c", stamp: "1" });
  await update(files);
  assertEquals(offered('"refunds"'), [
    [0, "meta of ka", ["refunds"]],
    [1, "meta of kb", []],
    ...Array.from({ length: 5000 }, (_, i) => [i + 2, null, []]),
    [5002, "meta of kc", ["refunds again"]],
  ]);
});
