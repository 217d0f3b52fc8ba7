import { assert, assertEquals, assertThrows } from "../../../tests/assert.ts";
import {
  excludedBy,
  nextFreeId,
  parseSyncConfig,
  parseTreePath,
  planTransfer,
  type SyncItem,
  treePath,
} from "./plan.ts";

const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);
const X = "session-20260101-120000";

function item(id: string, sha256: string, origin?: SyncItem["origin"]): SyncItem {
  return origin ? { id, sha256, origin } : { id, sha256 };
}

Deno.test("planTransfer copies what the destination lacks and skips identical snapshots", () => {
  const plan = planTransfer(
    [item(X, A), item("session-20260101-120001", B)],
    [item(X, A)],
  );
  assertEquals(plan.transfers.map((t) => [t.item.id, t.as]), [[
    "session-20260101-120001",
    "session-20260101-120001",
  ]]);
  assertEquals(plan.present.map((i) => i.id), [X]);
});

Deno.test("planTransfer renames an incoming snapshot whose id holds another one", () => {
  const plan = planTransfer([item(X, A)], [item(X, B), item(`${X}-2`, C)]);
  assertEquals(plan.transfers.map((t) => t.as), [`${X}-3`]);
});

Deno.test("a renamed snapshot is recognised by its origin in both directions", () => {
  // A pulled B's X and renamed it X-2; pushing back must not rename it again.
  const renamed = item(`${X}-2`, C, { id: X, sha256: B });
  const push = planTransfer([item(X, A), renamed], [
    item(X, B),
    item(`${X}-3`, "d".repeat(64), {
      id: X,
      sha256: A,
    }),
  ]);
  assertEquals(push.transfers, []);
  assertEquals(push.present.length, 2);
  // And B, which has the original, sees A's renamed copy of it as present.
  const pull = planTransfer([renamed], [item(X, B)]);
  assertEquals(pull.transfers, []);
});

Deno.test("planTransfer never renames onto an id the source or an avoid list uses", () => {
  const plan = planTransfer([item(X, A), item(`${X}-2`, B)], [item(X, C)], {
    avoid: new Set([`${X}-3`]),
  });
  assertEquals(plan.transfers.map((t) => [t.item.id, t.as]), [[X, `${X}-4`], [`${X}-2`, `${X}-2`]]);
});

Deno.test("planTransfer gives two copies of one snapshot in the source only one place", () => {
  const plan = planTransfer([item(`${X}-2`, C, { id: X, sha256: A }), item(X, A)], []);
  assertEquals(plan.transfers.map((t) => t.as), [X]);
  assertEquals(plan.present.map((i) => i.id), [`${X}-2`]);
});

Deno.test("planTransfer counts taken ids without an identity as occupied", () => {
  const plan = planTransfer([item(X, A)], [], { taken: new Set([X]) });
  assertEquals(plan.transfers.map((t) => t.as), [`${X}-2`]);
});

Deno.test("nextFreeId strips an existing suffix", () => {
  assertEquals(nextFreeId(`${X}-2`, new Set([`${X}-2`])), `${X}-3`);
  assertEquals(nextFreeId(X, new Set()), `${X}-2`);
});

Deno.test("parseTreePath reads session and checkpoint files and nothing else", () => {
  assertEquals(parseTreePath(treePath("session", X, "json")), {
    kind: "session",
    id: X,
    part: "json",
  });
  assertEquals(parseTreePath(treePath("checkpoint", "v1", "sha256")), {
    kind: "checkpoint",
    id: "v1",
    part: "sha256",
  });
  assertEquals(parseTreePath("sessions/a/b.json"), undefined);
  assertEquals(parseTreePath(`sessions/${X}.md`), undefined);
  assertEquals(parseTreePath(`other/${X}.json`), undefined);
});

Deno.test("planTransfer takes another naming scheme for renames", () => {
  const plan = planTransfer([item("v1", A)], [item("v1", B)], { nextFreeId: (id) => `${id}-x` });
  assertEquals(plan.transfers.map((t) => t.as), ["v1-x"]);
});

Deno.test("sync.json: defaults, globs on id and name, and clear errors", () => {
  assertEquals(parseSyncConfig(undefined, "sync.json"), { exclude: [], include_checkpoints: true });
  const config = parseSyncConfig('{"exclude": ["spike-*", "session-2025*"]}', "sync.json");
  assertEquals(excludedBy(config, { id: X, name: "spike-auth" }), "spike-*");
  assertEquals(excludedBy(config, { id: "session-20251231-235959" }), "session-2025*");
  assertEquals(excludedBy(config, { id: X, name: "feature (spike-2)" }), undefined);
  assert(excludedBy(parseSyncConfig('{"exclude": ["a.c"]}', "f"), { id: "abc" }) === undefined);
  assertThrows(() => parseSyncConfig("{", "sync.json"), /not valid JSON/);
  assertThrows(() => parseSyncConfig('{"excludes": []}', "sync.json"), /not a valid sync/);
});

Deno.test("nextFreeId keeps a new id's time and changes only its letters", () => {
  const id = "session-20251107-182249-347qkz";
  const next = nextFreeId(id, new Set([id, "session-20251107-182249-347bbb"]));
  assertEquals(next, "session-20251107-182249-347bbc");
});

Deno.test("snapshots of one second on two machines are never renamed", () => {
  const a = { id: "session-20251107-001423-120kqz", sha256: "a".repeat(64) };
  const b = { id: "session-20251107-001423-480bdf", sha256: "b".repeat(64) };
  const plan = planTransfer([a], [b]);
  assertEquals(plan.transfers.map((t) => t.as), [a.id]);
});
