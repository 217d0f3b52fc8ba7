/**
 * `mpm doctor` on this machine's key: a key that cannot be made is a failure (nothing is sealed as
 * the person's, and their session is dropped once one is made); a key git could commit, a warning.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../helpers.ts";

interface Check {
  id: string;
  status: string;
  message: string;
  fix?: string;
}

async function keyCheck(repo: Repo, home: string): Promise<{ code: number; check: Check }> {
  const run = await mpm(["doctor", "--json"], { cwd: repo.path, env: { HOME: home } });
  const checks = JSON.parse(run.stdout).checks as Check[];
  const [check] = checks.filter((c) => c.id === "machine-key");
  return { code: run.code, check };
}

Deno.test("mpm doctor fails where no machine key can be made, saying where, why and what to do", async () => {
  await using repo = await withRepo();
  await Deno.writeTextFile(join(repo.home, ".local"), "a file where a folder should be");
  await ok(repo, "pause", "-s", "unsealed");
  const { code, check } = await keyCheck(repo, repo.home);
  assertEquals([code, check.status], [1, "fail"]);
  const file = join(repo.home, ".local", "state", "mpm", "machine.json");
  assertStringIncludes(check.message, `This machine's key cannot be made at ${file}`);
  assertStringIncludes(check.message, "a file stands where one of its folders should be");
  assertStringIncludes(check.fix!, "or set XDG_STATE_HOME to the absolute path of a folder");
});

Deno.test("mpm doctor warns of a key in a git work tree with no .gitignore beside it", async () => {
  await using repo = await withRepo();
  const folder = join(repo.path, ".local", "state", "mpm");
  // A key made by an mpm that wrote no .gitignore, in a home kept in git.
  await ok(repo, "pause", "-s", "mine");
  await Deno.mkdir(folder, { recursive: true });
  await Deno.copyFile(
    join(repo.home, ".local", "state", "mpm", "machine.json"),
    join(folder, "machine.json"),
  );
  const warned = await keyCheck(repo, repo.path);
  assertEquals([warned.code, warned.check.status], [0, "warn"]);
  assertStringIncludes(warned.check.message, `lies in the git work tree ${repo.path}`);
  assertEquals(warned.check.fix, `printf '*\\n' > ${join(folder, ".gitignore")}`);
  await Deno.writeTextFile(join(folder, ".gitignore"), "*\n");
  const fixed = await keyCheck(repo, repo.path);
  assertEquals(fixed.check.status, "ok");
  const elsewhere = await keyCheck(repo, repo.home);
  assertEquals(elsewhere.check, {
    id: "machine-key",
    status: "ok",
    message: `This machine's key: ${join(repo.home, ".local", "state", "mpm", "machine.json")}.`,
  });
});

Deno.test("mpm doctor makes no key: one not made yet, where it can be, is a note", async () => {
  await using repo = await withRepo();
  const { code, check } = await keyCheck(repo, repo.home);
  assertEquals([code, check.status], [0, "info"]);
  assertStringIncludes(check.message, "the first command that seals makes it at");
  assertEquals([...Deno.readDirSync(repo.home)].map((entry) => entry.name), []);
});
