/**
 * `mpm board` on one machine: a clone's committed records are nobody's current work, the
 * usage mistakes are one sentence each, and --open hands the page to $BROWSER.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { copyTree, mpm, ok, okJson, withClones, withRepo } from "../helpers.ts";
import { AGENT_NAMES } from "../../src/kernel/agent_name.ts";

Deno.test("a clone's committed records are nobody's: only the person's own work is on the board", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "start", "Alice's work");
  await a.write("README.md", "changed\n");
  await ok(a, "pause", "-s", "Alice's words");
  // B gets A's records as a commit would bring them: files, never through sync pull.
  await copyTree(join(a.path, ".claude-mpm", "sessions"), join(b.path, ".claude-mpm", "sessions"));
  await ok(b, "start", "Bob's work");
  const board = await okJson(b, "board", "--json");
  assertEquals(board.people.length, 1);
  assertEquals(board.people[0].you, true);
  assertEquals(board.people[0].work.map((w: { name: string }) => w.name), ["Bob's work"]);
  assertEquals(board.people[0].work[0].state, "active");
  // Alice's own board has her work as hers.
  const own = await okJson(a, "board", "--json");
  assertEquals(own.people[0].work[0].words, "Alice's words");
  assertEquals(own.people[0].work[0].files, ["README.md"]);
});

Deno.test("board's usage mistakes are one sentence, exit 2; --open hands the page to $BROWSER", async () => {
  await using repo = await withRepo();
  const both = await repo.run("board", "--json", "--html", "x.html");
  assertEquals(both.code, 2);
  assertStringIncludes(both.stdout + both.stderr, "--json and --html are two different outputs");
  const open = await repo.run("board", "--open");
  assertEquals(open.code, 2);
  assertStringIncludes(open.stderr, "--open goes with --html FILE.");
  const since = await repo.run("board", "--since", "0");
  assertEquals(since.code, 2);

  const opened = join(repo.home, "opened.txt");
  const browser = join(repo.home, "browser.sh");
  await Deno.writeTextFile(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
  await Deno.chmod(browser, 0o700);
  const page = join(repo.home, "board.html");
  const result = await mpm(["board", "--html", page, "--open"], {
    cwd: repo.path,
    env: { HOME: repo.home, BROWSER: browser },
  });
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, `Wrote ${page}: 0 people, 0 lines of work, 0 overlaps.`);
  assertEquals(await Deno.readTextFile(opened), page);
  // The page mpm made is replaced by the next run, as a person who looks each morning runs it.
  assertEquals((await repo.run("board", "--html", page)).code, 0);
  assertEquals((await repo.run("board", "--html", page, "--force")).code, 0);
});

Deno.test("board --html refuses a file mpm did not make, even one that looks like a page", async () => {
  await using repo = await withRepo();
  const page = join(repo.home, "board.html");
  // Someone's own page, mpm's mark further down than mpm puts it: theirs, kept.
  const theirs = "<!doctype html>\n<html><head><title>mine</title></head>\n<body>\n" +
    '<meta name="mpm-page" content="board">\n</body></html>\n';
  for (const text of [theirs, "notes\n", ""]) {
    await Deno.writeTextFile(page, text);
    const refused = await repo.run("board", "--html", page);
    assertEquals(refused.code, 1, refused.stdout);
    assertStringIncludes(refused.stderr, "the file exists; nothing was written");
    assertEquals(await Deno.readTextFile(page), text);
  }
  // A link to mpm's own page is not the page: refused, as any link is.
  const own = join(repo.home, "own.html");
  assertEquals((await repo.run("board", "--html", own)).code, 0);
  const link = join(repo.home, "link.html");
  await Deno.symlink(own, link);
  assertEquals((await repo.run("board", "--html", link)).code, 2);
  // With --force any regular file is replaced, and from then on it is mpm's page.
  await Deno.writeTextFile(page, "notes\n");
  assertEquals((await repo.run("board", "--html", page, "--force")).code, 0);
  assertStringIncludes(await Deno.readTextFile(page), "<title>mpm board</title>");
  assertEquals((await repo.run("board", "--html", page)).code, 0);
});

Deno.test("a second pull's snapshots are on the board: whose they are is read for the new commits", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const as = { GIT_AUTHOR_EMAIL: "alice@example.com", GIT_COMMITTER_EMAIL: "alice@example.com" };
  const runA = (...args: string[]) => mpm(args, { cwd: a.path, env: { HOME: a.home, ...as } });
  await runA("start", "First");
  assertEquals((await runA("pause", "-s", "first words")).code, 0);
  assertEquals((await runA("sync", "push")).code, 0);
  const first = await okJson(b, "board", "--pull", "--json");
  assertEquals(first.people.map((p: { email: string }) => p.email), ["alice@example.com"]);
  await runA("start", "Second");
  assertEquals((await runA("pause", "-s", "second words")).code, 0);
  assertEquals((await runA("sync", "push")).code, 0);
  const second = await okJson(b, "board", "--pull", "--json");
  assertEquals(
    second.people[0].work.map((w: { name: string }) => w.name).sort(),
    ["First", "Second"],
  );
  assertEquals(second.people[0].you, false);
});

Deno.test("board --since past a hundred years is refused with the range, not read as nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Paid work");
  await ok(repo, "pause", "-s", "Refunds half done");
  // The longest --since still shows paused work (not only an active session).
  const longest = await okJson(repo, "board", "--json", "--since", "36500");
  assertEquals(longest.people[0].work.map((w: { name: string }) => w.name), ["Paid work"]);
  const far = await repo.run("board", "--since", "1000000000");
  assertEquals(far.code, 2, far.stdout);
  assertEquals(far.stdout, "");
  assertStringIncludes(far.stderr, "--since must be a whole number from 1 to 36500");
  assertEquals(far.stderr.trim().split("\n").length <= 2, true, far.stderr);
});

Deno.test("board's reference names every agent a line of work's --json agent can be", async () => {
  // The reference past the help's first screen is docs/commands.md, made from the declaration.
  const doc = await Deno.readTextFile(new URL("../../docs/commands.md", import.meta.url));
  const board = doc.slice(doc.indexOf("## mpm board"));
  const text = board.slice(0, board.indexOf("\n## ", 1)).replace(/\s+/g, " ");
  const listed = /each line of work "agent" \(([^)]*)\)/.exec(text)?.[1] ?? text.slice(0, 200);
  assertEquals(listed, AGENT_NAMES.map((id) => `"${id}"`).join(", "));
});
