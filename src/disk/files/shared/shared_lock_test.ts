import { assert, assertEquals, assertRejects } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { SharedFileBusy, STALE_MS, withSharedLock } from "./shared_lock.ts";

async function folder(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "mpm-lock-" });
}

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false);

Deno.test("the work runs inside <file>.lock, which is gone after, also when the work throws", async () => {
  const dir = await folder();
  const file = join(dir, ".claude.json");
  const seen = await withSharedLock(
    file,
    async () => (await Deno.lstat(`${file}.lock`)).isDirectory,
  );
  assertEquals(seen, true);
  assertEquals(await exists(`${file}.lock`), false);
  await assertRejects(() => withSharedLock(file, () => Promise.reject(new Error("boom"))), /boom/);
  assertEquals(await exists(`${file}.lock`), false);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a lock another program holds is waited for, then refused in one sentence; it stays", async () => {
  const dir = await folder();
  const file = join(dir, ".claude.json");
  await Deno.mkdir(`${file}.lock`);
  let ran = false;
  const error = await assertRejects(
    () =>
      withSharedLock(file, () => Promise.resolve(ran = true), {
        waitMs: 60,
        shown: "~/.claude.json",
      }),
  );
  assert(error instanceof SharedFileBusy);
  assert(error.message.startsWith("~/.claude.json is locked by another program"), error.message);
  assertEquals(ran, false);
  assertEquals(await exists(`${file}.lock`), true, "another program's lock is not taken away");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a lock let go while mpm waits is taken; a stale one is taken over", async () => {
  const dir = await folder();
  const file = join(dir, ".claude.json");
  await Deno.mkdir(`${file}.lock`);
  const letGo = setTimeout(() => Deno.removeSync(`${file}.lock`), 30);
  assertEquals(await withSharedLock(file, () => Promise.resolve("mine")), "mine");
  clearTimeout(letGo);
  // Left behind by a process that ended: older than proper-lockfile's stale time.
  await Deno.mkdir(`${file}.lock`);
  const old = new Date(Date.now() - STALE_MS - 60_000);
  await Deno.utime(`${file}.lock`, old, old);
  assertEquals(await withSharedLock(file, () => Promise.resolve("again"), { waitMs: 0 }), "again");
  assertEquals(await exists(`${file}.lock`), false);
  // A file where the lock folder goes is nobody's lock to take over.
  await Deno.writeTextFile(`${file}.lock`, "");
  await Deno.utime(`${file}.lock`, old, old);
  const refused = await assertRejects(
    () => withSharedLock(file, () => Promise.resolve(1), { waitMs: 0 }),
    /is locked by another program/,
  );
  assert(refused instanceof SharedFileBusy && refused.hint?.includes("not a lock folder"));
  assertEquals(await exists(`${file}.lock`), true);
  await Deno.remove(dir, { recursive: true });
});
