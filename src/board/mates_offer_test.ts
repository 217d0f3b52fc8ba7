import { assertEquals } from "../../tests/assert.ts";
import { MateOffers } from "./mates_offer.ts";

Deno.test("a pull makes facts only of the newest sessions a start reads, in its window", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  const ids = [
    "session-20261001-100000-aaaa",
    "session-20261120-100000-bbbb",
    "session-20261125-100000-cccc",
    "session-20261127-100000-dddd",
  ];
  const offers = new MateOffers(ids, now, 14, 2);
  assertEquals(ids.filter((id) => offers.wants(id)), ids.slice(2));
});
