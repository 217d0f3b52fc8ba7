import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { DatabaseSync } from "node:sqlite";
import { join } from "../kernel/path.ts";
import {
  type CacheShape,
  closeQuietly,
  inTransaction,
  openCache,
  removeDatabase,
} from "./sqlite.ts";

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

Deno.test("openCache makes a cache 0600, and makes again one damaged, of another schema or refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "c.sqlite");
    let owner = "a";
    const shape: CacheShape = {
      schema: 2,
      busyMs: 100,
      pragmas: "",
      create: (db) => {
        db.exec("CREATE TABLE t(x TEXT)");
        db.prepare("INSERT INTO t VALUES (?)").run(owner);
      },
      check: (db) =>
        (db.prepare("SELECT x FROM t").get() as { x: string }).x === owner ? null : "owner",
    };
    const made = await openCache(dir, file, shape);
    assertEquals([made.db !== null, made.db !== null && made.fresh, "rebuilt" in made], [
      true,
      true,
      false,
    ]);
    closeQuietly(made.db);
    if (Deno.build.os !== "windows") assertEquals(Deno.statSync(file).mode! & 0o777, 0o600);
    const again = await openCache(dir, file, shape);
    assertEquals([again.db !== null && !again.fresh, "rebuilt" in again], [true, false]);
    closeQuietly(again.db);
    owner = "b";
    const refused = await openCache(dir, file, shape);
    assertEquals(refused.db !== null && refused.rebuilt, "owner");
    closeQuietly(refused.db);
    const other = new DatabaseSync(file);
    other.exec("PRAGMA user_version = 7");
    other.close();
    const schema = await openCache(dir, file, shape);
    assertEquals(schema.db !== null && schema.rebuilt, "schema");
    closeQuietly(schema.db);
    await removeDatabase(dir, file);
    await Deno.writeTextFile(file, "not a database, not at all: ".repeat(200));
    const damaged = await openCache(dir, file, shape);
    assertEquals(damaged.db !== null && damaged.rebuilt, "damaged");
    closeQuietly(damaged.db);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a link at a cache's name, out of its folder, is removed, not followed, and made again", async () => {
  const dir = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  try {
    const base = join(dir, "store");
    await Deno.mkdir(base);
    const file = join(base, "c.sqlite");
    const target = join(outside, "kept.txt");
    await Deno.writeTextFile(target, "someone's file");
    await Deno.symlink(target, file);
    await Deno.symlink(join(outside, "wal.txt"), `${file}-wal`);
    const shape: CacheShape = {
      schema: 1,
      busyMs: 100,
      pragmas: "",
      create: (db) => db.exec("CREATE TABLE t(x TEXT)"),
      check: () => null,
    };
    const opened = await openCache(base, file, shape);
    assertEquals(opened.db !== null && opened.rebuilt, "damaged");
    closeQuietly(opened.db);
    assertEquals(Deno.lstatSync(file).isFile, true);
    assertEquals(await Deno.readTextFile(target), "someone's file");
    assertEquals([...Deno.readDirSync(outside)].map((e) => e.name), ["kept.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
