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
  assertEquals(await listChanged(repo.path, after, after), {
    full: false,
    entries: [],
    removed: [],
  });
});

Deno.test("a path the remote removed is told, and a pair's other half is found by its path", async () => {
  await using repo = await withRepo();
  const before = await repo.commit("store", many(5));
  await repo.git("rm", "-q", "sessions/s-2.json");
  const after = await repo.commit("push", { "sessions/s-3.json": "{}\n" });
  const changed = await listChanged(repo.path, before, after);
  assertEquals(changed.removed, ["sessions/s-2.json"]);
  assertEquals(changed.entries.map((e) => e.path), ["sessions/s-3.json"]);
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
  const whole = await listTree(repo.path, rewritten);
  assertEquals(await listChanged(repo.path, pushed, rewritten), {
    full: true,
    entries: whole,
    removed: [],
  });
  assertEquals(await listChanged(repo.path, null, rewritten), {
    full: true,
    entries: whole,
    removed: [],
  });
});
