/**
 * A pull of what changed (src/sync/remote/remote.ts remoteSince) answers as a pull that lists the
 * whole remote does, for the same remote and clone: an id whose checksum is on the remote without
 * its record is in neither side's both, and a record this clone removed is taken back, not counted.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { copyTree, git, gitWithInput, okJson, type Repo, withClones } from "../../helpers.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { resolveRemote } from "../../../src/sync/remote/refs.ts";
import { pullSync } from "../../../src/sync/pull.ts";
import { settled } from "../quiet/settled.ts";

async function pull(repo: Pick<Repo, "path" | "home">) {
  useMachineKeyFrom({ HOME: repo.home });
  const report = await pullSync(repo.path, await resolveRemote(repo.path), { now: new Date() });
  return { in_both: report.in_both, moved: report.moved.map((m) => m.id).sort() };
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

async function push(repo: Repo): Promise<void> {
  await okJson(repo, "sync", "push", "--json");
}

/** A copy of `repo` beside it with no record of its syncs: its next pull lists the remote whole. */
async function twin(repo: Repo, name: string): Promise<Pick<Repo, "path" | "home">> {
  const path = join(repo.path, "..", name);
  await copyTree(repo.path, path);
  await Deno.remove(join(path, ".claude-mpm", "cache"), { recursive: true });
  return { path, home: repo.home };
}

/** The remote's ref with a checksum line put in alone, as someone with push access could. */
async function checksumAlone(remote: string, id: string): Promise<void> {
  const head = (await git(remote, "rev-parse", "refs/mpm/sessions")).trim();
  const line = `${"0".repeat(64)}  ${id}.json\n`;
  const blob = await gitWithInput(remote, ["hash-object", "-w", "--stdin"], line);
  const listed = (await git(remote, "ls-tree", `${head}:sessions`)).trim().split("\n");
  const folder = await gitWithInput(
    remote,
    ["mktree"],
    [...listed, `100644 blob ${blob}\t${id}.json.sha256`].join("\n") + "\n",
  );
  const root = await gitWithInput(remote, ["mktree"], `040000 tree ${folder}\tsessions\n`);
  const commit = (await git(remote, "commit-tree", "-p", head, "-m", "by hand", root)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", commit);
}

Deno.test("a pull of what changed counts as the whole listing does", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  const [, y] = [await pause(a, "X: the ledger"), await pause(a, "Y: the ledger")];
  await push(a);
  await checksumAlone(remote, "session-20250101-000000");
  assertEquals((await pull(b)).in_both, 0);

  // Each stage: B's pull beside the pull of a copy of B that lists the remote whole.
  let n = 0;
  const same = async (why: string) => {
    const whole = await twin(b, `b-${n++}`);
    const [lean, listed] = [await pull(b), await pull(whole)];
    assertEquals(lean, listed, why);
    return lean;
  };
  // Nothing new, the record not yet the side; then the record the side (its folders settled).
  assertEquals((await same("nothing new")).in_both, 2);
  await settled(b);
  await same("nothing new, folders settled");
  // A's new work, and another checksum alone, read as the changes since.
  const z = await pause(a, "Z: the ledger's export");
  await push(a);
  await checksumAlone(remote, "session-20250102-000000");
  assertEquals(await same("new work"), { in_both: 2, moved: [z] });
  assertEquals((await same("right after an import")).in_both, 3);
  // B removes Y by hand: the pull takes it back, as the whole listing does.
  for (const entry of Deno.readDirSync(join(b.path, ".claude-mpm", "sessions"))) {
    if (entry.name.startsWith(`${y}.`)) {
      await Deno.remove(join(b.path, ".claude-mpm/sessions", entry.name));
    }
  }
  const w = await pause(a, "W: the ledger's import");
  await push(a);
  const back = await same("a record removed here");
  assert(back.moved.includes(y) && back.moved.includes(w), JSON.stringify(back));
  assertEquals((await same("after taking it back")).in_both, 4);
});
