import { assertEquals } from "../../tests/assert.ts";
import {
  type Entry,
  ownStretches,
  type PathChange,
  planRevert,
  selectPaths,
  sessionChanges,
  type Stretch,
} from "./plan.ts";

const blob = (n: number): Entry => ({ blob: String(n).repeat(40).slice(0, 40), mode: "100644" });
const change = (path: string, from: number | null, to: number | null): PathChange => ({
  path,
  from: from === null ? null : blob(from),
  to: to === null ? null : blob(to),
});
const own = (...changes: PathChange[]): Stretch => ({ own: true, changes, unknown: [] });
const gap = (...changes: PathChange[]): Stretch => ({ own: false, changes, unknown: [] });

Deno.test("ownStretches: the time between a pause and the next resume is not the session's", () => {
  const start = { opens: true }, pause = { opens: false }, resume = { opens: true };
  assertEquals(ownStretches([start, pause, resume, pause]), [true, false, true]);
  // Pauses with no start or resume between them (an ad-hoc line of automatic pauses) all count.
  assertEquals(ownStretches([pause, pause, pause]), [true, true]);
  // The active session's stretch up to now is its own, whatever came last.
  assertEquals(ownStretches([start, pause, { opens: false, now: true }]), [true, true]);
});

Deno.test("sessionChanges: edited, committed, added and deleted files are the session's", () => {
  const changes = sessionChanges([
    own(change("a.txt", 1, 2), change("new.txt", null, 3), change("gone.txt", 4, null)),
    own(change("a.txt", 2, 5)),
  ]);
  assertEquals(changes.files, [
    { path: "a.txt", start: blob(1), end: blob(5) },
    { path: "gone.txt", start: blob(4), end: null },
    { path: "new.txt", start: null, end: blob(3) },
  ]);
  assertEquals(changes.unknown, []);
});

Deno.test("sessionChanges: what changed while the session was paused is not its own", () => {
  const changes = sessionChanges([
    own(change("a.txt", 1, 2)),
    gap(change("outside.txt", 1, 2), change("a.txt", 2, 3)),
    own(change("b.txt", 1, 2)),
  ]);
  // a.txt is the session's (from 1) and ends as the gap left it; outside.txt is not.
  assertEquals(changes.files.map((f) => [f.path, f.start?.blob[0], f.end?.blob[0]]), [
    ["a.txt", "1", "3"],
    ["b.txt", "1", "2"],
  ]);
});

Deno.test("sessionChanges: a file already dirty at the start counts only if it changes again", () => {
  // Its start content is the dirty content (the first mark holds it): unchanged, nothing shows.
  assertEquals(sessionChanges([own(change("a.txt", 1, 2))]).files.length, 1);
  assertEquals(sessionChanges([own()]).files, []);
  // Changed and changed back: not shown.
  assertEquals(sessionChanges([own(change("a.txt", 1, 2)), own(change("a.txt", 2, 1))]).files, []);
});

Deno.test("sessionChanges: a path left out of a capture is reported, never guessed", () => {
  const changes = sessionChanges([
    { own: true, changes: [change("big.bin", 1, 2)], unknown: ["big.bin"] },
    { own: false, changes: [change("b.txt", 1, 2)], unknown: ["other.bin"] },
  ]);
  assertEquals(changes.files, []);
  assertEquals(changes.unknown, ["big.bin"]);
});

Deno.test("selectPaths: files and folders, and what names none of the session's paths", () => {
  const changes = sessionChanges([
    own(change("src/a.ts", 1, 2), change("src/b.ts", 1, 2), change("README.md", 1, 2)),
  ]);
  const picked = selectPaths(changes, ["src", "nope.txt"]);
  assertEquals(picked.files.map((f) => f.path), ["src/a.ts", "src/b.ts"]);
  assertEquals(picked.outside, ["nope.txt"]);
  assertEquals(selectPaths(changes, []).files.length, 3);
});

Deno.test("planRevert: restores each file to its start, from what it holds now", () => {
  const changes = sessionChanges([own(change("a.txt", 1, 2), change("n.txt", null, 3))]);
  const plan = planRevert({
    label: "s-1",
    selected: selectPaths(changes, []),
    named: false,
    active: false,
    now: new Map([["a.txt", blob(2)], ["n.txt", blob(3)]]),
  });
  assertEquals(plan, {
    kind: "restore",
    restore: [
      { path: "a.txt", from: blob(2), to: blob(1) },
      { path: "n.txt", from: blob(3), to: null },
    ],
    passedOver: [],
  });
});

Deno.test("planRevert: a file changed after the session ended stops the revert, by name", () => {
  const changes = sessionChanges([own(change("a.txt", 1, 2), change("b.txt", 1, 2))]);
  const plan = planRevert({
    label: "s-1",
    selected: selectPaths(changes, []),
    named: false,
    active: false,
    now: new Map([["a.txt", blob(7)], ["b.txt", blob(2)]]),
  });
  assertEquals(plan.kind, "refuse");
  if (plan.kind !== "refuse") return;
  assertEquals([plan.code, plan.paths], [1, ["a.txt"]]);
  assertEquals(
    plan.message,
    "a.txt changed after session s-1 ended, so mpm revert leaves every file as it is.",
  );
  // For the active session the end is now: nothing can have changed after it.
  const active = planRevert({
    label: "s-1",
    selected: selectPaths(changes, []),
    named: false,
    active: true,
    now: new Map([["a.txt", blob(2)], ["b.txt", blob(2)]]),
  });
  assertEquals(active.kind, "restore");
});

Deno.test("planRevert: a name not UTF-8 stops the revert, quoted; a line break is quoted, not refused", () => {
  const changes = sessionChanges([
    own(change("a\nb", 1, 2), change("\udcff\udce9", 1, 2), change("ok.txt", 1, 2)),
  ]);
  const input = {
    label: "s-1",
    named: false,
    active: true,
    now: new Map([["a\nb", blob(2)], ["\udcff\udce9", blob(2)], ["ok.txt", blob(2)]]),
  };
  const plan = planRevert({ ...input, selected: selectPaths(changes, []) });
  assertEquals(plan.kind === "refuse" && [plan.code, plan.paths, plan.message], [
    1,
    ["\udcff\udce9"],
    '"\\377\\351" is named in bytes that are not UTF-8, which mpm revert cannot restore ' +
    "exactly, so it leaves every file as it is.",
  ]);
  const others = planRevert({ ...input, selected: selectPaths(changes, ["a\nb", "ok.txt"]) });
  assertEquals(others.kind === "restore" && others.restore.map((r) => r.path), ["a\nb", "ok.txt"]);
  // Named outside the session, a line break is shown quoted: one line.
  const outside = planRevert({ ...input, selected: selectPaths(changes, ["x\ny"]) });
  assertEquals(outside.kind === "refuse" && outside.message.split("\n").length, 1);
  assertEquals(outside.kind === "refuse" && outside.message.startsWith('"x\\ny" is not'), true);
});

Deno.test("planRevert: a path outside the session's changes is refused, in one sentence", () => {
  const changes = sessionChanges([own(change("a.txt", 1, 2))]);
  const plan = planRevert({
    label: "s-1",
    selected: selectPaths(changes, ["a.txt", "other.txt", "lib"]),
    named: true,
    active: true,
    now: new Map([["a.txt", blob(2)]]),
  });
  assertEquals(plan.kind === "refuse" && [plan.code, plan.message], [
    2,
    "other.txt and lib are not among the files session s-1 changed; mpm revert touches only those.",
  ]);
});

Deno.test("planRevert: nothing changed is nothing to do; an uncompared named path is refused", () => {
  const none = planRevert({
    label: "s-1",
    selected: selectPaths(sessionChanges([own()]), []),
    named: false,
    active: true,
    now: new Map(),
  });
  assertEquals(none.kind === "refuse" && none.code, 3);
  const unknown = sessionChanges([
    { own: true, changes: [change("big.bin", 1, 2)], unknown: ["big.bin"] },
  ]);
  const named = planRevert({
    label: "s-1",
    selected: selectPaths(unknown, ["big.bin"]),
    named: true,
    active: true,
    now: new Map(),
  });
  assertEquals(named.kind === "refuse" && [named.code, named.paths], [1, ["big.bin"]]);
});
