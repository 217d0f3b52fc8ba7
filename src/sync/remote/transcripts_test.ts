import { assertEquals } from "../../../tests/assert.ts";
import { planCopies } from "../plan/copy_plan.ts";

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
  // b is this machine's own copy: the remote's longer one is left (below, an imported b is not).
  assertEquals(planCopies(local, remote, new Set(["a", "b", "c"])), {
    send: ["a"],
    take: ["d", "e"],
    kept: [{
      id: "b",
      reason: "this machine's own copy of that Claude session stays; a pull never replaces it.",
    }],
  });
  // Not with a snapshot being synced: kept here.
  assertEquals(planCopies(local, [], new Set()).send, []);
  // A copy dropped here is taken again only when the other side's holds more than was dropped.
  assertEquals(
    planCopies([{ id: "d", bytes: 0, droppedAt: 60 }], [{ id: "d", bytes: 60 }], new Set()).take,
    [],
  );
});

Deno.test("planCopies: a pull replaces an imported copy only by one that begins the same, never one made here", () => {
  const head = (sha: string, bytes = 65536) => ({ sha256: sha.repeat(64), bytes });
  const remote = [{ id: "x", bytes: 900_000, head: head("a"), imported: false }];
  const take = (mine: Parameters<typeof planCopies>[0][number]) =>
    planCopies([mine], remote, new Set());
  // Made here: never replaced, however much more the remote holds.
  assertEquals(take({ id: "x", bytes: 100_000, head: head("a") }).take, []);
  // Imported: replaced by a longer one with the same head…
  assertEquals(take({ id: "x", bytes: 100_000, head: head("a"), imported: true }).take, ["x"]);
  // …not by another transcript under its id, nor one with no head.
  const other = take({ id: "x", bytes: 100_000, head: head("b"), imported: true });
  assertEquals([other.take, other.kept.map((k) => k.id)], [[], ["x"]]);
  assertEquals(take({ id: "x", bytes: 100_000, head: null, imported: true }).take, []);
  // A copy here shorter than the fingerprint's span: the import compares the text itself.
  assertEquals(take({ id: "x", bytes: 4_000, head: head("c", 4_000), imported: true }).take, ["x"]);
});
