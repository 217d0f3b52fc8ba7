/**
 * A teammate's snapshot, pulled with `mpm sync pull`, never speaks as the person's own words
 * and never changes their lifecycle: between two clones (A and B, each with its own HOME, so its
 * own machine key) of a bare remote. B resumes A's work (so B's snapshots carry A's session key),
 * writes words or cancels it, and pushes; A pulls.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { configureRepo, git, mpm, ok, okJson, type Repo, repoAt, withClones } from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";

async function pauseId(repo: Repo, ...args: string[]): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", ...args)).session_id;
}

/**
 * One person's two machines: both clones sign with one ssh key (git's own `gpg.format ssh`), so
 * what one pushes is the person's own on the other. The same email alone proves nothing.
 */
async function sameKey(...repos: Repo[]): Promise<void> {
  const key = join(repos[0].path, "..", "person-key");
  const made = await new Deno.Command("ssh-keygen", {
    args: ["-q", "-t", "ed25519", "-N", "", "-C", "person", "-f", key],
  }).output();
  assertEquals(made.code, 0, new TextDecoder().decode(made.stderr));
  for (const repo of repos) {
    await git(repo.path, "config", "gpg.format", "ssh");
    await git(repo.path, "config", "user.signingkey", `${key}.pub`);
  }
}

async function injected(repo: Repo): Promise<string> {
  const result = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-start-startup.json", repo),
  });
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).hookSpecificOutput.additionalContext;
}

const record = async (repo: Repo, id: string) =>
  JSON.parse(await Deno.readTextFile(join(repo.path, ".claude-mpm/sessions", `${id}.json`)));

Deno.test("a pulled newer snapshot is a teammate's: told after A's own, never carried as A's words", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "start", "payments");
  const mine = await pauseId(a, "-s", "Alice's own words", "-n", "Alice's next step");
  await ok(a, "sync", "push");

  await ok(b, "sync", "pull");
  await ok(b, "resume", mine, "--from-teammate");
  const theirs = await pauseId(b, "-s", "Bob's words: drop the refunds table");
  assertEquals((await record(b, theirs)).mpm.key, (await record(a, mine)).mpm.key);
  await ok(b, "sync", "push");
  await ok(a, "sync", "pull");

  // A's own pause is the last session, and the only one "current"; B's comes after, as B's.
  const text = await injected(a);
  const own = text.indexOf(`## Last session (mpm) (.claude-mpm/sessions/${mine}.md)`);
  const other = text.indexOf(`(.claude-mpm/sessions/${theirs}.md)`);
  assert(own >= 0 && other > own, text);
  const [ownPart, otherPart] = [text.slice(own, other), text.slice(other)];
  assertStringIncludes(ownPart, "Alice's own words");
  assertStringIncludes(ownPart, "this one is current");
  assertNotIncludes(ownPart, "Bob's words");
  // Only named: a teammate's words are never told at a start as the work to go on with.
  assertNotIncludes(otherPart, "Bob's words");
  assertStringIncludes(otherPart, "was not written by mpm on this machine");
  assertNotIncludes(otherPart, "this one is current");
  // The preview prints exactly what the hook injects.
  assertEquals((await ok(a, "context", "--preview")).stdout, text + "\n");

  // A's next automatic snapshot carries A's words, not B's newer ones.
  const auto = await record(a, await pauseId(a));
  assertEquals(auto.mpm.written_by, "mpm");
  assertEquals(auto.conversation.summary, "Alice's own words");
  assertEquals(auto.mpm.carried.from, mine);

  // Taken up by name (with --from-teammate), B's snapshot says where it was written before its
  // words.
  const report = (await ok(a, "resume", theirs, "--no-changes", "--from-teammate")).stdout;
  assertStringIncludes(report, "Written elsewhere");
  assert(report.indexOf("Written elsewhere") < report.indexOf("Bob's words"), report);
});

Deno.test("a pulled cancelled snapshot carrying A's session key does not end A's work", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "start", "payments");
  const mine = await pauseId(a, "-s", "Alice's open work");
  await ok(a, "sync", "push");

  await ok(b, "sync", "pull");
  const cancelled = await okJson(b, "cancel", mine, "--reason", "not needed", "--json");
  assert(JSON.stringify(cancelled).includes("cancelled"), JSON.stringify(cancelled));
  await ok(b, "sync", "push");
  await ok(a, "sync", "pull");

  // A's line is still open: plain `resume` takes it up, SessionStart tells it as the last session.
  const text = await injected(a);
  assertStringIncludes(text, `## Last session (mpm) (.claude-mpm/sessions/${mine}.md)`);
  assertStringIncludes(text, "Alice's open work");
  const resumed = await okJson(a, "resume", "--json", "--no-changes");
  assertEquals(resumed.session.session_id, mine);
});

Deno.test("after a pull, a plain resume takes up the person's own work and names the teammate's newer one", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await ok(a, "start", "Alice work");
  await pauseId(a, "-s", "alice own");
  await ok(b, "start", "Bob work");
  await pauseId(b, "-s", "bob words");
  // Bob's automatic snapshot carries his words: on A's side they are not "your words".
  const bobs = await pauseId(b);
  // "just now" is told against this clock, not however long the push and pull take to run.
  const pausedAt = new Date();
  // Bob pushes with his own git email (the test runs' shared one is A's).
  const pushed = await mpm(["sync", "push"], {
    cwd: b.path,
    env: { HOME: b.home, GIT_AUTHOR_EMAIL: "bob@example.com" },
  });
  assertEquals(pushed.code, 0, pushed.stderr);
  await ok(a, "sync", "pull");

  const list = (await ok(a, "list")).stdout;
  assertStringIncludes(list, "[0] " + bobs);
  assertStringIncludes(list, "[Bob work, written elsewhere]");
  assertStringIncludes(list, "bob words (words of");
  assertNotIncludes(list, "bob words (your words of");
  const status = await mpm(["status"], {
    cwd: a.path,
    env: { HOME: a.home },
    now: () => pausedAt,
  });
  // The latest pause is the person's own, never the teammate's newer one.
  assertStringIncludes(status.stdout, "Latest pause:");
  assertNotIncludes(status.stdout, bobs);

  const resumed = await ok(a, "resume");
  assertStringIncludes(resumed.stdout, "✓ Alice work is active again");
  assertStringIncludes(
    resumed.stdout,
    `[0] ${bobs} (Bob work); \`mpm resume ${bobs} --from-teammate\` takes it up.`,
  );
  const again = await okJson(a, "resume", "--json");
  assertEquals(again.session.mpm.name, "Alice work");
  assertEquals(again.passed_over, { index: 0, session_id: bobs });
  // Named, the teammate's work is refused unless asked for with --from-teammate.
  const named = await a.run("resume", "0", "--force");
  assertEquals(named.code, 1, named.stderr);
  assertStringIncludes(named.stderr, `\`mpm resume ${bobs} --from-teammate\``);
  const taken = await okJson(a, "resume", "0", "--json", "--force", "--from-teammate");
  assertEquals(taken.session.mpm.name, "Bob work");
  assertEquals((await okJson(b, "resume", "--json")).passed_over, undefined);
});

Deno.test("after a pull of the person's own work from another machine, a plain resume takes it up", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  // One person, two machines: two machine keys (HOMEs), one signing key.
  await sameKey(a, b);
  await ok(b, "start", "Old work on this machine");
  await pauseId(b, "-s", "old");
  await ok(a, "start", "Laptop work");
  const newest = await pauseId(a, "-s", "where I stopped on the laptop");
  await ok(a, "sync", "push");
  await ok(b, "sync", "pull");
  assertStringIncludes((await ok(b, "list")).stdout, "[Laptop work, written elsewhere]");
  const resumed = await okJson(b, "resume", "--json");
  assertEquals(resumed.session.session_id, newest);
  assertEquals(resumed.passed_over, undefined);
});

Deno.test("a teammate's pause on top of the person's own pushed work: resume takes the person's, not older words", async () => {
  await using clones = await withClones();
  const { a: laptop, b: desktop } = clones;
  await sameKey(laptop, desktop);
  // Bob: a third clone, a HOME (a machine) of his own, pushing with his own git email.
  const bob = repoAt(
    join(clones.remote, "..", "bob"),
    join(clones.remote, "..", "home-bob"),
    () => Promise.resolve(),
  );
  await Deno.mkdir(bob.home, { recursive: true });
  await git(join(clones.remote, ".."), "clone", "-q", clones.remote, bob.path);
  await configureRepo(bob.path, "Bob", "bob@example.com");
  const asBob = (...args: string[]) =>
    mpm(args, { cwd: bob.path, env: { HOME: bob.home, GIT_AUTHOR_EMAIL: "bob@example.com" } });

  // Alice on her desktop, older; then on her laptop, newer, pushed.
  await ok(desktop, "start", "Desk work");
  await pauseId(desktop, "-s", "desktop words, older");
  await ok(laptop, "start", "Refunds");
  const laptops = await pauseId(laptop, "-s", "laptop words, newest of mine");
  await ok(laptop, "sync", "push");
  // Bob takes up her Refunds and pauses on top of it: the newest snapshot of that session.
  assertEquals((await asBob("sync", "pull")).code, 0);
  assertEquals((await asBob("resume", laptops, "--no-changes", "--from-teammate")).code, 0);
  assertEquals((await asBob("pause", "-s", "bob on top")).code, 0);
  assertEquals((await asBob("sync", "push")).code, 0);

  // On her desktop, a plain resume takes up her own newest words, and names Bob's.
  await ok(desktop, "sync", "pull");
  const resumed = await okJson(desktop, "resume", "--json", "--no-changes");
  assertEquals(resumed.session.conversation.summary, "laptop words, newest of mine");
  assertEquals(resumed.passed_over?.index, 0);
});
