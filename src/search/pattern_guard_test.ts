import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { UsageError } from "../kernel/errors.ts";
import { regexMatcher } from "./match.ts";
import { patternGuard, runHere } from "./pattern_guard.ts";

Deno.test("a pattern that backtracks without end is refused in bounded time, exit 2", () => {
  const guard = patternGuard(300);
  try {
    const matcher = regexMatcher("(a+)+$", guard.run);
    const started = Date.now();
    // Unguarded, this one text takes longer than any test runs.
    const error = assertThrows(() => matcher.findEach(["ok", "a".repeat(50_000) + "b"]));
    assert(error instanceof UsageError && error.exitCode === 2, String(error));
    assert(error.message.startsWith('"(a+)+$" takes too long to match'), error.message);
    assertEquals(error.message.split(". ").length, 1, "one sentence");
    assert(Date.now() - started < 20_000, `${Date.now() - started} ms`);
    // Refused for good: a caller that tries again (the files after the index) is refused too.
    assertThrows(() => matcher.find("aaa"), /takes too long/);
  } finally {
    guard.close();
  }
});

Deno.test("a guarded pattern finds what it finds on this thread, in batches, in order", () => {
  const guard = patternGuard();
  try {
    const texts = Array.from(
      { length: 1500 },
      (_, k) => `line ${k}: ${k % 7 === 0 ? "Web-Hook" : "x"}`,
    );
    texts.push("é".repeat(300_000) + " webhook", "", "İstanbul webhook");
    const guarded = regexMatcher("web.?hook", guard.run);
    const here = regexMatcher("web.?hook", runHere);
    assertEquals(guarded.findEach(texts), here.findEach(texts));
    assertEquals(guarded.find("a WebHook here"), [2, 9]);
    assertEquals(guarded.findEach([]), []);
  } finally {
    guard.close();
  }
});
