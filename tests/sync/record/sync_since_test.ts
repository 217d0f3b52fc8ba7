/**
 * A pull looks only at what the remote changed since the last pull that took everything
 * (src/sync/remote/remote.ts remoteSince, the commit kept in cache/sync.json): what the remote held
 * then is not listed or read again; a rewritten remote, or no record, is listed whole; and a pull
 * cut short, or one that refused a file, leaves the start where it was, so the next one skips
 * nothing.
 */
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../assert.ts";
import { git, gitWithInput, okJson, type Repo, withClones } from "../../helpers.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { resolveRemote } from "../../../src/sync/remote/refs.ts";
import { gitVars, useGitEnvFrom } from "../../../src/git/run/run.ts";
import { pullSync, type SyncOptions, type SyncReport } from "../../../src/sync/pull.ts";

/** A pull in this process as `repo`'s machine. */
async function pull(repo: Repo, options: SyncOptions = {}): Promise<SyncReport> {
  useMachineKeyFrom({ HOME: repo.home });
  return await pullSync(repo.path, await resolveRemote(repo.path), { now: new Date(), ...options });
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

async function push(repo: Repo): Promise<void> {
  await okJson(repo, "sync", "push", "--json");
}

const ids = (report: SyncReport) => report.moved.map((m) => m.id).sort();
const sessions = (repo: Repo) => join(repo.path, ".claude-mpm", "sessions");
const recordText = (repo: Repo) =>
  Deno.readTextFile(join(repo.path, ".claude-mpm", "cache", "sync.json"));
const remoteCommit = async (remote: string) =>
  (await git(remote, "rev-parse", "refs/mpm/sessions")).trim();

/** Removes a snapshot's files from `repo` (as a person tidying by hand would). */
async function drop(repo: Repo, id: string): Promise<void> {
  for (const entry of Deno.readDirSync(sessions(repo))) {
    if (entry.name.startsWith(`${id}.`)) await Deno.remove(join(sessions(repo), entry.name));
  }
}

/** Forgets what the last syncs kept: the next one works everything out again. */
async function forget(repo: Repo): Promise<void> {
  for (const name of ["sync.json", "sync-quiet.json"]) {
    await Deno.remove(join(repo.path, ".claude-mpm", "cache", name)).catch(() => {});
  }
}

/**
 * A commit on the remote's ref whose `sessions/` is its parent's with `files` put in, as someone
 * with push access could make it; with `parent` null, a rewrite that has no parent.
 */
async function forge(
  remote: string,
  files: Record<string, string>,
  parent: string | null,
): Promise<string> {
  const listed = (await git(remote, "ls-tree", "refs/mpm/sessions:sessions")).trim().split("\n");
  const lines = listed.filter((line) => !(line.split("\t")[1] in files));
  for (const [name, text] of Object.entries(files)) {
    lines.push(
      `100644 blob ${await gitWithInput(remote, ["hash-object", "-w", "--stdin"], text)}\t${name}`,
    );
  }
  const folder = await gitWithInput(remote, ["mktree"], lines.join("\n") + "\n");
  const root = await gitWithInput(remote, ["mktree"], `040000 tree ${folder}\tsessions\n`);
  const commit = (await git(
    remote,
    "commit-tree",
    ...(parent ? ["-p", parent] : []),
    "-m",
    "by hand",
    root,
  )).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", commit);
  return commit;
}

Deno.test("a pull looks only at what the remote changed since the last one; without a record, at all", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const [x, y] = [await pause(a, "X: the ledger"), await pause(a, "Y: the ledger")];
  await push(a);
  assertEquals(ids(await pull(b)), [x, y].sort());

  // What the remote held at B's last pull is not looked at again; B's own removal of Y ends
  // that: the pull lists the remote whole, as without a record, and takes back what B lacks.
  const z = await pause(a, "Z: the ledger's export");
  await push(a);
  assertEquals(ids(await pull(b)), [z]);
  assert((await recordText(b)).includes(await remoteCommit(clones.remote)));
  await drop(b, y);
  const v = await pause(a, "V: the ledger's totals");
  await push(a);
  assertEquals(ids(await pull(b)), [v, y].sort());

  // The remote's ids are kept in parts, each named by its sha256: one that is not the part named
  // (damaged, or an earlier pull's) is no answer, and the next pull of new work lists the whole
  // remote (`ls-tree -r`), as without a record.
  const part = join(b.path, ".claude-mpm", "cache", "sync-remote", "0.txt");
  await Deno.writeTextFile(part, (await Deno.readTextFile(part)).replace(y, z));
  const w = await pause(a, "W: the ledger's import");
  await push(a);
  assert((await gitRuns(async () => assertEquals(ids(await pull(b)), [w]))).includes("ls-tree"));

  // The record is derived: without it the pull lists the whole remote and takes what B lacks.
  await drop(b, y);
  await forget(b);
  assertEquals(ids(await pull(b)), [y]);
});

Deno.test("a rewritten remote is listed whole; a half-changed pair is read with its other half", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  const x = await pause(a, "X: the webhook");
  await push(a);
  assertEquals(ids(await pull(b)), [x]);

  // A's next snapshot reaches the remote in two commits: its checksum line, then its record.
  const w = await pause(a, "W: the webhook's retries");
  const text = await Deno.readTextFile(join(sessions(a), `${w}.json`));
  const checksum = await Deno.readTextFile(join(sessions(a), `${w}.json.sha256`));
  const half = await forge(remote, { [`${w}.json.sha256`]: checksum }, await remoteCommit(remote));
  assertEquals(ids(await pull(b)), []);
  await forge(remote, { [`${w}.json`]: text }, half);
  const whole = await pull(b);
  assertEquals([ids(whole), whole.refused], [[w], []]);

  // Rewritten: a commit that does not descend from what B pulled. B lists it whole, and takes
  // back what it removed, though the remote's file did not change.
  await drop(b, x);
  const rewritten = await forge(remote, {}, null);
  assertEquals(ids(await pull(b)), [x]);
  assert((await recordText(b)).includes(rewritten));
});

Deno.test("a pull cut short or refusing a file keeps its start: the next one skips nothing", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  const x = await pause(a, "X: the invoices");
  await push(a);
  assertEquals(ids(await pull(b)), [x]);
  const start = await remoteCommit(remote);

  // Cut short after it listed what is new, before it imported any of it.
  const fresh = [await pause(a, "Y: the invoices"), await pause(a, "Z: the invoices")];
  await push(a);
  const stop = (line: string) => {
    if (line.startsWith("Importing")) throw new Error("cut short");
  };
  await assertRejects(() => pull(b, { progress: stop }), /cut short/);
  const record = await recordText(b);
  assert(record.includes(start) && !record.includes(await remoteCommit(remote)), record);
  assertEquals(ids(await pull(b)), fresh.sort());
  const taken = await remoteCommit(remote);
  assert((await recordText(b)).includes(taken));

  // A file that fails its check is refused, and refused again by the next pull, not skipped.
  const bad = "session-20250101-000000";
  await forge(remote, { [`${bad}.json`]: "{}\n", [`${bad}.json.sha256`]: "0".repeat(64) }, taken);
  for (let i = 0; i < 2; i++) {
    const refused = await pull(b);
    assertEquals(refused.refused.map((r) => r.id), [bad]);
    assert((await recordText(b)).includes(taken));
  }
});

/** The git commands `fn` runs in this process (git's own trace of them). */
async function gitRuns(fn: () => Promise<unknown>): Promise<string[]> {
  const trace = await Deno.makeTempFile({ prefix: "mpm-git-trace-" });
  useGitEnvFrom({ ...gitVars(), GIT_TRACE: trace });
  try {
    await fn();
  } finally {
    useGitEnvFrom(undefined);
  }
  const text = await Deno.readTextFile(trace);
  await Deno.remove(trace);
  return [...text.matchAll(/trace: built-in: git ([a-z-]+)/g)].map((m) => m[1]);
}

Deno.test("with nothing new a pull asks the remote's commit and fetches nothing", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const x = await pause(a, "X: the payouts");
  await push(a);
  assertEquals(ids(await pull(b)), [x]);

  const quiet = await gitRuns(async () => assertEquals(ids(await pull(b)), []));
  assert(quiet.includes("ls-remote") && !quiet.includes("fetch"), quiet.join(" "));

  // Once the remote names another commit, the pull fetches it.
  const y = await pause(a, "Y: the payouts");
  await push(a);
  const fetched = await gitRuns(async () => assertEquals(ids(await pull(b)), [y]));
  // The git a pull of new work runs, less what git's own fetch starts: the config (the remote's
  // and the signing keys together), the remote's commit, the fetch (a fast-forward: no
  // merge-base asks it again), what changed, the changed paths' sizes, their blobs (read once:
  // checked, then imported as held), the local ref moved, and who sent the new commits. The refs
  // are read from their files, the fetched commit from the object store.
  const fetchs = new Set([
    "upload-pack",
    "pack-objects",
    "index-pack",
    "unpack-objects",
    "rev-list",
  ]);
  assertEquals(fetched.filter((c) => !fetchs.has(c)), [
    "config",
    "ls-remote",
    "fetch",
    "diff-tree",
    "cat-file",
    "cat-file",
    "update-ref",
    "log",
  ]);
});

Deno.test("a part of the remote's ids the new head does not name is removed, and only that", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  await pause(a, "X: the refunds");
  await push(a);
  await pull(b);
  const folder = join(b.path, ".claude-mpm", "cache", "sync-remote");
  const outside = join(b.path, "outside.txt");
  await Deno.writeTextFile(outside, "a file of the person's\n");
  await Deno.symlink(outside, join(folder, "7.txt"));
  await Deno.writeTextFile(join(folder, "notes.txt"), "not mpm's\n");
  assertEquals(Deno.readDirSync(folder).map((e) => e.name).toArray().sort(), [
    "0.txt",
    "7.txt",
    "notes.txt",
  ]);

  // The remote's records removed by hand: the one part left with no line is named no more.
  const empty = await gitWithInput(remote, ["mktree"], "");
  await git(
    remote,
    "update-ref",
    "refs/mpm/sessions",
    (await git(remote, "commit-tree", "-p", await remoteCommit(remote), "-m", "emptied", empty))
      .trim(),
  );
  await pull(b);
  assert((await recordText(b)).includes(await remoteCommit(remote)));
  assertEquals(Deno.readDirSync(folder).map((e) => e.name).toArray().sort(), [
    "7.txt",
    "notes.txt",
  ]);
  assertEquals(await Deno.readTextFile(outside), "a file of the person's\n");
});
