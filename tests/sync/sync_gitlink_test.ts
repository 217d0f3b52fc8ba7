/**
 * A remote file replaced by a submodule entry (a gitlink: plain git can push anything) is no file
 * to a pull, whether it lists the whole remote or only what changed since it last took it all:
 * both answer alike, and neither reads nor imports the object the entry names; a push keeps it.
 */
import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { git, okJson, type Repo, withClones } from "../helpers.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { resolveRemote } from "../../src/sync/remote/refs.ts";
import { pullSync, type SyncReport } from "../../src/sync/pull.ts";
import { pushSync } from "../../src/sync/push.ts";

async function pull(repo: Repo): Promise<SyncReport> {
  useMachineKeyFrom({ HOME: repo.home });
  return await pullSync(repo.path, await resolveRemote(repo.path), { now: new Date() });
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

/** What a pull answered, less the commit: the part the two ways of listing must agree on. */
const told = (r: SyncReport) => ({ moved: r.moved, in_both: r.in_both, refused: r.refused });

/** Forgets what the last syncs kept: the next pull lists the whole remote. */
async function forget(repo: Repo): Promise<void> {
  for (const name of ["sync.json", "sync-quiet.json"]) {
    await Deno.remove(join(repo.path, ".claude-mpm", "cache", name)).catch(() => {});
  }
}

/** Removes a snapshot's files from `repo`, as a person tidying by hand would. */
async function drop(repo: Repo, id: string): Promise<void> {
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  for (const entry of Deno.readDirSync(sessions)) {
    if (entry.name.startsWith(`${id}.`)) await Deno.remove(join(sessions, entry.name));
  }
}

/** A commit on the remote's ref with `path` as `mode` naming `sha`, made with git's own index. */
async function replace(remote: string, mode: string, sha: string, path: string): Promise<void> {
  const head = (await git(remote, "rev-parse", "refs/mpm/sessions")).trim();
  await git(remote, "read-tree", head);
  await git(remote, "update-index", "--add", "--cacheinfo", `${mode},${sha},${path}`);
  const tree = (await git(remote, "write-tree")).trim();
  const commit = (await git(remote, "commit-tree", "-p", head, "-m", "by hand", tree)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", commit);
}

Deno.test("a remote record replaced by a submodule entry is no file, listed whole or by change", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  const x = await pause(a, "X: the refunds");
  await pause(a, "Y: the refunds");
  await okJson(a, "sync", "push", "--json");
  assertEquals((await pull(b)).moved.length, 2);
  const path = `sessions/${x}.json`;
  const blob = (await git(remote, "rev-parse", `refs/mpm/sessions:${path}`)).trim();

  // The entry names the record's own blob: read by its path, it would pass every check.
  await replace(remote, "160000", blob, path);
  const since = told(await pull(b));
  await forget(b);
  assertEquals(since, told(await pull(b)));
  assertEquals(since.in_both, 1);

  // The file back in place of the entry is seen again: B, which lost X meanwhile, takes it.
  await drop(b, x);
  await replace(remote, "100644", blob, path);
  assertEquals((await pull(b)).moved.map((m) => m.id), [x]);

  // Lost again, then the entry again: nothing is read through it, nothing imported.
  await drop(b, x);
  await replace(remote, "160000", blob, path);
  const again = told(await pull(b));
  await forget(b);
  assertEquals([again, told(await pull(b))], [{ ...again, moved: [] }, again]);

  // A push beside the entry sends X under a name of its own, and leaves the entry as it was.
  useMachineKeyFrom({ HOME: a.home });
  const pushed = await pushSync(a.path, await resolveRemote(a.path));
  assertEquals(pushed.moved.map((m) => [m.id, m.as === x]), [[x, false]]);
  const listed = await git(remote, "ls-tree", "refs/mpm/sessions", path);
  assertEquals(listed, `160000 commit ${blob}\t${path}\n`);
});

Deno.test("a push keeps submodule entries beside subfolders, in a folder it adds to and at the top", async () => {
  await using clones = await withClones();
  const { a, remote } = clones;
  const x = await pause(a, "X: the refunds");
  await okJson(a, "sync", "push", "--json");
  const blob = (await git(remote, "rev-parse", `refs/mpm/sessions:sessions/${x}.json`)).trim();
  // Each entry names a blob, which mktree refuses under a submodule's mode.
  const kept = [
    `160000 commit ${blob}\tlinked`,
    `160000 commit ${blob}\tsessions/linked`,
    `100644 blob ${blob}\tsessions/notes/kept.txt`,
  ];
  for (const line of kept) {
    const [mode, , sha] = line.split(/[ \t]/);
    await replace(remote, mode, sha, line.split("\t")[1]);
  }
  const listed = async () =>
    (await git(remote, "ls-tree", "-r", "refs/mpm/sessions")).trim().split("\n")
      .filter((line) => !line.includes("\tsessions/session-"));

  const y = await pause(a, "Y: the refunds");
  useMachineKeyFrom({ HOME: a.home });
  const pushed = await pushSync(a.path, await resolveRemote(a.path));
  assertEquals(pushed.moved.map((m) => m.id), [y]);
  assertEquals(await listed(), kept);
});

Deno.test("a submodule entry whose pair's other half comes later is no file either way", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  await pause(a, "X: the refunds");
  await okJson(a, "sync", "push", "--json");
  await pull(b);
  // Z's files, whole and valid, in the remote's objects (its record at a path no pull reads, so
  // a fetch brings it); its record reaches a record's path only as a submodule entry naming its
  // blob, and its checksum line a push later.
  const z = await pause(a, "Z: the refunds");
  const path = `sessions/${z}.json`;
  const blob = async (file: string) =>
    (await git(remote, "hash-object", "-w", join(a.path, ".claude-mpm", file))).trim();
  const [json, sum] = [await blob(path), await blob(`${path}.sha256`)];
  await replace(remote, "100644", json, "elsewhere");
  for (const [mode, sha, at] of [["160000", json, path], ["100644", sum, `${path}.sha256`]]) {
    await replace(remote, mode, sha, at);
    const since = told(await pull(b));
    await forget(b);
    assertEquals(since, told(await pull(b)));
    assertEquals([since.moved, since.refused], [[], []]);
  }
});
