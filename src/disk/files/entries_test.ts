import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { join } from "../../kernel/path.ts";
import {
  claimDir,
  linkIfFree,
  removeEntry,
  removeIfPresent,
  removeQuietly,
  removeTree,
  renameEntry,
  setMode,
  setModeOf,
  setTimes,
  writeExecutable,
} from "./entries.ts";
import { dropScratchDir, makeScratchDir, writeScratchFile } from "./confine/scratch.ts";

const IS_WINDOWS = Deno.build.os === "windows";

async function folder() {
  const path = await Deno.makeTempDir({ prefix: "mpm-entries-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

const modeOf = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test("the three removals differ only in what a missing or full entry does", async () => {
  await using d = await folder();
  const file = join(d.path, "a");
  await Deno.writeTextFile(file, "a");
  await Deno.mkdir(join(d.path, "full"));
  await Deno.writeTextFile(join(d.path, "full", "b"), "b");

  await removeEntry(file);
  assert((await assertRejects(() => removeEntry(file))) instanceof Deno.errors.NotFound);
  assertEquals(await removeIfPresent(file), false);
  await Deno.writeTextFile(file, "a");
  assertEquals(await removeIfPresent(file), true);
  // A folder with something in it stays, quietly: what the user put there is theirs.
  assertEquals(await removeQuietly(join(d.path, "full")), false);
  assertEquals(await removeQuietly(file), false);
  assertEquals(await names(d.path), ["full"]);
  await removeTree(join(d.path, "full"));
  assertEquals(await names(d.path), []);
});

Deno.test("linkIfFree and claimDir take a free name once, and say when it was taken", async () => {
  await using d = await folder();
  const from = join(d.path, "a");
  await Deno.writeTextFile(from, "ours");
  await Deno.writeTextFile(join(d.path, "taken"), "theirs");
  assertEquals(await linkIfFree(from, join(d.path, "b")), true);
  assertEquals(await Deno.readTextFile(join(d.path, "b")), "ours");
  assertEquals(await linkIfFree(from, join(d.path, "taken")), false);
  assertEquals(await Deno.readTextFile(join(d.path, "taken")), "theirs");

  assertEquals(await claimDir(join(d.path, "dir")), true);
  assertEquals(await claimDir(join(d.path, "dir")), false);
  if (!IS_WINDOWS) assertEquals(await modeOf(join(d.path, "dir")), 0o700);
  const missing = await assertRejects(() => claimDir(join(d.path, "no", "parent")));
  assert(missing instanceof Deno.errors.NotFound);
});

Deno.test("renameEntry replaces the target; setMode and setTimes change only what they say", async () => {
  await using d = await folder();
  await Deno.writeTextFile(join(d.path, "a"), "new");
  await Deno.writeTextFile(join(d.path, "b"), "old");
  await renameEntry(join(d.path, "a"), join(d.path, "b"));
  assertEquals(await names(d.path), ["b"]);
  assertEquals(await Deno.readTextFile(join(d.path, "b")), "new");

  const when = new Date("2024-01-02T03:04:05Z");
  await setTimes(join(d.path, "b"), when, when);
  assertEquals((await Deno.stat(join(d.path, "b"))).mtime?.getTime(), when.getTime());
  if (!IS_WINDOWS) {
    await setMode(join(d.path, "b"), 0o640);
    assertEquals(await modeOf(join(d.path, "b")), 0o640);
  }
});

Deno.test("writeExecutable puts a script in place with its mode, and no temp file stays", async () => {
  await using d = await folder();
  const script = join(d.path, "hooks", "stop.sh");
  await writeExecutable(script, "#!/bin/sh\n", 0o700, { root: d.path });
  await writeExecutable(script, "#!/bin/sh\necho 2\n", 0o700, { root: d.path });
  assertEquals(await Deno.readTextFile(script), "#!/bin/sh\necho 2\n");
  assertEquals(await names(join(d.path, "hooks")), ["stop.sh"]);
  if (!IS_WINDOWS) assertEquals(await modeOf(script), 0o700);
});

Deno.test("a scratch folder is private, its files 0600, and dropped with them", async () => {
  const dir = await makeScratchDir("mpm-scratch-test-");
  await writeScratchFile(join(dir, "a.json"), "{}\n");
  await writeScratchFile(join(dir, "b.bin"), new Uint8Array([1, 2]));
  assertEquals(await Deno.readTextFile(join(dir, "a.json")), "{}\n");
  if (!IS_WINDOWS) {
    assertEquals(await modeOf(dir), 0o700);
    assertEquals(await modeOf(join(dir, "a.json")), 0o600);
  }
  await dropScratchDir(dir);
  await dropScratchDir(dir); // gone already: nothing to say
  assert(!(await Deno.stat(dir).then(() => true, () => false)));
});

Deno.test({
  name: "setMode and setModeOf leave a link, and what it points to, as they are",
  ignore: IS_WINDOWS,
  fn: async () => {
    await using d = await folder();
    const target = join(d.path, "target");
    await Deno.writeTextFile(target, "theirs");
    await Deno.chmod(target, 0o644);
    const link = join(d.path, "link");
    await Deno.symlink(target, link);
    await setMode(link, 0o600);
    assertEquals(await setModeOf(link, "file", 0o600), false);
    assertEquals(await modeOf(target), 0o644);
    // A folder is not a file, nor a file a folder; each as itself is set.
    assertEquals(await setModeOf(d.path, "file", 0o700), false);
    assertEquals(await setModeOf(target, "dir", 0o600), false);
    assertEquals(await setModeOf(target, "file", 0o600), true);
    assertEquals(await modeOf(target), 0o600);
    // A FIFO is neither, and opening it does not wait for a writer.
    const fifo = join(d.path, "fifo");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assertEquals(await setModeOf(fifo, "file", 0o600), false);
  },
});
