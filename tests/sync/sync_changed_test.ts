/** What a pull lists between the remote commit it last reconciled and the one it fetched. */
import { assertEquals } from "../assert.ts";
import { listChanged, listTree } from "../../src/sync/refs.ts";
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
  const { full, entries } = await listChanged(repo.path, before, after);
  assertEquals(full, false);
  const listed = entries.map((e) => [e.path, e.type, e.size]).sort();
  assertEquals(listed, [
    ["checkpoints/c-1.json", "blob", 9],
    ["sessions/new-1.json", "blob", 3],
    ["sessions/s-7.json", "blob", 15],
  ]);
  // The same entries the whole listing gives for those paths, shas included.
  const whole = new Map((await listTree(repo.path, after)).map((e) => [e.path, e]));
  for (const entry of entries) assertEquals(entry, whole.get(entry.path));
  assertEquals(await listChanged(repo.path, after, after), { full: false, entries: [] });
});

Deno.test("a rewritten remote, or none reconciled before, is listed whole", async () => {
  await using repo = await withRepo();
  const base = await repo.commit("store", many(3));
  const pushed = await repo.commit("push", { "sessions/gone.json": "{}\n" });
  // The remote is force-pushed to a chain that no longer holds `pushed`.
  await repo.git("reset", "-q", "--hard", base);
  const rewritten = await repo.commit("rewrite", { "sessions/other.json": "{}\n" });
  const whole = await listTree(repo.path, rewritten);
  assertEquals(await listChanged(repo.path, pushed, rewritten), { full: true, entries: whole });
  assertEquals(await listChanged(repo.path, null, rewritten), { full: true, entries: whole });
});
