import { assertEquals, assertNotIncludes } from "../../../tests/assert.ts";
import { autoPauseNotes, autoPauseSummary, endReason } from "./pause.ts";

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
  assertEquals(endReason('x"); rm -rf /'), "Claude Code ended it, for a reason mpm does not know");
  assertEquals(endReason("***"), "Claude Code ended it, for a reason mpm does not know");
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

Deno.test("a reason that is no reason word is never echoed, not even in pieces", () => {
  const token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
  for (const reason of [`other ${token} \u001b[2J`, token, "A".repeat(41), "a".repeat(41)]) {
    const facts = { reason, claudeSessionId: "c1", taskCount: 0, taskSource: null, usage: null };
    const said = [autoPauseSummary(facts), ...autoPauseNotes(facts)].join("\n");
    assertNotIncludes(said, "aB3d");
    assertNotIncludes(said, "\u001b");
    assertNotIncludes(said, "AAAA");
    assertNotIncludes(said, "aaaa");
    assertEquals(
      autoPauseSummary(facts),
      "Auto-saved when the Claude session ended (Claude Code ended it, for a reason mpm does not " +
        "know).",
    );
    assertEquals(
      autoPauseNotes(facts)[0],
      "Paused by the SessionEnd hook (reason: unknown) of " +
        "Claude session c1.",
    );
  }
});
