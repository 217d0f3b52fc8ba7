import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { conflictRefusal, returnRefusal } from "./branch_refusals.ts";

Deno.test("conflictRefusal: none without unmerged paths", () => {
  assertEquals(conflictRefusal([], ["rebase"]), null);
});

Deno.test("conflictRefusal names the operation that stopped, and resolving before its next step", () => {
  const rebase = conflictRefusal(["f.txt"], ["rebase"])!;
  assertStringIncludes(rebase.message, "A rebase stopped on unmerged paths (f.txt)");
  assertStringIncludes(rebase.hint, "`git add` it, then `git rebase --continue`");
  assertStringIncludes(rebase.hint, "`git rebase --abort`");
  const merge = conflictRefusal(["f.txt"], ["merge"])!;
  assertStringIncludes(merge.hint, "then `git commit`; or abort it (`git merge --abort`)");
  const pick = conflictRefusal(["f.txt"], ["bisect", "cherry-pick"])!;
  assertStringIncludes(pick.message, "A cherry-pick stopped");
});

Deno.test("conflictRefusal without an operation (a stash applied with conflicts) says resolve", () => {
  const plain = conflictRefusal(["a", "b", "c", "d"], [])!;
  assertStringIncludes(plain.message, "unmerged paths (a, b, c and 1 more)");
  assertStringIncludes(plain.hint, "Resolve each file and `git add` it");
  assert(!plain.hint.includes("abort"));
});

Deno.test("returnRefusal: an operation half done, with or without unmerged paths; else none", () => {
  assertEquals(returnRefusal([], [], "A"), null);
  assertEquals(returnRefusal([], ["bisect"], "A"), null);
  const edit = returnRefusal([], ["rebase"], "A")!;
  assertEquals(
    edit.message,
    "A rebase is in progress; mpm will not go back to A in the middle of it.",
  );
  assertStringIncludes(edit.hint, "Finish it (`git rebase --continue`) or abort it");
  const merge = returnRefusal(["f.txt"], ["merge"], "A")!;
  assertStringIncludes(merge.message, "A merge is in progress with unmerged paths (f.txt)");
  assertStringIncludes(merge.hint, "`git add` it, then finish it (`git commit`)");
  const stashed = returnRefusal(["f.txt"], [], "A")!;
  assertStringIncludes(stashed.hint, "Resolve each file and `git add` it, then run `mpm return`");
});
