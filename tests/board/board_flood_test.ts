/**
 * A teammate who pushes many lines of work, one with a secret in its branch's name: between two
 * clones of a bare remote, Bob pushes snapshots each of its own session, then one `mpm sync push`
 * would refuse, committed onto the sessions ref by hand; Alice pulls. Her board on the terminal
 * lists Bob's newest few and counts the rest, its JSON every one, and neither shows the secret.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { git, gitWithInput, mpm, ok, type Repo, withClones, writeRecord } from "../helpers.ts";
import { sessionIdFor } from "../../src/kernel/ids.ts";
import { serializeSnapshot } from "../../src/kernel/snapshot.ts";
import { checksumLine } from "../../src/kernel/hashing/checksum.ts";
import { buildSnapshot } from "../../src/sessions/store/session/build_snapshot.ts";
import { WORK_SHOWN } from "../../src/board/board_text.ts";

const BOB = {
  GIT_AUTHOR_NAME: "Bob",
  GIT_AUTHOR_EMAIL: "bob@example.com",
  GIT_COMMITTER_NAME: "Bob",
  GIT_COMMITTER_EMAIL: "bob@example.com",
};

const TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

/** Snapshot `i` of Bob's (a session of its own), `i` minutes after `start`, on `branch`. */
function snapshot(bob: Repo, i: number, start: number, branch: string) {
  const at = new Date(start + i * 60_000);
  const id = sessionIdFor(at);
  const text = serializeSnapshot(buildSnapshot(
    { summary: `Bob's work ${i}`, accomplishments: [], nextSteps: [], todos: [] },
    {
      id,
      now: at,
      git: {
        branch,
        head: "0".repeat(40),
        detached: false,
        upstream: null,
        ahead_behind: null,
        subject: "work",
        modified: [],
        staged: [],
        untracked: [],
        deleted: [],
        renamed: [],
        conflicted: [],
      } as never,
      projectPath: bob.path,
      version: "0.0.0",
      build: "test",
    },
  ));
  return { id, text };
}

/** Commits `files` onto Bob's sessions ref by hand, as Bob, and pushes it. */
async function forge(bob: Repo, files: Record<string, string>) {
  const ref = "refs/mpm/sessions";
  const lines = (await git(bob.path, "ls-tree", `${ref}:sessions`)).trim().split("\n");
  for (const [name, text] of Object.entries(files)) {
    const blob = await gitWithInput(bob.path, ["hash-object", "-w", "--stdin"], text);
    lines.push(`100644 blob ${blob}\t${name}`);
  }
  const sessions = await gitWithInput(bob.path, ["mktree"], lines.join("\n") + "\n");
  const root = await gitWithInput(bob.path, ["mktree"], `040000 tree ${sessions}\tsessions\n`);
  const parent = (await git(bob.path, "rev-parse", ref)).trim();
  const made = await new Deno.Command("git", {
    args: ["commit-tree", "-p", parent, "-m", "mpm sync", root],
    cwd: bob.path,
    env: BOB,
  }).output();
  assertEquals(made.code, 0, new TextDecoder().decode(made.stderr));
  const commit = new TextDecoder().decode(made.stdout).trim();
  await git(bob.path, "update-ref", ref, commit);
  await git(bob.path, "push", "-q", "origin", `${ref}:${ref}`);
}

Deno.test("a teammate's many lines of work: the terminal shows the newest, the JSON all, no secret", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const count = WORK_SHOWN + 3;
  const start = Date.now() - 2 * 3_600_000;
  for (let i = 0; i < count - 1; i++) {
    const { id, text } = snapshot(b, i, start, "main");
    await writeRecord(join(b.path, ".claude-mpm/sessions"), id, text);
  }
  const pushed = await mpm(["sync", "push"], { cwd: b.path, env: { HOME: b.home, ...BOB } });
  assertEquals(pushed.code, 0, pushed.stderr);
  // mpm sync push refuses a record holding what looks like a secret: a teammate can forge one.
  const { id, text } = snapshot(b, count - 1, start, `fix/${TOKEN}`);
  await forge(b, { [`${id}.json`]: text, [`${id}.json.sha256`]: checksumLine(text, `${id}.json`) });
  await ok(a, "sync", "pull");

  const shown = await mpm(["board"], { cwd: a.path, env: { HOME: a.home } });
  assertEquals(shown.code, 0, shown.stderr);
  const listed = shown.stdout.split("\n").filter((l) => l.startsWith("  • Bob's work "));
  assertEquals(listed.length, WORK_SHOWN, shown.stdout);
  assertStringIncludes(listed[0], `Bob's work ${count - 1} — `);
  assertStringIncludes(listed[0], "branch fix/[REDACTED:github-token]");
  assertStringIncludes(
    shown.stdout,
    "  … and 3 older lines of work (mpm board --json lists them).",
  );
  const json = await mpm(["board", "--json"], { cwd: a.path, env: { HOME: a.home } });
  assertEquals(json.code, 0, json.stderr);
  const bob = JSON.parse(json.stdout).people.find((p: { email: string }) =>
    p.email === "bob@example.com"
  );
  assertEquals(bob.work.length, count);
  assertEquals(bob.work[0].branch, "fix/[REDACTED:github-token]");
  for (const out of [shown.stdout, json.stdout]) assert(!out.includes("ghp_"), out.slice(0, 2000));
});
