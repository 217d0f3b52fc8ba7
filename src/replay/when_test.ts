import { assertEquals } from "../../tests/assert.ts";
import { parseWhen } from "./when.ts";

const ctx = {
  now: new Date("2026-11-24T15:00:00Z"),
  dayOf: new Date("2026-11-24T12:00:00Z"),
  utc: true,
};

Deno.test("--since and --until: dates, times of day, durations", () => {
  assertEquals(parseWhen("2026-11-24", ctx), "2026-11-24T00:00:00.000Z");
  assertEquals(parseWhen("2026-11-24T14:05", ctx), "2026-11-24T14:05:00.000Z");
  assertEquals(parseWhen("2026-11-24 14:05:30+02:00", ctx), "2026-11-24T12:05:30.000Z");
  assertEquals(parseWhen("14:05", ctx), "2026-11-24T14:05:00.000Z");
  assertEquals(parseWhen("2h", ctx), "2026-11-24T13:00:00.000Z");
  assertEquals(parseWhen("90m", ctx), "2026-11-24T13:30:00.000Z");
  for (const bad of ["yesterday", "25:00", "2026-13-01", "2h30"]) {
    assertEquals(parseWhen(bad, ctx), null);
  }
});
