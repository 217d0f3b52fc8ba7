/**
 * Queued automatic pauses (`.claude-mpm/spool/`) that are damaged or from a newer mpm: each is
 * set aside with one line saying so, the good ones are saved, and no command is blocked.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok } from "../../helpers.ts";
import { installed, listFiles, payload, runScript, snapshots } from "../../hooks/hooks_helpers.ts";
import { withLock } from "../../../src/disk/lock.ts";

Deno.test("damaged or newer queued pauses are set aside with a line; the good one is saved", async () => {
  await using repo = await installed();
  await ok(repo, "pause", "-s", "Payment work");
  const spool = join(repo.path, ".claude-mpm", "spool");
  // A real queued pause: SessionEnd while another mpm holds the lock.
  const end = await withLock(
    join(repo.path, ".claude-mpm", ".lock"),
    () => runScript("sh", repo, "post-session", payload("session-end.json", repo)),
    { command: "test" },
  );
  assertStringIncludes(end.stderr, "the pause is queued");
  const [good] = await listFiles(spool);
  const record = JSON.parse(await Deno.readTextFile(join(spool, good)));
  const variants: Record<string, unknown> = {
    "pause-1-bad-date.json": { ...record, spooled_at: "not a date" },
    "pause-2-bad-git.json": { ...record, git: "x" },
    "pause-3-bad-todo.json": {
      ...record,
      request: { ...record.request, todos: [{ content: "t", status: "someday" }] },
    },
    "pause-4-newer.json": { ...record, spool_version: record.spool_version + 1 },
  };
  for (const [name, value] of Object.entries(variants)) {
    await Deno.writeTextFile(join(spool, name), JSON.stringify(value));
  }

  const todo = await ok(repo, "todo", "add", "Check partial refunds");
  for (const name of Object.keys(variants)) {
    assertStringIncludes(todo.stderr, `spool/${name}.bad`);
  }
  assertEquals(
    (await listFiles(spool)).sort(),
    Object.keys(variants).map((name) => `${name}.bad`).sort(),
  );
  // The good one became the snapshot it would have been; every snapshot reads back.
  const all = await snapshots(repo);
  assertEquals(all.length, 2);
  assertEquals(all[0].mpm.auto.trigger, "session-end");
  const list = await ok(repo, "list");
  assert(!/unreadable/i.test(list.stdout), list.stdout);
  // Nothing is left to block the next command.
  assertEquals((await ok(repo, "todo", "list")).stderr, "");
});

Deno.test("a queued pause is redacted on disk like the snapshot it becomes", async () => {
  await using repo = await installed();
  const secret = "ghp_R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaSpoL";
  await ok(repo, "pause", "-s", "Payment work");
  await repo.commit(`Rotate ${secret}`, { "deploy.txt": "v2\n" });
  const spool = join(repo.path, ".claude-mpm", "spool");
  await withLock(
    join(repo.path, ".claude-mpm", ".lock"),
    () => runScript("sh", repo, "post-session", payload("session-end.json", repo)),
    { command: "test" },
  );
  const [queued] = await listFiles(spool);
  const text = await Deno.readTextFile(join(spool, queued));
  assert(!text.includes(secret), text);
  assertEquals(JSON.parse(text).git.subject, "Rotate [REDACTED:github-token]");
  await ok(repo, "todo", "add", "Check partial refunds");
  assertEquals((await snapshots(repo))[0].git_context.commit_message, JSON.parse(text).git.subject);
});
