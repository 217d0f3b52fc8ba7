import { assertEquals, assertThrows } from "../../../../../tests/assert.ts";
import { NothingToDo, UsageError } from "../../../../kernel/errors.ts";
import { selectByText, selectSession } from "./select.ts";

const ids = ["session-20251021-090000", "session-20251020-143022-2", "session-20251020-143022"];

Deno.test("selectSession takes an index, a full id or a unique prefix", () => {
  assertEquals(selectSession(ids, "0"), ids[0]);
  assertEquals(selectSession(ids, "2"), ids[2]);
  assertEquals(selectSession(ids, "session-20251020-143022"), ids[2]);
  assertEquals(selectSession(ids, "20251021"), ids[0]);
  assertEquals(selectSession(["session-20251021-090000"], "sess"), "session-20251021-090000");
});

Deno.test("selectSession: ambiguous prefix is usage, unknown is nothing-to-do", () => {
  const ambiguous = assertThrows(() => selectSession(ids, "session-20251020"), /matches 2/);
  assertEquals(ambiguous instanceof UsageError, true);
  assertEquals(assertThrows(() => selectSession(ids, "7")) instanceof NothingToDo, true);
  assertEquals(assertThrows(() => selectSession(ids, "nope")) instanceof NothingToDo, true);
});

Deno.test("selectSession refuses path tricks before matching", () => {
  for (const bad of ["../x", "a/b", "x\0"]) {
    assertEquals(assertThrows(() => selectSession(ids, bad)) instanceof UsageError, true);
  }
});

Deno.test("selectByText finds words in a summary", () => {
  const sessions = [
    { id: ids[0], text: "Payment integration" },
    { id: ids[1], text: "Auth refactor" },
  ];
  assertEquals(selectByText(sessions, "auth"), { id: ids[1], words: true });
  assertEquals(selectByText(sessions, "1"), { id: ids[1], words: false });
  assertEquals(selectByText(sessions, ids[0]), { id: ids[0], words: false });
  assertThrows(() => selectByText(sessions, "database"), /No session/);
});

Deno.test("selectByText: snapshots of one session are one match, its newest", () => {
  const sessions = [
    { id: ids[0], text: "payments: refunds", key: "s-1" },
    { id: ids[1], text: "payments: webhooks", key: "s-1" },
    { id: ids[2], text: "payments elsewhere", key: "s-2" },
  ];
  assertEquals(selectByText(sessions.slice(0, 2), "payments"), { id: ids[0], words: true });
  assertEquals(selectByText(sessions, "webhooks"), { id: ids[1], words: true });
  assertThrows(() => selectByText(sessions, "payments"), /matches 3 sessions/);
});

Deno.test("new ids (second, millisecond, letters) are selected by any unique prefix", () => {
  const ids = [
    "session-20251107-182249-900bcd",
    "session-20251107-182249-347kqz",
    "session-20251107-182249-2",
    "session-20251107-182249",
  ];
  assertEquals(selectSession(ids, "20251107-182249-347"), "session-20251107-182249-347kqz");
  assertEquals(selectSession(ids, "session-20251107-182249-9"), "session-20251107-182249-900bcd");
  assertEquals(selectSession(ids, "session-20251107-182249-2"), "session-20251107-182249-2");
  assertEquals(selectSession(ids, "1"), "session-20251107-182249-347kqz");
});
