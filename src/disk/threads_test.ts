import { assertEquals } from "../../tests/assert.ts";
import { join } from "../kernel/path.ts";
import { projectPaths } from "./paths.ts";
import { adoptOldThreadsFolder } from "./threads.ts";

async function project(): Promise<{ root: string } & AsyncDisposable> {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(join(root, ".claude-mpm"), { mode: 0o700 });
  return { root, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false);

Deno.test("the old work/ folder becomes threads/, with what it held", async () => {
  await using p = await project();
  const paths = projectPaths(p.root);
  const old = join(paths.base, "work", "s-1");
  await Deno.mkdir(old, { recursive: true });
  await Deno.writeTextFile(join(old, "summary.md"), "# kept\n");
  await adoptOldThreadsFolder(paths);
  assertEquals(await Deno.readTextFile(join(paths.threads, "s-1", "summary.md")), "# kept\n");
  assertEquals(await exists(join(paths.base, "work")), false);
  await adoptOldThreadsFolder(paths); // twice is harmless
  assertEquals(await exists(join(paths.threads, "s-1", "summary.md")), true);
});

Deno.test("an existing threads/ and a linked work/ are left alone", async () => {
  await using p = await project();
  const paths = projectPaths(p.root);
  await Deno.mkdir(join(paths.base, "work", "s-1"), { recursive: true });
  await Deno.mkdir(join(paths.threads, "s-2"), { recursive: true });
  await adoptOldThreadsFolder(paths);
  assertEquals(await exists(join(paths.base, "work", "s-1")), true);
  assertEquals(await exists(join(paths.threads, "s-2")), true);

  await using q = await project();
  const linked = projectPaths(q.root);
  await Deno.symlink(p.root, join(linked.base, "work"));
  await adoptOldThreadsFolder(linked);
  assertEquals(await exists(linked.threads), false);
  assertEquals((await Deno.lstat(join(linked.base, "work"))).isSymlink, true);
});
