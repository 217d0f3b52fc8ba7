/**
 * A folder of `.claude-mpm/` that the sessions keep their files in — `sessions/`, `spool/`,
 * `handoffs/`, `threads/` — which is itself a symbolic link leading out of `.claude-mpm/` (a
 * cloned repository can commit one pointing at `~/somewhere`) is refused, reading and writing, in
 * one sentence that says to remove the link: nothing is read, written, renamed or changed through
 * it, nor anything else changed before the refusal. One leading to a folder inside `.claude-mpm/`
 * is followed, as the writes follow it.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, okJson, type Repo, withRepo } from "../../helpers.ts";

/** Every file under `dir` with its bytes, links not followed, to see that nothing changed. */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (at: string, rel: string) => {
    for await (const entry of Deno.readDir(at)) {
      const path = join(at, entry.name);
      const name = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory) await visit(path, name);
      else if (entry.isSymlink) out[name] = `-> ${await Deno.readLink(path)}`;
      else out[name] = await Deno.readTextFile(path);
    }
  };
  await visit(dir, "");
  return out;
}

/** Moves `.claude-mpm/<folder>` to `outside` and leaves a link to it in its place. */
async function linkOut(repo: Repo, folder: string, outside: string): Promise<string> {
  const place = join(repo.path, ".claude-mpm", folder);
  await Deno.rename(place, outside);
  await Deno.symlink(outside, place);
  return place;
}

/**
 * The run is refused in one sentence naming the linked folder, and says to remove the link (on
 * stderr, or in the error document beside --json).
 */
function assertRefused(run: { code: number; stdout: string; stderr: string }, folder: string) {
  const what = `${run.stdout}${run.stderr}`;
  assertEquals(run.code, 1, what);
  assertStringIncludes(what, `Refusing to use .claude-mpm/${folder}: it is a symbolic link to `);
  assertStringIncludes(what, ", outside .claude-mpm/.");
  assertStringIncludes(what, "Remove the link (rm ");
  assertNotIncludes(what, "    at ");
}

Deno.test({
  name:
    "a sessions folder linking outside .claude-mpm is refused by list, status, resume, show and pause",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    await ok(repo, "start", "refunds");
    await ok(repo, "pause", "-s", "outside words");
    // Active again: a pause would record its work-tree mark before it writes the snapshot.
    await ok(repo, "resume", "--no-changes");
    const store = join(repo.path, ".claude-mpm");
    const outside = join(repo.home, "somewhere");
    await linkOut(repo, "sessions", outside);
    const there = await contents(outside);
    const here = await contents(store);

    for (
      const args of [
        ["list"],
        ["list", "--json"],
        ["status"],
        ["status", "--json"],
        ["resume", "--no-changes"],
        ["show", "0"],
        ["pause", "-s", "new words"],
      ]
    ) {
      const run = await repo.run(...args);
      assertRefused(run, "sessions");
      assertNotIncludes(run.stdout, "outside words", args.join(" "));
    }
    // Nothing was written through the link, nor anything changed beside it.
    assertEquals(await contents(outside), there);
    assertEquals(await contents(store), here);

    // A link to a folder inside .claude-mpm is followed, for reading and writing alike.
    await Deno.remove(join(store, "sessions"));
    await Deno.rename(outside, join(store, "kept-sessions"));
    await Deno.symlink("kept-sessions", join(store, "sessions"));
    assertStringIncludes((await ok(repo, "list")).stdout, "outside words");
    await ok(repo, "pause", "-s", "new words");
    const listed = await okJson(repo, "list", "--json");
    assertEquals(listed[0].summary, "new words");
  },
});

Deno.test({
  name: "spool/, handoffs/ and threads/ linking outside .claude-mpm are refused likewise",
  ignore: Deno.build.os === "windows",
  fn: async (t) => {
    await using repo = await withRepo();
    await ok(repo, "start", "refunds");
    await ok(repo, "todo", "add", "wire refunds");
    await ok(repo, "pause", "-s", "refund API wired");
    const store = join(repo.path, ".claude-mpm");

    await t.step("spool/: no queued pause is read, set aside or renamed there", async () => {
      const outside = join(repo.home, "spool-out");
      await Deno.mkdir(outside);
      const queued = "pause-20990101T000000000Z-1-abcdef01.json";
      await Deno.writeTextFile(join(outside, queued), '{"not": "a queued pause"}\n');
      await Deno.symlink(outside, join(store, "spool"));
      const here = await contents(store);
      for (const args of [["pause", "-s", "more words"], ["start", "payouts"], ["list"]]) {
        assertRefused(await repo.run(...args), "spool");
      }
      assertEquals(await contents(outside), { [queued]: '{"not": "a queued pause"}\n' });
      assertEquals(await contents(store), here);
      await Deno.remove(join(store, "spool"));
    });

    await t.step("handoffs/: no handoff is read there", async () => {
      const saved = await mpm(["handoff", "save", "--input", "-"], {
        cwd: repo.path,
        env: { HOME: repo.home },
        stdin: 'goal: "Ship the refunds"\nnext_step: "Do it"\n',
      });
      assertEquals(saved.code, 0, saved.stderr);
      await linkOut(repo, "handoffs", join(repo.home, "handoffs-out"));
      for (const args of [["handoff", "list"], ["handoff", "show"]]) {
        const run = await repo.run(...args);
        assertRefused(run, "handoffs");
        assertNotIncludes(run.stdout, "Ship the refunds");
      }
      await Deno.remove(join(store, "handoffs"));
    });

    await t.step("threads/: resume and diff refuse before anything changes", async () => {
      const outside = join(repo.home, "threads-out");
      await linkOut(repo, "threads", outside);
      const there = await contents(outside);
      const here = await contents(store);
      for (const args of [["resume", "--no-changes"], ["diff"], ["todo", "add", "more"]]) {
        assertRefused(await repo.run(...args), "threads");
      }
      assertEquals(await contents(outside), there);
      assertEquals(await contents(store), here);
      assertEquals((await okJson(repo, "status", "--json")).active, null);
    });
  },
});
