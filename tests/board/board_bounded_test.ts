/**
 * A teammate's records cost a bounded amount, whatever they push: between two clones of a bare
 * remote, Bob pushes snapshots each larger than mpm reads of a record it did not seal (their git
 * status holds a vendored tree's paths, their words run to hundreds of KB), newer than Alice's
 * own last pause; Alice pulls. Her start still tells her own pause, her board lists Bob's line
 * from what it read of each record, cut, and says so; and a teammates' part past its time is
 * skipped with a line saying why, the rest of the start given as ever.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, okJson, type Repo, withClones, writeRecord } from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";
import { sessionIdFor } from "../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../src/kernel/snapshot.ts";
import { buildSnapshot } from "../../src/sessions/store/session/build_snapshot.ts";
import { RECORD_READ_BYTES } from "../../src/sessions/store/snapshots/bounded_read.ts";
import { teammatePart } from "../../src/board/teammates.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { readStatus } from "../../src/git/tree/status.ts";

const BOB = {
  GIT_AUTHOR_NAME: "Bob",
  GIT_AUTHOR_EMAIL: "bob@example.com",
  GIT_COMMITTER_NAME: "Bob",
  GIT_COMMITTER_EMAIL: "bob@example.com",
};

/** `count` snapshots of Bob's, each over RECORD_READ_BYTES, dated after `after`. */
async function heavySnapshots(bob: Repo, count: number, after: Date, repeat = 8000) {
  const sessions = join(bob.path, ".claude-mpm/sessions");
  const paths = Array.from({ length: 4000 }, (_, i) => `vendor/pkg${i % 97}/lib/module_${i}.js`);
  const words = "vendored the payments SDK ".repeat(repeat);
  for (let i = 0; i < count; i++) {
    const at = new Date(after.getTime() + (i + 1) * 60_000);
    const id = sessionIdFor(at);
    const snapshot = buildSnapshot({
      summary: `Bob's heavy work ${i}: ${words}`,
      accomplishments: [],
      nextSteps: [],
      todos: [],
    }, {
      id,
      now: at,
      git: {
        branch: "vendor",
        head: "0".repeat(40),
        detached: false,
        upstream: null,
        ahead_behind: null,
        subject: "vendor",
        modified: ["README.md"],
        staged: [],
        untracked: paths,
        deleted: [],
        renamed: [],
        conflicted: [],
      } as never,
      projectPath: bob.path,
      version: "0.0.0",
      build: "test",
    });
    const text = serializeSnapshot(snapshot);
    assert(text.length > RECORD_READ_BYTES, `${text.length}`);
    await writeRecord(sessions, id, text);
  }
}

async function pulledHeavy(count = 12, repeat = 8000) {
  const clones = await withClones();
  const { a, b } = clones;
  await ok(a, "start", "Refunds");
  await Deno.writeTextFile(join(a.path, "README.md"), "# demo, changed\n");
  await ok(a, "pause", "-s", "Alice's own last words", "--no-prune-worktrees");
  await heavySnapshots(b, count, new Date(), repeat);
  const pushed = await mpm(["sync", "push"], { cwd: b.path, env: { HOME: b.home, ...BOB } });
  assertEquals(pushed.code, 0, pushed.stderr);
  await ok(a, "sync", "pull");
  return clones;
}

Deno.test("after a pull of a teammate's oversized snapshots, SessionStart still gives the person's own last pause", async () => {
  await using clones = await pulledHeavy();
  const { a } = clones;
  const result = await mpm(["hook", "session-start"], {
    cwd: a.path,
    env: { HOME: a.home },
    stdin: payload("session-start-startup.json", a),
  });
  assertEquals(result.code, 0, result.stderr);
  const text = JSON.parse(result.stdout).hookSpecificOutput.additionalContext as string;
  assertStringIncludes(text, "## Last session (mpm)");
  assertStringIncludes(text, "Alice's own last words");
  // What is told of Bob's is cut, never his hundreds of KB of words.
  assert(text.length < 20_000, `${text.length}`);
});

Deno.test("the board lists a teammate's oversized snapshot from its first part, its words cut, and says so", async () => {
  await using clones = await pulledHeavy();
  const { a } = clones;
  const result = await mpm(["board", "--json"], { cwd: a.path, env: { HOME: a.home } });
  assertEquals(result.code, 0, result.stderr);
  const board = JSON.parse(result.stdout);
  const bob = board.people.find((p: { email: string }) => p.email === "bob@example.com");
  assert(bob !== undefined, result.stdout.slice(0, 2000));
  assert(bob.work.length > 0);
  for (const work of bob.work) {
    assert(work.words.length <= 300, `${work.words.length}`);
    assert(work.files.length <= 500);
  }
  assertStringIncludes(bob.work[0].words, "Bob's heavy work");
  // Its files are what the head held: README.md (modified, listed first) is an overlap.
  assert(
    board.overlaps.some((o: { path: string }) => o.path === "README.md"),
    JSON.stringify(board.overlaps).slice(0, 500),
  );
  // Each record read in part is named, with why.
  assertStringIncludes(result.stderr, `more than the ${RECORD_READ_BYTES / 1024} KiB`);
  assertStringIncludes(result.stderr, "only its first part was read");
  // The person's own stays hers.
  const own = (await okJson(a, "board", "--json")).people.find((p: { you: boolean }) => p.you);
  assert(own.work.length > 0);
});

Deno.test("a teammates' part past its time is skipped with a line saying why", async () => {
  await using clones = await pulledHeavy();
  const { a } = clones;
  const status = await readStatus(a.path);
  const args = { root: a.path, paths: projectPaths(a.path), now: new Date(), status };
  // Given its time, the part names Bob's work on README.md.
  const part = await teammatePart(args);
  assertStringIncludes(part?.text ?? "", "bob@example.com");
  // Given none, it is skipped, and says so.
  const skipped = await teammatePart({ ...args, budgetMs: 0 });
  assertStringIncludes(skipped?.text ?? "", "Skipped: reading the teammates' records");
  assertStringIncludes(skipped?.text ?? "", "mpm board");
});

Deno.test("a teammate's snapshot whose words run to a megabyte still shows the files after them", async () => {
  // 40,000 × 26 bytes of words: the first RECORD_READ_BYTES of the file are all summary.
  await using clones = await pulledHeavy(2, 40_000);
  const { a } = clones;
  const board = await okJson(a, "board", "--json");
  const bob = board.people.find((p: { email: string }) => p.email === "bob@example.com");
  assert(bob.work[0].words.length <= 300, `${bob.work[0].words.length}`);
  assert(
    board.overlaps.some((o: { path: string }) => o.path === "README.md"),
    JSON.stringify(board.overlaps).slice(0, 500),
  );
  // The start's teammate line names it too.
  const status = await readStatus(a.path);
  const part = await teammatePart({
    root: a.path,
    paths: projectPaths(a.path),
    now: new Date(),
    status,
  });
  assertStringIncludes(part?.text ?? "", "README.md");
});
