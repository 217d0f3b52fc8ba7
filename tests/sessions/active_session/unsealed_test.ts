/**
 * Where no machine key can be made (a read-only or full home; here a file where its folder should
 * be, which stops root too), the commands that write the person's records still succeed but say
 * in one line that nothing is sealed as theirs, and what to do; hooks stay silent.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, type Repo, withRepo } from "../../helpers.ts";
import { payload } from "../../hooks/hooks_helpers.ts";

async function keylessHome(repo: Repo): Promise<void> {
  await Deno.writeTextFile(join(repo.home, ".local"), "a file where a folder should be");
}

const SAYS = "This machine's key cannot be made at";

Deno.test("pause, start and todo add warn once each when nothing can be sealed; all succeed", async () => {
  await using repo = await withRepo();
  await keylessHome(repo);
  for (const args of [["pause", "-s", "first"], ["start", "feat"], ["todo", "add", "keep me"]]) {
    const run = await repo.run(...args);
    assertEquals(run.code, 0, run.stderr);
    const lines = run.stderr.split("\n").filter((line) => line.includes(SAYS));
    assertEquals(lines.length, 1, `${args[0]}: ${run.stderr}`);
    assert(lines[0].startsWith("mpm: "), lines[0]);
    assertStringIncludes(lines[0], join(repo.home, ".local", "state", "mpm", "machine.json"));
    assertStringIncludes(lines[0], "set XDG_STATE_HOME");
  }
  const json = await repo.run("pause", "--json", "-s", "second");
  assertEquals(json.code, 0, json.stderr);
  assertEquals(JSON.parse(json.stdout).session.name, "feat");
  assertStringIncludes(json.stderr, SAYS);
});

Deno.test("with a key, pause says nothing of it; a hook without one stays silent", async () => {
  await using repo = await withRepo();
  const sealed = await repo.run("pause", "-s", "sealed");
  assertEquals(sealed.code, 0, sealed.stderr);
  assertEquals(sealed.stderr, "");
  await using keyless = await withRepo();
  await keylessHome(keyless);
  const hook = await mpm(["hook", "session-end"], {
    cwd: keyless.path,
    env: { HOME: keyless.home },
    stdin: payload("session-end.json", keyless),
  });
  assertEquals(hook.code, 0, hook.stderr);
  assertEquals(hook.stderr, "");
});
