import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { keyCheck } from "./judge_key.ts";

const FILE = "/home/me/.local/state/mpm/machine.json";

Deno.test("keyCheck: a key that cannot be made fails, saying why and what to do", () => {
  const failure = Object.assign(new Error("Read-only file system (os error 30)"), {
    code: "EROFS",
  });
  const check = keyCheck({ file: FILE, present: false, failure, ignored: false });
  assertEquals([check.id, check.status], ["machine-key", "fail"]);
  assertStringIncludes(check.message, `cannot be made at ${FILE} (the file system is read-only)`);
  assertStringIncludes(check.message, "not sealed as yours");
  assertStringIncludes(check.fix!, "set XDG_STATE_HOME to the absolute path of a folder");
  const full = Object.assign(new Error("No space left on device"), { code: "ENOSPC" });
  assertStringIncludes(
    keyCheck({ file: FILE, present: false, failure: full, ignored: false }).fix!,
    "Free some space",
  );
});

Deno.test("keyCheck: no home folder fails too", () => {
  const check = keyCheck({ file: null, present: false, ignored: false });
  assertEquals(check.status, "fail");
  assertStringIncludes(check.message, "no home folder");
  assertStringIncludes(check.fix!, "Set HOME, or XDG_STATE_HOME, to the absolute path");
});

Deno.test("keyCheck: a key not made yet, where it can be, is a note", () => {
  const check = keyCheck({ file: FILE, present: false, ignored: false });
  assertEquals(check.status, "info");
  assertStringIncludes(check.message, `the first command that seals makes it at ${FILE}`);
});

Deno.test("keyCheck: a key in a git work tree with no .gitignore beside it warns, with the fix", () => {
  const check = keyCheck({ file: FILE, present: true, ignored: false, repository: "/home/me" });
  assertEquals(check.status, "warn");
  assertStringIncludes(check.message, "lies in the git work tree /home/me");
  assertEquals(check.fix, "printf '*\\n' > /home/me/.local/state/mpm/.gitignore");
});

Deno.test("keyCheck: a key ignored, or outside git, is well", () => {
  for (const probe of [{ ignored: true }, { ignored: false, repository: undefined }]) {
    const check = keyCheck({ file: FILE, present: true, ...probe });
    assertEquals([check.status, check.message], ["ok", `This machine's key: ${FILE}.`]);
  }
});
