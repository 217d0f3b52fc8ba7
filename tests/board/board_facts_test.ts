/**
 * The board's facts index (src/board/facts_store.ts) is derived: the board reads what it keeps,
 * and answers the same as from the records whatever became of it — deleted, damaged, of another
 * schema, copied from a clone, locked, or in a cache folder that cannot be written — saying once
 * when it is made again. A record changed or damaged since it was kept is read anew.
 */
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { copyTree, mpm } from "../helpers.ts";
import { checksumLine } from "../../src/kernel/hashing/checksum.ts";
import { personIdentity, teamProject } from "./board_fixture.ts";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const SAID = "the board's index";

async function board(root: string, home: string): Promise<{ json: unknown; stderr: string }> {
  const result = await mpm(["board", "--json", "--since", "100"], {
    cwd: root,
    env: { HOME: home, ...personIdentity(0) },
    now: () => NOW,
  });
  assertEquals(result.code, 0, result.stderr);
  return { json: JSON.parse(result.stdout), stderr: result.stderr };
}

/** The index's file in the project's cache, if there is one. */
async function indexOf(root: string): Promise<string | undefined> {
  const cache = join(root, ".claude-mpm", "cache");
  for await (const entry of Deno.readDir(cache)) {
    if (/^board-[0-9a-f]{16}\.sqlite$/.test(entry.name)) return join(cache, entry.name);
  }
  return undefined;
}

async function removeIndex(file: string): Promise<void> {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    await Deno.remove(path).catch(() => {});
  }
}

/** The newest snapshot's file of person `p`'s newest line of work (ids sort by time). */
async function newestOf(root: string, p: number): Promise<string> {
  const sessions = join(root, ".claude-mpm", "sessions");
  const names: string[] = [];
  for await (const entry of Deno.readDir(sessions)) {
    if (!entry.name.endsWith(".json")) continue;
    const text = await Deno.readTextFile(join(sessions, entry.name));
    if (text.includes(`"key": "s-p${p}l0"`)) names.push(entry.name);
  }
  return join(sessions, names.sort().pop()!);
}

Deno.test("the board's facts index answers as the records do, whatever became of it", async (t) => {
  const { dir, root, home } = await teamProject(3, 40, NOW);
  try {
    const fromRecords = await board(root, home);
    assertNotIncludes(fromRecords.stderr, SAID);
    const file = await indexOf(root);
    assert(file !== undefined, "the first board keeps its index");

    await t.step("kept per machine: 0600 in a 0700 folder git ignores", async () => {
      assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
      assertEquals((await Deno.stat(join(root, ".claude-mpm", "cache"))).mode! & 0o777, 0o700);
      const ignored = await new Deno.Command("git", {
        args: ["check-ignore", "-q", file],
        cwd: root,
      }).output();
      assert(ignored.success, "git ignores the index");
    });

    await t.step("the board reads what the index keeps, not the records", async () => {
      assertEquals((await board(root, home)).json, fromRecords.json);
      const db = new DatabaseSync(file);
      db.exec(`UPDATE facts SET fact = json_set(fact, '$.record.summary', 'Kept words')`);
      db.close();
      const kept = await board(root, home);
      const words = (kept.json as { people: { work: { words: string }[] }[] }).people
        .flatMap((p) => p.work.map((w) => w.words));
      assert(words.length > 0 && words.every((w) => w === "Kept words"), words.join(", "));
      await removeIndex(file);
      const again = await board(root, home);
      assertEquals(again.json, fromRecords.json);
      assertNotIncludes(again.stderr, SAID);
    });

    await t.step("a record changed or damaged since it was kept is read anew", async () => {
      const changed = await newestOf(root, 1);
      const text = (await Deno.readTextFile(changed)).replace(
        /"summary": "[^"]*"/,
        '"summary": "Rewritten after the index kept it"',
      );
      await Deno.writeTextFile(changed, text);
      await Deno.writeTextFile(`${changed}.sha256`, checksumLine(text, changed.split("/").pop()!));
      const seen = await board(root, home);
      assertStringIncludes(JSON.stringify(seen.json), "Rewritten after the index kept it");
      await removeIndex(file);
      assertEquals((await board(root, home)).json, seen.json);
      // Its checksum no longer matches: left off, and said, as a board without the index says.
      await Deno.writeTextFile(changed, text.replace("Rewritten", "Tampered"));
      const damaged = await board(root, home);
      assertStringIncludes(damaged.stderr, "(left off the board)");
      await removeIndex(file);
      const plain = await board(root, home);
      assertEquals(damaged.json, plain.json);
      assertEquals(damaged.stderr, plain.stderr);
      await Deno.writeTextFile(changed, text);
    });

    const truth = await board(root, home);

    await t.step("damaged: made again, said once", async () => {
      const bytes = await Deno.readFile(file);
      bytes.fill(0x5a, 100, Math.min(bytes.length, 8192));
      await removeIndex(file);
      await Deno.writeFile(file, bytes, { mode: 0o600 });
      const got = await board(root, home);
      assertEquals(got.json, truth.json);
      assertEquals(got.stderr.split(SAID).length - 1, 1, got.stderr);
      const next = await board(root, home);
      assertEquals(next.json, truth.json);
      assertNotIncludes(next.stderr, SAID);
    });

    await t.step("not a database at all, or of another schema: made again", async () => {
      await removeIndex(file);
      await Deno.writeTextFile(file, "not sqlite\n".repeat(100), { mode: 0o600 });
      const garbage = await board(root, home);
      assertEquals(garbage.json, truth.json);
      assertStringIncludes(garbage.stderr, SAID);
      const db = new DatabaseSync(file);
      db.exec("PRAGMA user_version = 99");
      db.close();
      const schema = await board(root, home);
      assertEquals(schema.json, truth.json);
      assertStringIncludes(schema.stderr, "made by another mpm");
    });

    await t.step("copied from a clone: not this clone's, made again", async () => {
      const clone = join(dir, "clone");
      await copyTree(root, clone);
      await removeIndex((await indexOf(clone))!);
      await board(clone, home);
      const theirs = (await indexOf(clone))!;
      assert(theirs !== file.replace(root, clone), "another folder, another name");
      await removeIndex(file);
      await Deno.copyFile(theirs, file);
      const got = await board(root, home);
      assertEquals(got.json, truth.json);
      assertStringIncludes(got.stderr, "not this clone's");
    });

    await t.step("locked by another: the board reads the records", async () => {
      await board(root, home);
      const db = new DatabaseSync(file);
      db.exec("PRAGMA locking_mode = EXCLUSIVE");
      db.exec("BEGIN EXCLUSIVE");
      db.exec("DELETE FROM facts");
      try {
        const got = await board(root, home);
        assertEquals(got.json, truth.json);
        assertNotIncludes(got.stderr, SAID);
      } finally {
        db.exec("ROLLBACK");
        db.close();
      }
    });

    await t.step("a cache that cannot be written: the board reads the records", async () => {
      const cache = join(root, ".claude-mpm", "cache");
      await Deno.rename(cache, join(dir, "cache-aside"));
      await Deno.writeTextFile(cache, "a file where the folder was\n");
      try {
        const got = await board(root, home);
        assertEquals(got.json, truth.json);
      } finally {
        await Deno.remove(cache);
        await Deno.rename(join(dir, "cache-aside"), cache);
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
