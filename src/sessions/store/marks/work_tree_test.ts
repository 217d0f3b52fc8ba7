import { assert, assertEquals } from "../../../../tests/assert.ts";
import { withRepo } from "../../../../tests/helpers.ts";
import type { MarkCapture } from "../../../git/objects/work_keep.ts";
import { beginLook, endLook, lookedFiles, lookedStatus, markCapture } from "./work_tree.ts";

/** How many uncommitted paths a capture saw. */
function dirty(capture: MarkCapture | null): number {
  assert(capture !== null);
  return "made" in capture ? capture.made.dirty : capture.looked.dirty;
}

Deno.test("a look is one read of the work tree, shared until it ends; then the tree is read anew", async () => {
  await using repo = await withRepo();
  await repo.write("a.ts", "export const a = 1;\n");
  beginLook(repo.path, { capture: true });
  try {
    const first = await markCapture(repo.path);
    // What happens after the look began is not in it: every taker gets the same read.
    await repo.write("b.ts", "export const b = 2;\n");
    assertEquals(await markCapture(repo.path), first);
    assertEquals(dirty(first), 1);
    assertEquals((await lookedStatus(repo.path))?.untracked, ["a.ts"]);
  } finally {
    endLook(repo.path);
  }
  // Ended: the next capture and status see the tree as it is now.
  assertEquals(dirty(await markCapture(repo.path)), 2);
  assertEquals((await lookedStatus(repo.path))?.untracked, ["a.ts", "b.ts"]);
});

Deno.test("a look begun from a command's status hashes the files it is given, once, for the mark too", async () => {
  await using repo = await withRepo();
  await repo.write("README.md", "# changed\n");
  const status = await lookedStatus(repo.path);
  assert(status !== null);
  beginLook(repo.path, { status, files: ["README.md"], capture: true });
  try {
    const files = await lookedFiles(repo.path);
    assertEquals([...files?.keys() ?? []], ["README.md"]);
    const capture = await markCapture(repo.path);
    assert(capture !== null && "looked" in capture);
    // The mark's look at README.md is the one the snapshot's blobs were taken from.
    assertEquals(capture.looked.files.get("README.md"), files?.get("README.md"));
  } finally {
    endLook(repo.path);
  }
  assertEquals(await lookedFiles(repo.path), undefined);
});
