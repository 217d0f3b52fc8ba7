import { assertEquals, assertNotIncludes } from "../../../tests/assert.ts";
import { autoPauseSummary, endReason } from "./pause.ts";

Deno.test("every SessionEnd reason Claude Code 2.1.330 sends has words", () => {
  // The reasons its hook schema lists: clear, resume, logout, prompt_input_exit, other.
  assertEquals(endReason("clear"), "the conversation was cleared (/clear)");
  assertEquals(endReason("resume"), "another conversation was resumed (/resume)");
  assertEquals(endReason("logout"), "the user logged out");
  assertEquals(endReason("prompt_input_exit"), "the user exited Claude Code");
  assertEquals(endReason("other"), "Claude Code exited");
  for (const reason of ["clear", "resume", "logout", "prompt_input_exit", "other"]) {
    assertNotIncludes(endReason(reason), '"');
    assertNotIncludes(endReason(reason), "_");
  }
});

Deno.test("a reason a later Claude Code adds is named plainly", () => {
  assertEquals(endReason("idle_timeout"), "Claude Code ended it: idle timeout");
  assertEquals(endReason('x"); rm -rf /'), "Claude Code ended it: x rm rf");
  assertEquals(endReason("***"), "Claude Code exited");
  assertEquals(
    autoPauseSummary({
      reason: "resume",
      claudeSessionId: "c1",
      taskCount: 0,
      taskSource: null,
      usage: null,
    }),
    "Auto-saved when the Claude session ended (another conversation was resumed (/resume)).",
  );
});
