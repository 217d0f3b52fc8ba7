import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { assertSafeName, compareNewestFirst, isSessionId, sessionIdFor } from "./ids.ts";

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
