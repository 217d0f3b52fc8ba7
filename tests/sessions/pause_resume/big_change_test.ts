/**
 * No pause is too big to save: a change of 150,000 paths (a vendored tree staged) is more than
 * V8 passes as one call's arguments, which once made `mpm pause` and SessionEnd's automatic pause
 * die with "Maximum call stack size exceeded" and write nothing, the person's words with it. The
 * snapshot keeps every path; its Markdown lists the first ones and counts the rest. (A million
 * paths are rendered in src/sessions/store/snapshots/render_md_test.ts; making a million files
 * here would cost minutes of git.)
 */
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, withRepo } from "../../helpers.ts";
import { join } from "node:path";
import { payload, snapshots } from "../../hooks/hooks_helpers.ts";
import { LISTED_PATHS } from "../../../src/sessions/store/snapshots/render_md.ts";
import { thousands } from "../../../src/kernel/format/numbers.ts";

/** Past V8's limit (about 125,000 arguments), with room for a deeper stack. */
const PATHS = 150_000;

/** PATHS empty files under vendor/, a thousand to a folder: what a vendored tree looks like. */
function vendoredTree(root: string): void {
  const empty = new Uint8Array();
  for (let folder = 0; folder < PATHS / 1000; folder++) {
    const dir = join(root, "vendor", `pkg${folder}`);
    Deno.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 1000; i++) Deno.writeFileSync(join(dir, `f${i}.js`), empty);
  }
}

Deno.test("a pause and SessionEnd's pause of 150,000 staged paths save the words and every path", async (t) => {
  await using repo = await withRepo();
  vendoredTree(repo.path);
  await repo.git("add", "-A");

  await t.step("mpm pause keeps the words, every path, and a bounded Markdown", async () => {
    const paused = await ok(repo, "pause", "-s", "Vendored the SDK", "-n", "Trim what we use");
    assertStringIncludes(paused.stdout, "Paused");
    const [snapshot] = await snapshots(repo);
    assertEquals(snapshot.conversation.summary, "Vendored the SDK");
    assertEquals(snapshot.conversation.next_steps, ["Trim what we use"]);
    assertEquals(snapshot.git_context.status.staged.length, PATHS);
    const md = await Deno.readTextFile(
      join(repo.path, ".claude-mpm", "sessions", `${snapshot.session_id}.md`),
    );
    assertStringIncludes(md, "Vendored the SDK");
    assertStringIncludes(
      md,
      `- _and ${thousands(PATHS - LISTED_PATHS)} more in the snapshot's record_`,
    );
    assert(md.length < 100_000, `${md.length} characters of Markdown`);
  });

  await t.step("SessionEnd's automatic pause carries the words over the same tree", async () => {
    await repo.write("notes.txt", "one more change\n");
    const ended = await mpm(["hook", "session-end"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      stdin: payload("session-end.json", repo, { session_id: "c1" }),
    });
    assertEquals(ended.code, 0, ended.stderr);
    assert(!ended.stderr.includes("queued"), ended.stderr);
    const [newest] = await snapshots(repo);
    assertEquals(newest.mpm.claude_session_id, "c1");
    assertEquals(newest.conversation.summary, "Vendored the SDK");
    assertEquals(newest.conversation.next_steps, ["Trim what we use"]);
    assertEquals(newest.git_context.status.staged.length, PATHS);
    assertEquals(newest.git_context.status.untracked, ["notes.txt"]);
    // The next start's digest keeps the paths a start tells, not the tree (once 3.5 MB here).
    const digest = await Deno.stat(join(repo.path, ".claude-mpm", "cache", "start.json"));
    assert(digest.size < 1_000_000, `${digest.size} bytes of digest`);
  });

  await t.step("the next start tells of the tree in bounded words", async () => {
    const started = await mpm(["hook", "session-start"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      stdin: payload("session-start-startup.json", repo),
    });
    assertEquals(started.code, 0, started.stderr);
    const text = JSON.parse(started.stdout).hookSpecificOutput.additionalContext;
    assertStringIncludes(text, "Vendored the SDK");
    assertStringIncludes(text, "5,000 or more uncommitted path(s)");
  });

  await t.step(
    "a SessionEnd with nothing new writes nothing; a bare pause keeps the words",
    async () => {
      const before = (await snapshots(repo)).length;
      const ended = await mpm(["hook", "session-end"], {
        cwd: repo.path,
        env: { HOME: repo.home },
        stdin: payload("session-end.json", repo, { session_id: "c2" }),
      });
      assertEquals(ended.code, 0, ended.stderr);
      assertEquals((await snapshots(repo)).length, before);
      await ok(repo, "pause");
      const [newest] = await snapshots(repo);
      assertEquals(newest.conversation.summary, "Vendored the SDK");
      assertEquals(newest.git_context.status.staged.length, PATHS);
    },
  );
});
