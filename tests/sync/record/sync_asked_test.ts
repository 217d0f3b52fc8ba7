/**
 * A pull of what the remote changed holds only the local files those changes name (and those
 * renamed on arrival), not the whole store: its memory is flat in the store's size
 * (src/sync/sync_record.ts localSide, src/sync/remote/remote.ts askedBy). What it answers is the
 * same.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { git, okJson, type Repo, withClones, writeRecord } from "../../helpers.ts";
import { sessionIdFor } from "../../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../../src/sessions/store/session/build_snapshot.ts";
import { readBytesIfExists } from "../../../src/disk/read/read.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { resolveRemote, SYNC_REF, trackingRef } from "../../../src/sync/remote/refs.ts";
import { pullSync, type SyncReport } from "../../../src/sync/pull.ts";
import { pushSync } from "../../../src/sync/push.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { knowLocal, localSide, seenRemote } from "../../../src/sync/sync_record.ts";
import { PART_LINES } from "../../../src/sync/local/record_parts.ts";
import { askedBy, remoteSince } from "../../../src/sync/remote/remote.ts";
import type { Kind } from "../../../src/sync/plan/plan.ts";
import { settled } from "../quiet/settled.ts";

async function pull(repo: Repo): Promise<SyncReport> {
  useMachineKeyFrom({ HOME: repo.home });
  return await pullSync(repo.path, await resolveRemote(repo.path), { now: new Date() });
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

const sessions = (repo: Repo) => join(repo.path, ".claude-mpm", "sessions");

/** The kinds a pull reads by default (sync.json takes checkpoints). */
const KINDS: Kind[] = ["session", "checkpoint", "handoff"];

/**
 * As a day later: the folders' last change long past, then a push in this process that learns
 * them (setting the times back changes their look), so the next pull takes the record as the
 * local side.
 */
async function settle(repo: Repo): Promise<void> {
  await settled(repo);
  await pushSync(repo.path, await resolveRemote(repo.path));
}

Deno.test("a pull of what changed holds only the local files the changes name", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const old = [await pause(a, "X: the ledger"), await pause(a, "Y: the ledger")];
  await okJson(a, "sync", "push", "--json");
  assertEquals((await pull(b)).moved.map((m) => m.id).sort(), old.sort());
  await settle(b);
  const z = await pause(a, "Z: the ledger's export");
  await okJson(a, "sync", "push", "--json");

  // What the pull works from, step by step, after the fetch it makes.
  await git(b.path, "fetch", "--quiet", "origin", `+${SYNC_REF}:${trackingRef("origin")}`);
  const base = (await git(b.path, "rev-parse", trackingRef("origin"))).trim();
  const paths = projectPaths(b.path);
  useMachineKeyFrom({ HOME: b.home });
  const knowing = await knowLocal(paths, KINDS, { lean: true });
  assert(knowing.lean !== undefined, "the record is the local side");
  const since = await remoteSince(b.path, seenRemote(knowing, "origin"), base, KINDS);
  assert(since !== undefined, "the pull lists only what changed");
  const asked = askedBy(since, KINDS);
  assertEquals([...asked], [`session\0${z}`]);
  const local = await localSide(paths, knowing, asked);
  // Neither X nor Y is held: the pull asks of Z alone, which B lacks.
  assertEquals([local.ids.session.has(old[0]), local.ids.session.has(z)], [false, false]);
  assertEquals(local.index?.find("session", old[0]), undefined);

  const pulled = await pull(b);
  assertEquals([pulled.moved.map((m) => m.id), pulled.in_both], [[z], 2]);
});

Deno.test("a file pushed renamed is known here under its first id, though no change names it", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const id = await pause(a, "Alice's work");
  // B has a different snapshot under the same id (both paused in the same second).
  const record = JSON.parse(await Deno.readTextFile(join(sessions(a), `${id}.json`)));
  record.conversation.summary = "Bob's work";
  const text = JSON.stringify(record, null, 2) + "\n";
  await writeRecord(sessions(b), id, text);
  await okJson(a, "sync", "push", "--json");
  const first = await pull(b);
  assertEquals(first.moved.length, 1);
  // B's push sends Bob's under another id, recording `id` as where it came from; the settle's
  // push is that one.
  await settle(b);
  const knowing = await knowLocal(projectPaths(b.path), KINDS, { lean: true });
  assert(knowing.lean !== undefined, "the record is the local side");

  // The change B's pull lists is that renamed copy: it is Bob's, held here as `id`.
  const pulled = await pull(b);
  assertEquals([pulled.moved, pulled.refused], [[], []]);
  const names = [...Deno.readDirSync(sessions(b))].filter((e) => e.name.endsWith(".json"));
  assertEquals(names.length, 2);
});

/** `count` snapshots of a year ago in `repo`'s store, a minute apart, as pauses would leave them. */
async function oldSnapshots(repo: Repo, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const now = new Date(Date.UTC(2025, 0, 1) + i * 60_000);
    const id = sessionIdFor(now);
    const text = serializeSnapshot(buildSnapshot({
      summary: `Old work ${i}`,
      accomplishments: [],
      nextSteps: [],
      todos: [],
    }, {
      id,
      now,
      git: null,
      projectPath: repo.path,
      version: "0.0.0",
      build: "test",
    }));
    await writeRecord(sessions(repo), id, text);
  }
}

Deno.test("a pull of what changed reads only the record's parts that may name it", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  // B's store fills more than one part of the record; the first names only last year's files.
  await oldSnapshots(b, PART_LINES + 5);
  await settle(b);
  assertEquals((await pull(b)).moved, []);
  await settle(b);
  const z = await pause(a, "Z: the ledger's export");
  await okJson(a, "sync", "push", "--json");

  // The first part damaged: a pull that read it would not take the record as the local side,
  // and would list and read B's files again. Its span says it names nothing new: it is not read.
  const part = join(b.path, ".claude-mpm", "cache", "sync-files", "0.json");
  await Deno.writeTextFile(part, "{ not json");
  const reads: string[] = [];
  const reader = (path: string) => {
    reads.push(path);
    return readBytesIfExists(path);
  };
  useMachineKeyFrom({ HOME: b.home });
  const pulled = await pullSync(b.path, await resolveRemote(b.path), { reader, now: new Date() });
  assertEquals([pulled.moved.map((m) => m.id), pulled.in_both], [[z], PART_LINES + 5]);
  assertEquals(reads.filter((p) => p.endsWith(".json")), []);
});
