/**
 * The sync record's parts (record_parts.ts nextParts): a sync rewrites only the parts whose files
 * changed, so a pull of a few new files into a large store writes a part or two, not the record.
 */
import { assert, assertEquals } from "../../../tests/assert.ts";
import { LocalIndex } from "./local.ts";
import { appendParts, nextParts, PART_LINES, partSpan, spanMayName } from "./record_parts.ts";

const line = (n: number, look = "1") =>
  `s%2Ff${String(n).padStart(6, "0")}.json\t${look}\t${"a".repeat(64)}`;
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => line(from + i));

Deno.test("a store's lines are cut into full parts, the last holding the rest", () => {
  const { parts, changed } = nextParts([], range(0, 2 * PART_LINES + 5));
  assertEquals(parts.map((p) => p.files.split("\n").length), [PART_LINES, PART_LINES, 5]);
  assertEquals(changed, [0, 1, 2]);
  assertEquals(nextParts([], []).parts, []);
});

Deno.test("new files fill the last part and then new ones; the full parts are left as they are", () => {
  const before = nextParts([], range(0, 3 * PART_LINES - 40)).parts;
  const { parts, changed } = nextParts(before, range(0, 3 * PART_LINES + 60));
  assertEquals(changed, [2, 3]);
  assertEquals(parts.slice(0, 2), before.slice(0, 2));
  assertEquals(parts.map((p) => p.files.split("\n").length), [...Array(3).fill(PART_LINES), 60]);
  // Nothing new, nothing changed: nothing to write.
  assertEquals(nextParts(parts, range(0, 3 * PART_LINES + 60)), { parts, changed: [] });
});

Deno.test("a file that looks otherwise or is gone changes only its own part", () => {
  const before = nextParts([], range(0, 3 * PART_LINES)).parts;
  const lines = range(0, 3 * PART_LINES);
  lines[PART_LINES + 7] = line(PART_LINES + 7, "2");
  lines.splice(2 * PART_LINES + 3, 1);
  const { parts, changed } = nextParts(before, lines);
  assertEquals(changed, [1, 2]);
  assertEquals(parts[0], before[0]);
  assertEquals(parts[1].files.split("\n")[7], line(PART_LINES + 7, "2"));
  assertEquals(parts[2].files.split("\n").length, PART_LINES - 1);
  assertEquals(parts[1].tag, "", "a changed part's tag is its writer's to take");
});

Deno.test("parts left nearly empty by files gone are cut into full ones again", () => {
  const before = nextParts([], range(0, 20 * PART_LINES)).parts;
  const few = range(0, 20 * PART_LINES).filter((_, i) => i % PART_LINES === 0);
  const { parts, changed } = nextParts(before, few);
  assertEquals(parts.length, 1);
  assertEquals(changed, [0]);
  assertEquals(parts[0].files.split("\n"), few);
});

Deno.test("parts are cut by path, whatever order the folder listed: each spans few names", () => {
  const store = range(0, 10 * PART_LINES);
  // As a folder lists them: in no order (a hashed directory), evens then odds here.
  const listed = [...store.filter((_, i) => i % 2 === 0), ...store.filter((_, i) => i % 2 === 1)];
  const { parts } = nextParts([], listed);
  assertEquals(parts.flatMap((p) => p.files.split("\n")), store);
  // A pull of one new file among the old ones reads the one part that may name it, not ten.
  const named = (n: number) => {
    const wanted = new Set([`session\0f${String(n).padStart(6, "0")}`]);
    return parts.filter((p) => spanMayName(partSpan(p.files), wanted));
  };
  assertEquals(named(4 * PART_LINES + 7).length, 1);
  // A pull's imports, given in any order, are added in order too.
  const more = appendParts(parts, [line(99_999), line(99_998)]);
  assertEquals(more.parts.at(-1)!.files.split("\n"), [line(99_998), line(99_999)]);
});

Deno.test("a record cut in a folder's order is cut again in path order; one in order is kept", () => {
  const store = range(0, 40 * PART_LINES);
  // As an older mpm cut it: 300 lines a part in the order a hashed folder listed them.
  const listed = store.map((_, i) => store[(i * 7919) % store.length]);
  const old = Array.from({ length: 40 }, (_, n) => ({
    tag: `t${n}`,
    files: listed.slice(n * PART_LINES, (n + 1) * PART_LINES).join("\n"),
  }));
  const { parts, changed } = nextParts(old, store);
  assertEquals(changed.length, 40);
  assertEquals(parts.flatMap((p) => p.files.split("\n")), store);
  // In order, with a few pulls' imports among older files: nothing to write.
  let kept = parts.map((p, n) => ({ ...p, tag: `t${n}` }));
  for (let pull = 0; pull < 6; pull++) {
    const among = line(pull * 2000 + 1).replace(".json", "b.json");
    kept = appendParts(kept, [among]).parts;
  }
  assertEquals(nextParts(kept, kept.flatMap((p) => p.files.split("\n"))).changed, []);
});

Deno.test("a pull's new lines appended to the parts make what nextParts makes of them all", () => {
  for (const [had, more] of [[3 * PART_LINES - 40, 100], [2 * PART_LINES, 5], [0, 3], [7, 0]]) {
    const before = nextParts([], range(0, had)).parts;
    assertEquals(
      appendParts(before, range(had, had + more)),
      nextParts(before, range(0, had + more)),
      `${had} and ${more}`,
    );
  }
});

Deno.test("a pull's side as its record has it: found by id, holding own and origin identities", () => {
  const index = new LocalIndex();
  const [sha, blob] = ["1".repeat(64), "2".repeat(40)];
  const origin = { id: "session-20260101-120000", sha256: "3".repeat(64) };
  assert(index.add("session", "session-20260101-120000-2", { sha256: sha, blob, origin }));
  assert(index.add("checkpoint", "v1", { sha256: "4".repeat(64), blob: "5".repeat(40) }));
  // The same id in a second folder: found as the last one added, both held.
  assert(index.add("checkpoint", "v1", { sha256: "6".repeat(64), blob: "7".repeat(40) }));
  assertEquals(index.find("session", "session-20260101-120000-2"), { sha256: sha, blob, origin });
  assertEquals(index.find("checkpoint", "v1")?.blob, "7".repeat(40));
  assertEquals(index.find("session", "v1"), undefined);
  assert(index.holds("session", `session-20260101-120000-2\0${sha}`));
  assert(index.holds("session", `${origin.id}\0${origin.sha256}`));
  assert(index.holds("checkpoint", `v1\0${"4".repeat(64)}`));
  assert(!index.holds("checkpoint", `v1\0${sha}`));
  assert(!index.holds("checkpoint", `${origin.id}\0${origin.sha256}`));
  // A blob id of another object format is no line of this record.
  assert(!index.add("session", "session-20260101-130000", { sha256: sha, blob: "8".repeat(64) }));
});
