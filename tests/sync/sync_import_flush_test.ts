/**
 * What a pull flushes to disk: each imported record's `.json` and `.json.sha256` (the truth, kept
 * through a crash), never its renderings (never read back), which are still put in place whole.
 * The files flushed are told by wrapping Deno's own calls, which still do the work.
 */
import { basename, join } from "node:path";
import { assertEquals } from "../assert.ts";
import { okJson, type Repo, withClones } from "../helpers.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { resolveRemote } from "../../src/sync/remote/refs.ts";
import { pullSync } from "../../src/sync/pull.ts";

/** Pulls into `repo` in this process; the names of the files it fsynced (temp names undone). */
async function flushedByPull(repo: Repo) {
  useMachineKeyFrom({ HOME: repo.home });
  const opened = new WeakMap<Deno.FsFile, string>();
  const flushed: string[] = [];
  const deno = Deno as unknown as { openSync: typeof Deno.openSync };
  const real = { openSync: deno.openSync, sync: Deno.FsFile.prototype.sync };
  deno.openSync = (path, options) => {
    const file = real.openSync(path, options);
    opened.set(file, String(path));
    return file;
  };
  Deno.FsFile.prototype.sync = function () {
    const path = opened.get(this);
    // A temp file `.NAME.PID.DIGITS.tmp` (disk/files/batch.ts) is flushed for NAME.
    if (path !== undefined) flushed.push(basename(path).replace(/^\.(.+)\.\d+\.\d+\.tmp$/, "$1"));
    return real.sync.call(this);
  };
  try {
    const report = await pullSync(repo.path, await resolveRemote(repo.path), { now: new Date() });
    return { report, flushed };
  } finally {
    deno.openSync = real.openSync;
    Deno.FsFile.prototype.sync = real.sync;
  }
}

Deno.test("a pull fsyncs each imported record and its checksum, and none of its renderings", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    ids.push(
      (await okJson(a, "pause", "--json", "--no-prune-worktrees", "-s", `Pause ${n}`))
        .session_id,
    );
  }
  await okJson(a, "sync", "push", "--json");
  const { report, flushed } = await flushedByPull(b);
  assertEquals(report.moved.map((m) => m.as).sort(), ids.sort());
  const ofImports = flushed.filter((name) => ids.some((id) => name.startsWith(`${id}.`)));
  assertEquals(ofImports.sort(), ids.flatMap((id) => [`${id}.json`, `${id}.json.sha256`]).sort());
  // The renderings are there all the same, whole.
  for (const id of ids) {
    const md = await Deno.readTextFile(join(b.path, ".claude-mpm", "sessions", `${id}.md`));
    assertEquals(md.startsWith(`# Session ${id}\n`), true);
    await Deno.stat(join(b.path, ".claude-mpm", "sessions", `${id}.yaml`));
  }
});
