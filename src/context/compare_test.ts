import { assertEquals } from "../../tests/assert.ts";
import { compareContext, renderContextChange } from "./compare.ts";

const rec = (text: string | null, sha = text ?? "big", file = ".claude/context.md") => ({
  file,
  sha256: sha,
  text,
});

Deno.test("compareContext: unknown, unchanged, changed with a short diff, added, removed", () => {
  assertEquals(compareContext(undefined, rec("a")), null);
  assertEquals(compareContext(null, null), null);
  assertEquals(compareContext(rec("a\n"), rec("a\n"))?.status, "unchanged");
  const changed = compareContext(rec("a\nb\n"), rec("a\nc\n"))!;
  assertEquals(changed.status, "changed");
  assertEquals(changed.diff.filter((l) => !l.startsWith("@@")), [" a", "-b", "+c"]);
  assertEquals(compareContext(null, rec("x\n"))?.status, "added");
  assertEquals(compareContext(rec("x\n"), null)?.status, "removed");
  // Too large to keep: the hash says it changed; no lines.
  assertEquals(compareContext(rec(null, "1"), rec(null, "2"))?.diff, []);
  const long = compareContext(
    rec(""),
    rec(Array.from({ length: 50 }, (_, i) => `${i}`).join("\n")),
    5,
  )!;
  assertEquals([long.diff.length, long.more > 0], [5, true]);
  assertEquals(renderContextChange(long, "the pause").at(-1)?.includes("more diff lines"), true);
});
