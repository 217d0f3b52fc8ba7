import { assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  assertSafeName,
  compareNewestFirst,
  idTime,
  isSessionId,
  newSessionId,
  sessionIdFor,
  sessionSortKey,
} from "./ids.ts";

Deno.test("sessionIdFor uses UTC and adds a suffix after the first attempt", () => {
  const date = new Date("2025-10-20T14:30:22.123Z");
  assertEquals(sessionIdFor(date), "session-20251020-143022");
  assertEquals(sessionIdFor(date, 3), "session-20251020-143022-3");
  assertEquals(isSessionId("session-20251020-143022-3"), true);
  assertEquals(isSessionId("session-2025"), false);
});

Deno.test("newest first orders same-second suffixes numerically", () => {
  const ids = [
    "session-20251020-143022",
    "session-20251020-143022-10",
    "session-20251021-000000",
    "session-20251020-143022-2",
  ];
  assertEquals(ids.sort(compareNewestFirst), [
    "session-20251021-000000",
    "session-20251020-143022-10",
    "session-20251020-143022-2",
    "session-20251020-143022",
  ]);
});

Deno.test("assertSafeName refuses slashes, dot-dot and NUL", () => {
  for (const bad of ["a/b", "..", "x..y", "a\0b", "a\\b", ""]) {
    assertThrows(() => assertSafeName(bad), /not a valid/);
  }
  assertSafeName("session-20251020-143022");
});

Deno.test("newSessionId: the second, its millisecond and three random letters", () => {
  const date = new Date("2025-11-07T18:22:49.347Z");
  const a = newSessionId(date, new Uint8Array([0, 1, 2]));
  const b = newSessionId(date, new Uint8Array([3, 4, 5]));
  assertEquals(a, "session-20251107-182249-347bcd");
  assertEquals(isSessionId(a), true);
  // Two machines in the same second (even millisecond) get different ids.
  assertEquals(a === b, false);
  assertEquals(idTime(a)?.toISOString(), "2025-11-07T18:22:49.347Z");
  assertEquals(idTime("session-20251107-182249-2")?.toISOString(), "2025-11-07T18:22:49.000Z");
  for (const bad of ["session-20251107-182249-34bcd", "session-20251107-182249-347bcd9"]) {
    assertEquals(isSessionId(bad), false, bad);
  }
});

Deno.test("ids of one second sort old -N first, then new ones by millisecond", () => {
  const ids = [
    "session-20251107-182249-900bcd",
    "session-20251107-182249",
    "session-20251107-182249-047zzz",
    "session-20251107-182250",
    "session-20251107-182249-2",
  ];
  assertEquals(ids.sort(compareNewestFirst), [
    "session-20251107-182250",
    "session-20251107-182249-900bcd",
    "session-20251107-182249-047zzz",
    "session-20251107-182249-2",
    "session-20251107-182249",
  ]);
});

Deno.test("a cap (when the file arrived) keeps a future-dated id from sorting first", () => {
  const arrived = new Date("2025-11-07T18:23:00.500Z");
  const forged = sessionSortKey("session-29991231-235959", arrived);
  const later = sessionSortKey("session-20251107-182301-000bcd");
  const earlier = sessionSortKey("session-20251107-182259-000bcd");
  assertEquals(forged < later, true);
  assertEquals(forged > earlier, true);
  // Within its arrival's second, by the millisecond.
  assertEquals(forged > sessionSortKey("session-20251107-182300-499bcd"), true);
  assertEquals(forged < sessionSortKey("session-20251107-182300-501bcd"), true);
  // A cap later than the id changes nothing.
  assertEquals(
    sessionSortKey("session-20251107-182249", new Date("2025-11-08T00:00:00Z")),
    sessionSortKey("session-20251107-182249"),
  );
});
