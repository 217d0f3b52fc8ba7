import { assert, assertEquals } from "../../../tests/assert.ts";
import { capped } from "./capped.ts";

Deno.test("capped: short text stays, long text is cut at a line end with a note", () => {
  const note = (n: number) => `… ${n} more characters`;
  assertEquals(capped("a\nb", 10, note), "a\nb");
  const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
  const out = capped(long, 50, note);
  assert(out.length < 80, out);
  assert(out.endsWith(`… ${long.length - out.indexOf("\n…")} more characters`), out);
  assertEquals(out.split("\n").slice(0, -1).every((l) => /^line \d+$/.test(l)), true);
  // One line longer than the cap is cut inside it, never past the cap.
  assertEquals(capped("x".repeat(100), 10, note), `${"x".repeat(10)}\n… 90 more characters`);
});
