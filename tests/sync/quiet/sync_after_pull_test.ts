/**
 * A pull that imported leaves what the next sync with nothing new needs (src/sync/sync_record.ts,
 * src/sync/quiet/): that sync neither lists the store's folders nor looks at or reads a file of
 * them, and answers what a sync that works it out from the files answers. The folders and files
 * it touches are counted by wrapping Deno's own calls, which still do the work.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { git, gitWithInput, okJson, type Repo, withClones, writeRecord } from "../../helpers.ts";
import { checksumLine } from "../../../src/kernel/hashing/checksum.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { readBytesIfExists } from "../../../src/disk/read/read.ts";
import { resolveRemote } from "../../../src/sync/remote/refs.ts";
import { pullSync, type SyncReport } from "../../../src/sync/pull.ts";
import { pushSync } from "../../../src/sync/push.ts";
import { settled } from "./settled.ts";

const STORE = ["sessions", "sessions/archive", "sessions/pause", "checkpoints", "handoffs"];

/**
 * Runs a push or pull in this process as `repo`'s machine, counting what it did to the store's
 * folders: each listed (Deno.readDir), each `.json` file in them looked at (Deno.lstatSync,
 * Deno.stat) and each read (the sync's reader). `quiet`: the answer was the kept one, given
 * without a look at the record of the files (cache/sync.json).
 */
async function counted(repo: Repo, op: typeof pushSync | typeof pullSync) {
  useMachineKeyFrom({ HOME: repo.home });
  const folders = new Set(STORE.map((dir) => join(repo.path, ".claude-mpm", dir)));
  const inStore = (path: string | URL) =>
    String(path).endsWith(".json") && folders.has(String(path).replace(/\/[^/]*$/, ""));
  const touched = { listed: [] as string[], looked: [] as string[], read: [] as string[] };
  const deno = Deno as unknown as Record<string, (...args: unknown[]) => unknown>;
  const real = { readDir: deno.readDir, lstatSync: deno.lstatSync, stat: deno.stat };
  deno.readDir = (path) => {
    if (folders.has(String(path))) touched.listed.push(String(path));
    return real.readDir(path);
  };
  const record = join(repo.path, ".claude-mpm", "cache", "sync.json");
  let worked = false;
  for (const name of ["lstatSync", "stat"] as const) {
    deno[name] = (path) => {
      if (inStore(path as string)) touched.looked.push(String(path));
      if (String(path) === record) worked = true;
      return real[name](path);
    };
  }
  const reader = (path: string) => {
    if (inStore(path)) touched.read.push(path);
    return readBytesIfExists(path);
  };
  try {
    const setup = await resolveRemote(repo.path);
    const report = await op(repo.path, setup, { reader, now: new Date() });
    return { report, touched, quiet: !worked };
  } finally {
    Object.assign(deno, real);
  }
}

/** A report as a person reads it: what moved and what stayed, not the attempts it took. */
function answer(report: SyncReport) {
  const { attempts: _, ...rest } = report;
  return rest;
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

/** B pushes a pause of its own, then A two of its own: B's next pull imports A's. */
async function ownThenTheirs(a: Repo, b: Repo): Promise<void> {
  await pause(b, "B's own: the invoices");
  await okJson(b, "sync", "push", "--json");
  for (const n of [1, 2]) await pause(a, `Pause ${n}: the ledger`);
  await okJson(a, "sync", "push", "--json");
}

const cache = (repo: Repo, name: string) => join(repo.path, ".claude-mpm", "cache", name);

Deno.test("the first sync with nothing new after a pull that imported touches no file of the store", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ownThenTheirs(a, b);
  await counted(b, pullSync);
  await settled(b);
  // B's record is whole and settled: a pull with nothing new is quiet.
  await counted(b, pullSync);

  const fresh = await pause(a, "Pause 3: the ledger's export");
  await okJson(a, "sync", "push", "--json");
  const imported = await counted(b, pullSync);
  assertEquals(imported.report.moved.map((m) => m.as), [fresh]);

  const pulled = await counted(b, pullSync);
  assertEquals(pulled.report.moved, []);
  assertEquals(pulled.touched, { listed: [], looked: [], read: [] }, "the pull touched the store");
  assert(pulled.quiet, "the importing pull left no answer for the next one");
  const pushed = await counted(b, pushSync);
  assertEquals([pushed.report.moved, pushed.report.in_both], [[], 4]);
  assertEquals(pushed.touched, { listed: [], looked: [], read: [] }, "the push touched the store");

  // The answer the importing pull left is the one a pull works out: from the record, and from
  // the files with none.
  await Deno.remove(cache(b, "sync-quiet.json"));
  const worked = await counted(b, pullSync);
  assert(!worked.quiet, "a pull without the kept answer works it out");
  assertEquals(answer(pulled.report), answer(worked.report));
  for (const name of ["sync.json", "sync-quiet.json"]) await Deno.remove(cache(b, name));
  const fromFiles = await counted(b, pullSync);
  assert(fromFiles.touched.listed.length > 0, "a sync with no record lists the store");
  assertEquals(answer(pulled.report), answer(fromFiles.report));
});

/** B's first syncs at the remote's commit, settled: each keeps its answer (the push's too). */
async function quietAt(b: Repo): Promise<void> {
  await counted(b, pullSync);
  await settled(b);
  await counted(b, pullSync);
  await counted(b, pushSync);
}

/** The answer B's push works out from the files, with no record and no answer kept. */
async function pushFromFiles(b: Repo) {
  for (const name of ["sync.json", "sync-quiet.json"]) await Deno.remove(cache(b, name));
  const worked = await counted(b, pushSync);
  assert(worked.touched.listed.length > 0, "a sync with no record lists the store");
  return answer(worked.report);
}

Deno.test("the first push with nothing new after a pull that imported touches no file of the store", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ownThenTheirs(a, b);
  await quietAt(b);

  const fresh = await pause(a, "Pause 3: the ledger's export");
  await okJson(a, "sync", "push", "--json");
  const imported = await counted(b, pullSync);
  assertEquals(imported.report.moved.map((m) => m.as), [fresh]);

  const pushed = await counted(b, pushSync);
  assertEquals([pushed.report.moved, pushed.report.in_both], [[], 4]);
  assertEquals(pushed.touched, { listed: [], looked: [], read: [] }, "the push touched the store");
  assert(pushed.quiet, "the importing pull left no answer for the next push");

  // The answer the importing pull left is the one a push works out: from the record, and from
  // the files with none.
  await Deno.remove(cache(b, "sync-quiet.json"));
  const worked = await counted(b, pushSync);
  assert(!worked.quiet, "a push without the kept answer works it out");
  assertEquals(answer(pushed.report), answer(worked.report));
  assertEquals(answer(pushed.report), await pushFromFiles(b));
});

Deno.test("a push that moved leaves the syncs after it theirs: then a pull of new work too", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await pause(b, "B's own: the invoices");
  await okJson(b, "sync", "push", "--json");
  await pause(a, "Pause 1: the ledger");
  await okJson(a, "sync", "push", "--json");
  await quietAt(b);

  const own = await pause(b, "B's own: the refunds");
  await settled(b);
  const sent = await counted(b, pushSync);
  assertEquals(sent.report.moved.map((m) => m.id), [own]);
  const again = await counted(b, pushSync);
  assert(again.quiet, "the push that moved left no answer for the next one");
  assertEquals([again.report.moved, again.report.in_both], [[], 3]);

  const fresh = await pause(a, "Pause 2: the ledger's export");
  await okJson(a, "sync", "push", "--json");
  const imported = await counted(b, pullSync);
  assertEquals([imported.report.moved.map((m) => m.as), imported.report.in_both], [[fresh], 3]);
  const pushed = await counted(b, pushSync);
  assert(pushed.quiet, "the importing pull left no answer for the next push");
  assertEquals(pushed.touched, { listed: [], looked: [], read: [] }, "the push touched the store");
  assertEquals([pushed.report.moved, pushed.report.in_both], [[], 4]);
  assertEquals(answer(pushed.report), await pushFromFiles(b));
});

Deno.test("a push after a pull that imported works it out when an import is not as the remote's", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  await pause(a, "Pause 1: the ledger");
  await okJson(a, "sync", "push", "--json");
  const ids = {
    a: join(a.path, ".claude-mpm", "sessions"),
    b: join(b.path, ".claude-mpm", "sessions"),
  };
  const record = (id: string) => Deno.readTextFile(join(ids.a, `${id}.json`)).then(JSON.parse);
  const textOf = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

  await t.step("renamed: B's own file, never pushed, holds the id", async () => {
    const taken = await pause(a, "Pause 2: the ledger's export");
    const text = textOf({ ...await record(taken), conversation: { summary: "B's, unshared" } });
    await writeRecord(ids.b, taken, text);
    await Deno.writeTextFile(
      join(b.path, ".claude-mpm", "sync.json"),
      JSON.stringify({ exclude: [taken] }),
    );
    await quietAt(b);
    await okJson(a, "sync", "push", "--json");
    const imported = await counted(b, pullSync);
    assert(imported.report.moved.every((m) => m.as !== taken), "the import was not renamed");
    const pushed = await counted(b, pushSync);
    assert(!pushed.quiet, "a renamed import left the push an answer");
    assertEquals(pushed.report.excluded.map((m) => m.id), [taken]);
    assertEquals(answer(pushed.report), await pushFromFiles(b));
  });

  await t.step("held back: an import with a secret where it is kept exact", async () => {
    await quietAt(b);
    const leaky = "session-20200101-000000";
    const base = await record(await pause(a, "Pause 3: the ledger's secret"));
    const text = textOf({
      ...base,
      session_id: leaky,
      git_context: { ...base.git_context, branch: "glpat-abcdefghijklmnopqrstuvwxyz" },
    });
    await addOnRemote(clones.remote, leaky, text);
    const imported = await counted(b, pullSync);
    assertEquals(imported.report.moved.map((m) => m.as), [leaky]);
    const pushed = await counted(b, pushSync);
    assert(!pushed.quiet, "an import held back left the push an answer");
    assertEquals(pushed.report.held_back.map((m) => m.id), [leaky]);
    assertEquals(answer(pushed.report), await pushFromFiles(b));
  });

  let own = "";
  await t.step("B's own pause since its last push goes out", async () => {
    await quietAt(b);
    own = await pause(b, "B's own: the refunds");
    await pause(a, "Pause 4: the ledger's import");
    await okJson(a, "sync", "push", "--json");
    await counted(b, pullSync);
    const pushed = await counted(b, pushSync);
    assertEquals(pushed.report.moved.map((m) => m.id), [own]);
  });

  await t.step("the remote lost B's file as it gained one: B's goes out again", async () => {
    await quietAt(b);
    const fresh = await pause(a, "Pause 5: the ledger's audit");
    const text = await Deno.readTextFile(join(ids.a, `${fresh}.json`));
    await addOnRemote(clones.remote, fresh, text, own);
    const imported = await counted(b, pullSync);
    assertEquals(imported.report.moved.map((m) => m.as), [fresh]);
    const pushed = await counted(b, pushSync);
    assertEquals(pushed.report.moved.map((m) => m.id), [own]);
  });
});

/**
 * Adds `id`'s record and checksum to the remote's ref as a new commit on it, as git would, less
 * `drop`'s.
 */
async function addOnRemote(remote: string, id: string, text: string, drop = ""): Promise<void> {
  const ref = "refs/mpm/sessions";
  const blob = (data: string) => gitWithInput(remote, ["hash-object", "-w", "--stdin"], data);
  const sessions = (await git(remote, "ls-tree", `${ref}:sessions`)).trim().split("\n")
    .filter((line) => drop === "" || !line.includes(`\t${drop}.json`));
  sessions.push(`100644 blob ${await blob(text)}\t${id}.json`);
  sessions.push(`100644 blob ${await blob(checksumLine(text, `${id}.json`))}\t${id}.json.sha256`);
  const top = (await git(remote, "ls-tree", ref)).trim().split("\n")
    .filter((line) => !line.endsWith("\tsessions"));
  top.push(
    `040000 tree ${await gitWithInput(remote, ["mktree"], sessions.join("\n") + "\n")}\tsessions`,
  );
  const tree = await gitWithInput(remote, ["mktree"], top.join("\n") + "\n");
  const tip = (await git(remote, "rev-parse", ref)).trim();
  const commit = (await git(remote, "commit-tree", "-p", tip, "-m", "by hand", tree)).trim();
  await git(remote, "update-ref", ref, commit);
}
