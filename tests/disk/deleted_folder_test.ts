/**
 * mpm started in a folder that was deleted meanwhile: one sentence, exit 1, no stack trace, and
 * the folder is not recreated by writing `.claude-mpm/` at its old path.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { mpm, tempDir } from "../helpers.ts";

Deno.test("mpm run from a deleted folder says so in one sentence and writes nothing", async () => {
  await using dir = await tempDir();
  const gone = join(dir.path, "project");
  await Deno.mkdir(gone);
  await Deno.remove(gone);
  for (const args of [["status"], ["pause", "-s", "x"], ["list"], ["doctor"]]) {
    // `deno task mpm` passes the user's folder as MPM_INVOKED_FROM; a compiled mpm reads its cwd.
    const run = await mpm(args, {
      cwd: dir.path,
      env: { HOME: dir.path, MPM_INVOKED_FROM: gone },
    });
    assertEquals(run.code, 1, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
    assertStringIncludes(run.stderr, "The folder mpm was started in no longer exists");
    assertEquals(run.stderr.trim().split("\n").length, 2, run.stderr); // the sentence and its hint
    assertNotIncludes(run.stderr, "    at ");
    assertEquals(await Deno.lstat(gone).then(() => true, () => false), false, "not recreated");
  }
});
