/** What a pull lists between the remote commit it last reconciled and the one it fetched. */
import { assertEquals } from "../assert.ts";
import { entriesAt, listChanged, listFolder, listTree } from "../../src/sync/refs.ts";
import { withRepo } from "../helpers.ts";

function many(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`sessions/s-${i}.json`] = `{"n": ${i}}\n`;
  return files;
}

Deno.test("after a teammate's push only the blobs it added or changed are listed", async () => {
  await using repo = await withRepo();
  const before = await repo.commit("store", many(50));
  const after = await repo.commit("push", {
    "sessions/s-7.json": '{"n": "seven"}\n',
    "sessions/new-1.json": "{}\n",
    "checkpoints/c-1.json": '{"c": 1}\n',
  });
  const listed = await listChanged(repo.path, before, after);
  assertEquals(listed?.changed.sort(), [
    "checkpoints/c-1.json",
    "sessions/new-1.json",
    "sessions/s-7.json",
  ]);
  // Their entries, asked by path, are the ones the whole listing gives, shas and sizes included.
  const whole = new Map((await listTree(repo.path, after)).map((e) => [e.path, e]));
  for (const entry of await entriesAt(repo.path, after, listed!.changed)) {
    const { sha, size, type } = whole.get(entry.path)!;
    assertEquals([entry.sha, entry.size, entry.type], [sha, size, type]);
  }
  assertEquals(await listChanged(repo.path, after, after), { changed: [], removed: [] });
});

Deno.test("a path the remote removed is told, and a pair's other half is found by its path", async () => {
  await using repo = await withRepo();
  const before = await repo.commit("store", many(5));
  await repo.git("rm", "-q", "sessions/s-2.json");
  const after = await repo.commit("push", { "sessions/s-3.json": "{}\n" });
  const changed = await listChanged(repo.path, before, after);
  assertEquals(changed, { changed: ["sessions/s-3.json"], removed: ["sessions/s-2.json"] });
  // The entries of paths asked by name are the whole listing's; a path not there is left out.
  const whole = new Map((await listTree(repo.path, after)).map((e) => [e.path, e]));
  const found = await entriesAt(repo.path, after, [
    "sessions/s-1.json",
    "sessions/s-2.json",
    "sessions/s-4.json",
  ]);
  assertEquals(found.map((e) => [e.path, e.sha, e.size]), [
    ["sessions/s-1.json", whole.get("sessions/s-1.json")!.sha, 9],
    ["sessions/s-4.json", whole.get("sessions/s-4.json")!.sha, 9],
  ]);
  assertEquals(
    (await listFolder(repo.path, after, "sessions")).map((e) => e.path),
    ["sessions/s-0.json", "sessions/s-1.json", "sessions/s-3.json", "sessions/s-4.json"],
  );
  assertEquals(await listFolder(repo.path, after, "vault"), []);
});

Deno.test("a rewritten remote, or none reconciled before, is listed whole", async () => {
  await using repo = await withRepo();
  const base = await repo.commit("store", many(3));
  const pushed = await repo.commit("push", { "sessions/gone.json": "{}\n" });
  // The remote is force-pushed to a chain that no longer holds `pushed`.
  await repo.git("reset", "-q", "--hard", base);
  const rewritten = await repo.commit("rewrite", { "sessions/other.json": "{}\n" });
  assertEquals(await listChanged(repo.path, pushed, rewritten), null);
  assertEquals(await listChanged(repo.path, null, rewritten), null);
});
