import { assertEquals, assertThrows } from "../../../../../tests/assert.ts";
import { UsageError } from "../../../../kernel/errors.ts";
import type { Snapshot } from "../../../../kernel/snapshot.ts";
import {
  finishedSessions,
  nextState,
  parseLifecycleState,
  snapshotLifecycle,
  transition,
} from "./lifecycle.ts";

Deno.test("the lifecycle allows the guide's moves and nothing else", () => {
  assertEquals(nextState("new", "start"), "active");
  assertEquals(nextState("active", "pause"), "paused");
  assertEquals(nextState("paused", "resume"), "active");
  assertEquals(nextState("paused", "done"), "completed");
  assertEquals(nextState("active", "cancel"), "cancelled");
  assertEquals(nextState("completed", "reopen"), "active");
  assertEquals(nextState("cancelled", "archive"), "archived");
  assertEquals(nextState("completed", "resume"), undefined);
  assertEquals(nextState("completed", "done"), undefined);
  assertEquals(nextState("archived", "resume"), undefined);
  assertEquals(nextState("paused", "reopen"), undefined);
  const error = assertThrows(() => transition("cancelled", "done", "spike"));
  assertEquals(error instanceof UsageError, true);
  assertEquals(error.message, "spike is cancelled, so it cannot be completed.");
});

Deno.test("a snapshot's state maps onto the lifecycle; --state is checked", () => {
  assertEquals(snapshotLifecycle("branched"), "paused");
  assertEquals(snapshotLifecycle("completed"), "completed");
  assertEquals(snapshotLifecycle("paused", true), "archived");
  assertEquals(parseLifecycleState(" Cancelled "), "cancelled");
  assertThrows(() => parseLifecycleState("done"), /not a session state/);
});

Deno.test("a session is finished when its newest snapshot is", () => {
  const snap = (id: string, key: string, state: Snapshot["mpm"]["state"]) =>
    ({ session_id: id, mpm: { key, state } }) as unknown as Snapshot;
  const over = finishedSessions([
    snap("c", "a", "completed"),
    snap("b", "b", "paused"),
    snap("a", "a", "paused"),
    snap("z", "z", "cancelled"),
  ]);
  assertEquals([...over].sort(), ["a", "z"]);
});
