/**
 * The first pull after an upgrade, when no cache is this build's (src/sync/sync_record.ts): the
 * local side is read from the files into a LocalIndex and the record's lines, never a LocalFile
 * each; the remote's tree is read as git lists it, its files the same as the local ones counted,
 * not listed; and the record it keeps is the local side, which the next pull takes whole.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { okJson, type Repo, withClones } from "../helpers.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { fetchSessions, resolveRemote } from "../../src/sync/refs.ts";
import { pullSync } from "../../src/sync/pull.ts";
import { readRemote } from "../../src/sync/remote.ts";
import { knowLocal, localSide } from "../../src/sync/sync_record.ts";
import type { Kind } from "../../src/sync/plan.ts";

const KINDS: Kind[] = ["session", "checkpoint", "handoff"];

/** `a`'s three pauses pushed and pulled by `b`, then `b`'s sync caches gone, as after an upgrade. */
async function upgraded(a: Repo, b: Repo): Promise<string[]> {
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    const words = `Pause ${n}: the refunds table`;
    ids.push((await okJson(a, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id);
  }
  await okJson(a, "sync", "push", "--json");
  await okJson(b, "sync", "pull", "--json");
  const cache = join(b.path, ".claude-mpm", "cache");
  for await (const entry of Deno.readDir(cache)) {
    if (entry.name.startsWith("sync")) {
      await Deno.remove(join(cache, entry.name), { recursive: true });
    }
  }
  // As a day later: the folder's last change is long past (a settled look, quiet/stamps.ts).
  const past = new Date(Date.now() - 3_600_000);
  await Deno.utime(join(b.path, ".claude-mpm", "sessions"), past, past);
  useMachineKeyFrom({ HOME: b.home });
  return ids.sort();
}

Deno.test("a pull with no record of this build holds the local side as lines, not a file each", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const ids = await upgraded(a, b);
  const paths = projectPaths(b.path);

  const knowing = await knowLocal(paths, KINDS, { lean: true });
  assertEquals([knowing.record, knowing.lean], [null, undefined]);
  const local = await localSide(paths, knowing);
  assertEquals(local.files.length, 0, "no LocalFile is held for a file with its line");
  assertEquals(local.read, 3);
  const lines = (local.parts ?? []).flatMap((part) => part.split("\n"));
  assertEquals(lines.map((line) => line.split("\t")[0]), ids.map((id) => `sessions%2F${id}.json`));
  for (const id of ids) assert(local.index?.find("session", id), `${id} is in the index`);
  assertEquals([...local.ids.session].sort(), ids);

  const report = await pullSync(b.path, await resolveRemote(b.path), { now: new Date() });
  assertEquals([report.moved, report.in_both, report.refused], [[], 3, []]);
  // The record kept is the local side: the next pull reads it a part at a time, no file again.
  const next = await knowLocal(paths, KINDS, { lean: true });
  assert(next.lean !== undefined, "the record kept is the local side");
  assertEquals(next.lean.parts.length, 1);
});

Deno.test("a pull's read of the whole remote counts the files the same as the local ones", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const ids = await upgraded(a, b);
  const paths = projectPaths(b.path);
  const local = await localSide(paths, await knowLocal(paths, KINDS, { lean: true }));
  const base = await fetchSessions(b.path, "origin");

  const remote = await readRemote(b.path, base, local, KINDS, "origin", { lean: true });
  assertEquals([remote.files, remote.same, remote.refused], [[], 3, []]);
  for (const id of ids) assert(remote.ids.session.has(id), `${id} is among the ids`);
  const records = remote.entries.filter((e) => e.path.startsWith("sessions/"));
  assertEquals(records, [], "no entry of a record is kept");

  // Push's read still lists every file and entry: it builds its tree from them.
  const whole = await readRemote(b.path, base, local, KINDS, "origin");
  assertEquals([whole.files.length, whole.same], [3, 0]);
  assertEquals(whole.entries.filter((e) => e.path.startsWith("sessions/")).length, 6);
});
