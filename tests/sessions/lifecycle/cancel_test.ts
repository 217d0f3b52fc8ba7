/**
 * `mpm cancel` and `mpm done` as a person reads them: an empty --reason is bad usage, a reason of
 * several lines stays under its label, mpm's own words are labelled as its note, and a session
 * `mpm prune` archived is named as archived, not as unknown.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, okJson, type Repo, withRepo } from "../../helpers.ts";

async function archivedIds(repo: Repo): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of Deno.readDir(join(repo.path, ".claude-mpm/sessions/archive"))) {
    if (e.name.endsWith(".json")) ids.push(e.name.slice(0, -".json".length));
  }
  return ids;
}

Deno.test("mpm cancel refuses an empty --reason in one sentence, ending nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "spike");
  for (const reason of ["", "   "]) {
    const run = await repo.run("cancel", "--reason", reason);
    assertEquals(run.code, 2, JSON.stringify(reason));
    assertEquals(run.stderr.split("\n")[0], "mpm: The reason is empty.");
  }
  assertEquals((await okJson(repo, "status", "--json")).active.name, "spike");
});

Deno.test("mpm cancel labels mpm's words a note and keeps a reason's lines under its label", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "spike");
  const out = (await ok(repo, "cancel", "--reason", "line one\nline two")).stdout;
  assertStringIncludes(
    out,
    "  Note:    Cancelled: line one\n           line two\n" +
      "  Reason:  line one\n           line two\n  Saved:   ",
  );
  assertNotIncludes(out, "Summary:");
  // The person's own words are still their summary.
  await ok(repo, "start", "other");
  await ok(repo, "pause", "-s", "tried it");
  assertStringIncludes(
    (await ok(repo, "cancel", "0", "--reason", "no")).stdout,
    "  Summary: tried it\n",
  );
});

Deno.test("mpm cancel and done name an archived session as archived; an archived id of open work ends it", async (t) => {
  await using repo = await withRepo();
  await ok(repo, "start", "old");
  await ok(repo, "pause", "-s", "old work");
  await ok(repo, "start", "new");
  await ok(repo, "pause", "-s", "new work");
  await ok(repo, "prune", "--keep", "1");
  const [old] = await archivedIds(repo);
  await t.step("archived alone: refused, saying so", async () => {
    for (const [command, verb] of [["cancel", "cancelled"], ["done", "completed"]]) {
      const run = await repo.run(command, old);
      assertEquals(run.code, 2, run.stderr);
      assertStringIncludes(run.stderr, `mpm: ${old} is archived, so it cannot be ${verb}.\n`);
      assertStringIncludes(run.stderr, `\`mpm show ${old}\``);
    }
  });
  await t.step("an older snapshot archived, its session still out: the session ends", async () => {
    await ok(repo, "resume", "--no-changes");
    await ok(repo, "pause", "-s", "new work, again");
    // `--keep` keeps a session with all its snapshots: by age, its older one goes (a minute on,
    // so that the clock decides nothing).
    const later = new Date(Date.now() + 60_000);
    const pruned = await mpm(["prune", "--older-than", "0"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      now: () => later,
    });
    assertEquals(pruned.code, 0, pruned.stderr);
    const older = (await archivedIds(repo)).find((id) => id !== old)!;
    const ended = await okJson(repo, "cancel", older, "--json");
    assertEquals([ended.session.name, ended.transition], ["new", {
      from: "paused",
      to: "cancelled",
    }]);
  });
});

Deno.test("with every session archived, show finds one by its id and done names it archived", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "alpha");
  await ok(repo, "done", "-s", "alpha finished");
  await ok(repo, "start", "beta");
  await ok(repo, "done", "-s", "beta finished");
  await ok(repo, "prune", "--keep", "1");
  const [old] = await archivedIds(repo);
  // The one session left out of the archive goes: nothing but the archive is left to pick from.
  const sessions = join(repo.path, ".claude-mpm/sessions");
  for await (const e of Deno.readDir(sessions)) {
    if (e.isFile && e.name.startsWith("session-")) await Deno.remove(join(sessions, e.name));
  }
  assertEquals((await okJson(repo, "show", old, "--json")).conversation.summary, "alpha finished");
  const done = await repo.run("done", old);
  assertStringIncludes(done.stderr, `mpm: ${old} is archived, so it cannot be completed.\n`);
});
