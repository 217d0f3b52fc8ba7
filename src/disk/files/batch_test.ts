import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { join } from "../../kernel/path.ts";
import { type BatchFile, writeBatch } from "./batch.ts";
import { UnsafePathError } from "./confine/confine.ts";

const POSIX = Deno.build.os !== "windows";

async function store() {
  const project = await Deno.makeTempDir({ prefix: "mpm-batch-" });
  const root = join(project, ".claude-mpm");
  return {
    project,
    root,
    sessions: join(root, "sessions"),
    [Symbol.asyncDispose]: () => Deno.remove(project, { recursive: true }),
  };
}

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

/** A snapshot's files as sync writes them: claim and record exclusive, renderings replaced. */
function snapshot(dir: string, id: string): BatchFile[] {
  return [
    { path: join(dir, `${id}.json.sha256`), data: `sum ${id}\n`, exclusive: true },
    { path: join(dir, `${id}.json`), data: `{"id": "${id}"}\n`, exclusive: true },
    { path: join(dir, `${id}.md`), data: `# ${id}\n` },
    { path: join(dir, `${id}.yaml`), data: new TextEncoder().encode(`id: ${id}\n`) },
  ];
}

Deno.test("writeBatch writes every group whole, 0600 in 0700 folders, and leaves no temp file", async () => {
  await using s = await store();
  const ids = Array.from({ length: 70 }, (_, i) => `s${String(i).padStart(3, "0")}`);
  const written = await writeBatch(ids.map((id) => snapshot(s.sessions, id)), s);
  assertEquals(written, ids.map(() => true));
  const expected = ids.flatMap((id) =>
    [".json", ".json.sha256", ".md", ".yaml"].map((e) => id + e)
  );
  assertEquals(await names(s.sessions), expected.sort());
  assertEquals(await Deno.readTextFile(join(s.sessions, "s042.yaml")), "id: s042\n");
  assertEquals(await Deno.readTextFile(join(s.sessions, "s042.json.sha256")), "sum s042\n");
  if (POSIX) {
    for (const name of ["s000.json", "s000.json.sha256", "s069.md", "s069.yaml"]) {
      assertEquals((await Deno.stat(join(s.sessions, name))).mode! & 0o777, 0o600, name);
    }
    assertEquals((await Deno.stat(s.sessions)).mode! & 0o777, 0o700);
    assertEquals((await Deno.stat(s.root)).mode! & 0o777, 0o700);
  }
});

Deno.test("writeBatch makes files 0600 even under a umask that would narrow them", async () => {
  if (!POSIX) return;
  await using s = await store();
  const before = Deno.umask(0o277);
  try {
    assertEquals(await writeBatch([snapshot(s.sessions, "a")], s), [true]);
  } finally {
    Deno.umask(before);
  }
  assertEquals((await Deno.stat(join(s.sessions, "a.md"))).mode! & 0o777, 0o600);
});

Deno.test("a group whose exclusive name is taken is left out whole; the others are written", async () => {
  await using s = await store();
  await Deno.mkdir(s.sessions, { recursive: true });
  // b's claim is free but its record is not: the claim it linked goes again.
  await Deno.writeTextFile(join(s.sessions, "b.json"), "theirs\n");
  await Deno.writeTextFile(join(s.sessions, "c.json.sha256"), "theirs\n");
  const written = await writeBatch(["a", "b", "c", "d"].map((id) => snapshot(s.sessions, id)), s);
  assertEquals(written, [true, false, false, true]);
  assertEquals(await names(s.sessions), [
    "a.json",
    "a.json.sha256",
    "a.md",
    "a.yaml",
    "b.json",
    "c.json.sha256",
    "d.json",
    "d.json.sha256",
    "d.md",
    "d.yaml",
  ]);
  assertEquals(await Deno.readTextFile(join(s.sessions, "b.json")), "theirs\n");
  assertEquals(await Deno.readTextFile(join(s.sessions, "c.json.sha256")), "theirs\n");
});

Deno.test("a failure while temp files are written leaves none of them and nothing in place", async () => {
  await using s = await store();
  // The target's name fits, its temp name (`.NAME.PID.N.tmp`) is too long for the file system.
  const long = "x".repeat(240);
  const groups = [snapshot(s.sessions, "a"), [{ path: join(s.sessions, long), data: "x" }]];
  await assertRejects(() => writeBatch(groups, s));
  assertEquals(await names(s.sessions), []);
});

Deno.test("a failure while files are put in place keeps the groups placed and no temp file", async () => {
  await using s = await store();
  // A folder where c.md should go: renaming a file onto it fails.
  await Deno.mkdir(join(s.sessions, "c.md"), { recursive: true });
  const groups = ["a", "b", "c", "d"].map((id) => snapshot(s.sessions, id));
  await assertRejects(() => writeBatch(groups, s));
  const left = await names(s.sessions);
  assertEquals(left.filter((n) => n.endsWith(".tmp")), []);
  for (const name of ["a.json", "a.yaml", "b.json", "b.yaml"]) assert(left.includes(name), name);
  assertEquals(left.filter((n) => n.startsWith("d")), []);
});

Deno.test("writeBatch refuses to replace a symbolic link, before writing anything", async () => {
  if (!POSIX) return;
  await using s = await store();
  await Deno.mkdir(s.sessions, { recursive: true });
  const outside = join(s.project, "outside.md");
  await Deno.writeTextFile(outside, "mine\n");
  await Deno.symlink(outside, join(s.sessions, "b.md"));
  // Few files: each name is looked up; many (over 200 in the folder): the folder is listed.
  for (const count of [3, 120]) {
    const groups = Array.from({ length: count }, (_, i) => snapshot(s.sessions, `s${i}`));
    groups.splice(1, 0, snapshot(s.sessions, "b"));
    const error = await assertRejects(() => writeBatch(groups, s), /is a symbolic link/);
    assert(error instanceof UnsafePathError);
    assertEquals(await names(s.sessions), ["b.md"]);
  }
  assertEquals(await Deno.readTextFile(outside), "mine\n");
});

Deno.test("writeBatch refuses a folder that leads out of the root through a link", async () => {
  if (!POSIX) return;
  await using s = await store();
  const elsewhere = await Deno.makeTempDir({ prefix: "mpm-batch-out-" });
  try {
    await Deno.mkdir(s.root, { recursive: true });
    await Deno.symlink(elsewhere, s.sessions);
    const error = await assertRejects(() => writeBatch([snapshot(s.sessions, "a")], s), /outside/);
    assert(error instanceof UnsafePathError);
    assertEquals(await names(elsewhere), []);
  } finally {
    await Deno.remove(elsewhere, { recursive: true });
  }
});

Deno.test("writeBatch looks up a few hundred names in a large folder, not lists it", async () => {
  if (!POSIX) return;
  await using s = await store();
  await Deno.mkdir(s.sessions, { recursive: true });
  // A year's folder, in small: 8,000 entries are over 122 KB of folder on ext4, tmpfs and btrfs.
  for (let i = 0; i < 8_000; i++) Deno.writeTextFileSync(join(s.sessions, `old-${i}.md`), "");
  const outside = join(s.project, "outside.md");
  await Deno.writeTextFile(outside, "mine\n");
  await Deno.symlink(outside, join(s.sessions, "b.md"));
  const readDirSync = Deno.readDirSync;
  let listed = 0;
  Object.assign(Deno, {
    readDirSync: (dir: string | URL) => (listed++, readDirSync(dir)),
  });
  try {
    const groups = Array.from({ length: 120 }, (_, i) => snapshot(s.sessions, `s${i}`));
    groups.splice(60, 0, snapshot(s.sessions, "b"));
    await assertRejects(() => writeBatch(groups, s), /is a symbolic link/);
    assertEquals(listed, 0);
    groups.splice(60, 1);
    assertEquals(await writeBatch(groups, s), groups.map(() => true));
    assertEquals(listed, 0);
  } finally {
    Object.assign(Deno, { readDirSync });
  }
  assertEquals((await names(s.sessions)).length, 8_000 + 1 + 120 * 4);
  assertEquals(await Deno.readTextFile(outside), "mine\n");
});
