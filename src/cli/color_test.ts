import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { UsageError } from "../kernel/errors.ts";
import { colorWanted, takeColorFlag } from "./color.ts";

Deno.test("auto colours a terminal, not a pipe; NO_COLOR counts only when non-empty", () => {
  assertEquals(colorWanted("auto", {}, true), true);
  assertEquals(colorWanted("auto", {}, false), false);
  assertEquals(colorWanted("auto", { NO_COLOR: "1" }, true), false);
  assertEquals(colorWanted("auto", { NO_COLOR: "" }, true), true, "an empty NO_COLOR is unset");
  assertEquals(colorWanted("auto", { TERM: "dumb" }, true), false);
});

Deno.test("FORCE_COLOR turns auto on through a pipe; --color always/never win over both", () => {
  assertEquals(colorWanted("auto", { FORCE_COLOR: "1" }, false), true);
  assertEquals(colorWanted("auto", { FORCE_COLOR: "0" }, false), false);
  assertEquals(colorWanted("auto", { FORCE_COLOR: "1", NO_COLOR: "1" }, false), true);
  assertEquals(colorWanted("always", { NO_COLOR: "1", TERM: "dumb" }, false), true);
  assertEquals(colorWanted("never", { FORCE_COLOR: "1" }, true), false);
});

Deno.test("takeColorFlag takes --color anywhere before --, in both spellings", () => {
  assertEquals(takeColorFlag(["list", "--color=never", "--json"]), {
    argv: ["list", "--json"],
    color: "never",
  });
  assertEquals(takeColorFlag(["--color", "always", "status"]), {
    argv: ["status"],
    color: "always",
  });
  assertEquals(takeColorFlag(["pause", "--", "--color=never"]), {
    argv: ["pause", "--", "--color=never"],
    color: "auto",
  });
  const blue = assertThrows(() => takeColorFlag(["list", "--color=blue"]), /not "blue"/);
  assertEquals(blue instanceof UsageError, true);
  assertThrows(() => takeColorFlag(["list", "--color"]), /auto, always or never/);
});
