import { assertEquals, assertStringIncludes, assertThrows } from "../../../tests/assert.ts";
import { NothingToDo } from "../../kernel/errors.ts";
import { newSession } from "../store/session/session.ts";
import {
  deepestFirst,
  fewPaths,
  frameFor,
  frameSummary,
  orphanStashes,
  pushed,
  renderStatus,
  stashMessage,
  topFrame,
  unfinished,
} from "./stack.ts";
import { trackedChanges, uncommitted } from "../store/records/snapshot/changes.ts";
import { emptyState } from "../store/records/state/state.ts";
import { style } from "../../kernel/format/style.ts";

const now = new Date("2026-01-02T03:04:05Z");

Deno.test("push and pop keep the active session and the stack in step", () => {
  let state = emptyState();
  const a = newSession({ key: "s-a", now, name: "A", stack: [] });
  state = { ...state, active: a };
  const frame = frameFor({
    parent: a,
    snapshotId: "session-1",
    gitBranch: "feature/a",
    gitHead: "abc",
    stash: stashMessage("session-1"),
    childGitBranch: "hotfix",
    now,
  });
  assertEquals(frame.stash, "mpm: session-1");
  assertEquals(frame.session?.dirty, false);
  const child = newSession({ key: "s-b", now, name: "B", stack: [frame] });
  state = pushed(state, frame, child);
  assertEquals(state.active?.parent, "session-1");
  assertEquals(topFrame(state).key, "s-a");
  state = { ...state, active: frame.session!, stack: state.stack.slice(0, -1) };
  assertEquals(state.stack, []);
  assertEquals(state.active?.name, "A");
  assertEquals(assertThrows(() => topFrame(state)) instanceof NothingToDo, true);
});

Deno.test("status lists the stack from the direct parent down, with branch and stash", () => {
  const a = newSession({ key: "s-a", now, name: "A", stack: [] });
  const fa = frameFor({
    parent: a,
    snapshotId: "session-1",
    gitBranch: "feature/a",
    gitHead: "abc",
    stash: "mpm: session-1",
    childGitBranch: null,
    now,
  });
  const b = newSession({ key: "s-b", now, name: "B", stack: [fa] });
  const fb = frameFor({
    parent: b,
    snapshotId: "session-2",
    gitBranch: null,
    gitHead: "def1234567",
    stash: null,
    childGitBranch: null,
    now,
  });
  const c = newSession({ key: "s-c", now, name: "C", stack: [fa, fb] });
  const state = { schema_version: 1, active: c, stack: [fa, fb] };
  assertEquals(deepestFirst(state.stack).map((f) => f.name), ["B", "A"]);
  assertEquals(frameSummary(fb, 1).depth, 1);
  assertEquals("session" in frameSummary(fb, 1), false);
  const text = renderStatus({ state, latest: null, now }, style(false)).join("\n");
  assertStringIncludes(text, "Active: C");
  // The list starts at the top of the stack, as its heading says (it once said "deepest first").
  assertStringIncludes(text, "Stack (2, the direct parent first):");
  assertStringIncludes(text, "1. B  session-2\n     git: detached def1234, no stash");
  assertStringIncludes(text, '0. A  session-1\n     git: feature/a, stash: "mpm: session-1"');
  assertEquals(text.indexOf("B  session-2") < text.indexOf("A  session-1"), true);
});

Deno.test("uncommitted counts untracked files; tracked changes leave them out", () => {
  const status = {
    staged: ["s"],
    modified: ["m", "s"],
    untracked: ["u"],
    deleted: ["d"],
    renamed: [{ from: "o", to: "r" }],
    conflicted: [],
  };
  assertEquals(trackedChanges(status).sort(), ["d", "m", "r", "s"]);
  assertEquals(uncommitted(status).sort(), ["d", "m", "r", "s", "u"]);
  assertEquals(fewPaths(["a", "b", "c", "d", "e"]), "a, b, c and 2 more");
});

Deno.test("status names an ad-hoc session once", () => {
  const adhoc = newSession({ key: "s-1", now, adhoc: true, stack: [] });
  const state = { ...emptyState(), active: adhoc };
  const first = renderStatus({ state, latest: null, now }, style(false))[0];
  assertEquals(first, "Active: ad-hoc session s-1");
  const named = { ...state, active: { ...adhoc, name: "spike" } };
  assertEquals(
    renderStatus({ state: named, latest: null, now }, style(false))[0],
    "Active: spike (ad-hoc)",
  );
});

Deno.test("status shows a long latest summary in part and names the command that prints it", () => {
  const latest = { id: "session-9", summary: "word ".repeat(100_000), paused_at: null };
  const state = emptyState();
  const lines = renderStatus({ state, latest, now }, style(false));
  const text = lines.join("\n");
  assertEquals(text.length < 2_000, true);
  assertStringIncludes(text, "…");
  assertStringIncludes(text, "(`mpm show session-9` prints it whole)");
  const short = renderStatus(
    { state, latest: { ...latest, summary: "two\nlines" }, now },
    style(false),
  );
  assertStringIncludes(short.join("\n"), "  two\n    lines");
  assertEquals(short.join("\n").includes("prints it whole"), false);
});

Deno.test("orphanStashes: mpm's stashes no frame names, with the command restoring each", () => {
  const a = newSession({ key: "s-a", now, name: "A", stack: [] });
  const frame = frameFor({
    parent: a,
    snapshotId: "session-1",
    gitBranch: "main",
    gitHead: "abc",
    stash: "mpm: session-1",
    childGitBranch: null,
    now,
  });
  const stashes = [
    { ref: "stash@{0}", message: "my own" },
    { ref: "stash@{1}", message: "mpm: session-1" },
    { ref: "stash@{2}", message: "mpm: session-0" },
  ];
  assertEquals(orphanStashes(stashes, [frame]), [
    { ref: "stash@{2}", message: "mpm: session-0", restore: "git stash pop --index 'stash@{2}'" },
  ]);
  assertEquals(orphanStashes(stashes, []).length, 2);
  const text = renderStatus(
    { state: { schema_version: 1, active: null, stack: [] }, latest: null, now, orphans: [] },
    style(false),
  ).join("\n");
  assertEquals(text.includes("named by no session"), false);
});

Deno.test("a frame without a parent and an unfinished frame are shown as such", () => {
  const frame = frameFor({
    parent: null,
    snapshotId: null,
    gitBranch: "main",
    gitHead: "abc",
    stash: "mpm: s-child",
    childGitBranch: null,
    childName: "hotfix",
    now,
  });
  assertEquals(frame.key, null);
  assertEquals(frame.phase, "branching");
  assertEquals(unfinished(frame), "branch");
  assertEquals(unfinished({ ...frame, phase: "ready" }), null);
  assertEquals(unfinished({ ...frame, phase: undefined }), null, "no phase (a hand edit): ready");
  const child = newSession({ key: "s-child", now, name: "hotfix", stack: [frame] });
  assertEquals(child.parent, null);
  const text = renderStatus(
    { state: { schema_version: 1, active: child, stack: [frame] }, latest: null, now },
    style(false),
  ).join("\n");
  assertStringIncludes(text, "0. no parent session\n");
  assertStringIncludes(text, "an interrupted `mpm branch`: `mpm return` undoes it");
  assertStringIncludes(text, "it has no parent session");
});

Deno.test("status names an unreadable newest snapshot as such, and tells nothing of it", () => {
  const latest = {
    id: "session-20260102-030405-abcdef",
    summary: null,
    paused_at: null,
    unreadable: true,
  };
  const text = renderStatus({ state: emptyState(), latest, now }, style(false)).join("\n");
  assertStringIncludes(
    text,
    "Latest snapshot: session-20260102-030405-abcdef, unreadable (`mpm show session-20260102-030405-abcdef` says why)",
  );
  assertEquals(text.includes("Latest pause"), false, text);
});

Deno.test("status sets a task's and the latest pause's later lines under their first", () => {
  const active = { ...newSession({ key: "s-a", now, name: "A", stack: [] }), task: "one\ntwo" };
  const latest = { id: "session-1", summary: "first\n[mpm] second", paused_at: null };
  const text = renderStatus({ state: { ...emptyState(), active }, latest, now }, style(false))
    .join("\n");
  assertStringIncludes(text, "  Task:     one\n            two");
  assertStringIncludes(text, "  first\n    [mpm] second");
});
