import { assertEquals } from "../../../tests/assert.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { byKind, IdLines, type IdPart, PART_IDS } from "./id_lines.ts";
import type { Kind } from "./plan.ts";

const isId = (_kind: Kind, id: string) => /^[a-z]+[0-9]*$/.test(id);
const KINDS: Kind[] = ["session", "checkpoint"];

/** The head's lines, sizes and a disk of parts as `write` leaves them; `reads` counts reads. */
function kept(
  written: NonNullable<ReturnType<IdLines["write"]>>,
  disk = new Map<number, string>(),
) {
  for (const { n, text } of written.changed) disk.set(n, text);
  const reads: number[] = [];
  const read = (part: IdPart) => {
    reads.push(part.n);
    const text = disk.get(part.n);
    return text !== undefined && sha256Hex(text) === part.tag ? text : undefined;
  };
  const lines = IdLines.kept(written.parts, written.sizes, KINDS, isId, read)!;
  return { lines, ids: byKind(lines), reads, disk };
}

Deno.test("IdLines: asked and changed as sets by kind, kept as sorted parts", () => {
  const first = IdLines.empty();
  for (const line of ["session\tcd", "checkpoint\tab", "session\tab"]) first.add(line);
  const { lines, ids } = kept(first.write()!);
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
  const written = lines.write()!;
  assertEquals(written.changed.map((c) => c.text), ["checkpoint\tab\nsession\tab\nsession\tef"]);
  assertEquals(written.sizes, [2, 1, 0]);
});

Deno.test("IdLines: a pull's few new ids read and rewrite only the part they fall in", () => {
  const all = IdLines.empty();
  for (let i = 0; i < 10 * PART_IDS; i++) all.add(`session\ts${String(i).padStart(6, "0")}`);
  const made = all.write()!;
  assertEquals(made.changed.length, 10);
  const { lines, ids, reads } = kept(made);
  for (let i = 10 * PART_IDS; i < 10 * PART_IDS + 100; i++) {
    ids.session.add(`s${String(i).padStart(6, "0")}`);
  }
  assertEquals([ids.session.has("s000001"), ids.session.size], [true, 10 * PART_IDS + 100]);
  const written = lines.write()!;
  assertEquals([new Set(reads).size, written.changed.map((c) => c.n)], [2, [9]]);
  assertEquals(written.parts.slice(0, 9), made.parts.slice(0, 9));
});

Deno.test("IdLines: a part that grew past twice its size is cut; a part emptied is dropped", () => {
  const start = IdLines.empty();
  start.add("session\ta");
  start.add("session\tz");
  const { lines, ids, disk } = kept(start.write()!);
  for (let i = 0; i < 2 * PART_IDS; i++) ids.session.add(`m${i}`);
  const grown = lines.write()!;
  assertEquals([grown.parts.length, grown.changed.map((c) => c.n)], [3, [0, 1, 2]]);
  const again = kept(grown, disk);
  for (let i = 0; i < 2 * PART_IDS; i++) again.ids.session.delete(`m${i}`);
  const emptied = again.lines.write()!;
  assertEquals(emptied.sizes, [2, 0, 0]);
  assertEquals(kept(emptied, again.disk).ids.session.has("z"), true);
  assertEquals(emptied.parts.length < 3, true);
});

Deno.test("IdLines: a part that does not read, or a head line that does not parse, is no answer", () => {
  const start = IdLines.empty();
  start.add("session\tab");
  const written = start.write()!;
  const { lines, ids, disk } = kept(written);
  disk.set(0, "session\tab\nsession\tcd");
  ids.session.add("ef");
  assertEquals([lines.broken, lines.write()], [true, undefined]);
  const bad = (parts: string[]) => IdLines.kept(parts, [1, 0, 0], KINDS, isId, () => undefined);
  assertEquals(bad([`0\t${"0".repeat(64)}\thandoff\tab`]), undefined);
  assertEquals(bad([`x\t${"0".repeat(64)}\tsession\tab`]), undefined);
  assertEquals(IdLines.kept(written.parts, [1], KINDS, isId, () => undefined), undefined);
});
