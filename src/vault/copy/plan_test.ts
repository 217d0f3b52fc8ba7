import { assertEquals } from "../../../tests/assert.ts";
import type { VaultFile } from "../records/manifest.ts";
import { decideFile, fingerprintRanges, planLimit, planPrune, unionKeys } from "./plan.ts";

const copied: VaultFile = {
  source: "abc.jsonl",
  data: "abc.0.jsonl.gz",
  segments: [{ bytes: 10, raw_bytes: 100, sha256: "0".repeat(64) }],
  source_bytes: 1000,
  source_mtime: "2026-11-20T10:00:00.000Z",
  head_sha256: "a".repeat(64),
  tail_sha256: "b".repeat(64),
  lines: 10,
  partial_bytes: 20,
  skipped_lines: 0,
  cut: null,
};

Deno.test("decideFile: a transcript never copied is new", () => {
  assertEquals(decideFile(undefined, { size: 10, mtime: null }), { kind: "new" });
});

Deno.test("decideFile: the same size and time need no read at all", () => {
  assertEquals(
    decideFile(copied, { size: 1020, mtime: "2026-11-20T10:00:00.000Z" }),
    { kind: "unchanged" },
  );
});

Deno.test("decideFile: grown with the same first and last copied bytes is appended to", () => {
  const grown = {
    size: 5000,
    mtime: "2026-11-21T10:00:00.000Z",
    head: "a".repeat(64),
    tail: "b".repeat(64),
  };
  assertEquals(decideFile(copied, grown), { kind: "append", from: 1000 });
});

Deno.test("decideFile: a changed start or end of the copy, or a shorter file, is copied again", () => {
  const later = "2026-11-21T10:00:00.000Z";
  assertEquals(
    decideFile(copied, { size: 5000, mtime: later, head: "c".repeat(64), tail: "b".repeat(64) })
      .kind,
    "rewrite",
  );
  assertEquals(
    decideFile(copied, { size: 5000, mtime: later, head: "a".repeat(64), tail: "c".repeat(64) })
      .kind,
    "rewrite",
  );
  assertEquals(decideFile(copied, { size: 900, mtime: later }).kind, "rewrite");
});

Deno.test("decideFile: only the unfinished last line changed: nothing to append yet", () => {
  const same = {
    size: 1000,
    mtime: "2026-11-21T10:00:00.000Z",
    head: "a".repeat(64),
    tail: "b".repeat(64),
  };
  assertEquals(decideFile(copied, same), { kind: "unchanged" });
});

Deno.test("fingerprintRanges: the start and the end of the copy, never past it", () => {
  assertEquals(fingerprintRanges(100, 64), { head: [0, 64], tail: [36, 100] });
  assertEquals(fingerprintRanges(10, 64), { head: [0, 10], tail: [0, 10] });
});

Deno.test("planLimit drops the oldest first until under the limit, sparing this run's copies", () => {
  const copies = [
    { id: "new", bytes: 50, activity: "2026-11-20" },
    { id: "old", bytes: 30, activity: "2026-10-01" },
    { id: "older", bytes: 30, activity: "2026-09-01" },
    { id: "mid", bytes: 30, activity: "2026-11-01" },
  ];
  assertEquals(planLimit(copies, 100, new Set(["new"])), {
    drop: ["older", "old"],
    held: 80,
    over: false,
  });
  assertEquals(planLimit(copies, 1000), { drop: [], held: 140, over: false });
  assertEquals(planLimit(copies, 10, new Set(["new"])), {
    drop: ["older", "old", "mid"],
    held: 50,
    over: true,
  });
});

Deno.test("planPrune keeps what a kept snapshot points to, by key or by Claude session", () => {
  const candidates = [
    { id: "a", keys: ["s-1"], activity: "2026-01-01T00:00:00.000Z" },
    { id: "b", keys: ["s-2"], activity: "2026-01-01T00:00:00.000Z" },
    { id: "c", keys: ["s-3"], activity: "2026-01-01T00:00:00.000Z" },
    { id: "d", keys: ["s-4"], activity: "2026-12-01T00:00:00.000Z" },
  ];
  const plan = planPrune(candidates, "2026-06-01T00:00:00.000Z", {
    keys: new Set(["s-2"]),
    claudeSessions: new Set(["c"]),
  });
  assertEquals(plan.remove, ["a"]);
  assertEquals(plan.kept.map((k) => k.id), ["b", "c"]);
});

Deno.test("unionKeys keeps each key once, the latest mentioned last", () => {
  assertEquals(unionKeys(["s-1", "s-2"], ["s-1", "s-3"]), ["s-2", "s-1", "s-3"]);
});
