import { assert, assertEquals } from "../../../tests/assert.ts";
import { ago, fillTimes, TimeMarks, withoutTimes } from "./ago.ts";

const at = new Date("2026-11-26T10:00:00Z");
const minutes = (n: number) => new Date(at.getTime() - n * 60_000);

Deno.test("ago tells how long ago, in the largest unit that fits", () => {
  assertEquals(ago(at, at), "just now");
  assertEquals(ago(minutes(1), at), "1 minute ago");
  assertEquals(ago(minutes(150), at), "3 hours ago");
  assertEquals(ago(new Date(at.getTime() + 60_000), at), "in the future");
  assertEquals(ago(new Date("not a time"), at), "at an unknown time");
});

Deno.test("a text rendered with marks is filled in as of a later moment", () => {
  const marks = new TimeMarks(at.getTime());
  const text = `Paused ${ago(minutes(5), marks)}; started ${ago(minutes(90), marks)}.`;
  assert(!text.includes("ago"), text);
  // No mark is shorter than what it stands for: a text cut to fit stays within its room.
  assert(text.length >= "Paused at an unknown time; started at an unknown time.".length);
  const timed = marks.timedText(text)!;
  assertEquals(fillTimes(timed, at), "Paused 5 minutes ago; started 2 hours ago.");
  const later = new Date(at.getTime() + 3 * 3600_000);
  assertEquals(fillTimes(timed, later), "Paused 3 hours ago; started 5 hours ago.");
  assertEquals(marks.filled(text), "Paused 5 minutes ago; started 2 hours ago.");
});

Deno.test("a text a cut went through a mark of is not kept, and its remnant is taken out", () => {
  const marks = new TimeMarks(at.getTime());
  const text = `Paused ${ago(minutes(5), marks)}`;
  const cut = text.slice(0, text.length - 6);
  assertEquals(marks.timedText(cut), null);
  assertEquals(marks.filled(cut), "Paused ");
  // Another TimeMarks' mark (or a text that looks like one) is only text.
  const other = new TimeMarks(at.getTime());
  assertEquals(other.timedText(text)!.times, []);
});

Deno.test("withoutTimes leaves two fillings of one text the same", () => {
  const timed = {
    texts: ["Paused ", ", told ", "."],
    times: [minutes(5).toISOString(), minutes(1).toISOString()],
  };
  const now = fillTimes(timed, at);
  const later = fillTimes(timed, new Date(at.getTime() + 86_400_000 * 3));
  assert(now !== later);
  assertEquals(withoutTimes(now), withoutTimes(later));
  assert(withoutTimes("Pay 3 days ago") !== withoutTimes("Pay 4 dollars"));
});
