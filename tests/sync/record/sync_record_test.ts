/**
 * What a sync knows from the last one (src/sync/sync_record.ts): a sync with nothing new reads no
 * snapshot file, a pull after a teammate's push reads and imports exactly the new ones, and a
 * record that is damaged or stale is ignored and rebuilt, with the answer a sync without it gives.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { okJson, type Repo, withClones } from "../../helpers.ts";
import { pullSync, type SyncReport } from "../../../src/sync/pull.ts";
import { pushSync } from "../../../src/sync/push.ts";
import { counted } from "./counted.ts";
import { settled } from "../quiet/settled.ts";

/** A report as a person reads it: what moved and what stayed, not the attempts it took. */
function answer(report: SyncReport) {
  const { attempts: _, ...rest } = report;
  return rest;
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

const recordOf = (repo: Repo) => join(repo.path, ".claude-mpm", "cache", "sync.json");
const quietOf = (repo: Repo) => join(repo.path, ".claude-mpm", "cache", "sync-quiet.json");

Deno.test("a second push or pull with nothing new reads no snapshot file", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  for (const n of [1, 2, 3]) await pause(a, `Pause ${n}: the refunds table`);

  const first = await counted(a, pushSync);
  assertEquals(first.report.moved.length, 3);
  assert(first.reads.length >= 3, "the first push reads the snapshots it sends");
  const second = await counted(a, pushSync);
  assertEquals(second.reads, [], "a push with nothing new reads no snapshot");
  assertEquals([second.report.moved, second.report.in_both], [[], 3]);
  // The answer of a push that moved nothing is kept, and given again while nothing changes.
  const third = await counted(a, pushSync);
  assertEquals(third.reads, []);
  assertEquals(answer(third.report), answer(second.report));

  const pulled = await counted(b, pullSync);
  assertEquals(pulled.report.moved.length, 3);
  const again = await counted(b, pullSync);
  assertEquals(again.reads, [], "a pull with nothing new reads no snapshot");
  assertEquals([again.report.moved, again.report.in_both], [[], 3]);
  const once = await counted(b, pullSync);
  assertEquals(answer(once.report), answer(again.report));
});

Deno.test("a pull after a teammate's new push reads and imports exactly the new ones", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const old = [await pause(a, "First: the ledger"), await pause(a, "Second: the ledger")];
  await okJson(a, "sync", "push", "--json");
  assertEquals((await counted(b, pullSync)).report.moved.map((m) => m.id).sort(), old.sort());

  const fresh = await pause(a, "Third: the ledger's export");
  await okJson(a, "sync", "push", "--json");
  const { report, reads } = await counted(b, pullSync);
  assertEquals(report.moved.map((m) => m.id), [fresh]);
  assertEquals(report.in_both, 2);
  // B's own files were not read again, nor the one it imported: known from what it wrote.
  assertEquals(reads, []);
  assertEquals((await counted(b, pullSync)).reads, []);
});

Deno.test("a damaged or stale sync record is ignored and rebuilt, with the same answer", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const ids = [await pause(a, "One: the webhook"), await pause(a, "Two: the webhook")];
  await counted(a, pushSync);
  const kept = await counted(a, pushSync);
  assertEquals(kept.reads, []);

  // Damaged: not JSON, then JSON whose seal this machine did not make.
  for (const text of ["{ not json", JSON.stringify({ root: a.path, format: "sha1", files: "" })]) {
    await Deno.writeTextFile(recordOf(a), text);
    await Deno.writeTextFile(quietOf(a), text.replace('"files":""', '"answers":[]'));
    const rebuilt = await counted(a, pushSync);
    assert(rebuilt.reads.length >= 2, "a record not to be used is not used");
    assertEquals(answer(rebuilt.report), answer(kept.report));
    assertEquals((await counted(a, pushSync)).reads, [], "and it is made anew");
  }

  // Stale: the remote moved on (B pushed) since a pull that took nothing; its answer is not
  // given again, and the pull takes exactly B's one.
  assertEquals((await counted(a, pullSync)).report.moved, []);
  const theirs = await pause(b, "B's own: the invoices");
  await okJson(b, "sync", "push", "--json");
  const later = await counted(a, pullSync);
  assertEquals(later.report.moved.map((m) => m.id), [theirs]);
  assertEquals(later.reads, [], "what it imported is known from what it wrote");

  // Stale: a snapshot changed by hand after the record was kept (an editor's save: the new text
  // put in its place, which changes its folder) is read again and refused, as a sync without a
  // record refuses it.
  const file = join(a.path, ".claude-mpm", "sessions", `${ids[0]}.json`);
  const text = await Deno.readTextFile(file);
  await Deno.writeTextFile(`${file}~`, text.replace("One: the webhook", "One: the webhooks"));
  await Deno.rename(`${file}~`, file);
  const stale = await counted(a, pushSync);
  assert(stale.reads.some((p) => p === file), "a changed file is read again");
  assertEquals(stale.report.refused.map((r) => r.id), [ids[0]]);
  await Deno.remove(recordOf(a));
  await Deno.remove(quietOf(a));
  const without = await counted(a, pushSync);
  assertEquals(answer(stale.report), answer(without.report));
});

Deno.test("a part of the record that is not the one its head names is no record", async () => {
  await using clones = await withClones();
  const { a } = clones;
  const part = join(a.path, ".claude-mpm", "cache", "sync-files", "0.json");
  for (const n of [1, 2]) await pause(a, `Pause ${n}: the ledger`);
  await counted(a, pushSync);
  const older = await Deno.readTextFile(part);
  await pause(a, "Pause 3: the ledger's export");
  const kept = await counted(a, pushSync);
  assertEquals(kept.report.moved.length, 1);
  assertEquals((await counted(a, pushSync)).reads, [], "the record knows all three");

  // Sealed by this machine, but an earlier sync's (as a sync stopped before its head leaves it):
  // every file is read again, and the answer is what a sync without a record gives. (The kept
  // answer of a push that moved nothing goes too: it would answer without the record.)
  for (const text of [older, "{ not json"]) {
    await Deno.writeTextFile(part, text);
    await Deno.remove(quietOf(a)).catch(() => {});
    const again = await counted(a, pushSync);
    assertEquals(again.reads.length, 3, "a part not to be used is not used");
    assertEquals([again.report.moved, again.report.in_both], [[], 3]);
    assertEquals((await counted(a, pushSync)).reads, [], "and it is made anew");
  }
});

Deno.test("a part of the record the new head does not name is removed, and only that", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await pause(a, "Pause 1: the ledger");
  await counted(a, pushSync);
  const folder = join(a.path, ".claude-mpm", "cache", "sync-files");
  // A part a former head named (one of more parts, or of a head given up), a link and a file
  // that are not mpm's parts.
  await Deno.copyFile(join(folder, "0.json"), join(folder, "5.json"));
  const outside = join(a.path, "outside.json");
  await Deno.writeTextFile(outside, "a file of the person's\n");
  await Deno.symlink(outside, join(folder, "6.json"));
  await Deno.writeTextFile(join(folder, "notes.json"), "not mpm's\n");

  await pause(a, "Pause 2: the ledger's export");
  assertEquals((await counted(a, pushSync)).report.moved.length, 1);
  assertEquals(Deno.readDirSync(folder).map((e) => e.name).toArray().sort(), [
    "0.json",
    "6.json",
    "notes.json",
  ]);
  assertEquals(await Deno.readTextFile(outside), "a file of the person's\n");
});

Deno.test("a sync with nothing new reads neither the record of the files nor their folders", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  for (const n of [1, 2]) await pause(a, `Pause ${n}: the payouts`);
  await counted(a, pushSync);
  await counted(b, pullSync);
  for (const repo of [a, b]) await settled(repo);
  const pushed = await counted(a, pushSync);
  const pulled = await counted(b, pullSync);
  assertEquals([pushed.report.in_both, pulled.report.in_both], [2, 2]);

  // The record of the files damaged: a sync that read it would ignore it, read every file and
  // keep a new one. A sync with nothing new leaves it as it is.
  for (const repo of [a, b]) await Deno.writeTextFile(recordOf(repo), "{ not json");
  const push = await counted(a, pushSync);
  const pull = await counted(b, pullSync);
  assertEquals([push.reads, pull.reads], [[], []]);
  assertEquals(answer(push.report), answer(pushed.report));
  assertEquals(answer(pull.report), answer(pulled.report));
  for (const repo of [a, b]) assertEquals(await Deno.readTextFile(recordOf(repo)), "{ not json");

  // A new file changes its folder: the next push reads the files again and sends it.
  const fresh = await pause(a, "Pause 3: the payouts' report");
  const next = await counted(a, pushSync);
  assertEquals(next.report.moved.map((m) => m.id), [fresh]);
  assert(next.reads.length >= 3, "the files are read again, the record being damaged");
});

Deno.test("while the folders look as they did, a pull of new work looks at no file of its own", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const mine = await pause(a, "Mine: the ledger");
  await counted(a, pushSync);
  await settled(a);
  // This read is kept whole: every file, and the folders' look before it.
  assertEquals((await counted(a, pullSync)).report.in_both, 1);

  // A's file looks otherwise (its times), its folder the same: a sync that looked at each file
  // would read it again.
  const past = new Date(Date.now() - 120_000);
  await Deno.utime(join(a.path, ".claude-mpm", "sessions", `${mine}.json`), past, past);
  const theirs = await pause(b, "Theirs: the invoices");
  await okJson(b, "sync", "push", "--json");
  const { report, reads } = await counted(a, pullSync);
  assertEquals(report.moved.map((m) => m.id), [theirs]);
  assertEquals([report.in_both, reads], [1, []]);
});
