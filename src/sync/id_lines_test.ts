import { assertEquals } from "../../tests/assert.ts";
import { byKind, IdLines } from "./id_lines.ts";
import type { Kind } from "./plan.ts";

const isId = (_kind: Kind, id: string) => /^[a-z]+$/.test(id);
const KINDS: Kind[] = ["session", "checkpoint"];

Deno.test("IdLines: the record's lines asked and changed as sets by kind, kept as lines again", () => {
  const lines = IdLines.of("session\tab\ncheckpoint\tab\nsession\tcd", KINDS, isId)!;
  const ids = byKind(lines);
  assertEquals([ids.session.has("ab"), ids.session.has("cd"), ids.session.has("a")], [
    true,
    true,
    false,
  ]);
  assertEquals([ids.checkpoint.has("ab"), ids.checkpoint.has("cd")], [true, false]);
  assertEquals([ids.session.size, ids.checkpoint.size, ids.handoff.size], [2, 1, 0]);
  ids.session.delete("cd");
  ids.session.add("ef");
  ids.session.add("ab");
  ids.checkpoint.delete("zz");
  assertEquals([ids.session.has("cd"), ids.session.has("ef"), ids.session.size], [false, true, 2]);
  assertEquals(lines.text(), "session\tab\ncheckpoint\tab\nsession\tef");
  ids.session.add("cd");
  assertEquals(lines.text(), "session\tab\ncheckpoint\tab\nsession\tcd\nsession\tef");
});

Deno.test("IdLines: a line of another kind or with a bad id spoils the whole; none is empty", () => {
  assertEquals(IdLines.of("session\tab\nhandoff\tcd", KINDS, isId), undefined);
  assertEquals(IdLines.of("session\tAB", KINDS, isId), undefined);
  assertEquals(IdLines.of("session", KINDS, isId), undefined);
  const none = byKind(IdLines.of("", KINDS, isId)!);
  none.session.add("ab");
  assertEquals([none.session.size, none.lines.text()], [1, "session\tab"]);
});
