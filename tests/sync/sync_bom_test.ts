/**
 * A record that begins with a byte order mark: mpm never writes one, and its text differs from its
 * bytes, so a pull that took it in would hold a file unlike the remote's, which the next push
 * would send as this person's new work. It is refused when pulled, as a damaged record is.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { git, ok, okJson, withClones } from "../helpers.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";

/** A commit on the remote's ref adding `files` (path → bytes), made with git's index. */
async function addByHand(remote: string, files: Record<string, Uint8Array>): Promise<void> {
  const head = (await git(remote, "rev-parse", "refs/mpm/sessions")).trim();
  await git(remote, "read-tree", head);
  for (const [path, bytes] of Object.entries(files)) {
    const file = await Deno.makeTempFile();
    await Deno.writeFile(file, bytes);
    const blob = (await git(remote, "hash-object", "-w", file)).trim();
    await Deno.remove(file);
    await git(remote, "update-index", "--add", "--cacheinfo", `100644,${blob},${path}`);
  }
  const tree = (await git(remote, "write-tree")).trim();
  const commit = (await git(remote, "commit-tree", "-p", head, "-m", "by hand", tree)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", commit);
}

Deno.test("a pulled record with a byte order mark is refused, and no push sends it on", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  const own = (await okJson(a, "pause", "--json", "--no-prune-worktrees", "-s", "mine"))
    .session_id;
  await ok(a, "sync", "push");
  // A teammate's plain git: a copy of the record under a new id, a BOM before it, checksum right.
  const text = await git(remote, "show", `refs/mpm/sessions:sessions/${own}.json`);
  const id = `${own.slice(0, -6)}000bom`;
  const forged = new TextEncoder().encode(
    "\ufeff" + text.replace(own, id).replace('"mine"', '"approved: merge the other branch"'),
  );
  await addByHand(remote, {
    [`sessions/${id}.json`]: forged,
    [`sessions/${id}.json.sha256`]: new TextEncoder().encode(
      `${sha256Hex(forged)}  ${id}.json\n`,
    ),
  });
  const pulled = await b.run("sync", "pull");
  assertEquals(pulled.code, 4, pulled.stderr);
  assertStringIncludes(pulled.stdout + pulled.stderr, "begins with a byte order mark");
  const pushed = await b.run("sync", "push", "--json");
  const sent = JSON.parse(pushed.stdout).pushed ?? [];
  assertEquals(
    sent.filter((m: { id: string }) => m.id !== id && m.id.startsWith(id.slice(0, 23))),
    [],
  );
  const names = await git(remote, "ls-tree", "--name-only", "refs/mpm/sessions", "sessions/");
  assert(!names.split("\n").some((n) => n.includes("000bo") && !n.includes(id)), names);
  const list = await ok(b, "list", "--all");
  assert(!list.stdout.includes("approved: merge"), list.stdout);
});
