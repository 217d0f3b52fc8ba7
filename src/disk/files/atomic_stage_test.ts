import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { join } from "../../kernel/path.ts";
import { discardStaged, linkStaged, placeStaged, stageAtomic } from "./atomic.ts";
import { UnsafePathError } from "./confine/confine.ts";

async function store() {
  const project = await Deno.makeTempDir({ prefix: "mpm-stage-" });
  const root = join(project, ".claude-mpm");
  return {
    root,
    [Symbol.asyncDispose]: () => Deno.remove(project, { recursive: true }),
  };
}

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

Deno.test("staged files appear only when placed, whole, 0600, and no temp file is left", async () => {
  await using s = await store();
  const dir = join(s.root, "sessions");
  const a = await stageAtomic(join(dir, "a.json"), "{}\n", { root: s.root });
  const b = await stageAtomic(join(dir, "b.md"), new TextEncoder().encode("# b\n"), s);
  assertEquals((await names(dir)).filter((n) => !n.endsWith(".tmp")), []);
  await placeStaged([a, b]);
  assertEquals(await names(dir), ["a.json", "b.md"]);
  assertEquals(await Deno.readTextFile(join(dir, "b.md")), "# b\n");
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(join(dir, "a.json"))).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(dir)).mode! & 0o777, 0o700);
  }
});

Deno.test("a staged claim is linked only where nothing is yet; discarded temps go", async () => {
  await using s = await store();
  const file = join(s.root, "sessions", "x.json.sha256");
  assert(await linkStaged(await stageAtomic(file, "one\n", s)));
  assert(!(await linkStaged(await stageAtomic(file, "two\n", s))));
  assertEquals(await Deno.readTextFile(file), "one\n");
  const dropped = await stageAtomic(join(s.root, "sessions", "y.json"), "{}", s);
  await discardStaged([dropped]);
  assertEquals(await names(join(s.root, "sessions")), ["x.json.sha256"]);
});

Deno.test("a failed rename leaves the files after it unplaced and removes their temps", async () => {
  await using s = await store();
  const dir = join(s.root, "sessions");
  const a = await stageAtomic(join(dir, "a.json"), "a", s);
  const b = await stageAtomic(join(dir, "b.json"), "b", s);
  const c = await stageAtomic(join(dir, "c.json"), "c", s);
  // A folder where b goes: its rename fails.
  await Deno.mkdir(join(dir, "b.json", "inside"), { recursive: true });
  await assertRejects(() => placeStaged([a, b, c]));
  assertEquals(await names(dir), ["a.json", "b.json"]);
  assertEquals(await Deno.readTextFile(join(dir, "a.json")), "a");
});

Deno.test("when a staged file fails to reach the disk, none of the batch is placed", async () => {
  await using s = await store();
  const dir = join(s.root, "sessions");
  const a = await stageAtomic(join(dir, "a.json"), "a", s);
  const staged = await stageAtomic(join(dir, "b.json"), "b", s);
  await staged.flushed;
  // Its flush fails (a full disk, say): decided here, not by a race with the real fsync.
  const b = { ...staged, flushed: Promise.reject(new Error("no space left on device")) };
  b.flushed.catch(() => {});
  await assertRejects(() => placeStaged([a, b]), /no space left/);
  assertEquals(await names(dir), []);
});

Deno.test("staging refuses a symbolic link, as writeAtomic does", async () => {
  if (Deno.build.os === "windows") return;
  await using s = await store();
  const dir = join(s.root, "sessions");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.symlink(join(s.root, "nowhere"), join(dir, "link.json"));
  await assertRejects(() => stageAtomic(join(dir, "link.json"), "{}", s), /symbolic link/);
  assertEquals(await names(dir), ["link.json"]);
});

Deno.test("writing over a folder is refused by name, not left to the rename's EISDIR", async () => {
  await using s = await store();
  const dir = join(s.root, "sessions", "LATEST-SESSION.txt");
  await Deno.mkdir(dir, { recursive: true });
  const error = await assertRejects(
    () => stageAtomic(dir, "id\n", s),
    /it is a folder, where mpm keeps a file/,
  );
  assert(error instanceof UnsafePathError);
  assertEquals(await names(join(s.root, "sessions")), ["LATEST-SESSION.txt"]);
});
