import { assertEquals } from "../../../../../tests/assert.ts";
import {
  analyzeChanges,
  dirtyAtPause,
  editedSincePause,
  type HistoryFacts,
  type StatusFacts,
} from "./changes.ts";
import type { GitContext } from "../../../../kernel/snapshot.ts";

const paused: GitContext = {
  branch: "feature/pay",
  commit: "a".repeat(40),
  commit_message: "Add Stripe",
  detached: false,
  upstream: null,
  status: {
    modified: ["src/stripe.ts"],
    staged: ["src/api.ts"],
    untracked: ["notes.md"],
    deleted: [],
    renamed: [],
    conflicted: [],
  },
  is_clean: false,
  ahead_behind: null,
};

const now: StatusFacts = {
  branch: "feature/pay",
  head: "b".repeat(40),
  staged: [],
  modified: [],
  untracked: [],
  deleted: [],
  conflicted: [],
  ahead_behind: { ahead: 1, behind: 0 },
};

const history: HistoryFacts = {
  current_commit: "b".repeat(40),
  paused_commit_exists: true,
  is_ancestor: true,
  new_commits: [{ sha: "b".repeat(40), subject: "Fix", author: "A", date: "2025-10-20T16:00:00Z" }],
  files: [{ status: "M", path: "src/stripe.ts" }, { status: "A", path: "src/errors.ts" }],
};

Deno.test("a file changed by new commits and dirty at pause is a conflict", () => {
  const changes = analyzeChanges(paused, history, now);
  assertEquals(changes.conflicts, ["src/stripe.ts"]);
  assertEquals(changes.history_rewritten, false);
  assertEquals(changes.branch, { from: "feature/pay", to: "feature/pay" });
});

Deno.test("a paused commit that is not an ancestor and not replayed: history rewritten", () => {
  const reset = analyzeChanges(paused, { ...history, is_ancestor: false }, now);
  assertEquals(reset.history_rewritten, true);
  assertEquals(reset.paused_commit_state, "rewritten");
});

Deno.test("a paused commit this clone lacks is not in this clone, not rewritten", () => {
  const gone = analyzeChanges(paused, { ...history, paused_commit_exists: false }, now);
  assertEquals(gone.paused_commit_state, "not_in_clone");
  assertEquals(gone.history_rewritten, false);
});

Deno.test("a rebase's copy of the paused commit: replayed, and never new", () => {
  const copy = { sha: "c".repeat(40), subject: "Add Stripe", author: "A", date: "2025-10-20" };
  const rebased = analyzeChanges(paused, {
    ...history,
    is_ancestor: false,
    paused_commit_replayed: true,
    new_commits: [],
    replayed_commits: [copy],
  }, now);
  assertEquals(rebased.paused_commit_state, "replayed");
  assertEquals(rebased.history_rewritten, false);
  assertEquals(rebased.new_commits, []);
  assertEquals(rebased.replayed_commits, [copy]);
});

Deno.test("a file committed with the content it had at pause is not a conflict", () => {
  const changes = analyzeChanges(paused, history, now, {
    gone: [],
    headHolds: ["src/stripe.ts"],
  });
  assertEquals(changes.committed_as_paused, ["src/stripe.ts"]);
  assertEquals(changes.conflicts, []);
  // HEAD holding it without any change since the paused commit is no news.
  const untouched = analyzeChanges(paused, { ...history, files: [] }, now, {
    gone: [],
    headHolds: ["src/stripe.ts"],
  });
  assertEquals(untouched.committed_as_paused, []);
});

Deno.test("files uncommitted on another machine are there, not missing", () => {
  const facts = {
    gone: ["notes.md"],
    headHolds: [],
    elsewhere: { machine: "alice-laptop", project_path: "/home/alice/p", other_machine: true },
  };
  const changes = analyzeChanges(paused, history, now, facts);
  assertEquals(changes.missing_files, []);
  assertEquals(changes.paused_elsewhere, {
    machine: "alice-laptop",
    project_path: "/home/alice/p",
    files: ["notes.md", "src/api.ts", "src/stripe.ts"],
  });
  // Another folder of this machine: only what this folder lacks.
  const folder = analyzeChanges(paused, history, now, {
    ...facts,
    elsewhere: { ...facts.elsewhere, other_machine: false },
  });
  assertEquals(folder.paused_elsewhere?.files, ["notes.md"]);
});

Deno.test("a repository with no commit at pause is never 'rewritten'", () => {
  const changes = analyzeChanges(
    { ...paused, commit: null },
    { ...history, paused_commit_exists: false, is_ancestor: false },
    now,
  );
  assertEquals(changes.history_rewritten, false);
  assertEquals(changes.paused_commit_state, "none");
});

Deno.test("dirtyAtPause with a limit is the first paths of the whole list, each once", () => {
  const staged = Array.from({ length: 5000 }, (_, i) => `vendor/f${i}.js`);
  const big = {
    ...paused,
    status: { ...paused.status, modified: ["vendor/f1.js", "a.ts"], staged },
  };
  assertEquals(dirtyAtPause(big, 3), ["vendor/f1.js", "a.ts", "vendor/f0.js"]);
  assertEquals(dirtyAtPause(big, 2000), dirtyAtPause(big).slice(0, 2000));
  assertEquals(dirtyAtPause(big).length, 5002);
});

Deno.test("dirtyAtPause covers modified, staged, untracked and renamed targets", () => {
  const withRename = {
    ...paused,
    status: { ...paused.status, renamed: [{ from: "old.ts", to: "new.ts" }] },
  };
  assertEquals(dirtyAtPause(withRename).sort(), [
    "new.ts",
    "notes.md",
    "src/api.ts",
    "src/stripe.ts",
  ]);
});

Deno.test("missing files are reported sorted", () => {
  const changes = analyzeChanges(paused, history, now, {
    gone: ["src/api.ts", "notes.md"],
    headHolds: [],
  });
  assertEquals(changes.missing_files, ["notes.md", "src/api.ts"]);
});

Deno.test("a path git lists now is not missing, though the disk had no file of that name", () => {
  // `café.txt` in Latin-1: git's bytes are not UTF-8, so mpm reads the name with U+FFFD.
  const name = "caf\uFFFD.txt";
  const changes = analyzeChanges(
    { ...paused, status: { ...paused.status, untracked: ["notes.md", name] } },
    history,
    { ...now, untracked: [name], deleted: ["notes.md"] },
    { gone: [name, "notes.md"], headHolds: [] },
  );
  assertEquals(changes.missing_files, ["notes.md"]);
});

Deno.test("a deletion and an unmerged path now are in the working tree, not lost", () => {
  const changes = analyzeChanges(paused, history, {
    ...now,
    deleted: ["README.md"],
    conflicted: ["src/stripe.ts"],
  });
  assertEquals(changes.working_tree.deleted, ["README.md"]);
  assertEquals(changes.working_tree.conflicted, ["src/stripe.ts"]);
});

Deno.test("a file deleted at pause and changed by new commits is a conflict", () => {
  const deletedAtPause: GitContext = {
    ...paused,
    status: { ...paused.status, modified: [], deleted: ["src/errors.ts"] },
  };
  assertEquals(dirtyAtPause(deletedAtPause).includes("src/errors.ts"), true);
  assertEquals(analyzeChanges(deletedAtPause, history, now).conflicts, ["src/errors.ts"]);
});

Deno.test("a branch switch is not a rewrite while the paused branch still holds the commit", () => {
  const elsewhere = { ...now, branch: "main" };
  const notAncestor = { ...history, is_ancestor: false };
  const facts = (holds?: boolean) => ({ gone: [], headHolds: [], pausedBranchHolds: holds });
  assertEquals(
    analyzeChanges(paused, notAncestor, elsewhere, facts(true)).history_rewritten,
    false,
  );
  assertEquals(
    analyzeChanges(paused, notAncestor, elsewhere, facts(true)).paused_commit_state,
    "on_paused_branch",
  );
  assertEquals(
    analyzeChanges(paused, notAncestor, elsewhere, facts(false)).history_rewritten,
    true,
  );
  // The paused branch is gone: only HEAD can tell.
  assertEquals(analyzeChanges(paused, notAncestor, elsewhere).history_rewritten, true);
});

Deno.test("editedSincePause: content the pause did not record as it is now, and nothing unknown", () => {
  const at: GitContext = {
    ...paused,
    status: {
      ...paused.status,
      untracked: ["notes.md", "scratch/"],
      deleted: ["gone.ts"],
      renamed: [{ from: "old.ts", to: "new.ts" }],
    },
    // src/api.ts was not hashed (too large): whatever it holds now is not known to be new.
    blobs: {
      "src/stripe.ts": "1".repeat(40),
      "notes.md": "2".repeat(40),
      "gone.ts": null,
      "new.ts": "3".repeat(40),
    },
  };
  const blobsNow = new Map<string, string | null>([
    ["src/stripe.ts", "9".repeat(40)], // edited since
    ["notes.md", "2".repeat(40)], // as paused
    ["gone.ts", null], // deleted then, still
    ["new.ts", "3".repeat(40)], // the rename, as paused
    ["old.ts", null], // the rename's old name: absent then too
    ["src/api.ts", "4".repeat(40)], // not recorded then
    ["scratch/a.txt", "5".repeat(40)], // in a folder listed whole then
    ["README.md", "6".repeat(40)], // clean at pause
    ["src/pay.ts", null], // clean at pause, deleted since
  ]);
  assertEquals(editedSincePause(at, blobsNow), ["README.md", "src/pay.ts", "src/stripe.ts"]);
  const changes = analyzeChanges(at, history, now, { gone: [], headHolds: [], blobsNow });
  assertEquals(changes.edited_since_pause, ["README.md", "src/pay.ts", "src/stripe.ts"]);
  // Not looked at, or paused elsewhere: not known.
  assertEquals(analyzeChanges(at, history, now).edited_since_pause, null);
  const elsewhere = { machine: "m", project_path: "/p", other_machine: true };
  assertEquals(
    analyzeChanges(at, history, now, { gone: [], headHolds: [], blobsNow, elsewhere })
      .edited_since_pause,
    null,
  );
});

Deno.test("undone since the pause: uncommitted then, clean now, and no commit since touched it", () => {
  const at: GitContext = {
    ...paused,
    status: {
      ...paused.status,
      untracked: ["notes.md", "scratch/"],
      modified: ["src/stripe.ts", "src/ui.ts", "src/kept.ts"],
    },
  };
  // src/stripe.ts: touched by a new commit (a conflict, not undone); notes.md: gone (missing);
  // src/kept.ts: still modified; scratch/: a folder, left out; src/api.ts and src/ui.ts: undone.
  const dirtyNow = { ...now, modified: ["src/kept.ts"] };
  const changes = analyzeChanges(at, history, dirtyNow, { gone: ["notes.md"], headHolds: [] });
  assertEquals(changes.undone_since_pause, ["src/api.ts", "src/ui.ts"]);
  assertEquals(changes.missing_files, ["notes.md"]);
  // HEAD not the paused commit's descendant, or paused elsewhere: not known.
  const rewritten = { ...history, is_ancestor: false, paused_commit_replayed: false };
  assertEquals(analyzeChanges(at, rewritten, dirtyNow).undone_since_pause, null);
  const elsewhere = { machine: "m", project_path: "/p", other_machine: true };
  assertEquals(
    analyzeChanges(at, history, dirtyNow, { gone: [], headHolds: [], elsewhere })
      .undone_since_pause,
    null,
  );
});

Deno.test("a file in conflict at pause (mid-merge) had uncommitted work: not new since, as it was", () => {
  const at: GitContext = {
    ...paused,
    status: { ...paused.status, modified: [], staged: [], untracked: [], conflicted: ["f"] },
  };
  assertEquals(dirtyAtPause(at), ["f"]);
  // Its content then was not recorded: not known to have changed.
  assertEquals(editedSincePause(at, new Map([["f", "7".repeat(40)]])), []);
  // Recorded, and as it was: not changed either; recorded, and edited since: changed.
  const hashed = { ...at, blobs: { f: "7".repeat(40) } };
  assertEquals(editedSincePause(hashed, new Map([["f", "7".repeat(40)]])), []);
  assertEquals(editedSincePause(hashed, new Map([["f", "8".repeat(40)]])), ["f"]);
});
