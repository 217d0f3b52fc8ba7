import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../../../tests/assert.ts";
import { HOOK_SCRIPTS } from "../../../claude/settings/hooks/hook_entries.ts";
import { scriptEvents, scriptNamed, SHIPPED_SCRIPTS } from "./scripts.ts";

const HOOKS = join(import.meta.dirname!, "..", "..", "..", "..", "hooks");

Deno.test("the embedded scripts are the files in hooks/, LF only, each with its marked place", () => {
  for (const script of HOOK_SCRIPTS) {
    const text = SHIPPED_SCRIPTS[script];
    assertEquals(text, Deno.readTextFileSync(join(HOOKS, `${script}.sh`)));
    assert(text.startsWith("#!/bin/sh\n"), script);
    assert(!text.includes("\r"), `${script} has CR line endings`);
    assertStringIncludes(text, "# ---- Your own lines go here.");
    assertStringIncludes(text, "# ---- End of your lines.");
    assertStringIncludes(text, "MPM_BIN");
    assert(text.trimEnd().endsWith("exit 0"), script);
  }
  assertStringIncludes(SHIPPED_SCRIPTS["pre-session"], '"$mpm" hook session-start');
  assertStringIncludes(SHIPPED_SCRIPTS["post-session"], '"$mpm" hook session-end');
  assertStringIncludes(SHIPPED_SCRIPTS["checkpoint"], '"$mpm" hook checkpoint');
  assertStringIncludes(SHIPPED_SCRIPTS["on-error"], '"$mpm" hook on-error');
});

Deno.test("every shipped script is valid sh and bash", async () => {
  for (const shell of ["sh", "bash"]) {
    for (const script of HOOK_SCRIPTS) {
      const out = await new Deno.Command(shell, {
        args: ["-n", join(HOOKS, `${script}.sh`)],
        stderr: "piped",
      }).output();
      assertEquals(out.code, 0, `${shell} -n ${script}: ${new TextDecoder().decode(out.stderr)}`);
    }
  }
});

Deno.test("scriptNamed takes the name with or without .sh; scriptEvents lists its events", () => {
  assertEquals(scriptNamed("checkpoint.sh"), "checkpoint");
  assertEquals(scriptNamed("on-error"), "on-error");
  assertEquals(scriptNamed("../on-error"), undefined);
  assertEquals(scriptEvents("checkpoint"), ["PreCompact (manual|auto)", "Stop"]);
  // A matcher that says little by itself is shown by its label.
  assertEquals(scriptEvents("post-session"), [
    "SessionEnd (clear|resume)",
    "SessionEnd (any other reason, in the background)",
  ]);
});
