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
      files: [0],
      whole: true,
    }],
  });
  memo.learn("sessions/b.json", "s2", mateFact(fact("k".repeat(5_000), ["x.ts"])));
  const value = memo.toKeep();
  assertEquals(value, { paths: [], records: [] });
});
