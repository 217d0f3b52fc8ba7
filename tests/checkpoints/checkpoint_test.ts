/**
 * `mpm checkpoint save | list | show | diff | rm`, run as a user would, in real repositories.
 */
import { join } from "node:path";
import YAML from "yaml";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertStringIncludes,
} from "../assert.ts";
import { ok, type Repo, withRepo } from "../helpers.ts";
import { writeOwnState } from "../sessions/state_helpers.ts";

const CHECKPOINTS = ".claude-mpm/checkpoints";

async function diffJson(repo: Repo, name: string) {
  return JSON.parse(await okOut(repo, "checkpoint", "diff", name, "--json"));
}

async function okOut(repo: Repo, ...args: string[]): Promise<string> {
  return (await ok(repo, ...args)).stdout;
}

Deno.test("mpm checkpoint save / list --json / show --format / rm", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "# changed\n");
  const saved = await okOut(
    repo,
    "checkpoint",
    "save",
    "before-refactor",
    "--note",
    "green; token=abc123secretvalue",
  );
  assertStringIncludes(saved, "Saved checkpoint before-refactor");
  assertStringIncludes(saved, "1 uncommitted file");
  await okOut(repo, "checkpoint", "save", "second", "--note", "later,\nafter lunch");
  assertStringIncludes(await okOut(repo, "checkpoint", "list"), "      later, after lunch\n");

  const listed = JSON.parse(await okOut(repo, "checkpoint", "list", "--json"));
  assertEquals(listed.map((c: { name: string }) => c.name).sort(), ["before-refactor", "second"]);
  const first = listed.find((c: { name: string }) => c.name === "before-refactor");
  assertEquals(Object.keys(first), ["name", "saved_at", "note", "branch", "head", "file"]);
  assertEquals(first.note, "green; token=[REDACTED:secret]");
  assertEquals(first.branch, "main");
  assertEquals(first.head, (await repo.git("rev-parse", "HEAD")).trim());
  assertEquals(first.file, `${CHECKPOINTS}/before-refactor.json`);
  assert(listed[0].saved_at >= listed[1].saved_at, "newest first");

  const stored = await Deno.readTextFile(join(repo.path, CHECKPOINTS, "before-refactor.json"));
  assertNotIncludes(stored, "abc123secretvalue");
  assertEquals(
    await okOut(repo, "checkpoint", "show", "before-refactor", "--format", "json"),
    stored,
  );
  const yaml = await okOut(repo, "checkpoint", "show", "before-refactor", "--format", "yaml");
  assertEquals(YAML.parse(yaml), JSON.parse(stored));
  assertEquals(
    await okOut(repo, "checkpoint", "show", "before-refactor", "--format", "md"),
    await Deno.readTextFile(join(repo.path, CHECKPOINTS, "before-refactor.md")),
  );
  const shown = await okOut(repo, "checkpoint", "show", "before-refactor");
  assertStringIncludes(shown, "Checkpoint before-refactor");
  assertMatch(shown, /modified\s+README\.md/);
  assertEquals((await repo.run("checkpoint", "show", "second", "--format", "xml")).code, 2);

  const completed = await okOut(repo, "__complete", "checkpoints");
  assertEquals(completed, "before-refactor\nsecond\n");

  assertStringIncludes(
    await okOut(repo, "checkpoint", "rm", "second"),
    "Removed checkpoint second",
  );
  const left = [];
  for await (const entry of Deno.readDir(join(repo.path, CHECKPOINTS))) left.push(entry.name);
  assertEquals(left.sort(), [
    "before-refactor.json",
    "before-refactor.json.sha256",
    "before-refactor.md",
  ]);
});

Deno.test("mpm checkpoint: bad name exit 2, taken name exit 1 until --force, unknown exit 3", async () => {
  await using repo = await withRepo();
  for (const bad of ["../escape", "has space", ".hidden", "ünï"]) {
    const result = await repo.run("checkpoint", "save", bad);
    assertEquals(result.code, 2, bad);
    assertStringIncludes(result.stderr, "is not a valid checkpoint name");
  }
  assertEquals((await repo.run("checkpoint", "show", "a/b")).code, 2);
  await okOut(repo, "checkpoint", "save", "cp", "--note", "one");
  const again = await repo.run("checkpoint", "save", "cp", "--note", "two");
  assertEquals(again.code, 1);
  assertStringIncludes(again.stderr, "already exists");
  assertStringIncludes(again.stderr, "--force");
  await okOut(repo, "checkpoint", "save", "cp", "--note", "two", "--force");
  assertEquals(
    JSON.parse(await okOut(repo, "checkpoint", "show", "cp", "--format", "json")).note,
    "two",
  );
  for (const sub of ["show", "diff", "rm"]) {
    const result = await repo.run("checkpoint", sub, "missing");
    assertEquals(result.code, 3, sub);
    assertStringIncludes(result.stderr, "No checkpoint named missing");
  }
  const empty = await repo.run("checkpoint", "list", "--json");
  assertEquals(JSON.parse(empty.stdout).length, 1);
});

Deno.test("a tampered checkpoint is exit 4 naming the file; list warns and goes on", async () => {
  await using repo = await withRepo();
  await okOut(repo, "checkpoint", "save", "good");
  await okOut(repo, "checkpoint", "save", "bad", "--note", "original");
  const file = join(repo.path, CHECKPOINTS, "bad.json");
  await Deno.writeTextFile(file, (await Deno.readTextFile(file)).replace("original", "forged"));
  for (const sub of ["show", "diff"]) {
    const result = await repo.run("checkpoint", sub, "bad");
    assertEquals(result.code, 4, sub);
    assertStringIncludes(
      result.stderr,
      ".claude-mpm/checkpoints/bad.json does not match its checksum",
    );
  }
  const listed = await repo.run("checkpoint", "list", "--json");
  assertEquals(listed.code, 0);
  assertStringIncludes(listed.stderr, "bad.json does not match its checksum");
  const rows = JSON.parse(listed.stdout);
  assertEquals(rows.find((r: { name: string }) => r.name === "good").branch, "main");
  assertMatch(rows.find((r: { name: string }) => r.name === "bad").error, /checksum/);
  assertEquals((await repo.run("checkpoint", "rm", "bad")).code, 0);
});

Deno.test("mpm checkpoint diff: edited and reverted is unchanged; committed as it was is unchanged", async () => {
  await using repo = await withRepo();
  await repo.commit("base", { "app.ts": "v1\n", "lib.ts": "lib v1\n", "old.ts": "old\n" });
  await repo.write("app.ts", "v2 (uncommitted at the checkpoint)\n");
  await repo.write("notes.md", "untracked at the checkpoint\n");
  await okOut(repo, "checkpoint", "save", "cp");

  let diff = await diffJson(repo, "cp");
  assertEquals(diff.git.files, { changed: [], added: [], removed: [] });
  assertStringIncludes(await okOut(repo, "checkpoint", "diff", "cp"), "Nothing changed.");

  // Edit, then put the exact bytes back: unchanged.
  await repo.write("app.ts", "v3 experiment\n");
  assertEquals((await diffJson(repo, "cp")).git.files.changed, ["app.ts"]);
  await repo.write("app.ts", "v2 (uncommitted at the checkpoint)\n");
  assertEquals((await diffJson(repo, "cp")).git.files.changed, []);

  // Commit the checkpoint's uncommitted work as it was: unchanged content, one new commit.
  await repo.commit("commit the work");
  diff = await diffJson(repo, "cp");
  assertEquals(diff.git.files, { changed: [], added: [], removed: [] });
  assertEquals(diff.git.commits.map((c: { subject: string }) => c.subject), ["commit the work"]);

  // Real changes: a committed edit, a committed deletion, a new untracked file, a local edit
  // of a file that was clean at the checkpoint, and a branch switch.
  await repo.git("switch", "-q", "-c", "feature");
  await repo.git("rm", "-q", "old.ts");
  await repo.commit("edit app, drop old", { "app.ts": "v4\n" });
  await repo.write("fresh.ts", "new\n");
  await repo.write("lib.ts", "lib v2\n");
  diff = await diffJson(repo, "cp");
  assertEquals(diff.git.files, {
    changed: ["app.ts", "lib.ts"],
    added: ["fresh.ts"],
    removed: ["old.ts"],
  });
  assertEquals(diff.git.branch, { from: "main", to: "feature" });
  assertEquals(diff.git.exact, true);
  const text = await okOut(repo, "checkpoint", "diff", "cp");
  assertStringIncludes(text, "Branch: main → feature");
  assertMatch(text, /Files changed \(2\):\n {2}M app\.ts\n {2}M lib\.ts/);
  assertMatch(text, /Files removed \(1\):\n {2}D old\.ts/);

  // Reverting the clean-then file locally makes it unchanged again (blob comparison).
  await repo.write("lib.ts", "lib v1\n");
  assertEquals((await diffJson(repo, "cp")).git.files.changed, ["app.ts"]);
});

Deno.test("mpm checkpoint diff reports todos and the session from state.json", async () => {
  await using repo = await withRepo();
  const state = (todos: { content: string; status: string }[]) => ({
    schema_version: 1,
    active: {
      key: "k1",
      name: "auth",
      task: null,
      template: null,
      started_at: "2025-10-20T10:00:00.000Z",
      todos,
    },
    stack: [],
  });
  await writeOwnState(
    repo,
    state([
      { content: "write tests", status: "pending" },
      { content: "old idea", status: "pending" },
    ]),
  );
  await okOut(repo, "checkpoint", "save", "cp");
  await writeOwnState(
    repo,
    state([
      { content: "write tests", status: "completed" },
      { content: "ship it", status: "pending" },
    ]),
  );
  const diff = await diffJson(repo, "cp");
  assertEquals(diff.todos, {
    added: ["ship it"],
    removed: ["old idea"],
    completed: ["write tests"],
    reopened: [],
  });
  assertEquals(diff.session, { from: "auth", to: "auth", changed: false });
  const text = await okOut(repo, "checkpoint", "diff", "cp");
  assertStringIncludes(text, "Todos completed (1):\n  ✓ write tests");
});

Deno.test("with nothing active, a checkpoint is of the newest paused work: its session and todos", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "refunds");
  await ok(repo, "todo", "add", "Check partial refunds");
  await ok(repo, "pause", "-s", "Payment work");
  const saved = JSON.parse(await okOut(repo, "checkpoint", "save", "cp", "--json"));
  const record = JSON.parse(await Deno.readTextFile(join(repo.path, CHECKPOINTS, "cp.json")));
  assertEquals(record.session?.name, "refunds", JSON.stringify(saved));
  assertEquals(record.todos.map((t: { content: string }) => t.content), ["Check partial refunds"]);
  // Saving made nothing active; the diff compares with the same paused work.
  assertEquals(JSON.parse(await okOut(repo, "status", "--json")).active, null);
  const diff = await diffJson(repo, "cp");
  assertEquals(diff.session, { from: "refunds", to: "refunds", changed: false });
  assertEquals(diff.todos.removed, []);
});

Deno.test("mpm checkpoint rm and save --force never remove a file through a link leading outside", async () => {
  await using repo = await withRepo();
  const outside = join(repo.home, "elsewhere");
  await Deno.mkdir(outside);
  await Deno.mkdir(join(repo.path, ".claude-mpm"));
  await Deno.symlink(outside, join(repo.path, CHECKPOINTS));
  for (const name of ["foo", "bar"]) {
    await Deno.writeTextFile(join(outside, `${name}.json`), "someone else's\n");
  }
  const rm = await repo.run("checkpoint", "rm", "foo");
  assertEquals(rm.code, 1);
  assertStringIncludes(rm.stderr, "through a symbolic link");
  const save = await repo.run("checkpoint", "save", "bar", "--force");
  assertEquals(save.code, 1);
  for (const name of ["foo", "bar"]) {
    assertEquals(await Deno.readTextFile(join(outside, `${name}.json`)), "someone else's\n");
  }
  // The secret-looking name is refused before anything is written.
  const secret = await repo.run("checkpoint", "save", "ghp_" + "a".repeat(36));
  assertEquals(secret.code, 2);
  assertStringIncludes(secret.stderr, "looks like a secret");
});

Deno.test("a file name with a line break: diff says added, exactly, its name quoted on one line", async () => {
  await using repo = await withRepo();
  await okOut(repo, "checkpoint", "save", "k1");
  await repo.write("n\nl.txt", "q");
  await okOut(repo, "checkpoint", "save", "k3");
  for (const args of [["k1", "k3"], ["k1"]]) {
    const diff = JSON.parse(await okOut(repo, "checkpoint", "diff", ...args, "--json"));
    assertEquals(diff.git.files, { changed: [], added: ["n\nl.txt"], removed: [] }, args.join());
    assertEquals(diff.git.exact, true, args.join());
    const out = await okOut(repo, "checkpoint", "diff", ...args);
    assertStringIncludes(out, '  A "n\\nl.txt"\n');
    assertNotIncludes(out, "commit is gone");
  }
  assertStringIncludes(await okOut(repo, "checkpoint", "show", "k3"), ' "n\\nl.txt"\n');
  const md = await repo.read(`${CHECKPOINTS}/k3.md`);
  assertStringIncludes(md, '- `"n\\nl.txt"` (untracked)');
});

Deno.test("a checkpoint's .md and show keep no control character; its JSON keeps the note as given", async () => {
  await using repo = await withRepo();
  await repo.write("a\x1b[2Jb.txt", "x");
  await okOut(
    repo,
    "checkpoint",
    "save",
    "esc",
    "--note",
    "red \x1b[31mtext\x1b]0;PWN\x07 \u202eend",
  );
  // deno-lint-ignore no-control-regex
  const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/;
  const md = await repo.read(`${CHECKPOINTS}/esc.md`);
  assert(!controls.test(md), JSON.stringify(md));
  assertStringIncludes(md, "red text end");
  assertStringIncludes(md, '`"a\\033[2Jb.txt"`');
  for (const args of [["show", "esc"], ["show", "esc", "--format", "md"], ["diff", "esc"]]) {
    const out = await okOut(repo, "checkpoint", ...args);
    assert(!controls.test(out), `${args.join(" ")}: ${JSON.stringify(out)}`);
  }
  const record = JSON.parse(await repo.read(`${CHECKPOINTS}/esc.json`));
  assertEquals(record.note, "red \x1b[31mtext\x1b]0;PWN\x07 \u202eend");
});

Deno.test("outside git, checkpoint diff says files were not compared, never that nothing changed", async () => {
  await using folder = await withRepo({ git: false });
  await okOut(folder, "checkpoint", "save", "n2");
  await folder.write("h", "x\n");
  const out = await okOut(folder, "checkpoint", "diff", "n2");
  assertStringIncludes(out, "Git: no repository at the checkpoint or now; files not compared.");
  assertNotIncludes(out, "Nothing changed.");
});

Deno.test("checkpoint list shows a long note on one bounded line; show keeps it whole", async () => {
  await using repo = await withRepo();
  const note = `${"tests green, about to split the parser ".repeat(2_600)}END`;
  await ok(repo, "checkpoint", "save", "long", "--note", `first line\n${note}`);
  const list = (await okOut(repo, "checkpoint", "list")).split("\n");
  const shown = list.find((line) => line.includes("first line"))!;
  assertStringIncludes(shown, "first line tests green");
  assert(shown.length <= 310, `${shown.length} characters`);
  assert(shown.endsWith("…"));
  assert(list.every((line) => line.length <= 310));
  assertStringIncludes(await okOut(repo, "checkpoint", "show", "long"), "parser END");
});
