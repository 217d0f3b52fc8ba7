/**
 * What a pull lists between the remote commit it last reconciled and the one it fetched, and what
 * the fetch itself tells of them.
 */
import { assertEquals } from "../../assert.ts";
import {
  entriesAt,
  fetchSessionsFrom,
  listChanged,
  listFolder,
  listTree,
  syncRefs,
} from "../../../src/sync/remote/refs.ts";
import { withRepo } from "../../helpers.ts";

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
  assertEquals(await listChanged(repo.path, after, after), {
    changed: [],
    removed: [],
    links: [],
    ids: new Map(),
  });
});

Deno.test("a changed path's entry is asked by the id the diff told, not through the trees", async () => {
  await using repo = await withRepo();
  const before = await repo.commit("store", many(3));
  const after = await repo.commit("push", { "sessions/new-1.json": "{}\n" });
  const listed = (await listChanged(repo.path, before, after))!;
  const id = (await repo.git("rev-parse", `${after}:sessions/new-1.json`)).trim();
  assertEquals(listed.ids, new Map([["sessions/new-1.json", id]]));
  // Asked of a commit whose tree lacks the path: git is asked the id alone, so it is found.
  const found = await entriesAt(repo.path, before, ["sessions/new-1.json"], listed.ids);
  assertEquals(found.map((e) => [e.path, e.sha, e.type, e.size]), [
    ["sessions/new-1.json", id, "blob", 3],
  ]);
});

Deno.test("a path the remote removed is told, and a pair's other half is found by its path", async () => {
  await using repo = await withRepo();
  const before = await repo.commit("store", many(5));
  await repo.git("rm", "-q", "sessions/s-2.json");
  const after = await repo.commit("push", { "sessions/s-3.json": "{}\n" });
  const changed = await listChanged(repo.path, before, after);
  assertEquals(changed, {
    changed: ["sessions/s-3.json"],
    removed: ["sessions/s-2.json"],
    links: [],
    ids: new Map([[
      "sessions/s-3.json",
      (await repo.git("rev-parse", `${after}:sessions/s-3.json`)).trim(),
    ]]),
  });
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

Deno.test("a fetch tells whether it moved on from the tracking ref's commit; a tag is no commit", async () => {
  await using remote = await withRepo();
  await using local = await withRepo();
  await local.git("remote", "add", "origin", remote.path);
  const ref = "refs/mpm/sessions";
  const first = await remote.commit("store", many(2));
  await remote.git("update-ref", ref, first);
  assertEquals(await fetchSessionsFrom(local.path, "origin", null), { commit: first, from: null });
  assertEquals(await syncRefs(local.path, "origin"), { local: null, tracking: first });

  // A push on top: a fast-forward, so the commit fetched from is one of the new one's.
  const next = await remote.commit("push", { "sessions/new.json": "{}\n" });
  await remote.git("update-ref", ref, next);
  assertEquals(await fetchSessionsFrom(local.path, "origin", first), { commit: next, from: first });

  // Rewritten: the tracking ref follows it, and nothing is said to be its ancestor.
  await remote.git("reset", "-q", "--hard", first);
  const rewritten = await remote.commit("rewrite", { "sessions/other.json": "{}\n" });
  await remote.git("update-ref", ref, rewritten);
  assertEquals(await fetchSessionsFrom(local.path, "origin", next), {
    commit: rewritten,
    from: null,
  });
  assertEquals(await listChanged(local.path, next, rewritten, null), null);

  // A tag where the refs hold commits is not taken as one, from the files or from git.
  await local.git("tag", "-a", "-m", "odd", "odd", rewritten);
  const tag = (await local.git("rev-parse", "refs/tags/odd")).trim();
  await local.git("update-ref", "refs/mpm/remotes/origin/sessions", tag);
  await local.git("update-ref", ref, rewritten);
  assertEquals(await syncRefs(local.path, "origin"), { local: rewritten, tracking: null });
  // Nor is one the remote's ref names: what is fetched is the commit it names.
  await remote.git("tag", "-a", "-m", "odd", "sent", next);
  await remote.git("update-ref", ref, (await remote.git("rev-parse", "refs/tags/sent")).trim());
  assertEquals((await fetchSessionsFrom(local.path, "origin", null)).commit, next);
});
