import { assertEquals, assertThrows } from "../../../../../tests/assert.ts";
import {
  DEFAULT_KEEP,
  planArchive,
  protectedSnapshots,
  resolveCriteria,
  sessionTime,
} from "./prune_plan.ts";

const NOW = new Date("2025-10-31T12:00:00Z");
/** One snapshot a day, the newest on Oct 30: session-20251030-…, session-20251029-…, … */
const IDS = Array.from({ length: 10 }, (_, i) => {
  const day = String(30 - i).padStart(2, "0");
  return `session-202510${day}-090000`;
});

Deno.test("sessionTime reads the UTC moment of an id, suffix or not", () => {
  assertEquals(sessionTime("session-20251020-143022")?.toISOString(), "2025-10-20T14:30:22.000Z");
  assertEquals(sessionTime("session-20251020-143022-3")?.toISOString(), "2025-10-20T14:30:22.000Z");
  assertEquals(sessionTime("session-resume-2025-10-20-143022"), null);
});

Deno.test("resolveCriteria: neither flag means --keep 50; --keep 0 is refused", () => {
  assertEquals(resolveCriteria(), { keep: DEFAULT_KEEP, olderThanDays: null, defaulted: true });
  assertEquals(resolveCriteria(undefined, 7), { keep: null, olderThanDays: 7, defaulted: false });
  assertThrows(() => resolveCriteria(0), /--keep must be at least 1/);
});

Deno.test("the newest is the one written last, as listed, not the latest time in an id", () => {
  // Written last with the clock set back three days: listed first, it stays under any rule.
  const setBack = "session-20251027-100000";
  const ids = [setBack, ...IDS.filter((id) => id !== IDS[3])];
  for (const criteria of [resolveCriteria(1), resolveCriteria(undefined, 0)]) {
    const plan = planArchive({ ids, now: NOW, criteria, protected: new Map() });
    assertEquals(plan.kept, [{ session_id: setBack, reason: "the newest" }]);
    assertEquals(plan.archive, ids.slice(1));
  }
});

Deno.test("--keep N keeps the N newest", () => {
  const plan = planArchive({
    ids: IDS,
    now: NOW,
    criteria: resolveCriteria(3),
    protected: new Map(),
  });
  assertEquals(plan.archive, IDS.slice(3));
  assertEquals(plan.kept.map((k) => k.session_id), IDS.slice(0, 3));
  assertEquals(plan.kept[0].reason, "the newest");
  assertEquals(plan.kept[1].reason, "among the 3 newest");
});

Deno.test("--older-than DAYS archives only what is older; the newest stays even when old", () => {
  const plan = planArchive({
    ids: IDS,
    now: NOW,
    criteria: resolveCriteria(undefined, 5),
    protected: new Map(),
  });
  // Cutoff Oct 26 12:00: Oct 26 09:00 and older go.
  assertEquals(plan.archive, IDS.slice(4));
  const ancient = planArchive({
    ids: IDS,
    now: new Date("2030-01-01T00:00:00Z"),
    criteria: resolveCriteria(undefined, 0),
    protected: new Map(),
  });
  assertEquals(ancient.archive, IDS.slice(1));
  assertEquals(ancient.kept, [{ session_id: IDS[0], reason: "the newest" }]);
});

Deno.test("--older-than 1: a snapshot kept is younger than 1 day, not 1 days", () => {
  const plan = planArchive({
    ids: ["session-20251030-110000", ...IDS],
    now: new Date("2025-10-30T12:00:00Z"),
    criteria: resolveCriteria(undefined, 1),
    protected: new Map(),
  });
  assertEquals(plan.kept, [
    { session_id: "session-20251030-110000", reason: "the newest" },
    { session_id: IDS[0], reason: "younger than 1 day" },
  ]);
});

Deno.test("with both, a snapshot goes only when beyond N newest and older than DAYS", () => {
  const byAge = planArchive({
    ids: IDS,
    now: NOW,
    criteria: resolveCriteria(2, 5),
    protected: new Map(),
  });
  assertEquals(byAge.archive, IDS.slice(4));
  const byCount = planArchive({
    ids: IDS,
    now: NOW,
    criteria: resolveCriteria(8, 1),
    protected: new Map(),
  });
  assertEquals(byCount.archive, IDS.slice(8));
});

Deno.test("snapshots on the stack or behind the active session are never archived", () => {
  const state = {
    active: { parent: IDS[7], resumed_from: IDS[8] },
    stack: [{ snapshot_id: IDS[6] }, { snapshot_id: IDS[7] }],
  };
  const protect = protectedSnapshots(state);
  assertEquals(protect.get(IDS[6]), "on the branch stack");
  assertEquals(protect.get(IDS[7]), "on the branch stack");
  assertEquals(protect.get(IDS[8]), "the active session was resumed from it");
  const plan = planArchive({
    ids: IDS,
    now: NOW,
    criteria: resolveCriteria(1),
    protected: protect,
  });
  assertEquals(plan.archive, [IDS[1], IDS[2], IDS[3], IDS[4], IDS[5], IDS[9]]);
  assertEquals(protectedSnapshots({ active: null, stack: [] }).size, 0);
});
