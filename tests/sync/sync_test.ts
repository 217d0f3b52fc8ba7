/**
 * `mpm sync push|pull|status`, run as a user would, between two clones (A and B) of a bare
 * remote in temp folders.
 */
import { join } from "node:path";
import { checksumLine } from "../../src/kernel/hashing/checksum.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../assert.ts";
import {
  baseEnv,
  git,
  gitWithInput,
  mpm,
  mpmProcessArgs,
  type Repo,
  runProcess,
  type RunResult,
  withClones,
  withRepo,
  writeRecord,
} from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";
import { settled } from "./quiet/settled.ts";

/** `run`: `repo.spawn` where runs race each other. */
async function pause(repo: Repo, summary: string, run = repo.run): Promise<string> {
  const result = await run("pause", "--json", "--no-prune-worktrees", "-s", summary);
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).session_id;
}

async function sync(repo: Repo, ...args: string[]) {
  return withJson(args, await repo.run("sync", ...args));
}

/** `mpm sync ARGS` as a process, for syncs raced against each other. */
async function racedSync(repo: Repo, ...args: string[]) {
  return withJson(args, await repo.spawn("sync", ...args));
}

function withJson(args: string[], result: RunResult) {
  return { ...result, json: args.includes("--json") ? JSON.parse(result.stdout) : undefined };
}

async function syncOk(repo: Repo, ...args: string[]) {
  const result = await sync(repo, ...args);
  assertEquals(result.code, 0, `mpm sync ${args.join(" ")}: ${result.stdout}${result.stderr}`);
  return result;
}

const sessionsDir = (repo: Repo) => join(repo.path, ".claude-mpm/sessions");

/** The summary of every snapshot in a clone, sorted: the union, with duplicates visible. */
async function localSummaries(repo: Repo): Promise<string[]> {
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(sessionsDir(repo))].map((e) => e.name);
  } catch {
    return [];
  }
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const record = JSON.parse(await Deno.readTextFile(join(sessionsDir(repo), name)));
    out.push(record.conversation.summary);
  }
  return out.sort();
}

async function remoteSummaries(remote: string): Promise<string[]> {
  const names = (await git(remote, "ls-tree", "-r", "--name-only", "refs/mpm/sessions"))
    .split("\n").filter((n) => n.startsWith("sessions/") && n.endsWith(".json"));
  const out = await Promise.all(
    names.map(async (name) =>
      JSON.parse(await git(remote, "show", `refs/mpm/sessions:${name}`)).conversation.summary
    ),
  );
  return out.sort();
}

/** What a sync must never touch: refs, HEAD, index, work tree, stash, FETCH_HEAD. */
async function userGitState(repo: Repo): Promise<string> {
  const fetchHead = await Deno.readTextFile(join(repo.path, ".git/FETCH_HEAD")).catch(() => "none");
  return [
    await repo.git(
      "for-each-ref",
      "--format=%(refname) %(objectname)",
      "refs/heads",
      "refs/remotes",
      "refs/tags",
      "refs/stash",
    ),
    await repo.git("symbolic-ref", "HEAD"),
    await repo.git("ls-files", "--stage"),
    await repo.git("status", "--porcelain=v2", "--untracked-files=all"),
    await repo.git("diff"),
    await repo.git("stash", "list"),
    fetchHead,
  ].join("\n--\n");
}

Deno.test("mpm sync push on A, mpm sync pull on B: B lists, shows and resumes A's session", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const id = await pause(a, "Payment integration, half done");
  const pushed = await syncOk(a, "push");
  assertStringIncludes(pushed.stdout, `Pushed 1 snapshot to origin (refs/mpm/sessions)`);
  assertStringIncludes(pushed.stdout, id);
  // Only the stored .json and .sha256 travel.
  assertEquals(
    (await git(clones.remote, "ls-tree", "-r", "--name-only", "refs/mpm/sessions")).trim().split(
      "\n",
    ),
    [`sessions/${id}.json`, `sessions/${id}.json.sha256`],
  );

  const pulled = await syncOk(b, "pull");
  assertStringIncludes(pulled.stdout, `Imported 1 snapshot from origin:\n  ${id}`);
  for (const ext of ["json", "json.sha256", "md", "yaml"]) {
    const info = await Deno.stat(join(sessionsDir(b), `${id}.${ext}`));
    assertEquals(info.mode! & 0o777, 0o600, ext);
  }
  const check = await new Deno.Command("sha256sum", {
    args: ["-c", `${id}.json.sha256`],
    cwd: sessionsDir(b),
  }).output();
  assertEquals(check.code, 0);
  assertEquals(
    await Deno.readTextFile(join(sessionsDir(b), `${id}.json`)),
    await Deno.readTextFile(join(sessionsDir(a), `${id}.json`)),
  );

  const list = await b.run("list", "--json");
  assertEquals(JSON.parse(list.stdout).map((s: { session_id: string }) => s.session_id), [id]);
  const show = await b.run("show", id);
  assertEquals(show.code, 0, show.stderr);
  assertStringIncludes(show.stdout, "Payment integration, half done");
  // A's work is a teammate's on B: taken up when asked for.
  const resumed = await b.run("resume", "--json", "--from-teammate");
  assertEquals(resumed.code, 0, resumed.stderr);
  const { session, changes } = JSON.parse(resumed.stdout);
  assertEquals(session.session_id, id);
  assertEquals(session.project_path, a.path);
  // Change detection runs against B's repository, not the path A paused in.
  assertEquals(changes.current_commit, (await b.git("rev-parse", "HEAD")).trim());

  const again = await syncOk(b, "pull");
  assertStringIncludes(again.stdout, "Nothing to import");
  const status = await syncOk(b, "status", "--json");
  assertEquals(status.json.counts, { local_only: 0, remote_only: 0, in_both: 1 });
  assertEquals([status.json.local_only, status.json.remote_only], [[], []]);
});

/** The author of the newest commit of the remote's sessions ref, as `Name <email>`. */
async function remoteAuthor(remote: string): Promise<string> {
  return (await git(remote, "log", "-1", "--format=%an <%ae>", "refs/mpm/sessions")).trim();
}

/** A git identity left out: set, but empty, which mpm reads as not set (git would refuse it). */
const NO_ENV_IDENTITY = {
  GIT_AUTHOR_NAME: "",
  GIT_AUTHOR_EMAIL: "",
  GIT_COMMITTER_NAME: "",
  GIT_COMMITTER_EMAIL: "",
};

Deno.test("a push from a clone with no git identity says whose it is to teammates, and what to set", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await git(b.path, "config", "--unset", "user.name");
  await git(b.path, "config", "--unset", "user.email");
  const push = (...args: string[]) =>
    mpm(["sync", "push", ...args], { cwd: b.path, env: { HOME: b.home, ...NO_ENV_IDENTITY } });
  await pause(b, "Bob's work, no identity");
  assertStringIncludes((await push("--dry-run")).stdout, "the push would be mpm's");
  const pushed = await push();
  assertEquals(pushed.code, 0, pushed.stderr);
  assertStringIncludes(pushed.stdout, "This clone has no git identity: the push is mpm's");
  assertStringIncludes(pushed.stdout, "git config user.email");
  // What the warning says is what the commit carries.
  assertEquals(await remoteAuthor(clones.remote), "mpm <mpm@localhost>");
  assertEquals(JSON.parse((await push("--json")).stdout).anonymous, false);
  await pause(b, "more");
  assertEquals(JSON.parse((await push("--json")).stdout).anonymous, true);
  // With an identity, nothing is said.
  await pause(a, "Alice's work");
  const own = await syncOk(a, "push");
  assertNotIncludes(own.stdout, "no git identity");
});

Deno.test("a push by an identity from git's environment (GIT_AUTHOR_*) is that person's, and says nothing", async () => {
  await using clones = await withClones();
  const { b } = clones;
  // No user.name or user.email in any config: the identity is only the environment's.
  await git(b.path, "config", "--unset", "user.name");
  await git(b.path, "config", "--unset", "user.email");
  await pause(b, "Bob's work, identity from the environment");
  const pushed = await syncOk(b, "push", "--json");
  assertEquals(pushed.json.anonymous, false);
  assertEquals(await remoteAuthor(clones.remote), "Test Author <author@example.com>");
  await pause(b, "more");
  assertNotIncludes((await syncOk(b, "push")).stdout, "no git identity");
});

Deno.test("A and B pause and push at the same moment, three times: both end with the union", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  // A forced push would be refused by the remote, so a passing run proves none was made.
  await git(clones.remote, "config", "receive.denyNonFastForwards", "true");
  const expected: string[] = [];
  for (let round = 1; round <= 3; round++) {
    // Processes, so that A and B really race.
    await Promise.all([
      pause(a, `A round ${round}`, a.spawn),
      pause(b, `B round ${round}`, b.spawn),
    ]);
    expected.push(`A round ${round}`, `B round ${round}`);
    const [pa, pb] = await Promise.all([
      racedSync(a, "push", "--json"),
      racedSync(b, "push", "--json"),
    ]);
    assertEquals([pa.code, pb.code], [0, 0], pa.stderr + pb.stderr);
  }
  expected.sort();
  assertEquals(await remoteSummaries(clones.remote), expected);
  for (const pulled of await Promise.all([racedSync(a, "pull"), racedSync(b, "pull")])) {
    assertEquals(pulled.code, 0, pulled.stdout + pulled.stderr);
  }
  assertEquals(await localSummaries(a), expected);
  assertEquals(await localSummaries(b), expected);
  // Renamed copies are recognised: nothing moves any more, in either direction.
  for (const repo of [a, b]) {
    const status = await syncOk(repo, "status", "--json");
    assertEquals([status.json.local_only, status.json.remote_only], [[], []]);
    assertEquals(status.json.in_both, 6);
    assertStringIncludes((await syncOk(repo, "push")).stdout, "Nothing to push");
  }
  assertEquals(await remoteSummaries(clones.remote), expected);
});

Deno.test("two different snapshots under one id: both kept, the incoming one renamed, and said so", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const id = await pause(a, "Alice's work");
  // B has a different snapshot under the same id (both paused in the same second).
  const record = JSON.parse(await Deno.readTextFile(join(sessionsDir(a), `${id}.json`)));
  record.conversation.summary = "Bob's work";
  const text = JSON.stringify(record, null, 2) + "\n";
  await writeRecord(sessionsDir(b), id, text);

  await syncOk(a, "push");
  const pulled = await syncOk(b, "pull");
  // A new id keeps its time and gets other letters (old ids get `-2`).
  const free = renamedTo(pulled.stdout, id);
  assertEquals(free.slice(0, -3), id.slice(0, -3));
  const renamed = JSON.parse(await Deno.readTextFile(join(sessionsDir(b), `${free}.json`)));
  assertEquals(renamed.session_id, free);
  assertEquals(renamed.conversation.summary, "Alice's work");
  assertEquals(renamed.mpm.sync_origin.session_id, id);
  assertEquals((await b.run("show", free)).code, 0);
  assertEquals(
    JSON.parse(await Deno.readTextFile(join(sessionsDir(b), `${id}.json`))).conversation.summary,
    "Bob's work",
  );

  const pushed = await syncOk(b, "push");
  assert(![id, free].includes(renamedTo(pushed.stdout, id)));
  await syncOk(a, "pull");
  for (const repo of [a, b]) {
    assertEquals(await localSummaries(repo), ["Alice's work", "Bob's work"]);
    assertStringIncludes((await syncOk(repo, "push")).stdout, "Nothing to push");
    assertStringIncludes((await syncOk(repo, "pull")).stdout, "Nothing to import");
  }
});

Deno.test("a remote ref rewritten by hand with a tampered and a newer-schema file: refused, exit 4, the rest imports", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const remote = clones.remote;
  const first = await pauseAt(a, "first", new Date(Date.now() - 60_000));
  const second = await pauseAt(a, "second", new Date());
  await syncOk(a, "push");

  // Someone rewrites refs/mpm/sessions on the remote: one file edited (its checksum kept), and
  // a file from a newer mpm (with a correct checksum) added.
  const tree = await git(remote, "ls-tree", "refs/mpm/sessions:sessions");
  const tampered = (await git(remote, "show", `refs/mpm/sessions:sessions/${first}.json`))
    .replace('"first"', '"first, with a backdoor"');
  const future = "session-20990101-000000";
  const newer = JSON.stringify({ schema_version: 99, session_id: future }, null, 2) + "\n";
  const blob = async (text: string) => (await hashObject(remote, text)).trim();
  const lines = tree.trim().split("\n").filter((l) => !l.endsWith(`\t${first}.json`));
  lines.push(`100644 blob ${await blob(tampered)}\t${first}.json`);
  lines.push(`100644 blob ${await blob(newer)}\t${future}.json`);
  lines.push(
    `100644 blob ${await blob(checksumLine(newer, `${future}.json`))}\t${future}.json.sha256`,
  );
  const sessions = (await mktree(remote, lines.join("\n") + "\n")).trim();
  const root = (await mktree(remote, `040000 tree ${sessions}\tsessions\n`)).trim();
  const rewritten = (await git(remote, "commit-tree", "-m", "rewritten by hand", root)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", rewritten);

  const pulled = await sync(b, "pull");
  assertEquals(pulled.code, 4, pulled.stderr);
  assertStringIncludes(pulled.stdout, `Imported 1 snapshot from origin:\n  ${second}`);
  assertMatch(pulled.stdout, new RegExp(`${first}: .*does not match its checksum`));
  assertMatch(pulled.stdout, new RegExp(`${future}: .*newer mpm`));
  assertEquals(await localSummaries(b), ["second"]);
  const names = [...Deno.readDirSync(sessionsDir(b))].map((e) => e.name);
  assert(!names.some((n) => n.startsWith(first) || n.startsWith(future)), names.join(" "));

  // A still has the good copy: pushing builds on the rewritten commit (never forced) and
  // leaves the remote's files as they are; B then gets A's first snapshot under a free id.
  await syncOk(a, "push");
  await git(remote, "merge-base", "--is-ancestor", rewritten, "refs/mpm/sessions");
  const again = await sync(b, "pull", "--json");
  assertEquals(again.code, 4);
  const [imported] = again.json.imported.map((m: { as: string }) => m.as);
  assertEquals(imported.slice(0, -3), first.slice(0, -3));
  assert(imported !== first);
  assertEquals(await localSummaries(b), ["first", "second"]);
});

/** The id a sync report says `id` was renamed to. */
function renamedTo(stdout: string, id: string): string {
  const match = stdout.match(new RegExp(`${id} → (session-[0-9a-z-]+) \\(renamed`));
  assert(match, stdout);
  return match[1];
}

async function hashObject(cwd: string, text: string): Promise<string> {
  return await gitWithInput(cwd, ["hash-object", "-w", "--stdin"], text);
}

async function mktree(cwd: string, text: string): Promise<string> {
  return await gitWithInput(cwd, ["mktree"], text);
}

Deno.test("a remote with no refs/mpm/sessions yet: pull has nothing, status shows local only", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const pulled = await syncOk(b, "pull");
  assertStringIncludes(pulled.stdout, "origin has no mpm sessions yet");
  const empty = await syncOk(b, "pull", "--json");
  assertEquals([empty.json.remote_commit, empty.json.imported], [null, []]);
  assertEquals(
    (await syncOk(b, "push")).stdout,
    "Nothing to push: this project has no snapshots or checkpoints yet.\n",
  );
  const id = await pause(a, "not shared yet");
  const status = await syncOk(a, "status", "--json");
  assertEquals(status.json.remote_commit, null);
  assertEquals(status.json.local_only.map((m: { id: string }) => m.id), [id]);
  assertStringIncludes((await syncOk(a, "status")).stdout, "local only:  1");

  // The current branch's upstream remote is the default; origin otherwise.
  await a.git("remote", "add", "team", clones.remote);
  await a.git("config", "branch.main.remote", "team");
  assertEquals((await syncOk(a, "status", "--json")).json.remote, "team");
});

Deno.test("no remote, an unknown remote, or no repository at all: exit 3 with a hint", async () => {
  await using repo = await withRepo();
  await pause(repo, "alone");
  const none = await repo.run("sync", "push");
  assertEquals(none.code, 3);
  assertStringIncludes(none.stderr, "no git remote");
  assertStringIncludes(none.stderr, "git remote add origin");
  const unknown = await repo.run("sync", "pull", "nosuch");
  assertEquals(unknown.code, 3);
  assertStringIncludes(unknown.stderr, '"nosuch"');
  await using plain = await withRepo({ git: false });
  const outside = await plain.run("sync", "status");
  assertEquals(outside.code, 3);
  assertStringIncludes(outside.stderr, "needs a git repository");
  assertNotIncludes(outside.stderr, "    at ");
});

Deno.test("sync.json exclusions, secret-looking files and --dry-run: only what may move, moves", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const kept = await pauseAt(a, "private spike", new Date(Date.now() - 60_000));
  const shared = await pauseAt(a, "shared work", new Date());
  await Deno.writeTextFile(
    join(a.path, ".claude-mpm/sync.json"),
    JSON.stringify({ exclude: [kept] }),
  );
  // A file that slipped past redaction (edited by hand) stays home.
  const leaky = "session-20200101-000000";
  const record = JSON.parse(await Deno.readTextFile(join(sessionsDir(a), `${shared}.json`)));
  record.session_id = leaky;
  record.conversation.summary = "token glpat-abcdefghijklmnopqrstuvwxyz";
  const text = JSON.stringify(record, null, 2) + "\n";
  await writeRecord(sessionsDir(a), leaky, text);

  // As on a slow machine: the folders' last change is old enough for the push to keep its answer.
  await settled(a);
  const dry = await syncOk(a, "push", "--dry-run");
  assertStringIncludes(
    dry.stdout,
    `Would push 1 snapshot to origin (refs/mpm/sessions):\n  ${shared}`,
  );
  assertEquals((await git(clones.remote, "for-each-ref", "refs/mpm")).trim(), "");

  const pushed = await syncOk(a, "push", "--json");
  assertEquals(pushed.json.pushed.map((m: { id: string }) => m.id), [shared]);
  assertEquals(pushed.json.excluded.map((m: { id: string }) => m.id), [kept]);
  assertEquals(pushed.json.held_back.map((m: { id: string }) => m.id), [leaky]);
  assertMatch(pushed.json.held_back[0].reason, /looks like a secret/);
  assertEquals(await remoteSummaries(clones.remote), ["shared work"]);

  const dryPull = await syncOk(b, "pull", "--dry-run");
  assertStringIncludes(dryPull.stdout, `Would import 1 snapshot from origin:\n  ${shared}`);
  assertEquals(await localSummaries(b), []);
  assertEquals((await b.git("for-each-ref", "refs/mpm/sessions")).trim(), "");

  // A snapshot damaged here is refused, never spread: exit 4. The damage replaces the file, as
  // mpm and editors write (a sync with nothing new trusts a folder that looks as it did).
  const damagedPath = join(sessionsDir(a), `${shared}.json`);
  await Deno.writeTextFile(`${damagedPath}.edit`, text.replace("glpat", "gl"));
  await Deno.rename(`${damagedPath}.edit`, damagedPath);
  const damaged = await sync(a, "push", "--json");
  assertEquals(damaged.code, 4);
  assertEquals(damaged.json.refused.map((m: { id: string }) => m.id), [shared]);
  assertEquals(damaged.json.pushed, []);
});

Deno.test("checkpoints travel too: B shows A's checkpoint", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const saved = await a.run("checkpoint", "save", "before-refactor", "--note", "green tests");
  assertEquals(saved.code, 0, saved.stderr);
  assertStringIncludes((await syncOk(a, "push")).stdout, "Pushed 1 checkpoint");
  assertStringIncludes((await syncOk(b, "pull")).stdout, "Imported 1 checkpoint");
  const show = await b.run("checkpoint", "show", "before-refactor");
  assertEquals(show.code, 0, show.stderr);
  assertStringIncludes(show.stdout, "green tests");
  assert((await Deno.stat(join(b.path, ".claude-mpm/checkpoints/before-refactor.md"))).isFile);
});

Deno.test("every sync leaves the user's branches, index, work tree and stash as they were", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await a.git("branch", "feature");
  await a.write("stashed.txt", "stash me\n");
  await a.git("add", "stashed.txt");
  await a.git("stash", "push", "-q", "-m", "user stash");
  await a.write("README.md", "# staged change\n");
  await a.git("add", "README.md");
  await a.write("README.md", "# staged change\n\nand an unstaged one\n");
  await a.write("notes.txt", "untracked\n");
  await pause(a, "dirty work");
  for (const repo of [a, b]) {
    const before = await userGitState(repo);
    for (
      const args of [["status"], ["push", "--dry-run"], ["push"], ["pull", "--dry-run"], ["pull"]]
    ) {
      await syncOk(repo, ...args);
      assertEquals(await userGitState(repo), before, `after mpm sync ${args.join(" ")}`);
    }
  }
  assertEquals((await b.git("stash", "list")).trim(), "");
  assertStringIncludes(await a.git("stash", "list"), "user stash");
});

/** `mpm pause` run in this process with the clock at `now`: two machines in one second. */
async function pauseAt(repo: Repo, summary: string, now: Date): Promise<string> {
  const args = ["pause", "--json", "--no-prune-worktrees", "-s", summary];
  const result = await mpm(args, { cwd: repo.path, env: { HOME: repo.home }, now: () => now });
  assertEquals(result.code, 0, result.stdout + result.stderr);
  return JSON.parse(result.stdout).session_id;
}

Deno.test("two machines pausing in the same second: each snapshot keeps one id, everywhere", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const idA = await pauseAt(a, "Alice's work", new Date("2025-11-07T00:14:23.120Z"));
  const idB = await pauseAt(b, "Bob's work", new Date("2025-11-07T00:14:23.480Z"));
  assert(idA.startsWith("session-20251107-001423-") && idB.startsWith("session-20251107-001423-"));
  assert(idA !== idB);
  for (const [repo, verb] of [[a, "push"], [b, "push"], [a, "pull"], [b, "pull"]] as const) {
    const out = await syncOk(repo, verb);
    assertNotIncludes(out.stdout, "renamed");
  }
  const both = [idA, idB].sort();
  const remoteIds =
    (await git(clones.remote, "ls-tree", "--name-only", "refs/mpm/sessions:sessions"))
      .split("\n").filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5));
  assertEquals(remoteIds.sort(), both);
  for (const repo of [a, b]) {
    const listed = JSON.parse((await repo.run("list", "--json")).stdout)
      .map((r: { session_id: string }) => r.session_id);
    // Newest first: Bob paused 360 ms after Alice.
    assertEquals(listed, [idB, idA]);
    assertStringIncludes((await repo.run("show", idA)).stdout, "Alice's work");
    assertStringIncludes((await repo.run("show", idB)).stdout, "Bob's work");
  }
});

/** Adds files to the remote's refs/mpm/sessions in a new commit, as a forger with push access. */
async function forgeOnRemote(remote: string, files: Record<string, string>): Promise<void> {
  const parent = (await git(remote, "rev-parse", "refs/mpm/sessions")).trim();
  const lines = (await git(remote, "ls-tree", "refs/mpm/sessions:sessions")).trim().split("\n");
  for (const [name, text] of Object.entries(files)) {
    lines.push(`100644 blob ${(await hashObject(remote, text)).trim()}\t${name}`);
  }
  const sessions = (await mktree(remote, lines.join("\n") + "\n")).trim();
  const root = (await mktree(remote, `040000 tree ${sessions}\tsessions\n`)).trim();
  const commit = (await git(remote, "commit-tree", "-p", parent, "-m", "forged", root)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", commit);
}

Deno.test("forged sync entries: a future id never becomes the last session, a huge one is refused unread, secrets and terminal controls never come through", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const real = await pause(a, "A's real work");
  await syncOk(a, "push");
  const base = JSON.parse(
    await git(clones.remote, "show", `refs/mpm/sessions:sessions/${real}.json`),
  );
  const signed = (id: string, record: unknown) => {
    const text = JSON.stringify(record, null, 2) + "\n";
    return { [`${id}.json`]: text, [`${id}.json.sha256`]: checksumLine(text, `${id}.json`) };
  };
  const future = "session-29991231-235959";
  const huge = "session-20251107-182249-347bcd";
  await forgeOnRemote(clones.remote, {
    ...signed(future, {
      ...base,
      session_id: future,
      paused_at: "2999-12-31T23:59:59.000Z",
      conversation: {
        ...base.conversation,
        summary: "Forged\x1b]0;pwned\x07\x1b[2J token glpat-abcdefghijklmnopqrstuvwxyz",
      },
    }),
    ...signed(huge, {
      ...base,
      session_id: huge,
      conversation: { ...base.conversation, summary: "x".repeat(5 * 1024 * 1024) },
    }),
  });

  const pulled = await sync(b, "pull", "--json");
  assertEquals(pulled.code, 4, pulled.stderr);
  assertEquals(pulled.json.refused.map((m: { id: string }) => m.id), [huge]);
  assertStringIncludes(pulled.json.refused[0].reason, "more than any record mpm writes");
  assertEquals(pulled.json.imported.map((m: { as: string }) => m.as).sort(), [real, future].sort());
  const names = [...Deno.readDirSync(sessionsDir(b))].map((e) => e.name);
  assert(!names.some((n) => n.startsWith(huge)), names.join(" "));

  // Redacted on the way in, keeping the identity it arrived with: the next pull is quiet.
  const stored = JSON.parse(await Deno.readTextFile(join(sessionsDir(b), `${future}.json`)));
  assertNotIncludes(JSON.stringify(stored), "glpat-");
  assertEquals(stored.mpm.sync_origin.session_id, future);
  const again = await sync(b, "pull", "--json");
  assertEquals(again.json.imported, []);

  // Ordered by when it arrived, not by the year its id claims: B's next pause is the newest.
  const mine = await pause(b, "B's own work");
  const listed = JSON.parse((await b.run("list", "--json")).stdout)
    .map((r: { session_id: string }) => r.session_id);
  assertEquals(listed, [mine, future, real]);
  const start = await mpm(["hook", "session-start"], {
    cwd: b.path,
    env: { HOME: b.home },
    stdin: payload("session-start-startup.json", b),
  });
  assertEquals(start.code, 0, start.stderr);
  assertStringIncludes(start.stdout, "B's own work");
  assertNotIncludes(start.stdout, "Forged");

  // What it says is printed without the terminal controls it carried.
  for (const args of [["show", future], ["list"], ["resume", future, "--from-teammate"]]) {
    const out = await b.run(...args);
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(out.stdout, "Forged");
    // deno-lint-ignore no-control-regex
    assert(!/[\x00-\x08\x0b-\x1f\x7f]/.test(out.stdout), `${args.join(" ")}: ${out.stdout}`);
  }
});

Deno.test("a forged remote: a record nested 5,000 deep and a name with a line break block no one", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const remote = clones.remote;
  const good = await pauseAt(a, "good work", new Date());
  await syncOk(a, "push");

  const deepId = "session-20250101-000000-aaaaaa";
  let nested: unknown = "bottom";
  for (let i = 0; i < 5_000; i++) nested = { inner: nested };
  const record = JSON.parse(await git(remote, "show", `refs/mpm/sessions:sessions/${good}.json`));
  const deep = JSON.stringify({ ...record, session_id: deepId, extra: nested }) + "\n";
  const blob = async (text: string) => (await hashObject(remote, text)).trim();
  const tree = await git(remote, "ls-tree", "-z", "refs/mpm/sessions:sessions");
  const records = tree.split("\0").filter(Boolean);
  records.push(`100644 blob ${await blob(deep)}\t${deepId}.json`);
  records.push(
    `100644 blob ${await blob(checksumLine(deep, `${deepId}.json`))}\t${deepId}.json.sha256`,
  );
  records.push(`100644 blob ${await blob("odd\n")}\tnotes\nwith a break.json`);
  const sessions = (await gitWithInput(remote, ["mktree", "-z"], records.join("\0") + "\0")).trim();
  const root = (await mktree(remote, `040000 tree ${sessions}\tsessions\n`)).trim();
  const forged = (await git(remote, "commit-tree", "-m", "forged", root)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", forged);

  const pulled = await sync(b, "pull");
  assertNotIncludes(pulled.stderr, "unexpected failure");
  assert([0, 4].includes(pulled.code), pulled.stdout + pulled.stderr);
  assertStringIncludes(pulled.stdout, good);
  assert((await localSummaries(b)).includes("good work"));

  // B's own work still pushes on top of the forged commit, the odd name carried as it is.
  await pauseAt(b, "bob's work", new Date());
  await syncOk(b, "push");
  await git(remote, "merge-base", "--is-ancestor", forged, "refs/mpm/sessions");
  const names = await git(remote, "ls-tree", "-z", "--name-only", "refs/mpm/sessions:sessions");
  assert(names.split("\0").includes("notes\nwith a break.json"));
});

Deno.test("a host name that looks like a key reaches the remote redacted, in the commit message too", async () => {
  // A host name of its own needs a UTS namespace: root with unshare (Linux), else skipped.
  const probe = await runProcess("unshare", ["-u", "true"], {}).catch(() => null);
  if (probe === null || probe.code !== 0) {
    console.log("skipped: unshare -u is not available here");
    return;
  }
  await using c = await withClones();
  const program = [Deno.execPath(), ...await mpmProcessArgs()].map((a) => `'${a}'`).join(" ");
  const out = await runProcess("unshare", [
    "-u",
    "sh",
    "-c",
    `hostname AKIAIOSFODNN7EXAMPLE && ${program} pause -s "host test" && ${program} sync push`,
  ], { cwd: c.a.path, env: baseEnv(c.a.home) });
  assertEquals(out.code, 0, out.stderr);
  const subject = await git(c.a.path, "log", "-1", "--format=%s", "refs/mpm/sessions");
  assertStringIncludes(subject, "from [REDACTED");
  const everything = await git(c.remote, "log", "-p", "--format=%B", "refs/mpm/sessions");
  assertNotIncludes(everything, "AKIAIOSFODNN7EXAMPLE");
});
