import { join } from "node:path";
import { assert, assertEquals } from "../../../../tests/assert.ts";
import { withRepo } from "../../../../tests/helpers.ts";
import { resolveCriteria } from "../records/lifecycle/prune_plan.ts";
import { buildSnapshot } from "../session/build_snapshot.ts";
import { archiveSnapshot, pruneSessions, snapshotFiles } from "./archive.ts";
import { ensureDir } from "../../../disk/files/confine/folders.ts";
import { type ProjectPaths, projectPaths } from "../../../disk/paths.ts";
import { listEntries } from "../listing/listing.ts";
import { loadSnapshot } from "../snapshots/read_snapshot.ts";
import { freshSessionId, saveSnapshot } from "../snapshots/save_snapshot.ts";

async function snapshotAt(paths: ProjectPaths, iso: string): Promise<string> {
  const now = new Date(iso);
  const { snapshot } = await saveSnapshot(
    paths,
    buildSnapshot({
      summary: iso,
      accomplishments: [],
      nextSteps: [],
      todos: [],
    }, {
      id: freshSessionId(now),
      now,
      git: null,
      projectPath: paths.root,
      version: "0.1.0",
      build: "dev",
    }),
  );
  return snapshot.session_id;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("archiveSnapshot finishes a move an earlier prune was interrupted in", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  const id = await snapshotAt(paths, "2025-01-01T00:00:00Z");
  await ensureDir(paths.archive);
  // The earlier run linked the checksum and the .md, then stopped.
  for (const name of [`${id}.json.sha256`, `${id}.md`]) {
    await Deno.link(join(paths.sessions, name), join(paths.archive, name));
  }
  // Meanwhile the listing still shows one snapshot, from sessions/.
  const during = await listEntries(paths, { locations: ["sessions", "pause", "archive"] });
  assertEquals(during.map((e) => [e.id, e.location]), [[id, "sessions"]]);
  assertEquals(await archiveSnapshot(paths, id), { files: snapshotFiles(id) });
  for (const name of snapshotFiles(id)) {
    assert(!(await exists(join(paths.sessions, name))), `${name} left in sessions/`);
    assert(await exists(join(paths.archive, name)), `${name} missing from archive/`);
  }
  const [entry] = await listEntries(paths, { locations: ["archive"] });
  assertEquals((await loadSnapshot(paths, entry)).session_id, id);
});

Deno.test("pruneSessions removes a checksum a crash left behind once the archive holds it", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  const old = await snapshotAt(paths, "2025-01-01T00:00:00Z");
  await snapshotAt(paths, "2025-02-01T00:00:00Z");
  await ensureDir(paths.archive);
  // Crash after the .json was unlinked from sessions/, before its checksum was.
  for (const name of snapshotFiles(old)) {
    await Deno.link(join(paths.sessions, name), join(paths.archive, name));
    if (!name.endsWith(".sha256")) await Deno.remove(join(paths.sessions, name));
  }
  // An unrelated orphan checksum (a pause in progress claims its id this way) stays.
  const claimed = join(paths.sessions, "session-20250301-000000.json.sha256");
  await Deno.writeTextFile(claimed, "claim\n");
  const report = await pruneSessions(paths, {
    criteria: resolveCriteria(10),
    dryRun: false,
    now: new Date("2025-03-01T00:00:00Z"),
  });
  assertEquals(report.archived, []);
  assert(!(await exists(join(paths.sessions, `${old}.json.sha256`))));
  assert(await exists(join(paths.archive, `${old}.json.sha256`)));
  assert(await exists(claimed));
});

Deno.test("archiveSnapshot leaves a snapshot whose file is a symbolic link where it is", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  const id = await snapshotAt(paths, "2025-01-01T00:00:00Z");
  const md = join(paths.sessions, `${id}.md`);
  await Deno.rename(md, join(repo.path, "elsewhere.md"));
  await Deno.symlink(join(repo.path, "elsewhere.md"), md);
  await ensureDir(paths.archive);
  assertEquals(await archiveSnapshot(paths, id), { skipped: `${id}.md is not a regular file` });
  assert(await exists(join(paths.sessions, `${id}.json`)));
  assertEquals([...Deno.readDirSync(paths.archive)], []);
});

Deno.test("pruneSessions refuses an archive folder that links outside .claude-mpm", async () => {
  await using repo = await withRepo();
  const paths = projectPaths(repo.path);
  await snapshotAt(paths, "2025-01-01T00:00:00Z");
  await snapshotAt(paths, "2025-02-01T00:00:00Z");
  await Deno.mkdir(join(repo.path, "outside"));
  await Deno.symlink(join(repo.path, "outside"), paths.archive);
  let failed: Error | undefined;
  try {
    await pruneSessions(paths, { criteria: resolveCriteria(1), dryRun: false, now: new Date() });
  } catch (error) {
    failed = error as Error;
  }
  assert(failed && /outside/.test(failed.message), String(failed));
  assertEquals([...Deno.readDirSync(join(repo.path, "outside"))], []);
  assertEquals((await listEntries(paths, { locations: ["sessions"] })).length, 2);
  assert(!(await exists(paths.lock)), "the lock is released");
});
