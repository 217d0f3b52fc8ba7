/**
 * `mpm pause`, `resume`, `list` and `show`, run as a user would, in real repositories.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../../assert.ts";
import { mpm, withRepo } from "../../helpers.ts";

async function pauseJson(
  repo: { run: (...a: string[]) => Promise<{ code: number; stdout: string; stderr: string }> },
  ...args: string[]
) {
  const result = await repo.run("pause", "--json", "--no-prune-worktrees", ...args);
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

Deno.test("mpm pause -s … -a … -n … writes json, sha256, md, yaml and LATEST-SESSION.txt", async () => {
  await using repo = await withRepo();
  const out = await pauseJson(
    repo,
    "-s",
    "Payment integration",
    "-a",
    "Stripe API",
    "-a",
    "Webhooks",
    "-n",
    "Refunds",
  );
  // The second, its millisecond and three random letters: unique across machines.
  assertMatch(out.session_id, /^session-\d{8}-\d{6}-\d{3}[a-z]{3}$/);
  assertEquals(Object.keys(out.files).sort(), ["json", "md", "yaml"]);
  const record = JSON.parse(await Deno.readTextFile(out.files.json));
  assertEquals(record.conversation, {
    summary: "Payment integration",
    accomplishments: ["Stripe API", "Webhooks"],
    next_steps: ["Refunds"],
  });
  assertEquals(record.git_context.branch, "main");
  assertEquals(record.git_context.commit_message, "Initial commit");
  assertEquals(record.schema_version, 1);
  const sums = await Deno.readTextFile(`${out.files.json}.sha256`);
  assertMatch(sums, new RegExp(`^[0-9a-f]{64}  ${out.session_id}\\.json\\n$`));
  assertStringIncludes(await Deno.readTextFile(out.files.md), "Payment integration");
  assertStringIncludes(await Deno.readTextFile(out.files.yaml), "summary: Payment integration");
  const latest = await Deno.readTextFile(
    join(repo.path, ".claude-mpm/sessions/LATEST-SESSION.txt"),
  );
  assertEquals(latest.trim(), out.session_id);
  // sha256sum -c agrees with the checksum file.
  const check = await new Deno.Command("sha256sum", {
    args: ["-c", `${out.session_id}.json.sha256`],
    cwd: join(repo.path, ".claude-mpm/sessions"),
  }).output();
  assertEquals(check.code, 0);
});

Deno.test("files are 0600 in 0700 folders, and .claude-mpm/ is excluded from git status", async () => {
  await using repo = await withRepo();
  const out = await pauseJson(repo, "-s", "perm check");
  assertEquals((await Deno.stat(out.files.json)).mode! & 0o777, 0o600);
  assertEquals((await Deno.stat(join(repo.path, ".claude-mpm"))).mode! & 0o777, 0o700);
  assertEquals((await Deno.stat(join(repo.path, ".claude-mpm/sessions"))).mode! & 0o777, 0o700);
  assertEquals(await repo.git("status", "--porcelain"), "");
  assertStringIncludes(
    await Deno.readTextFile(join(repo.path, ".git/info/exclude")),
    ".claude-mpm",
  );
  assertEquals(await Deno.stat(join(repo.path, ".gitignore")).catch(() => null), null);
  const again = await pauseJson(repo, "-s", "second");
  const record = JSON.parse(await Deno.readTextFile(again.files.json));
  assertEquals(record.git_context.status.untracked, []);
  assertEquals(record.git_context.is_clean, true);
});

Deno.test("mpm pause from a subfolder stores the session at the git top level", async () => {
  await using repo = await withRepo();
  await repo.write("src/deep/file.ts", "x\n");
  const result = await mpm(["pause", "-m", "from below", "--json"], {
    cwd: join(repo.path, "src/deep"),
    env: { HOME: repo.home },
  });
  assertEquals(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout);
  assertEquals(out.files.json.startsWith(join(repo.path, ".claude-mpm/sessions/")), true);
  const record = JSON.parse(await Deno.readTextFile(out.files.json));
  assertEquals(record.conversation.summary, "from below");
  // git's default untracked mode names a new folder once, as `src/`.
  assertEquals(record.git_context.status.untracked, ["src/"]);
});

Deno.test("mpm pause without a summary says so and records the last commit subject", async () => {
  await using repo = await withRepo();
  await repo.commit("Add login form", { "login.ts": "form\n" });
  const out = await pauseJson(repo);
  const record = JSON.parse(await Deno.readTextFile(out.files.json));
  assertStringIncludes(record.conversation.summary, "No summary given");
  assertStringIncludes(record.conversation.summary, "Add login form");
  assertEquals(record.git_context.commit_message, "Add login form");
  assertEquals(record.mpm.summary_source, "default");
});

Deno.test("secrets in the summary, steps, todos and commit subject never reach disk", async () => {
  await using repo = await withRepo();
  const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  await repo.commit(`Rotate key sk-ant-api03-${"x".repeat(40)}`);
  const out = await pauseJson(
    repo,
    "-s",
    `Deploy with token ${token}`,
    "-n",
    "use password=hunter2hunter2",
    "--todo",
    "call https://admin:s3cretPass@example.com/api",
  );
  for (const file of Object.values(out.files) as string[]) {
    const body = await Deno.readTextFile(file);
    assertNotIncludes(body, token);
    assertNotIncludes(body, "hunter2hunter2");
    assertNotIncludes(body, "s3cretPass");
    assertNotIncludes(body, "x".repeat(40));
  }
});

Deno.test("many pauses in the same second get distinct ids and nothing is overwritten", async () => {
  await using repo = await withRepo();
  const runs = await Promise.all(
    Array.from(
      { length: 8 },
      // Processes, so that the eight really race.
      (_, i) => repo.spawn("pause", "--json", "--no-prune-worktrees", "-s", `parallel ${i}`),
    ),
  );
  for (const r of runs) assertEquals(r.code, 0, r.stderr);
  const ids = runs.map((r) => JSON.parse(r.stdout).session_id);
  assertEquals(new Set(ids).size, 8);
  const summaries = new Set<string>();
  for (const r of runs) {
    const out = JSON.parse(r.stdout);
    summaries.add(JSON.parse(await Deno.readTextFile(out.files.json)).conversation.summary);
  }
  assertEquals(summaries.size, 8);
  const list = JSON.parse((await repo.run("list", "--json")).stdout);
  assertEquals(list.length, 8);
  const latest = await Deno.readTextFile(
    join(repo.path, ".claude-mpm/sessions/LATEST-SESSION.txt"),
  );
  assertEquals(latest.trim(), list[0].session_id);
});

Deno.test("mpm resume with no sessions exits 3 and says to run mpm pause", async () => {
  await using repo = await withRepo();
  const result = await repo.run("resume");
  assertEquals(result.code, 3);
  assertStringIncludes(result.stderr, "mpm pause");
  assertEquals(result.stdout, "");
});

Deno.test("mpm resume reports new commits, their files, conflicts and the working tree", async () => {
  await using repo = await withRepo();
  await repo.commit("Add stripe", { "src/stripe.ts": "v1\n", "src/other.ts": "o\n" });
  await repo.write("src/stripe.ts", "v1 + local edit\n");
  await repo.write("scratch.txt", "notes\n");
  await pauseJson(repo, "-s", "Payments", "-a", "Stripe API", "-n", "Refunds");
  await repo.git("stash", "-u");
  await repo.commit("Fix webhook signature", { "src/stripe.ts": "v2\n", "src/errors.ts": "e\n" });
  await repo.write("src/other.ts", "changed now\n");

  const result = await repo.run("resume", "--json");
  assertEquals(result.code, 0, result.stderr);
  const { session, changes } = JSON.parse(result.stdout);
  assertEquals(session.conversation.summary, "Payments");
  assertEquals(changes.new_commits.map((c: { subject: string }) => c.subject), [
    "Fix webhook signature",
  ]);
  assertEquals(
    changes.files.map((f: { status: string; path: string }) => `${f.status} ${f.path}`).sort(),
    ["A src/errors.ts", "M src/stripe.ts"],
  );
  assertEquals(changes.conflicts, ["src/stripe.ts"]);
  assertEquals(changes.missing_files, ["scratch.txt"]);
  assertEquals(changes.working_tree.modified, ["src/other.ts"]);
  assertEquals(changes.history_rewritten, false);
  assertEquals(changes.branch, { from: "main", to: "main" });

  const human = await repo.run("resume");
  assertEquals(human.code, 0);
  for (
    const part of [
      "Payments",
      "Stripe API",
      "Refunds",
      "Fix webhook signature",
      "Potential conflicts",
      "src/stripe.ts",
    ]
  ) {
    assertStringIncludes(human.stdout, part);
  }
  assertNotIncludes(human.stdout, "\x1b[");
});

Deno.test("mpm resume after a rebase: the paused commit is replayed, never new or 'rewritten'", async () => {
  await using repo = await withRepo();
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit("Feature work", { "f.txt": "f\n" });
  await pauseJson(repo, "-s", "feature");
  await repo.git("checkout", "-q", "main");
  await repo.commit("Main moved", { "m.txt": "m\n" });
  await repo.git("checkout", "-q", "feature");
  await repo.git("rebase", "-q", "main");
  const copy = (await repo.git("rev-parse", "HEAD")).trim();
  const { changes } = JSON.parse((await repo.run("resume", "--json")).stdout);
  assertEquals(changes.history_rewritten, false);
  assertEquals(changes.paused_commit_state, "replayed");
  const subjects = (list: { subject: string }[]) => list.map((c) => c.subject);
  assertEquals(subjects(changes.new_commits), ["Main moved"]);
  assertEquals(subjects(changes.replayed_commits), ["Feature work"]);
  assertEquals(changes.replayed_commits[0].sha, copy);
  const human = (await repo.run("resume")).stdout;
  assertStringIncludes(human, "replayed by a rebase");
  assertNotIncludes(human, "History rewritten");

  // An amend that changes the paused commit's patch is a rewrite.
  await repo.write("f.txt", "changed\n");
  await repo.git("commit", "-q", "-a", "--amend", "-m", "Feature work, changed");
  const amended = JSON.parse((await repo.run("resume", "--json", "0")).stdout).changes;
  assertEquals(amended.paused_commit_state, "rewritten");
  assertEquals(amended.history_rewritten, true);
});

Deno.test("mpm resume --no-changes skips detection; outside git changes is null", async () => {
  await using repo = await withRepo({ git: false });
  await pauseJson(repo, "-s", "plain folder");
  const { session, changes } = JSON.parse((await repo.run("resume", "--json")).stdout);
  assertEquals(session.git_context, null);
  assertEquals(changes, null);
  const skipped = await repo.run("resume", "--no-changes");
  assertEquals(skipped.code, 0);
  assertNotIncludes(skipped.stdout, "Changes since pause");
});

Deno.test("mpm resume picks by index, id prefix, --session-id and --select TEXT", async () => {
  await using repo = await withRepo();
  const first = await pauseJson(repo, "-s", "Database migration");
  // A session of its own: a pause with none active would go on with the first one's.
  assertEquals((await repo.run("start", "Auth")).code, 0);
  const second = await pauseJson(repo, "-s", "Auth refactor");
  const summary = async (...args: string[]) => {
    const r = await repo.run("resume", "--json", "--no-changes", ...args);
    assertEquals(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).session.conversation.summary;
  };
  assertEquals(await summary(), "Auth refactor");
  assertEquals(await summary("1"), "Database migration");
  assertEquals(await summary(first.session_id), "Database migration");
  assertEquals(await summary("--session-id", second.session_id), "Auth refactor");
  assertEquals(await summary("--select", "migration"), "Database migration");
  assertEquals(await summary("--select", "0"), "Auth refactor");
  const unknown = await repo.run("resume", "session-19990101-000000");
  assertEquals(unknown.code, 3);
});

// NUL cannot travel in argv; src/kernel/ids_test.ts covers it.
Deno.test("a session id or selector with / or .. is refused with exit 2", async () => {
  await using repo = await withRepo();
  await pauseJson(repo, "-s", "x");
  for (const bad of ["../../etc/passwd", "a/b", "session-..", "..\\x"]) {
    for (const args of [["resume", bad], ["show", bad], ["resume", "--session-id", bad]]) {
      const result = await repo.run(...args);
      assertEquals(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assertStringIncludes(result.stderr, "not a valid");
    }
  }
});

Deno.test("a modified snapshot is refused with exit 4 naming the file; list marks it and shows the rest", async () => {
  await using repo = await withRepo();
  const good = await pauseJson(repo, "-s", "good one");
  const bad = await pauseJson(repo, "-s", "tampered one");
  const text = await Deno.readTextFile(bad.files.json);
  await Deno.writeTextFile(bad.files.json, text.replace("tampered one", "evil edit!!!"));
  const resume = await repo.run("resume", bad.session_id);
  assertEquals(resume.code, 4);
  assertStringIncludes(resume.stderr, `${bad.session_id}.json`);
  assertStringIncludes(resume.stderr, "checksum");
  const show = await repo.run("show", bad.session_id);
  assertEquals(show.code, 4);
  const list = await repo.run("list", "--json");
  assertEquals(list.code, 0);
  const rows = JSON.parse(list.stdout);
  assertEquals(
    rows.find((r: { session_id: string }) => r.session_id === bad.session_id).state,
    "invalid",
  );
  assertEquals(
    rows.find((r: { session_id: string }) => r.session_id === good.session_id).summary,
    "good one",
  );
  assertStringIncludes(list.stderr, bad.session_id);
  const human = await repo.run("list");
  assertStringIncludes(human.stdout, "unreadable");
  assertStringIncludes(human.stdout, "good one");
});

Deno.test("a snapshot from a newer schema is refused with 'upgrade mpm'", async () => {
  await using repo = await withRepo();
  const out = await pauseJson(repo, "-s", "future");
  const record = JSON.parse(await Deno.readTextFile(out.files.json));
  record.schema_version = 99;
  const body = JSON.stringify(record, null, 2) + "\n";
  await Deno.writeTextFile(out.files.json, body);
  const { createHash } = await import("node:crypto");
  const hex = createHash("sha256").update(body).digest("hex");
  await Deno.writeTextFile(`${out.files.json}.sha256`, `${hex}  ${out.session_id}.json\n`);
  const result = await repo.run("resume", "--no-changes");
  assertEquals(result.code, 4);
  assertStringIncludes(result.stderr.toLowerCase(), "upgrade mpm");
});

Deno.test("mpm list orders newest first and --limit reads only what it shows", async () => {
  await using repo = await withRepo();
  for (const s of ["one", "two", "three"]) await pauseJson(repo, "-s", s);
  const rows = JSON.parse((await repo.run("list", "--json")).stdout);
  assertEquals(rows.map((r: { summary: string }) => r.summary), ["three", "two", "one"]);
  assertEquals(rows.map((r: { index: number }) => r.index), [0, 1, 2]);
  const limited = JSON.parse((await repo.run("list", "--json", "--limit", "1")).stdout);
  assertEquals(limited.length, 1);
  const same = await repo.run("resume", "--list", "--json");
  assertEquals(JSON.parse(same.stdout).length, 3);
  const bad = await repo.run("list", "--limit", "lots");
  assertEquals(bad.code, 2);
});

Deno.test("mpm list shows a summary of several lines on one line", async () => {
  await using repo = await withRepo();
  await pauseJson(repo, "-s", "Gift cards: balance works,\nredeem still stubbed");
  const human = await repo.run("list");
  assertStringIncludes(human.stdout, "      Gift cards: balance works, redeem still stubbed\n");
});

Deno.test("list, status and show print a summary of 100,000 words in part; --format md whole", async () => {
  await using repo = await withRepo();
  const words = join(repo.home, "words.json");
  const summary = Array.from({ length: 2_000 }, (_, i) => `line ${i} ${"word ".repeat(50)}`);
  await Deno.writeTextFile(words, JSON.stringify({ summary: summary.join("\n") }));
  await pauseJson(repo, "--input", words);
  const list = await repo.run("list");
  assertEquals(list.code, 0, list.stderr);
  assert(list.stdout.length < 1_000, `list printed ${list.stdout.length} characters`);
  assertStringIncludes(list.stdout, "      line 0 word word");
  const status = await repo.run("status");
  assert(status.stdout.length < 3_000, `status printed ${status.stdout.length} characters`);
  assertMatch(status.stdout, /\(`mpm show session-[0-9a-z-]+` prints it whole\)/);
  const show = await repo.run("show", "0");
  assert(show.stdout.length < 64 * 1024, `show printed ${show.stdout.length} characters`);
  assertMatch(show.stdout, /more characters: `mpm show session-[0-9a-z-]+ --format md` prints/);
  const whole = await repo.run("show", "0", "--format", "md");
  assertStringIncludes(whole.stdout, "line 1999 word");
});

Deno.test("mpm list tags the session at work now 'active now', not its snapshot's state", async () => {
  await using repo = await withRepo();
  await pauseJson(repo, "-s", "Refunds half way");
  assertNotIncludes((await repo.run("list")).stdout, "active now");
  await repo.run("resume");
  await repo.run("branch", "hotfix");
  // The parent's newest snapshot says branched, and it is not at work: the child is.
  assertStringIncludes((await repo.run("list")).stdout, "branched]");
  await repo.run("return");
  const back = (await repo.run("list")).stdout;
  assertStringIncludes(back, "[hotfix, ✓ completed]");
  assertEquals(back.match(/active now/g)?.length, 1, back);
  assertNotIncludes(back, "branched]");
  // Unfolded, a row is one snapshot, not the session: no tag.
  assertNotIncludes((await repo.run("list", "--all")).stdout, "active now");
});

Deno.test("mpm show prints every format", async () => {
  await using repo = await withRepo();
  const out = await pauseJson(repo, "-s", "Show me", "--todo", "write tests");
  const asJson = await repo.run("show", "0", "--format", "json");
  assertEquals(JSON.parse(asJson.stdout).session_id, out.session_id);
  assertStringIncludes(
    (await repo.run("show", "0", "--format", "yaml")).stdout,
    "summary: Show me",
  );
  assertStringIncludes((await repo.run("show", "0", "--format", "md")).stdout, "# Session");
  const human = await repo.run("show", out.session_id);
  assertStringIncludes(human.stdout, "[ ] write tests");
  assertEquals((await repo.run("show", "0", "--format", "pdf")).code, 2);
  assertEquals((await repo.run("show")).code, 2);
});

Deno.test("mpm pause --export writes a copy; --commit commits only the session files", async () => {
  await using repo = await withRepo();
  await repo.write("staged.txt", "mine\n");
  await repo.git("add", "staged.txt");
  const exportPath = join(repo.home, "backup.json");
  const out = await pauseJson(repo, "-s", "handoff", "--export", exportPath, "--commit");
  assertEquals(JSON.parse(await Deno.readTextFile(exportPath)).session_id, out.session_id);
  const files = (await repo.git("show", "--name-only", "--format=", "HEAD")).trim().split("\n")
    .sort();
  assertEquals(files.every((f) => f.startsWith(".claude-mpm/sessions/")), true, files.join(","));
  assertEquals(files.length, 4);
  assertEquals((await repo.git("diff", "--cached", "--name-only")).trim(), "staged.txt");
  // The session commit itself is not news to the next resume; a real commit after it is.
  await repo.git("commit", "-q", "-m", "Real work");
  const { changes } = JSON.parse((await repo.run("resume", "--json")).stdout);
  assertEquals(changes.new_commits.map((c: { subject: string }) => c.subject), ["Real work"]);
});

Deno.test("a failed pause --commit says the pause is saved and leaves nothing of it staged", async () => {
  await using repo = await withRepo();
  await repo.write("staged.txt", "mine\n");
  await repo.git("add", "staged.txt");
  // No identity git accepts: the commit fails after the files were force-added.
  const out = await mpm(["pause", "-s", "handoff", "--commit", "--no-prune-worktrees"], {
    cwd: repo.path,
    env: { HOME: repo.home, GIT_AUTHOR_NAME: "", GIT_COMMITTER_NAME: "" },
  });
  assertEquals(out.code, 1, out.stderr);
  const id = out.stderr.match(/Paused (session-[\w-]+), but --commit made no commit/)?.[1];
  assert(id, out.stderr);
  assertStringIncludes(out.stderr, "left unstaged");
  assertStringIncludes(out.stderr, `git add -f .claude-mpm/sessions/${id}.*`);
  assertStringIncludes(out.stderr, "pause again with --commit");
  assertEquals(await repo.git("status", "--porcelain"), "A  staged.txt\n");
  assertEquals(JSON.parse((await repo.run("show", id, "--format", "json")).stdout).session_id, id);
});

Deno.test("pause --commit during a merge names the merge, not the git identity", async () => {
  await using repo = await withRepo();
  await repo.write("f.txt", "base\n");
  await repo.git("add", "f.txt");
  await repo.git("commit", "-qm", "base");
  await repo.git("checkout", "-qb", "other");
  await repo.write("f.txt", "other\n");
  await repo.git("commit", "-qam", "other");
  await repo.git("checkout", "-q", "-");
  await repo.write("f.txt", "mine\n");
  await repo.git("commit", "-qam", "mine");
  await repo.git("merge", "other").catch(() => {}); // conflicts: the merge waits
  const out = await repo.run("pause", "-s", "mid-merge", "--commit", "--no-prune-worktrees");
  assertEquals(out.code, 1, out.stderr);
  assertStringIncludes(out.stderr, "git commits no chosen files during a merge");
  assertStringIncludes(out.stderr, "Finish or abort the merge first");
  assertNotIncludes(out.stderr, "git identity");
});

Deno.test("blank -a, -n and --todo items are dropped, as --input drops them", async () => {
  await using repo = await withRepo();
  const out = await pauseJson(
    repo,
    "-s",
    "words",
    "-a",
    "",
    "-a",
    "  ",
    "-a",
    "kept",
    "-n",
    "",
    "--todo",
    "",
    "--todo",
    "\t",
  );
  const record = JSON.parse(await Deno.readTextFile(out.files.json));
  assertEquals(record.conversation.accomplishments, ["kept"]);
  assertEquals(record.conversation.next_steps, []);
  assertEquals(record.todos.active, []);
});

Deno.test("mpm pause --export PATH.md writes the markdown, .yaml the YAML, a folder the JSON", async () => {
  await using repo = await withRepo();
  const out = await pauseJson(repo, "-s", "handoff to Bob", "--export", "handoff.md");
  const md = await Deno.readTextFile(join(repo.path, "handoff.md"));
  assertEquals(md, await Deno.readTextFile(out.files.md));
  assertStringIncludes(md, "handoff to Bob");
  await pauseJson(repo, "-s", "as yaml", "--export", join(repo.home, "h.yaml"));
  assertStringIncludes(await Deno.readTextFile(join(repo.home, "h.yaml")), "summary: as yaml");
  const inFolder = await pauseJson(repo, "-s", "in a folder", "--export", repo.home);
  const copy = await Deno.readTextFile(join(repo.home, `${inFolder.session_id}.json`));
  assertEquals(JSON.parse(copy).session_id, inFolder.session_id);
});

Deno.test("mpm pause refuses a bad --export before it saves anything", async () => {
  await using repo = await withRepo();
  const missing = join(repo.home, "no-such-folder", "copy.json");
  for (
    const args of [["--export", missing], ["--export", ""]]
  ) {
    const result = await repo.run("pause", "-s", "x", ...args);
    assertEquals(result.code, 2, args.join(" "));
    assertMatch(result.stderr, /^mpm: --export /);
  }
  assertEquals(await Deno.stat(join(repo.home, "no-such-folder")).catch(() => null), null);
  // (--commit outside git is no reason to lose the pause: tests/cli/surface_test.ts.)
  const sessions = await Array.fromAsync(
    Deno.readDir(join(repo.path, ".claude-mpm/sessions")),
  ).catch(() => []);
  assertEquals(sessions, []);
});

Deno.test("usage errors: unknown flag and missing value exit 2 without a stack trace", async () => {
  await using repo = await withRepo();
  for (
    const args of [["pause", "--bogus"], ["pause", "-s"], ["frobnicate"], ["resume", "a", "b"]]
  ) {
    const result = await repo.run(...args);
    assertEquals(result.code, 2, args.join(" "));
    assertNotIncludes(result.stderr, "    at ");
    assert(result.stderr.split("\n").length <= 3, result.stderr);
  }
  // A value that starts with "-" gets one sentence of mpm's, not node's three.
  const dashed = await repo.run("pause", "-s", "-x");
  assertEquals(dashed.code, 2);
  assertEquals(
    dashed.stderr.split("\n")[0],
    'mpm: Option -s needs a value; to give one that starts with "-", write --summary=VALUE.',
  );
});

Deno.test("claude-mpm's spellings `session pause` and `mpm-init resume` work", async () => {
  await using repo = await withRepo();
  const paused = await repo.run("session", "pause", "-m", "alias");
  assertEquals(paused.code, 0, paused.stderr);
  const resumed = await repo.run("mpm-init", "resume", "--no-changes");
  assertEquals(resumed.code, 0);
  assertStringIncludes(resumed.stdout, "alias");
});

Deno.test("--help and --version", async () => {
  await using repo = await withRepo();
  const help = await repo.run("--help");
  for (const command of ["pause", "resume", "list", "show"]) {
    assertStringIncludes(help.stdout, command);
  }
  const pauseHelp = await repo.run("pause", "--help");
  for (
    const flag of [
      "--summary",
      "--accomplishment",
      "--next-step",
      "--message",
      "--[no-]commit",
      "--export",
      "--json",
    ]
  ) {
    assertStringIncludes(pauseHelp.stdout, flag);
  }
  assertMatch(
    (await repo.run("--version")).stdout,
    /^mpm \d+\.\d+\.\d+ \(dev build, deno .*, target .*\)\n$/,
  );
});

Deno.test("mpm pause prunes a clean merged agent worktree, keeps one with files, and says why", async () => {
  await using repo = await withRepo();
  await repo.git("worktree", "add", "-q", "-b", "agent-done", ".claude/worktrees/agent-done");
  await Deno.mkdir(join(repo.path, ".claude/worktrees/notes"), { recursive: true });
  await Deno.writeTextFile(join(repo.path, ".claude/worktrees/notes/todo.txt"), "keep me\n");
  const kept = await repo.run("pause", "--json", "--no-prune-worktrees", "-s", "keep all");
  assertEquals(JSON.parse(kept.stdout).worktrees, undefined);
  const result = await repo.run("pause", "--json", "-s", "with cleanup");
  assertEquals(result.code, 0, result.stderr);
  const { worktrees } = JSON.parse(result.stdout);
  assertEquals(worktrees.pruned.map((p: { path: string }) => p.path.endsWith("agent-done")), [
    true,
  ]);
  assertEquals(worktrees.orphans_preserved.length, 1);
  assertStringIncludes(
    await Deno.readTextFile(join(repo.path, ".claude/worktrees/notes/todo.txt")),
    "keep me",
  );
  assertEquals(
    await Deno.stat(join(repo.path, ".claude/worktrees/agent-done")).catch(() => null),
    null,
  );
});

Deno.test("mpm resume reports a file deleted since the pause; it is never 'no changes'", async () => {
  await using repo = await withRepo();
  await pauseJson(repo, "-s", "before the delete");
  await Deno.remove(join(repo.path, "README.md"));
  const human = await repo.run("resume");
  assertEquals(human.code, 0, human.stderr);
  assertStringIncludes(human.stdout, "Deleted (1): README.md");
  assertNotIncludes(human.stdout, "No uncommitted changes");
  const { changes } = JSON.parse((await repo.run("resume", "--json")).stdout);
  assertEquals(changes.working_tree.deleted, ["README.md"]);
  assertEquals(changes.missing_files, []);
});

Deno.test("mpm pause narrows .claude-mpm folders another tool made 0755 (a clone, say)", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.path, ".claude-mpm/sessions"), { recursive: true, mode: 0o755 });
  await Deno.chmod(join(repo.path, ".claude-mpm"), 0o755);
  await Deno.chmod(join(repo.path, ".claude-mpm/sessions"), 0o755);
  const projectMode = (await Deno.stat(repo.path)).mode;
  await pauseJson(repo, "-s", "after a clone");
  assertEquals((await Deno.stat(join(repo.path, ".claude-mpm"))).mode! & 0o777, 0o700);
  assertEquals((await Deno.stat(join(repo.path, ".claude-mpm/sessions"))).mode! & 0o777, 0o700);
  // The project folder itself is the user's, and stays as it was.
  assertEquals((await Deno.stat(repo.path)).mode, projectMode);
});

Deno.test("mpm resume on another branch reports the switch, not a rewritten history", async () => {
  await using repo = await withRepo();
  await repo.git("switch", "-q", "-c", "feat");
  await repo.commit("Feature work", { "g.txt": "g\n" });
  await pauseJson(repo, "-s", "on feat");
  await repo.git("switch", "-q", "main");
  const { changes } = JSON.parse((await repo.run("resume", "--json")).stdout);
  assertEquals(changes.branch, { from: "feat", to: "main" });
  assertEquals(changes.history_rewritten, false);
  const human = await repo.run("resume");
  assertStringIncludes(human.stdout, "Branch: feat → main");
  assertNotIncludes(human.stdout, "History rewritten");
  // Rewriting feat itself is still reported.
  await repo.git("switch", "-q", "feat");
  await repo.git("commit", "-q", "--amend", "-m", "Feature work, amended");
  await repo.git("switch", "-q", "main");
  const after = JSON.parse((await repo.run("resume", "--json")).stdout);
  assertEquals(after.changes.history_rewritten, true);
});

Deno.test("mpm pause echoes the summary without escapes; the .md has none; the JSON keeps it as given", async () => {
  await using repo = await withRepo();
  const summary = "a\x1b[31mb\x1b]0;PWN\x07\nsecond \u202eline";
  const result = await repo.run("pause", "--no-prune-worktrees", "-s", summary, "-n", "x\x1b[2Jy");
  assertEquals(result.code, 0, result.stderr);
  // deno-lint-ignore no-control-regex
  const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/;
  assert(!controls.test(result.stdout), JSON.stringify(result.stdout));
  assertStringIncludes(result.stdout, "  Summary: ab\n           second line\n");
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const [id] = [...Deno.readDirSync(sessions)].map((e) => e.name).filter((n) => n.endsWith(".md"));
  const md = await Deno.readTextFile(join(sessions, id));
  assert(!controls.test(md), JSON.stringify(md));
  assertStringIncludes(md, "ab\nsecond line");
  assertStringIncludes(md, "- xy");
  const record = JSON.parse(await Deno.readTextFile(join(sessions, id.replace(/\.md$/, ".json"))));
  assertEquals(record.conversation.summary, summary);
});
