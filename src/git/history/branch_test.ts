import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { tempDir, withRepo } from "../../../tests/helpers.ts";
import { MpmError } from "../../kernel/errors.ts";
import { join } from "node:path";
import {
  branchExists,
  currentBranch,
  isValidBranchName,
  switchBranch,
  worktreeHolding,
} from "./branch.ts";

Deno.test("currentBranch: the branch, null when detached or outside a repository", async () => {
  await using repo = await withRepo();
  assertEquals(await currentBranch(repo.path), "main");
  await repo.git("checkout", "-q", "--detach");
  assertEquals(await currentBranch(repo.path), null);
  await using dir = await tempDir();
  assertEquals(await currentBranch(dir.path), null);
});

Deno.test("currentBranch of a repository with no commit yet", async () => {
  await using repo = await withRepo({ commit: false });
  assertEquals(await currentBranch(repo.path), "main");
});

Deno.test("switchBranch creates, switches back, and branchExists sees it", async () => {
  await using repo = await withRepo();
  assertEquals(await branchExists(repo.path, "feature/x"), false);
  await switchBranch(repo.path, "feature/x", true);
  assertEquals(await currentBranch(repo.path), "feature/x");
  assertEquals(await branchExists(repo.path, "feature/x"), true);
  await switchBranch(repo.path, "main", false);
  assertEquals(await currentBranch(repo.path), "main");
  assertEquals(await branchExists(repo.path, "feature"), false, "a prefix is not a branch");
});

Deno.test("switchBranch throws an MpmError when git refuses", async () => {
  await using repo = await withRepo();
  const error = await assertRejects(
    () => switchBranch(repo.path, "missing", false),
    /git switch failed/,
  );
  assert(error instanceof MpmError);
  await assertRejects(() => switchBranch(repo.path, "main", true), /already exists/);
  await assertRejects(() => switchBranch(repo.path, "--orphan", true), /not a valid branch name/);
  assertEquals(await currentBranch(repo.path), "main");
});

Deno.test("isValidBranchName follows git's rules and refuses @{-N} shorthands", async () => {
  for (const name of ["feature/x", "fix-123", "ünïcødé"]) {
    assertEquals(await isValidBranchName(name), true, name);
  }
  for (const name of ["", "bad..name", "-x", "a b", "ends.lock", "x~1", "@{-1}", "HEAD", "a:b"]) {
    assertEquals(await isValidBranchName(name), false, name);
  }
});

Deno.test("worktreeHolding names the worktree a branch is checked out in, even once its folder is gone", async () => {
  await using repo = await withRepo();
  await switchBranch(repo.path, "other", true);
  assertEquals(await worktreeHolding(repo.path, "main"), null);
  assertEquals(await worktreeHolding(repo.path, "other"), repo.path);
  const tree = join(repo.path, "..", "wt");
  await repo.git("worktree", "add", "-q", tree, "main");
  assertEquals(await worktreeHolding(repo.path, "main"), tree);
  await Deno.remove(tree, { recursive: true });
  assertEquals(await worktreeHolding(repo.path, "main"), tree);
  await using dir = await tempDir();
  assertEquals(await worktreeHolding(dir.path, "main"), null);
});
