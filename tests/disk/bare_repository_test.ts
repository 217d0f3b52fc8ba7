/**
 * A bare repository has no work tree: every command that works on a project refuses it up front,
 * in one sentence, and writes nothing; the hooks pass it by in silence, as they do $HOME.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { exists, git, mpm, tempDir, withRepo } from "../helpers.ts";
import { listFiles, payload } from "../hooks/hooks_helpers.ts";

const COMMANDS = [
  ["start", "feat", "--task", "t"],
  ["todo", "add", "x"],
  ["pause", "-s", "x"],
  ["checkpoint", "save", "c1"],
  ["status"],
  ["list"],
  ["hooks", "install"],
  ["sync", "status"],
  ["doctor"],
];

async function assertRefused(cwd: string, home: string, gitDir: string): Promise<void> {
  for (const args of COMMANDS) {
    const run = await mpm(args, { cwd, env: { HOME: home } });
    const what = `${args.join(" ")}: ${run.stdout}${run.stderr}`;
    assertEquals(run.code, 3, what);
    assertStringIncludes(run.stderr, `${gitDir} is a bare git repository`, what);
    assertStringIncludes(run.stderr, "git worktree add", what);
    assertNotIncludes(run.stderr, "    at ", what);
  }
}

Deno.test("every command refuses a bare repository, from its top or below, and writes nothing", async () => {
  await using dir = await tempDir();
  const bare = join(dir.path, "x.git");
  const home = join(dir.path, "home");
  await Deno.mkdir(home);
  await git(dir.path, "init", "-q", "--bare", "-b", "main", bare);
  const before = await listFiles(bare);
  await assertRefused(bare, home, bare);
  await assertRefused(join(bare, "refs"), home, bare);
  assertEquals(await listFiles(bare), before);
  assertEquals(await listFiles(home), []);
});

Deno.test("a bare repository behind a .git file is refused; its linked worktree works", async () => {
  await using source = await withRepo();
  const top = join(source.path, "..", "layout");
  await git(source.path, "clone", "-q", "--bare", source.path, join(top, ".bare"));
  await Deno.writeTextFile(join(top, ".git"), "gitdir: ./.bare\n");
  await assertRefused(top, source.home, join(top, ".bare"));
  await git(top, "worktree", "add", "-q", "wt", "main");
  const start = await mpm(["start", "feat", "--task", "t"], {
    cwd: join(top, "wt"),
    env: { HOME: source.home },
  });
  assertEquals(start.code, 0, start.stderr);
  assertEquals(await exists(join(top, ".claude-mpm")), false);
});

Deno.test("the hooks say nothing and write nothing in a bare repository", async () => {
  await using dir = await tempDir();
  const bare = join(dir.path, "x.git");
  const home = join(dir.path, "home");
  await Deno.mkdir(home);
  await git(dir.path, "init", "-q", "--bare", "-b", "main", bare);
  // An older mpm left its folder there: it makes the bare repository no project.
  await Deno.mkdir(join(bare, ".claude-mpm"));
  const repo = { path: bare, home } as Parameters<typeof payload>[1];
  const before = await listFiles(bare);
  for (
    const [event, file] of [
      ["session-start", "session-start-startup.json"],
      ["session-end", "session-end.json"],
      ["on-error", "post-tool-use-failure.json"],
    ]
  ) {
    // SessionStart as a process: main.ts answers a start before any command loads.
    const run = await mpm(["hook", event], {
      cwd: bare,
      env: { HOME: home },
      stdin: payload(file, repo),
      spawn: event === "session-start",
    });
    assertEquals([run.code, run.stdout, run.stderr], [0, "", ""], event);
  }
  assertEquals(await listFiles(bare), before);
});
