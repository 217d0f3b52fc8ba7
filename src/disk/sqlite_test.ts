import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { DatabaseSync } from "node:sqlite";
import { join } from "../kernel/path.ts";
import { closeQuietly, inTransaction, removeDatabase } from "./sqlite.ts";

Deno.test("inTransaction commits whole work and rolls back work that throws", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = new DatabaseSync(join(dir, "t.sqlite"));
    db.exec("CREATE TABLE t(x INTEGER)");
    inTransaction(db, () => db.prepare("INSERT INTO t VALUES (1)").run());
    assertThrows(
      () =>
        inTransaction(db, () => {
          db.prepare("INSERT INTO t VALUES (2)").run();
          throw new Error("midway");
        }),
      /midway/,
    );
    assertEquals(db.prepare("SELECT x FROM t").all().map((r) => r.x), [1]);
    closeQuietly(db);
    closeQuietly(db);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("removeDatabase removes the database and its WAL files, and nothing else", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "t.sqlite");
    for (const name of ["t.sqlite", "t.sqlite-wal", "t.sqlite-shm", "other"]) {
      await Deno.writeTextFile(join(dir, name), "");
    }
    await removeDatabase(dir, file);
    await removeDatabase(dir, file);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["other"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
