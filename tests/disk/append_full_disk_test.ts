/**
 * Appending a line (events.jsonl, a thread's claude-sessions.jsonl) on a disk that fills up
 * midway: the line is appended whole or not at all, and the error names the file. A small tmpfs
 * is the full disk: only root can mount one, so elsewhere these tests say why they do nothing.
 */
import { join } from "node:path";
import { assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { appendLine } from "../../src/disk/files/append.ts";
import { faultError } from "../../src/kernel/errors.ts";

/** A mounted tmpfs of `kib` KiB, or why none could be mounted. */
async function smallDisk(kib: number): Promise<(AsyncDisposable & { dir: string }) | string> {
  if (Deno.uid() !== 0) return "not running as root, so no tmpfs can be mounted";
  const dir = await Deno.makeTempDir({ prefix: "mpm-full-disk-" });
  const run = (cmd: string, args: string[]) =>
    new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  const mounted = await run("mount", ["-t", "tmpfs", "-o", `size=${kib}k`, "tmpfs", dir]);
  if (!mounted.success) {
    await Deno.remove(dir);
    return `mount failed: ${new TextDecoder().decode(mounted.stderr).trim()}`;
  }
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await run("umount", [dir]);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Fills the disk holding `dir` until a write of one more byte fails. */
function fill(dir: string): void {
  using file = Deno.openSync(join(dir, "filler"), { write: true, create: true });
  const chunk = new Uint8Array(4096);
  for (;;) {
    try {
      if (file.writeSync(chunk) === 0) return;
    } catch {
      return;
    }
  }
}

Deno.test("a line appended on a disk that fills midway is not half-written, and the file is named", async (t) => {
  const disk = await smallDisk(64);
  if (typeof disk === "string") {
    console.log(`skipped: ${disk}`);
    return;
  }
  await using _ = disk;
  const root = join(disk.dir, ".claude-mpm");
  await Deno.mkdir(root, { mode: 0o700 });
  const log = join(root, "events.jsonl");
  // Most of a page used: the next line fits only in part.
  const before = "x".repeat(3999) + "\n";
  await Deno.writeTextFile(log, before);
  fill(disk.dir);
  const error = await assertRejects(() => appendLine(log, "y".repeat(500), { root }));
  assertStringIncludes(faultError(error)?.message ?? "", ".claude-mpm/events.jsonl");
  assertEquals(await Deno.readTextFile(log), before);

  await t.step("a file the append would make is not left behind empty", async () => {
    const fresh = join(root, "threads", "claude-sessions.jsonl");
    const failed = await assertRejects(() => appendLine(fresh, "z".repeat(500), { root }));
    assertStringIncludes(faultError(failed)?.message ?? "", "claude-sessions.jsonl");
    assertEquals(await Deno.lstat(fresh).then(() => true, () => false), false);
  });
});
