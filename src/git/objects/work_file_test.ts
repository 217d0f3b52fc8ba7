import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import { digestWorkFile, STREAMED_FROM } from "./work_file.ts";

async function gitHashObject(cwd: string, path: string): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["hash-object", "--no-filters", path],
    cwd,
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

async function sha256sum(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("a large file is hashed as a stream: the same ids as git and sha256, memory flat", async () => {
  await using dir = await tempDir();
  const size = STREAMED_FROM * 16;
  const chunk = new Uint8Array(1024 * 1024).map((_, i) => (i * 31) % 251);
  {
    using file = await Deno.open(join(dir.path, "big.bin"), { write: true, create: true });
    for (let written = 0; written < size; written += chunk.length) await file.write(chunk);
  }
  // In a process of its own: test files run side by side in this one, and share its memory.
  const script = `
    import { digestWorkFile } from ${JSON.stringify(import.meta.resolve("./work_file.ts"))};
    await import("node:crypto");
    const before = Deno.memoryUsage().rss;
    const digest = await digestWorkFile(${JSON.stringify(dir.path)}, "big.bin", "sha1");
    console.log(JSON.stringify({ ...digest, grown: Deno.memoryUsage().rss - before }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const digest = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(digest.kind, "file");
  assertEquals(digest.blob, await gitHashObject(dir.path, "big.bin"));
  assertEquals(digest.sha256, await sha256sum(join(dir.path, "big.bin")));
  assert(digest.grown < size / 4, `memory grew by ${digest.grown} bytes hashing ${size} bytes`);
});

Deno.test("a small file, a link and a missing path digest as before", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(join(dir.path, "a.txt"), "hello\n");
  await Deno.symlink("a.txt", join(dir.path, "link"));
  const file = await digestWorkFile(dir.path, "a.txt", "sha1");
  assertEquals(file.blob, await gitHashObject(dir.path, "a.txt"));
  assertEquals(file.sha256, await sha256sum(join(dir.path, "a.txt")));
  assertEquals((await digestWorkFile(dir.path, "link", "sha1")).kind, "symlink");
  assertEquals((await digestWorkFile(dir.path, "gone", "sha1")).kind, "missing");
  assertEquals((await digestWorkFile(dir.path, "a.txt", "sha1", false)).sha256, null);
});
