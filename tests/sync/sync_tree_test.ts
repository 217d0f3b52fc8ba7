/**
 * The tree a push commits (src/sync/remote/tree_build.ts buildTree): it reads the remote lean, its
 * records counted, not listed, so the folders that gain files are listed by git; every entry the
 * remote held stays, once, whatever else a teammate's plain git put beside the records.
 */
import { assertEquals } from "../assert.ts";
import { git, okJson, type Repo, withClones } from "../helpers.ts";

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

/** A commit on the remote's ref with `path` added as a blob of `text`, made with git's index. */
async function addByHand(remote: string, path: string, text: string): Promise<void> {
  const head = (await git(remote, "rev-parse", "refs/mpm/sessions")).trim();
  const file = await Deno.makeTempFile();
  await Deno.writeTextFile(file, text);
  const blob = (await git(remote, "hash-object", "-w", file)).trim();
  await Deno.remove(file);
  await git(remote, "read-tree", head);
  await git(remote, "update-index", "--add", "--cacheinfo", `100644,${blob},${path}`);
  const tree = (await git(remote, "write-tree")).trim();
  const commit = (await git(remote, "commit-tree", "-p", head, "-m", "by hand", tree)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", commit);
}

/** The remote's ref as `ls-tree -r` names its files, sorted. */
async function remoteFiles(remote: string): Promise<string[]> {
  const listed = await git(remote, "ls-tree", "-r", "--name-only", "refs/mpm/sessions");
  return listed.trim().split("\n").sort();
}

Deno.test("a push keeps every entry beside the records, each once", async () => {
  await using clones = await withClones();
  const { a, remote } = clones;
  const first = [await pause(a, "X: the refunds"), await pause(a, "Y: the refunds")];
  await okJson(a, "sync", "push", "--json");
  await addByHand(remote, "sessions/README.txt", "Notes a teammate keeps here\n");
  await addByHand(remote, "sessions/notes/kept.txt", "kept\n");
  const before = await remoteFiles(remote);

  const fresh = await pause(a, "Z: the refunds");
  const report = await okJson(a, "sync", "push", "--json");
  assertEquals(report.pushed.map((m: { id: string }) => m.id), [fresh]);
  const after = await remoteFiles(remote);
  const added = [`sessions/${fresh}.json`, `sessions/${fresh}.json.sha256`];
  assertEquals(after, [...before, ...added].sort());
  for (const id of first) assertEquals(after.includes(`sessions/${id}.json`), true);
  assertEquals(new Set(after).size, after.length, "no entry twice");
});
