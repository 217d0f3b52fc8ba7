import { assertEquals } from "../../tests/assert.ts";
import { MAX_LABEL, renderStatusLine, shortLabel } from "./render.ts";

Deno.test("the status line: the session's name, its state and the context's fill", () => {
  const active = { label: "Payment work", state: "active" as const };
  assertEquals(
    renderStatusLine({ session: active, percent: 12.4 }),
    "mpm: Payment work · 12% context",
  );
  assertEquals(
    renderStatusLine({ session: { ...active, state: "paused" }, percent: null }),
    "mpm: Payment work (paused)",
  );
  assertEquals(
    renderStatusLine({
      session: { label: "Hotfix", state: "branched", parent: "Payment work" },
      percent: 3,
    }),
    "mpm: Hotfix (branched from Payment work) · 3% context",
  );
  assertEquals(renderStatusLine({ session: null, percent: null }), "mpm");
  assertEquals(renderStatusLine({ session: null, percent: 40 }), "mpm · 40% context");
});

Deno.test("from 70 % on, the line names /mpm-handoff, as the Stop hook's warning does", () => {
  assertEquals(renderStatusLine({ session: null, percent: 69.4 }), "mpm · 69% context");
  assertEquals(
    renderStatusLine({ session: { label: "Payment work", state: "active" }, percent: 72 }),
    "mpm: Payment work · 72% context · /mpm-handoff",
  );
});

Deno.test("names are one printable line, cut to a bounded length", () => {
  assertEquals(shortLabel("a\x1b]0;pwned\x07b\nnext  line"), "ab next line");
  assertEquals(shortLabel("   "), "unnamed");
  const long = shortLabel("x".repeat(100));
  assertEquals([...long].length, MAX_LABEL);
  assertEquals(long.endsWith("…"), true);
});

Deno.test("a name from outside is shown through the one show function: redacted, no escape", () => {
  const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  const line = shortLabel(`fix ${token}\x1b]0;title\x07`);
  assertEquals(line.includes("ghp_"), false);
  assertEquals([...line].some((c) => c.charCodeAt(0) < 0x20), false);
});
