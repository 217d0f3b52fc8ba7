import { assert, assertEquals } from "../../../../tests/assert.ts";
import { withRepo } from "../../../../tests/helpers.ts";
import type { MarkCapture } from "../../../git/objects/work_keep.ts";
import { lookAt, lookedFiles, lookedStatus, markCapture } from "./work_tree.ts";

/** How many uncommitted paths a capture saw. */
function dirty(capture: MarkCapture | null): number {
  assert(capture !== null);
  return "made" in capture ? capture.made.dirty : capture.looked.dirty;
}

Deno.test("a look is one read of the work tree, shared by whoever is given it; without it the tree is read anew", async () => {
  await using repo = await withRepo();
  await repo.write("a.ts", "export const a = 1;\n");
  const look = lookAt(repo.path, { capture: true });
  const first = await markCapture(repo.path, look);
  // What happens after the look began is not in it: every taker gets the same read.
  await repo.write("b.ts", "export const b = 2;\n");
  assertEquals(await markCapture(repo.path, look), first);
  assertEquals(dirty(first), 1);
  assertEquals((await lookedStatus(repo.path, look))?.untracked, ["a.ts"]);
  // Not given the look: the next capture and status see the tree as it is now.
  assertEquals(dirty(await markCapture(repo.path)), 2);
  assertEquals((await lookedStatus(repo.path))?.untracked, ["a.ts", "b.ts"]);
});

Deno.test("a look begun from a command's status hashes the files it is given, once, for the mark too", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "# changed\n");
  const status = await lookedStatus(repo.path);
  assert(status !== null);
  const look = lookAt(repo.path, { status, files: ["README.md"], capture: true });
  const files = await lookedFiles(look);
  assertEquals([...files?.keys() ?? []], ["README.md"]);
  const capture = await markCapture(repo.path, look);
  assert(capture !== null && "looked" in capture);
  // The mark's look at README.md is the one the snapshot's blobs were taken from.
  assertEquals(capture.looked.files.get("README.md"), files?.get("README.md"));
  assertEquals(await lookedFiles(), undefined);
});
