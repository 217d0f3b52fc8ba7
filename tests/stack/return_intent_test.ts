/**
 * `mpm return` records its intent before it writes anything: killed right after it, nothing else
 * is on disk yet; `status` names the interrupted return, `resume` refuses until it is finished,
 * and the next `mpm return` writes the child's final snapshot once, with the words the first run
 * was given.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, okJson, sessionFiles, withRepo } from "../helpers.ts";

Deno.test("a return killed after its intent: nothing written yet; the next return finishes it with the first run's words", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parent");
  await ok(repo, "branch", "child", "--git-branch", "feat");
  await repo.commit("child work", { "c.txt": "child\n" });
  const before = await sessionFiles(repo.path);
  const killed = await mpm(["return", "-s", "Fixed the outage", "-a", "Patched refresh"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAIL_AT: "return-after-intent" },
  });
  assertEquals(killed.code, 137, killed.stderr);
  // The intent is recorded; the child's final snapshot is not written yet.
  assertEquals(await sessionFiles(repo.path), before);
  const status = await okJson(repo, "status", "--json");
  assertEquals(status.stack[0].phase, "returning");
  assertStringIncludes((await ok(repo, "status")).stdout, "an interrupted `mpm return`");
  const resume = await repo.run("resume", "--no-changes");
  assertEquals(resume.code, 1, resume.stderr);
  assertStringIncludes(resume.stderr, "An interrupted `mpm return` is on the stack");

  const again = await okJson(repo, "return", "--json");
  assertEquals(again.resumed, true);
  assertEquals(again.active.name, "parent");
  const completed = (await Promise.all(
    (await sessionFiles(repo.path)).map(async (f) =>
      JSON.parse(await Deno.readTextFile(join(repo.path, ".claude-mpm/sessions", f)))
    ),
  )).filter((s) => s.mpm.state === "completed");
  assertEquals(completed.map((s) => s.session_id), [again.completed]);
  assertEquals(completed[0].conversation.summary, "Fixed the outage");
  assertEquals(completed[0].conversation.accomplishments, ["Patched refresh"]);
});
