import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/assert.ts";
import { tempDir, withRepo } from "../../tests/helpers.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { IntegrityError, NothingToDo, UsageError } from "../kernel/errors.ts";
import {
  CheckpointExistsError,
  checkpointFiles,
  listCheckpoints,
  readCheckpoint,
  removeCheckpoint,
  saveCheckpoint,
} from "./store.ts";
import { projectPaths } from "../disk/paths.ts";

const NOW = new Date("2025-10-20T14:30:22.000Z");

async function writeState(root: string, state: unknown) {
  await Deno.mkdir(join(root, ".claude-mpm"), { recursive: true });
  await Deno.writeTextFile(join(root, ".claude-mpm/state.json"), JSON.stringify(state));
}

Deno.test("saveCheckpoint records branch, HEAD, each dirty file's content hash, session and todos", async () => {
  await using repo = await withRepo();
  const head = await repo.commit("add lib", { "lib.ts": "export const a = 1;\n" });
  await repo.write("lib.ts", "export const a = 2;\n");
  await repo.write("newdir/one.ts", "one\n");
  await repo.write("newdir/deep/two.ts", "two\n");
  await repo.write(".gitignore", "*.log\n");
  await repo.write("newdir/noise.log", "ignored\n");
  await Deno.symlink("lib.ts", join(repo.path, "link.ts"));
  await repo.git("rm", "-q", "README.md");
  await writeState(repo.path, {
    schema_version: 1,
    active: {
      key: "k-auth",
      name: "auth",
      task: "login flow",
      template: null,
      started_at: "2025-10-20T10:00:00.000Z",
      todos: [
        { content: "write tests", status: "pending" },
        { content: "wire route", status: "completed" },
      ],
      notes: ["remember the rate limit"],
    },
    stack: [{
      snapshot_id: "session-20251019-090000",
      key: "k-parent",
      name: "parent",
      git_branch: "main",
      git_head: head,
      stash: null,
      tree: null,
      branched_at: "2025-10-19T09:00:00.000Z",
    }],
  });

  const saved = await saveCheckpoint(repo.path, "milestone", { note: "all green", now: NOW });
  const paths = projectPaths(repo.path);
  assertEquals(saved.file, join(paths.checkpoints, "milestone.json"));
  const record = saved.record;
  assertEquals(record.saved_at, NOW.toISOString());
  assertEquals(record.note, "all green");
  assertEquals(record.git?.branch, "main");
  assertEquals(record.git?.head, head);
  assertEquals(record.git?.commit_message, "add lib");
  const byPath = Object.fromEntries(record.git!.files.map((f) => [f.path, f]));
  assertEquals(Object.keys(byPath), [
    ".gitignore",
    "README.md",
    "lib.ts",
    "link.ts",
    "newdir/deep/two.ts",
    "newdir/one.ts",
  ]);
  assertEquals(byPath["lib.ts"].sha256, sha256Hex("export const a = 2;\n"));
  assertEquals(byPath["lib.ts"].status, "modified");
  assertEquals(byPath["newdir/one.ts"], {
    path: "newdir/one.ts",
    status: "untracked",
    kind: "file",
    sha256: sha256Hex("one\n"),
  });
  assertEquals(byPath["link.ts"].kind, "symlink");
  assertEquals(byPath["link.ts"].sha256, sha256Hex("lib.ts"));
  assertEquals(byPath["README.md"], {
    path: "README.md",
    status: "deleted",
    kind: "missing",
    sha256: null,
  });
  assertEquals(record.session?.name, "auth");
  assertEquals(record.session?.notes, ["remember the rate limit"]);
  assertEquals(record.todos, [
    { content: "write tests", status: "pending" },
    { content: "wire route", status: "completed" },
  ]);
  assertEquals(record.stack, ["session-20251019-090000"]);

  // On disk: the record, its checksum in sha256sum format, the markdown; 0600 in 0700.
  const text = await Deno.readTextFile(saved.files.json);
  assertEquals(
    await Deno.readTextFile(saved.files.sha256),
    `${sha256Hex(text)}  milestone.json\n`,
  );
  assertMatch(await Deno.readTextFile(saved.files.md), /^# Checkpoint: milestone\n/);
  for (const file of Object.values(saved.files)) {
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  }
  assertEquals((await Deno.stat(paths.checkpoints)).mode! & 0o777, 0o700);
  assertEquals(await readCheckpoint(paths, "milestone"), record);
  // .claude-mpm/ itself never shows up as dirty.
  assertEquals(record.git!.files.some((f) => f.path.startsWith(".claude-mpm")), false);
});

Deno.test("saveCheckpoint refuses a taken name without force, and replaces it with force", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  await saveCheckpoint(repo.path, "cp", { note: "first", now: NOW });
  const before = await Deno.readTextFile(checkpointFiles(paths, "cp").json);
  const error = await assertRejects(
    () => saveCheckpoint(repo.path, "cp", { note: "second", now: NOW }),
    /A checkpoint named cp already exists/,
  );
  assert(error instanceof CheckpointExistsError);
  assertEquals((error as CheckpointExistsError).exitCode, 1);
  assertEquals(await Deno.readTextFile(checkpointFiles(paths, "cp").json), before);
  await saveCheckpoint(repo.path, "cp", { note: "second", now: NOW, force: true });
  assertEquals((await readCheckpoint(paths, "cp")).note, "second");
  const bad = await assertRejects(() => saveCheckpoint(repo.path, "a/b", { now: NOW }));
  assert(bad instanceof UsageError);
});

Deno.test("saveCheckpoint outside git records no git state", async () => {
  await using dir = await tempDir();
  const saved = await saveCheckpoint(dir.path, "plain", { now: NOW });
  assertEquals(saved.record.git, null);
  assertEquals(saved.record.session, null);
  assertEquals((await readCheckpoint(projectPaths(dir.path), "plain")).git, null);
});

Deno.test("readCheckpoint: unknown is exit 3; tampered, unsummed or newer is exit 4 naming the file", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  const { files } = await saveCheckpoint(repo.path, "cp", { now: NOW });
  assert(
    await assertRejects(() => readCheckpoint(paths, "nope"), /No checkpoint named nope/) instanceof
      NothingToDo,
  );

  const original = await Deno.readTextFile(files.json);
  await Deno.writeTextFile(files.json, original.replace('"note": null', '"note": "forged"'));
  const tampered = await assertRejects(
    () => readCheckpoint(paths, "cp"),
    /\.claude-mpm\/checkpoints\/cp\.json does not match its checksum/,
  );
  assert(tampered instanceof IntegrityError);

  await Deno.writeTextFile(files.json, original);
  await Deno.remove(files.sha256);
  await assertRejects(() => readCheckpoint(paths, "cp"), /cp\.json has no checksum file/);

  const newer = original.replace('"schema_version": 1', '"schema_version": 99');
  await Deno.writeTextFile(files.json, newer);
  await Deno.writeTextFile(files.sha256, `${sha256Hex(newer)}  cp.json\n`);
  const refused = await assertRejects(() => readCheckpoint(paths, "cp"), /written by a newer mpm/);
  assert(refused instanceof IntegrityError);
});

Deno.test("listCheckpoints is newest first and lists a damaged one with its error", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  await saveCheckpoint(repo.path, "old", { now: new Date("2025-01-01T00:00:00Z") });
  await saveCheckpoint(repo.path, "new", { now: new Date("2025-06-01T00:00:00Z") });
  await saveCheckpoint(repo.path, "broken", { now: new Date("2025-03-01T00:00:00Z") });
  await Deno.writeTextFile(checkpointFiles(paths, "broken").json, "{}\n");
  const listed = await listCheckpoints(paths);
  assertEquals(listed.map((l) => l.name), ["new", "old", "broken"]);
  assert(listed[2].error instanceof IntegrityError);
  assertEquals(await listCheckpoints(projectPaths(join(repo.path, "nowhere"))), []);
});

Deno.test("removeCheckpoint removes the json, its checksum and md, and nothing else", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  await saveCheckpoint(repo.path, "a", { now: NOW });
  await saveCheckpoint(repo.path, "a.b", { now: NOW });
  await Deno.writeTextFile(join(paths.checkpoints, "a.txt"), "mine\n");
  const removed = await removeCheckpoint(paths, "a");
  assertEquals(removed.map((f) => f.slice(paths.checkpoints.length + 1)), [
    "a.json",
    "a.json.sha256",
    "a.md",
  ]);
  const left = [];
  for await (const entry of Deno.readDir(paths.checkpoints)) left.push(entry.name);
  assertEquals(left.sort(), ["a.b.json", "a.b.json.sha256", "a.b.md", "a.txt"]);
  await assertRejects(() => removeCheckpoint(paths, "a"), /No checkpoint named a/);
  // What an interrupted save leaves (a checksum alone) is removed as well.
  await Deno.writeTextFile(join(paths.checkpoints, "half.json.sha256"), "x\n");
  assertEquals((await removeCheckpoint(paths, "half")).length, 1);
});
