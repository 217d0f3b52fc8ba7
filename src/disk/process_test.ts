import { assertEquals } from "../../tests/assert.ts";
import { isProcessAlive, processStart, startFromStat } from "./process.ts";

Deno.test("isProcessAlive: this process runs, one that has exited does not", async () => {
  assertEquals(isProcessAlive(Deno.pid), true);
  const child = new Deno.Command("true").spawn();
  await child.status;
  assertEquals(isProcessAlive(child.pid), false);
});

Deno.test("startFromStat reads field 22 even when the name holds spaces and parentheses", () => {
  const rest = Array.from({ length: 20 }, (_, i) => String(i + 3)).join(" ");
  assertEquals(startFromStat(`42 (a (b) c) ${rest}`), "22");
  assertEquals(startFromStat("42 (x) S 1"), undefined);
  if (Deno.build.os === "linux") assertEquals(typeof processStart(Deno.pid), "string");
});
