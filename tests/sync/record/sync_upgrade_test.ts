/**
 * The first pull after an upgrade (src/sync/sync_record.ts). With a record an older mpm kept (its
 * lines laid out as this one's), the pull takes it for what the files are and reads none; so does
 * the push, but it reads and checks again each file it sends, a newer mpm holding back what an
 * older one let through. With no record at all, the local side is read from the files into a LocalIndex and the
 * record's lines, never a LocalFile each; the remote's tree is read as git lists it, its files the
 * same as the local ones counted, not listed; and the record it keeps is the local side, which the
 * next pull takes whole.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { okJson, type Repo, withClones, writeRecord } from "../../helpers.ts";
import { machineKey, useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { hmacSha256HexAsync } from "../../../src/kernel/hashing/seal.ts";
import { readBytesIfExists } from "../../../src/disk/read/read.ts";
import { pushSync } from "../../../src/sync/push.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { fetchSessions, resolveRemote } from "../../../src/sync/remote/refs.ts";
import { pullSync } from "../../../src/sync/pull.ts";
import { statusSync } from "../../../src/sync/status.ts";
import { readRemote } from "../../../src/sync/remote/remote.ts";
import { keepQuiet, knowLocal, localSide } from "../../../src/sync/sync_record.ts";
import type { Kind } from "../../../src/sync/plan/plan.ts";

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

/**
 * `b`'s sync caches as another mpm (`by`) kept them: each sealed JSON file's maker and, in the
 * record's head, whose checks its lines passed, sealed again with this machine's key.
 */
async function keptByAnother(b: Repo, by: string, layout?: number): Promise<void> {
  const cache = join(b.path, ".claude-mpm", "cache");
  const files: string[] = [];
  for await (const entry of Deno.readDir(cache)) {
    if (entry.isFile && entry.name.startsWith("sync") && entry.name.endsWith(".json")) {
      files.push(join(cache, entry.name));
    }
  }
  for await (const entry of Deno.readDir(join(cache, "sync-files"))) {
    files.push(join(cache, "sync-files", entry.name));
  }
  for (const file of files) {
    const { seal: _, ...value } = JSON.parse(await Deno.readTextFile(file));
    value.mpm = by;
    if ("checked" in value) value.checked = by;
    if ("layout" in value && layout !== undefined) value.layout = layout;
    const body = JSON.stringify(value);
    const seal = await hmacSha256HexAsync(machineKey()!, body);
    await Deno.writeTextFile(file, `${body.slice(0, -1)},"seal":${JSON.stringify(seal)}}\n`);
  }
}

/** `a`'s three pauses pushed and pulled by `b`, each file `b` reads from then on counted. */
async function sharedThree(a: Repo, b: Repo) {
  for (const n of [1, 2, 3]) {
    await okJson(a, "pause", "--json", "--no-prune-worktrees", "-s", `Pause ${n}: the ledger`);
  }
  await okJson(a, "sync", "push", "--json");
  await okJson(b, "sync", "pull", "--json");
  useMachineKeyFrom({ HOME: b.home });
  const reads: string[] = [];
  const reader = (path: string) => {
    reads.push(path);
    return readBytesIfExists(path);
  };
  return { reads, reader };
}

Deno.test("a pull and a push take an older mpm's record; the push reads none it does not send", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const { reads, reader } = await sharedThree(a, b);
  await keptByAnother(b, "0.0.1 older");
  const paths = projectPaths(b.path);
  const setup = await resolveRemote(b.path);

  const pulled = await pullSync(b.path, setup, { now: new Date(), reader });
  assertEquals([pulled.moved, pulled.in_both, pulled.refused], [[], 3, []]);
  assertEquals(reads, [], "the pull read a file the older record knows");
  // The record the pull keeps still says whose checks its lines passed: not this mpm's.
  assertEquals((await knowLocal(paths, KINDS)).record, null);
  assert((await knowLocal(paths, KINDS, { older: true })).record !== null);

  // All three are on the remote as they are here: none goes, none is read, nor by `status`.
  const status = await statusSync(b.path, setup, { reader });
  assertEquals([status.moved, status.incoming, status.in_both], [[], [], 3]);
  const pushed = await pushSync(b.path, setup, { reader });
  assertEquals([pushed.moved, pushed.in_both, pushed.held_back], [[], 3, []]);
  assertEquals(reads, []);
});

Deno.test("the first push after an upgrade checks again what it sends: one an older mpm let through stays", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const { reads, reader } = await sharedThree(a, b);
  // A snapshot holding a token (as if it slipped past an older mpm's redaction), with a line in
  // the record as if it had passed that mpm's checks.
  const sessions = join(b.path, ".claude-mpm", "sessions");
  const [one] = [...Deno.readDirSync(sessions)].map((e) => e.name).filter((n) =>
    n.endsWith(".json")
  );
  const record = JSON.parse(await Deno.readTextFile(join(sessions, one)));
  const leaky = "session-20200101-000000";
  record.session_id = leaky;
  record.conversation.summary = "token glpat-abcdefghijklmnopqrstuvwxyz";
  await writeRecord(sessions, leaky, JSON.stringify(record, null, 2) + "\n");
  const paths = projectPaths(b.path);
  const knowing = await knowLocal(paths, KINDS);
  const local = await localSide(paths, knowing);
  const file = local.files.find((f) => f.id === leaky)!;
  assertMatch(file.problem?.message ?? "", /looks like a secret/);
  delete file.problem;
  await keepQuiet(paths, knowing, local);
  await keptByAnother(b, "0.0.1 older");
  reads.length = 0;

  const setup = await resolveRemote(b.path);
  const status = await statusSync(b.path, setup, { reader });
  assertEquals([status.moved, status.held_back.map((l) => l.id)], [[], [leaky]]);
  reads.length = 0;
  const pushed = await pushSync(b.path, setup, { reader });
  assertEquals(pushed.moved, []);
  assertEquals(pushed.held_back.map((l) => l.id), [leaky]);
  assertEquals(reads.filter((p) => p.endsWith(".json")), [join(sessions, `${leaky}.json`)]);
});

Deno.test("an older mpm's record laid out otherwise is not taken: the pull reads the files", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const { reads, reader } = await sharedThree(a, b);
  await keptByAnother(b, "0.0.1 older", 0);
  const pulled = await pullSync(b.path, await resolveRemote(b.path), { now: new Date(), reader });
  assertEquals([pulled.moved, pulled.in_both], [[], 3]);
  assertEquals(reads.filter((p) => p.endsWith(".json")).length, 3);
});

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
