/**
 * `mpm doctor --fix` sets the modes under `.claude-mpm/` back (folders 0700, files 0600, the hook
 * scripts 0700), folders first, and never through a link: a file a link inside points to keeps its
 * mode, and so does anything outside. Without --fix nothing changes.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, withRepo } from "../helpers.ts";

const modeOf = async (path: string) => ((await Deno.lstat(path)).mode ?? 0) & 0o777;

Deno.test("doctor --fix sets the modes under .claude-mpm/ back, never through a link", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "modes");
  const base = join(repo.path, ".claude-mpm");
  const sessions = join(base, "sessions");
  const snapshot = [...Deno.readDirSync(sessions)].find((e) => e.name.endsWith(".json"))!.name;
  const outside = join(repo.home, "elsewhere.txt");
  await Deno.writeTextFile(outside, "not mpm's\n");
  await Deno.chmod(outside, 0o644);
  await Deno.symlink(outside, join(sessions, "link.txt"));
  await Deno.chmod(join(sessions, snapshot), 0o644);
  await Deno.chmod(sessions, 0o755);
  await Deno.chmod(base, 0o775);

  const before = await mpm(["doctor"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(before.code, 1, before.stdout);
  assertStringIncludes(before.stdout, "(0644) is not 0600");
  assertEquals(await modeOf(sessions), 0o755);

  const fixed = await mpm(["doctor", "--fix", "--json"], {
    cwd: repo.path,
    env: { HOME: repo.home },
  });
  const checks = JSON.parse(fixed.stdout).checks as {
    id: string;
    status: string;
    message: string;
  }[];
  const fix = checks.find((check) => check.id === "permissions-fix");
  assertEquals(fix?.status, "ok", fixed.stdout);
  assertStringIncludes(fix!.message, "set 3 entries under .claude-mpm/ back");
  // No mode is named any more (the link out is what is left to report).
  assertEquals(checks.filter((check) => check.id === "permissions"), []);
  assertEquals(
    [await modeOf(base), await modeOf(sessions), await modeOf(join(sessions, snapshot))],
    [0o700, 0o700, 0o600],
  );
  // The link is named (it leads out), and what it leads to is as it was.
  assertEquals(checks.some((check) => check.id === "symlinks" && check.status === "fail"), true);
  assertEquals(await modeOf(outside), 0o644);
  assertEquals((await Deno.lstat(join(sessions, "link.txt"))).isSymlink, true);
});
