import { assertEquals } from "../../tests/assert.ts";
import { planCopies } from "./transcripts.ts";

Deno.test("planCopies: a side sends what the other lacks or holds less of, and only what goes with a snapshot", () => {
  const local = [
    { id: "a", bytes: 100 },
    { id: "b", bytes: 50 },
    { id: "c", bytes: 70 },
    { id: "d", bytes: 0, droppedAt: 40 },
  ];
  const remote = [{ id: "b", bytes: 80 }, { id: "c", bytes: 70 }, { id: "d", bytes: 60 }, {
    id: "e",
    bytes: 5,
  }];
  assertEquals(planCopies(local, remote, new Set(["a", "b", "c"])), {
    send: ["a"],
    take: ["b", "d", "e"],
  });
  // Not with a snapshot being synced: kept here.
  assertEquals(planCopies(local, [], new Set()).send, []);
  // A copy dropped here is taken again only when the other side's holds more than was dropped.
  assertEquals(
    planCopies([{ id: "d", bytes: 0, droppedAt: 60 }], [{ id: "d", bytes: 60 }], new Set()).take,
    [],
  );
});
