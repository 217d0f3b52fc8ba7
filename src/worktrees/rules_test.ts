import { assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import {
  chooseMainBranch,
  decideOrphan,
  decideRegistered,
  emptyReport,
  type OrphanFacts,
  type RegisteredFacts,
  renderWorktreeReport,
} from "./rules.ts";

const clean = { ok: true as const, value: { changed: 0, untracked: 0, ignored: 0 } };

function branchFacts(over: Partial<RegisteredFacts> = {}): RegisteredFacts {
  return {
    path: "/r/.claude/worktrees/a",
    branch: "a",
    head: "1234567890",
    locked: false,
    prunable: false,
    missing: false,
    holdsCwd: false,
    gitLink: { ok: true, value: true },
    status: clean,
    unmerged: { ok: true, value: { count: 0, mainBranch: "main", upstream: null } },
    ...over,
  };
}

Deno.test("a clean merged branch worktree is removed", () => {
  assertEquals(decideRegistered(branchFacts()), {
    action: "remove",
    reason: "clean; branch a is merged into main",
  });
});

Deno.test("each unsafe fact of a registered worktree keeps it", () => {
  const cases: [Partial<RegisteredFacts>, string][] = [
    [{ missing: true }, "its folder is missing; `git worktree prune` cleans up such entries"],
    [{ prunable: "gone" }, "git calls it prunable (gone)"],
    [{ locked: "" }, "locked by git"],
    [{ locked: "busy" }, "locked by git (busy)"],
    [{ holdsCwd: true }, "mpm is running inside it"],
    [{ gitLink: { ok: false, error: "bad link" } }, "bad link"],
    [{ status: undefined }, "its status was not checked"],
    [{ status: { ok: false, error: "boom" } }, "git status failed: boom"],
    [
      { status: { ok: true, value: { changed: 2, untracked: 0, ignored: 0 } } },
      "has uncommitted changes (2 files)",
    ],
    [
      { status: { ok: true, value: { changed: 0, untracked: 1, ignored: 0 } } },
      "has untracked files (1 entry)",
    ],
    [{ unmerged: undefined }, "whether its branch is merged was not checked"],
    [
      { unmerged: { ok: false, error: "no main" } },
      "could not tell whether its branch is merged: no main",
    ],
    [
      { unmerged: { ok: true, value: { count: 3, mainBranch: "main", upstream: "origin/a" } } },
      "branch has 3 commits not merged into main or pushed to origin/a",
    ],
    [
      { branch: null, unmerged: undefined, reachableFrom: { ok: true, value: [] } },
      "detached HEAD at 1234567 is reachable from no branch or tag",
    ],
    [
      { branch: null, reachableFrom: { ok: false, error: "x" } },
      "could not tell which refs hold its HEAD: x",
    ],
    [{ branch: null }, "whether its detached HEAD is on a ref was not checked"],
  ];
  for (const [over, reason] of cases) {
    assertEquals(decideRegistered(branchFacts(over)), { action: "preserve", reason });
  }
});

Deno.test("ignored files do not keep a registered worktree; git itself removes them", () => {
  const status = { ok: true as const, value: { changed: 0, untracked: 0, ignored: 4 } };
  assertEquals(decideRegistered(branchFacts({ status })).action, "remove");
});

Deno.test("a detached HEAD on a ref is removed", () => {
  const facts = branchFacts({ branch: null, reachableFrom: { ok: true, value: ["refs/tags/v1"] } });
  assertEquals(decideRegistered(facts), {
    action: "remove",
    reason: "clean; detached HEAD 1234567 is on refs/tags/v1",
  });
});

function orphan(over: Partial<OrphanFacts> = {}): OrphanFacts {
  return {
    path: "/r/.claude/worktrees/o",
    kind: "dir",
    holdsCwd: false,
    gitEntry: "none",
    ...over,
  };
}

Deno.test("orphans: only empty plain folders and clean, fully-held checkouts go", () => {
  const git = {
    gitEntry: "dir" as const,
    status: clean,
    unreachable: { ok: true as const, value: [] },
  };
  const cases: [Partial<OrphanFacts>, string, string][] = [
    [{ empty: true }, "remove", "empty folder"],
    [{ empty: false }, "preserve", "plain folder with files (not a git checkout)"],
    [{}, "preserve", "could not read the folder"],
    [{ kind: "symlink" }, "preserve", "is a symbolic link; mpm never follows it"],
    [{ kind: "other" }, "preserve", "is not a folder"],
    [{ empty: true, holdsCwd: true }, "preserve", "mpm is running inside it"],
    [{ gitEntry: "other" }, "preserve", "its .git is neither a folder nor a file"],
    [git, "remove", "clean checkout whose commits are all in the main repository"],
    [
      { ...git, gitEntry: "file" },
      "remove",
      "clean checkout whose commits are all in the main repository",
    ],
    [{ ...git, status: { ok: false, error: "x" } }, "preserve", "git status failed: x"],
    [
      { ...git, status: { ok: true, value: { changed: 0, untracked: 0, ignored: 1 } } },
      "preserve",
      "has ignored files (1 entry)",
    ],
    [
      { ...git, unreachable: undefined },
      "preserve",
      "whether its commits are in the main repository was not checked",
    ],
    [
      { ...git, unreachable: { ok: false, error: "its HEAD has no commit" } },
      "preserve",
      "its HEAD has no commit",
    ],
    [
      { ...git, unreachable: { ok: true, value: ["abc1234"] } },
      "preserve",
      "has commits on no ref of the main repository: abc1234",
    ],
  ];
  for (const [over, action, reason] of cases) {
    assertEquals(decideOrphan(orphan(over)), { action, reason } as ReturnType<typeof decideOrphan>);
  }
});

Deno.test("the main branch: main worktree's branch, then origin/HEAD, then main, then master", () => {
  const refs = new Set(["refs/remotes/origin/trunk", "refs/heads/master"]);
  const has = (ref: string) => refs.has(ref);
  assertEquals(
    chooseMainBranch({ mainWorktreeBranch: "refs/heads/dev", originHead: null }, has),
    { name: "dev", ref: "refs/heads/dev" },
  );
  assertEquals(
    chooseMainBranch({ mainWorktreeBranch: null, originHead: "refs/remotes/origin/trunk" }, has),
    { name: "origin/trunk", ref: "refs/remotes/origin/trunk" },
  );
  assertEquals(
    chooseMainBranch({ mainWorktreeBranch: null, originHead: "refs/remotes/origin/gone" }, has),
    { name: "master", ref: "refs/heads/master" },
  );
  assertEquals(chooseMainBranch({ mainWorktreeBranch: null, originHead: null }, () => false), null);
});

Deno.test("the cleanup block lists every outcome, and is empty when nothing was there", () => {
  assertEquals(renderWorktreeReport(emptyReport()), "");
  const text = renderWorktreeReport({
    pruned: [{ path: "/r/a", branch: "a", reason: "clean" }],
    preserved: [{ path: "/r/b", reason: "has untracked files (1 entry)" }],
    swept: [{ path: "/r/c", reason: "empty folder" }],
    orphans_preserved: [{ path: "/r/d", reason: "plain folder with files (not a git checkout)" }],
  }, { dryRun: true });
  assertEquals(
    text,
    [
      "Worktree Cleanup:",
      "  Would prune 1 stale worktree",
      "    /r/a [a]: clean",
      "  Preserved 1 worktree",
      "    /r/b: has untracked files (1 entry)",
      "  Would sweep 1 orphaned folder",
      "    /r/c: empty folder",
      "  Preserved 1 orphaned folder",
      "    /r/d: plain folder with files (not a git checkout)",
      "",
    ].join("\n"),
  );
  const skipped = renderWorktreeReport({ ...emptyReport(), orphan_sweep_skipped: "git failed" });
  assertStringIncludes(skipped, "Orphan sweep skipped: git failed");
});

Deno.test("a worktree an interrupted mpm branch --worktree left: the reason says so, and what next", () => {
  const gone = decideRegistered(branchFacts({ interruptedBranch: true }));
  assertEquals(gone.action, "remove");
  assertStringIncludes(
    gone.reason,
    "an interrupted `mpm branch --worktree` left it with no session",
  );
  assertStringIncludes(gone.reason, "run `mpm branch a --worktree` again");
  const kept = decideRegistered(
    branchFacts({
      interruptedBranch: true,
      status: { ok: true, value: { changed: 1, untracked: 0, ignored: 0 } },
    }),
  );
  assertEquals(kept.action, "preserve");
  assertStringIncludes(kept.reason, "has uncommitted changes (1 file)");
  assertStringIncludes(kept.reason, "`mpm worktrees prune` removes it");
});
