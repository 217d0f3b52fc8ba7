import { assert, assertEquals } from "../../tests/assert.ts";
import type { Fact } from "./board_fact.ts";
import { MAX_FILES } from "./board_model.ts";
import { keptMatesCheck, mateFact, MatesMemo } from "./mates_cache.ts";
import { checkValue } from "../kernel/check.ts";

function fact(key: string, files: string[], extra: Partial<Fact["record"]> = {}): Fact {
  return {
    elsewhere: true,
    session: `session-${key}`,
    origin: null,
    cut: 4_000_000,
    project: "/p",
    record: {
      key,
      at: "2026-11-20T10:00:00.000Z",
      state: "paused",
      name: null,
      task: null,
      summary: "First line\nsecond line",
      next: "next",
      todosOpen: 2,
      todosDone: 1,
      branch: "main",
      files,
      whole: true,
      handoff: { to: null, summary: "over to you" },
      ...extra,
    },
  };
}

Deno.test("a record's facts as the start's lines take them: the first files in order, the first line", () => {
  const files = Array.from({ length: MAX_FILES + 20 }, (_, i) => `f${String(i).padStart(4, "0")}`);
  const kept = mateFact(fact("k", [...files].reverse(), { agent: "codex" }));
  assertEquals(kept.record.files, files.slice(0, MAX_FILES));
  assertEquals(kept.record.summary, "First line");
  assertEquals(kept.record.agent, "codex");
  assertEquals(kept.record.handoff, null);
  assertEquals(kept.cut, null);
});

Deno.test("kept facts come back as they were learnt, under their file's stamp only", () => {
  const memo = new MatesMemo(null);
  const a = mateFact(fact("a", ["x.ts", "y.ts"]));
  const b = mateFact(fact("b", ["y.ts"], { agent: "gemini", name: "Named" }));
  memo.learn("sessions/a.json", "s1", a);
  memo.learn("sessions/b.json", "s2", b);
  const value = memo.toKeep();
  assert(value !== null);
  // Each path once.
  assertEquals(value.paths, ["x.ts", "y.ts"]);
  const checked = checkValue(keptMatesCheck, JSON.parse(JSON.stringify(value)));
  assert(checked.ok);
  const again = new MatesMemo(checked.value);
  assertEquals(again.known("sessions/a.json", "s1"), a);
  assertEquals(again.known("sessions/b.json", "s2"), b);
  assertEquals(again.known("sessions/a.json", "changed"), undefined);
  assertEquals(again.known("sessions/c.json", "s1"), undefined);
  // Every record met as it was: nothing to write again.
  assertEquals(again.toKeep(), null);
});

Deno.test("a kept record not met again is dropped; one its check refuses is not kept", () => {
  const memo = new MatesMemo({
    paths: ["x.ts"],
    lists: ["0"],
    records: [{
      file: "sessions/a.json",
      stamp: "s1",
      session: "a",
      origin: null,
      elsewhere: true,
      project: "/p",
      key: "a",
      at: "2026-11-20T10:00:00.000Z",
      state: "paused",
      name: null,
      task: null,
      summary: "",
      files: 0,
      whole: true,
    }],
  });
  memo.learn("sessions/b.json", "s2", mateFact(fact("k".repeat(5_000), ["x.ts"])));
  const value = memo.toKeep();
  assertEquals(value, { paths: [], lists: [], records: [] });
});

Deno.test("records naming the same files keep one list of them; a list naming no kept path is not used", () => {
  const memo = new MatesMemo(null);
  const files = Array.from({ length: 300 }, (_, i) => `vendor/m${i}.js`);
  for (const key of ["a", "b", "c"]) {
    memo.learn(`sessions/${key}.json`, "s", mateFact(fact(key, files)));
  }
  memo.learn("sessions/d.json", "s", mateFact(fact("d", ["x.ts"])));
  const value = memo.toKeep();
  assert(value !== null);
  assertEquals(value.lists.length, 2);
  assertEquals(value.records.map((r) => r.files), [0, 0, 0, 1]);
  const again = new MatesMemo(value);
  assertEquals(again.known("sessions/b.json", "s")?.record.files, [...files].sort());
  assertEquals(again.known("sessions/d.json", "s")?.record.files, ["x.ts"]);
  // A list out of range, or naming a path the file does not hold, is read from the record.
  const broken = new MatesMemo({
    ...value,
    lists: [value.lists[0], `${value.paths.length}`],
  });
  assertEquals(broken.known("sessions/d.json", "s"), undefined);
  assert(broken.known("sessions/a.json", "s") !== undefined);
  const gone = new MatesMemo({ ...value, records: value.records.map((r) => ({ ...r, files: 7 })) });
  assertEquals(gone.known("sessions/a.json", "s"), undefined);
});

Deno.test("a line's oldest record met, within the window: kept or read, never one left out", () => {
  const kept = new MatesMemo(null);
  kept.learn("sessions/a1.json", "s", mateFact(fact("a", [], { at: "2026-11-20T09:00:00.000Z" })));
  const checked = checkValue(keptMatesCheck, JSON.parse(JSON.stringify(kept.toKeep())));
  assert(checked.ok);
  const memo = new MatesMemo(checked.value);
  assert(memo.known("sessions/a1.json", "s") !== undefined);
  memo.learn("sessions/a2.json", "s", mateFact(fact("a", [], { at: "2026-11-20T11:00:00.000Z" })));
  memo.learn("sessions/a0.json", "s", mateFact(fact("a", [], { at: "2026-11-01T00:00:00.000Z" })));
  memo.learn("sessions/b.json", "s", mateFact(fact("b", [], { at: "2026-11-20T08:00:00.000Z" })));
  const from = Date.parse("2026-11-06T12:00:00.000Z");
  assertEquals(memo.oldest("a", from), Date.parse("2026-11-20T09:00:00.000Z"));
  assertEquals(memo.oldest("c", from), undefined);
  // Not met this time: a kept record is no longer told.
  assertEquals(new MatesMemo(kept.toKeep()).oldest("a", from), undefined);
});

Deno.test("facts offered for a file are found under its stamp, and written again", () => {
  const memo = new MatesMemo(null);
  const offered = mateFact(fact("k", ["a.ts"]));
  memo.offer("sessions/s.json", "json|1|2", offered);
  assertEquals(memo.known("sessions/s.json", "json|1|9"), undefined);
  assertEquals(memo.known("sessions/s.json", "json|1|2"), offered);
  assertEquals(memo.toKeep()?.records.map((r) => r.file), ["sessions/s.json"]);
});
