import { assertEquals } from "../../tests/assert.ts";
import { buildCheckpoint, type Checkpoint, type DirtyFile } from "./checkpoint.ts";
import {
  diffCheckpoint,
  diffTodos,
  type GitNow,
  nothingChangedSince,
  pathsNeedingBase,
  pathsToRead,
  type WorktreeFile,
} from "./diff.ts";

const HEAD = "a".repeat(40);
const NEXT = "b".repeat(40);

function file(sha: string): WorktreeFile {
  return { kind: "file", sha256: sha, blob: `blob-of-${sha}` };
}
const gone: WorktreeFile = { kind: "missing", sha256: null, blob: null };

function checkpoint(files: DirtyFile[], head: string | null = HEAD): Checkpoint {
  return buildCheckpoint({
    name: "cp",
    now: new Date("2025-10-20T14:30:22.000Z"),
    projectPath: "/home/dev/project",
    version: "0.1.0",
    build: "dev",
    git: { branch: "main", head, detached: false, commit_message: null, files },
    session: null,
    todos: [],
    stack: [],
  });
}

function now(overrides: Partial<GitNow> = {}): GitNow {
  return {
    branch: "main",
    head: HEAD,
    dirty: [],
    worktree: new Map(),
    history: { paused_commit_exists: true, history_rewritten: false, new_commits: [], files: [] },
    base: new Map(),
    ...overrides,
  };
}

const dirty = (path: string, sha: string | null, status = "modified"): DirtyFile => ({
  path,
  status,
  kind: sha === null ? "missing" : "file",
  sha256: sha,
});

Deno.test("a file edited and reverted since the checkpoint is unchanged", () => {
  const record = checkpoint([dirty("a.ts", "1")]);
  const diff = diffCheckpoint({
    record,
    git: now({ dirty: ["a.ts"], worktree: new Map([["a.ts", file("1")]]) }),
    session: null,
    todos: [],
  });
  assertEquals(diff.git?.files, { changed: [], added: [], removed: [] });
  assertEquals(nothingChangedSince(diff), true);
});

Deno.test("a file dirty at the checkpoint and committed since as it was is unchanged", () => {
  const record = checkpoint([dirty("a.ts", "1"), dirty("new.ts", "2", "untracked")]);
  const diff = diffCheckpoint({
    record,
    git: now({
      head: NEXT,
      dirty: [],
      worktree: new Map([["a.ts", file("1")], ["new.ts", file("2")]]),
      history: {
        paused_commit_exists: true,
        history_rewritten: false,
        new_commits: [{ sha: NEXT, subject: "commit it", author: "A", date: "2025-10-21" }],
        files: [{ status: "M", path: "a.ts" }, { status: "A", path: "new.ts" }],
      },
    }),
    session: null,
    todos: [],
  });
  assertEquals(diff.git?.files, { changed: [], added: [], removed: [] });
  assertEquals(diff.git?.commits.map((c) => c.subject), ["commit it"]);
  assertEquals(nothingChangedSince(diff), false);
});

Deno.test("dirty-then paths: changed, removed, and a deletion restored counts as added", () => {
  const record = checkpoint([
    dirty("edit.ts", "1"),
    dirty("drop.ts", "2"),
    dirty("back.ts", null, "deleted"),
    dirty("still-gone.ts", null, "deleted"),
  ]);
  const diff = diffCheckpoint({
    record,
    git: now({
      dirty: ["edit.ts", "drop.ts", "still-gone.ts"],
      worktree: new Map([["edit.ts", file("9")], ["drop.ts", gone], ["back.ts", file("3")]]),
    }),
    session: null,
    todos: [],
  });
  assertEquals(diff.git?.files, {
    changed: ["edit.ts"],
    added: ["back.ts"],
    removed: ["drop.ts"],
  });
});

Deno.test("clean-then paths dirty now are compared with the checkpoint HEAD's blobs", () => {
  const record = checkpoint([]);
  const git = now({
    dirty: ["same.ts", "edited.ts", "fresh.ts", "deleted.ts"],
    worktree: new Map([
      ["same.ts", file("s")],
      ["edited.ts", file("e")],
      ["fresh.ts", file("f")],
      ["deleted.ts", gone],
    ]),
    base: new Map([
      // Staged and then reverted in the work tree: dirty, yet the same bytes as the checkpoint.
      ["same.ts", { oid: "blob-of-s", type: "blob" as const }],
      ["edited.ts", { oid: "blob-of-old", type: "blob" as const }],
      ["fresh.ts", null],
      ["deleted.ts", { oid: "blob-of-d", type: "blob" as const }],
    ]),
  });
  assertEquals(pathsNeedingBase(record, git.dirty), git.dirty);
  const diff = diffCheckpoint({ record, git, session: null, todos: [] });
  assertEquals(diff.git?.files, {
    changed: ["edited.ts"],
    added: ["fresh.ts"],
    removed: ["deleted.ts"],
  });
  assertEquals(diff.git?.exact, true);
});

Deno.test("paths clean at both moments follow the commits' net change; renames split", () => {
  const record = checkpoint([dirty("mine.ts", "1")]);
  const diff = diffCheckpoint({
    record,
    git: now({
      head: NEXT,
      worktree: new Map([["mine.ts", file("1")]]),
      history: {
        paused_commit_exists: true,
        history_rewritten: false,
        new_commits: [],
        files: [
          { status: "M", path: "lib.ts" },
          { status: "A", path: "added.ts" },
          { status: "D", path: "old.ts" },
          { status: "R", path: "to.ts", from: "from.ts" },
          // The commits also touched a path dirty at the checkpoint: its content decides.
          { status: "M", path: "mine.ts" },
        ],
      },
    }),
    session: null,
    todos: [],
  });
  assertEquals(diff.git?.files, {
    changed: ["lib.ts"],
    added: ["added.ts", "to.ts"],
    removed: ["from.ts", "old.ts"],
  });
});

Deno.test("no commit at the checkpoint: clean-then paths were absent", () => {
  const record = checkpoint([], null);
  const diff = diffCheckpoint({
    record,
    git: now({
      dirty: ["x.ts"],
      worktree: new Map([["x.ts", file("x")]]),
      history: {
        paused_commit_exists: false,
        history_rewritten: false,
        new_commits: [],
        files: [],
      },
      base: null,
    }),
    session: null,
    todos: [],
  });
  assertEquals(diff.git?.files.added, ["x.ts"]);
  assertEquals(diff.git?.exact, true);
  assertEquals(diff.git?.history_rewritten, false);
});

Deno.test("the checkpoint's commit is gone: clean-then paths are best effort, exact is false", () => {
  const record = checkpoint([]);
  const diff = diffCheckpoint({
    record,
    git: now({
      head: NEXT,
      dirty: ["x.ts", "y.ts"],
      worktree: new Map([["x.ts", file("x")], ["y.ts", gone]]),
      history: { paused_commit_exists: false, history_rewritten: true, new_commits: [], files: [] },
      base: null,
    }),
    session: null,
    todos: [],
  });
  assertEquals(diff.git?.files, { changed: ["x.ts"], added: [], removed: ["y.ts"] });
  assertEquals(diff.git?.exact, false);
  assertEquals(diff.git?.history_rewritten, true);
});

Deno.test("pathsToRead covers the paths dirty then or now, once each", () => {
  const record = checkpoint([dirty("a", "1"), dirty("b", "2")]);
  assertEquals(pathsToRead(record, ["b", "c"]), ["a", "b", "c"]);
});

Deno.test("todos are matched by text: added, removed, completed, reopened", () => {
  assertEquals(
    diffTodos(
      [
        { content: "write tests", status: "pending" },
        { content: "ship", status: "completed" },
        { content: "drop me", status: "pending" },
        { content: "keep", status: "in_progress" },
      ],
      [
        { content: "write tests", status: "completed" },
        { content: "ship", status: "pending" },
        { content: "keep", status: "in_progress" },
        { content: "new one", status: "pending" },
      ],
    ),
    { added: ["new one"], removed: ["drop me"], completed: ["write tests"], reopened: ["ship"] },
  );
});

Deno.test("branch and session changes are reported; no git on either side gives git: null", () => {
  const record = checkpoint([]);
  const diff = diffCheckpoint({
    record,
    git: now({ branch: "feature" }),
    session: { key: "k2", name: "other" },
    todos: [],
  });
  assertEquals(diff.git?.branch, { from: "main", to: "feature" });
  assertEquals(diff.session, { from: null, to: "other", changed: true });
  const outside = diffCheckpoint({ record, git: null, session: null, todos: [] });
  assertEquals(outside.git, null);
  assertEquals(nothingChangedSince(outside), true);
});
