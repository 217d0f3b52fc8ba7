import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/assert.ts";
import { tempDir, withRepo } from "../../../tests/helpers.ts";
import { ensureExcluded } from "./exclude.ts";
import { readStatus } from "../tree/status.ts";

async function excludeLines(gitDir: string): Promise<string[]> {
  return (await Deno.readTextFile(join(gitDir, "info", "exclude"))).split("\n");
}

Deno.test("ensureExcluded adds /.claude-mpm/ once and never touches .gitignore", async () => {
  await using repo = await withRepo();
  await repo.write(".claude-mpm/state.json", "{}\n");
  assertEquals(await repo.git("status", "--porcelain"), "?? .claude-mpm/\n");
  assertEquals(await ensureExcluded(repo.path), true);
  assertEquals(await ensureExcluded(repo.path), false);
  const lines = await excludeLines(join(repo.path, ".git"));
  assertEquals(lines.filter((line) => line === "/.claude-mpm/").length, 1);
  assertEquals(await repo.git("status", "--porcelain"), "");
  assert(!(await Deno.stat(join(repo.path, ".gitignore")).then(() => true, () => false)));
});

Deno.test("ensureExcluded appends after a last line without a newline, and creates info/", async () => {
  await using repo = await withRepo();
  await Deno.writeTextFile(join(repo.path, ".git", "info", "exclude"), "# mine\n*.log");
  assertEquals(await ensureExcluded(repo.path), true);
  assertEquals(await excludeLines(join(repo.path, ".git")), [
    "# mine",
    "*.log",
    "/.claude-mpm/",
    "",
  ]);
  await Deno.remove(join(repo.path, ".git", "info"), { recursive: true });
  assertEquals(await ensureExcluded(repo.path), true);
  assertEquals(await excludeLines(join(repo.path, ".git")), ["/.claude-mpm/", ""]);
});

Deno.test("ensureExcluded accepts a line the user already wrote", async () => {
  await using repo = await withRepo();
  await Deno.writeTextFile(join(repo.path, ".git", "info", "exclude"), ".claude-mpm\n");
  assertEquals(await ensureExcluded(repo.path), false);
  assertEquals(await excludeLines(join(repo.path, ".git")), [".claude-mpm", ""]);
});

Deno.test("ensureExcluded in a linked worktree writes the common dir's info/exclude", async () => {
  await using repo = await withRepo();
  const wt = join(repo.path, "..", "wt");
  await repo.git("worktree", "add", "-q", "-b", "wt", wt);
  await Deno.mkdir(join(wt, ".claude-mpm"));
  await Deno.writeTextFile(join(wt, ".claude-mpm", "state.json"), "{}\n");
  assertEquals(await ensureExcluded(wt), true);
  assertEquals(await ensureExcluded(wt), false);
  assertEquals(await ensureExcluded(repo.path), false, "the main work tree shares it");
  const lines = await excludeLines(join(repo.path, ".git"));
  assertEquals(lines.filter((line) => line === "/.claude-mpm/").length, 1);
  // git itself now ignores the folder in the worktree.
  const out = await repo.git("-C", wt, "status", "--porcelain", "--ignored");
  assertEquals(out, "!! .claude-mpm/\n");
  assertEquals((await readStatus(wt))!.untracked, []);
});

Deno.test("ensureExcluded outside a repository changes nothing", async () => {
  await using dir = await tempDir();
  assertEquals(await ensureExcluded(dir.path), false);
  assertEquals([...Deno.readDirSync(dir.path)], []);
});
