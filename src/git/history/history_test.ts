import { assert, assertEquals, assertMatch } from "../../../tests/assert.ts";
import { tempDir, withRepo } from "../../../tests/helpers.ts";
import { entriesAt } from "../objects/tree_files.ts";
import {
  parseNameStatus,
  parseRawDiff,
  readFork,
  readHistoryAndHead,
  readHistorySince,
  recentCommits,
} from "./history.ts";

Deno.test("readHistorySince lists new commits oldest first and the files they changed", async () => {
  await using repo = await withRepo();
  await repo.commit("base", { "keep.txt": "a file long enough to be recognised when renamed\n" });
  const paused = (await repo.git("rev-parse", "HEAD")).trim();
  const first = await repo.commit("add feature", { "feature.ts": "export {};\n" });
  await repo.git("mv", "keep.txt", "kept.txt");
  await repo.git("commit", "-q", "-m", "rename: ünïcødé ✓");
  await repo.git("rm", "-q", "README.md");
  const last = await repo.commit("drop readme", { ".claude-mpm/sessions/s.json": "{}\n" });
  const history = (await readHistorySince(repo.path, paused))!;
  assertEquals(history.current_commit, last);
  assertEquals(history.paused_commit_exists, true);
  assertEquals(history.is_ancestor, true);
  assertEquals(history.history_rewritten, false);
  assertEquals(history.new_commits.map((c) => c.subject), [
    "add feature",
    "rename: ünïcødé ✓",
    "drop readme",
  ]);
  const commit = history.new_commits[0];
  assertEquals(commit.sha, first);
  assertEquals(commit.author, "Test Author");
  assertMatch(commit.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  assertEquals(history.files, [
    { status: "D", path: "README.md" },
    { status: "A", path: "feature.ts" },
    { status: "R", path: "kept.txt", from: "keep.txt" },
  ]);
});

Deno.test("readHistorySince: commits that change only .claude-mpm/ are not news, where the history changes it", async () => {
  await using repo = await withRepo();
  const paused = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.commit("session: pause", { ".claude-mpm/sessions/s.json": "{}\n" });
  await repo.commit("Real work", { "work.ts": "export {};\n" });
  const history = (await readHistorySince(repo.path, paused))!;
  assertEquals(history.new_commits.map((c) => c.subject), ["Real work"]);
  assertEquals(history.files, [{ status: "A", path: "work.ts" }]);
  // Changes to it that undo each other leave nothing to look for: the commits are listed.
  await repo.git("rm", "-q", ".claude-mpm/sessions/s.json");
  await repo.git("commit", "-q", "-m", "session: drop");
  const since = (await readHistorySince(repo.path, paused))!;
  assertEquals(since.new_commits.map((c) => c.subject), [
    "session: pause",
    "Real work",
    "session: drop",
  ]);
});

Deno.test("readHistorySince right after the pause: nothing new", async () => {
  await using repo = await withRepo();
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  assertEquals(await readHistorySince(repo.path, head), {
    current_commit: head,
    paused_commit_exists: true,
    is_ancestor: true,
    paused_commit_replayed: false,
    history_rewritten: false,
    new_commits: [],
    replayed_commits: [],
    files: [],
  });
});

Deno.test("readHistorySince accepts an abbreviated paused commit", async () => {
  await using repo = await withRepo();
  const paused = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.commit("next");
  const history = (await readHistorySince(repo.path, paused.slice(0, 10)))!;
  assertEquals(history.is_ancestor, true);
  assertEquals(history.new_commits.map((c) => c.subject), ["next"]);
});

Deno.test("readHistorySince after a merge: the paused commit is still an ancestor", async () => {
  await using repo = await withRepo();
  await repo.git("checkout", "-q", "-b", "side");
  await repo.commit("side work", { "side.txt": "s\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("main work", { "main.txt": "m\n" });
  const paused = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("merge", "-q", "--no-edit", "side");
  const history = (await readHistorySince(repo.path, paused))!;
  assertEquals(history.is_ancestor, true);
  assertEquals(history.new_commits.map((c) => c.subject).sort(), [
    "Merge branch 'side'",
    "side work",
  ]);
  assertEquals(history.files, [{ status: "A", path: "side.txt" }]);
});

Deno.test("readHistorySince after a rebase: the copies are replayed, not new", async () => {
  await using repo = await withRepo();
  await repo.git("checkout", "-q", "-b", "feature");
  const mine1 = await repo.commit("mine 1", { "mine1.txt": "1\n" });
  const paused = await repo.commit("mine 2", { "mine2.txt": "2\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("upstream", { "upstream.txt": "u\n" });
  await repo.git("checkout", "-q", "feature");
  await repo.git("rebase", "-q", "main");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const history = (await readHistorySince(repo.path, paused))!;
  assertEquals(history.current_commit, head);
  assertEquals(history.paused_commit_exists, true);
  assertEquals(history.is_ancestor, false);
  assertEquals(history.paused_commit_replayed, true);
  assertEquals(history.history_rewritten, false);
  const shas = history.new_commits.map((c) => c.sha);
  assert(!shas.includes(paused) && !shas.includes(mine1), "old commits are not new");
  assertEquals(history.new_commits.map((c) => c.subject), ["upstream"]);
  assertEquals(history.replayed_commits.map((c) => c.subject), ["mine 1", "mine 2"]);
  assertEquals(history.replayed_commits.at(-1)!.sha, head);
  assertEquals(history.files, [{ status: "A", path: "upstream.txt" }]);
});

Deno.test("readHistorySince after reset --hard to an older commit", async () => {
  await using repo = await withRepo();
  const older = (await repo.git("rev-parse", "HEAD")).trim();
  const paused = await repo.commit("later", { "later.txt": "l\n" });
  await repo.git("reset", "-q", "--hard", older);
  const history = (await readHistorySince(repo.path, paused))!;
  assertEquals(history.current_commit, older);
  assertEquals(history.paused_commit_exists, true);
  assertEquals(history.is_ancestor, false);
  assertEquals(history.history_rewritten, true);
  assertEquals(history.new_commits, []);
  assertEquals(history.files, [{ status: "D", path: "later.txt" }]);
});

Deno.test("readHistorySince after an amend that changed the patch: rewritten", async () => {
  await using repo = await withRepo();
  const paused = await repo.commit("work", { "a.txt": "1\n" });
  await repo.write("a.txt", "2\n");
  await repo.git("commit", "-q", "-a", "--amend", "-m", "work, fixed");
  const history = (await readHistorySince(repo.path, paused))!;
  assertEquals(history.paused_commit_replayed, false);
  assertEquals(history.history_rewritten, true);
  assertEquals(history.new_commits.map((c) => c.subject), ["work, fixed"]);
  assertEquals(history.replayed_commits, []);
});

Deno.test("readHistorySince when the paused commit no longer exists", async () => {
  await using repo = await withRepo();
  await repo.commit("something");
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  const expected = {
    current_commit: head,
    paused_commit_exists: false,
    is_ancestor: false,
    paused_commit_replayed: false,
    // Not in this clone is not a rewrite: it may never have been fetched.
    history_rewritten: false,
    new_commits: [],
    replayed_commits: [],
    files: [],
  };
  assertEquals(
    await readHistorySince(repo.path, "0123456789abcdef0123456789abcdef01234567"),
    expected,
  );
  // Never handed to git as an option.
  assertEquals(await readHistorySince(repo.path, "--output=/tmp/mpm-pwned"), expected);
  assertEquals(await readHistorySince(repo.path, "HEAD~1"), expected);
});

Deno.test("readHistorySince when the pause happened before the first commit", async () => {
  await using repo = await withRepo({ commit: false });
  const empty = (await readHistorySince(repo.path, null))!;
  assertEquals(empty.current_commit, null);
  assertEquals(empty.new_commits, []);
  assertEquals(empty.history_rewritten, false);
  await repo.commit("first", { "a.txt": "a\n", ".claude-mpm/x.json": "{}\n" });
  const last = await repo.commit("second", { "b b.txt": "b\n" });
  const history = (await readHistorySince(repo.path, null))!;
  assertEquals(history.current_commit, last);
  assertEquals(history.paused_commit_exists, false);
  assertEquals(history.history_rewritten, false);
  assertEquals(history.new_commits.map((c) => c.subject), ["first", "second"]);
  assertEquals(history.files, [{ status: "A", path: "a.txt" }, { status: "A", path: "b b.txt" }]);
});

Deno.test("readHistorySince when HEAD has no commit any more (an orphan branch)", async () => {
  await using repo = await withRepo();
  const paused = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("switch", "-q", "--orphan", "fresh");
  const history = (await readHistorySince(repo.path, paused))!;
  assertEquals(history.current_commit, null);
  assertEquals(history.paused_commit_exists, true);
  assertEquals(history.history_rewritten, true);
  assertEquals(history.new_commits, []);
});

Deno.test("readHistorySince outside a repository is null", async () => {
  await using dir = await tempDir();
  assertEquals(await readHistorySince(dir.path, "0123456789abcdef0123456789abcdef01234567"), null);
  assertEquals(await readHistorySince(dir.path, null), null);
});

Deno.test("recentCommits gives the last N commits newest first", async () => {
  await using repo = await withRepo();
  await repo.commit("two");
  const three = await repo.commit("three");
  const commits = (await recentCommits(repo.path, 2))!;
  assertEquals(commits.map((c) => c.subject), ["three", "two"]);
  assertEquals(commits[0].sha, three);
  assertEquals((await recentCommits(repo.path, 10))!.length, 3);
});

Deno.test("recentCommits: [] without commits, null outside a repository", async () => {
  await using repo = await withRepo({ commit: false });
  assertEquals(await recentCommits(repo.path, 5), []);
  await using dir = await tempDir();
  assertEquals(await recentCommits(dir.path, 5), null);
});

Deno.test("parseNameStatus reads renames, copies and odd paths", () => {
  const output = [
    "M",
    "a b.txt",
    "R087",
    "old\nname",
    "new ✓",
    "C100",
    "src",
    "copy",
    "D",
    ".claude-mpm/x",
    "",
  ]
    .join("\0");
  assertEquals(parseNameStatus(output), [
    { status: "M", path: "a b.txt" },
    { status: "R", path: "new ✓", from: "old\nname" },
    { status: "C", path: "copy", from: "src" },
  ]);
});

Deno.test("readFork tells HEAD from the listing, or says it cannot", () => {
  const line = (mark: string, sha: string, parents: string) =>
    `${mark}${sha}\0${parents}\0Ann\x002024-01-01T00:00:00Z\0subject ${sha}`;
  const log = (...lines: string[]) => lines.join("\0");
  // Nothing listed: HEAD is the paused commit.
  assertEquals(readFork("", "p"), { headSide: [], pausedSide: [], head: "p" });
  // New commits on top of the paused one: HEAD is the newest.
  const ahead = readFork(log(line("<", "h2", "h1"), line("<", "h1", "p")), "p");
  assertEquals([ahead.head, ahead.headSide.length, ahead.pausedSide], ["h2", 2, []]);
  // A rebase: the paused side may come first in date order, and HEAD's newest be a copy (=).
  const rebased = readFork(
    log(line(">", "p", "b"), line("=", "h2", "h1"), line("<", "h1", "base")),
    "p",
  );
  assertEquals([rebased.head, rebased.pausedSide.map((c) => c.sha)], ["h2", ["p"]]);
  // HEAD behind the paused commit: its side is empty, so the listing does not name it.
  assertEquals(readFork(log(line(">", "p", "b"), line(">", "b", "h")), "p").head, undefined);
  // A paused side without the id given (not a commit's own id): nothing is trusted.
  const other = readFork(log(line("<", "h", "base"), line(">", "q", "base")), "tag");
  assertEquals(other.head, undefined);
});

Deno.test("parseRawDiff: the files, and what the second commit holds at each path", () => {
  const a = "a".repeat(40), b = "b".repeat(40), z = "0".repeat(40);
  const raw = [
    `:100644 100644 ${a} ${b} M`,
    "src/x.ts",
    `:000000 120000 ${z} ${b} A`,
    "link",
    `:100644 000000 ${a} ${z} D`,
    "gone.txt",
    `:100644 100644 ${a} ${a} R100`,
    "old name.txt",
    "new\nname.txt",
    `:100644 000000 ${a} ${z} D`,
    "dir",
    `:000000 100644 ${z} ${b} A`,
    "dir/inside.txt",
    `:000000 160000 ${z} ${b} A`,
    "sub",
    `:000000 100644 ${z} ${b} A`,
    ".claude-mpm/x.json",
    "",
  ].join("\0");
  const { files, headAt, touchesMpm } = parseRawDiff(raw);
  assertEquals(touchesMpm, true);
  assertEquals(
    parseRawDiff(raw.split(`\0:000000 100644 ${z} ${b} A\0.claude-mpm`)[0]).touchesMpm,
    false,
  );
  assertEquals(files, [
    { status: "M", path: "src/x.ts" },
    { status: "A", path: "link" },
    { status: "D", path: "gone.txt" },
    { status: "R", path: "new\nname.txt", from: "old name.txt" },
    { status: "D", path: "dir" },
    { status: "A", path: "dir/inside.txt" },
    { status: "A", path: "sub" },
  ]);
  assertEquals(files, parseNameStatus(raw.replace(/:[^\0]* ([A-Z])(\d*)\0/g, "$1$2\0")));
  assertEquals(headAt.get("src/x.ts"), { oid: b, type: "blob" });
  assertEquals(headAt.get("link"), { oid: b, type: "blob" });
  assertEquals(headAt.get("gone.txt"), null);
  assertEquals(headAt.get("old name.txt"), null);
  assertEquals(headAt.get("new\nname.txt"), { oid: a, type: "blob" });
  // A file removed where a folder now is: HEAD holds a tree there, not nothing.
  assertEquals(headAt.get("dir"), { oid: "", type: "tree" });
  assertEquals(headAt.get("sub"), { oid: b, type: "commit" });
  assertEquals(headAt.get("unchanged.txt"), undefined);
});

Deno.test("readHistoryAndHead: what HEAD holds at each changed path, as cat-file reads it", async () => {
  await using repo = await withRepo();
  const paused = await repo.commit("before", {
    "keep.txt": "k\n",
    "edit.txt": "1\n",
    "drop.txt": "d\n",
    "move.txt": "m\n".repeat(20),
    "was-file": "f\n",
  });
  await repo.write("edit.txt", "2\n");
  await repo.git("rm", "-q", "drop.txt", "was-file");
  await repo.git("mv", "move.txt", "moved.txt");
  await repo.write("was-file/inner.txt", "i\n");
  await repo.commit("after", { "new.txt": "n\n" });
  const read = (await readHistoryAndHead(repo.path, paused))!;
  const headAt = read.headAt!;
  const paths = [...headAt.keys()].sort();
  assertEquals(paths, [
    "drop.txt",
    "edit.txt",
    "move.txt",
    "moved.txt",
    "new.txt",
    "was-file",
    "was-file/inner.txt",
  ]);
  const asked = (await entriesAt(repo.path, read.history.current_commit!, paths))!;
  for (const path of paths) {
    const entry = asked.get(path)!;
    assertEquals(headAt.get(path), entry?.type === "tree" ? { ...entry, oid: "" } : entry, path);
  }
  assertEquals(read.history, await readHistorySince(repo.path, paused));
});
