import { assertEquals } from "../../../../tests/assert.ts";
import { resolveCriteria } from "../records/lifecycle/prune_plan.ts";
import { keptSessions, planBySession, type SnapshotOfSession } from "./keep_sessions.ts";

const NOW = new Date("2025-10-31T12:00:00Z");

/** A snapshot `day` days into October (the 30th is the newest), of `session`. */
function snap(day: number, session: string, finished = false): SnapshotOfSession {
  return { id: `session-202510${String(day).padStart(2, "0")}-120000`, session, finished };
}

// Three sessions of two snapshots each, newest first; `b` is over.
const SNAPSHOTS = [
  snap(30, "c"),
  snap(29, "b", true),
  snap(28, "c"),
  snap(27, "a"),
  snap(26, "b", true),
  snap(25, "a"),
];
const ids = (list: SnapshotOfSession[]) => list.map((s) => s.id);

Deno.test("keptSessions: the first N sessions, the active one, then open work before finished", () => {
  assertEquals([...keptSessions(SNAPSHOTS, 1)], ["c"]);
  assertEquals([...keptSessions(SNAPSHOTS, 2)], ["c", "a"]);
  assertEquals([...keptSessions(SNAPSHOTS, 5)], ["c", "a", "b"]);
  assertEquals([...keptSessions(SNAPSHOTS, 1, "a")], ["a"]);
  assertEquals([...keptSessions(SNAPSHOTS, 2, "b")], ["b", "c"]);
  assertEquals([...keptSessions(SNAPSHOTS, 1, "none of these")], ["c"]);
});

Deno.test("planBySession: --keep N keeps N sessions whole, and archives the others whole", () => {
  const plan = planBySession({
    snapshots: SNAPSHOTS,
    now: NOW,
    criteria: resolveCriteria(2),
    protected: new Map(),
    active: null,
  });
  assertEquals(plan.archive, ids([SNAPSHOTS[1], SNAPSHOTS[4]]));
  assertEquals(plan.kept, [
    { session_id: SNAPSHOTS[0].id, reason: "the newest" },
    { session_id: SNAPSHOTS[2].id, reason: "of the 2 sessions kept" },
    { session_id: SNAPSHOTS[3].id, reason: "of the 2 sessions kept" },
    { session_id: SNAPSHOTS[5].id, reason: "of the 2 sessions kept" },
  ]);
});

Deno.test("planBySession: the newest and the protected stay beyond N; the age rule goes by snapshot", () => {
  const one = planBySession({
    snapshots: SNAPSHOTS,
    now: NOW,
    criteria: resolveCriteria(1),
    protected: new Map([[SNAPSHOTS[5].id, "on the branch stack"]]),
    active: null,
  });
  assertEquals(one.archive, ids([SNAPSHOTS[1], SNAPSHOTS[3], SNAPSHOTS[4]]));
  assertEquals(one.kept.map((k) => k.reason), [
    "the newest",
    "of the 1 session kept",
    "on the branch stack",
  ]);
  // With both options a snapshot goes only when its session is beyond N and it is old.
  const both = planBySession({
    snapshots: SNAPSHOTS,
    now: NOW,
    criteria: resolveCriteria(2, 3),
    protected: new Map(),
    active: null,
  });
  assertEquals(both.archive, ids([SNAPSHOTS[4]]));
  // By age alone, a session's old snapshots go and its newer stay.
  const byAge = planBySession({
    snapshots: SNAPSHOTS,
    now: NOW,
    criteria: resolveCriteria(undefined, 3),
    protected: new Map(),
    active: null,
  });
  assertEquals(byAge.archive, ids(SNAPSHOTS.slice(3)));
});
