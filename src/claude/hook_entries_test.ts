import { assertEquals } from "../../tests/assert.ts";
import {
  compareVersions,
  filterEventsForVersion,
  hookCommand,
  MPM_HOOK_COMMANDS,
  MPM_HOOK_ENTRIES,
  parseClaudeVersion,
} from "./hook_entries.ts";

const events = (version: string | null) =>
  filterEventsForVersion(MPM_HOOK_ENTRIES, version).map((entry) => entry.event);

Deno.test("the event table follows DESIGN.md", () => {
  assertEquals(
    MPM_HOOK_ENTRIES.map((entry) => [entry.script, entry.event, entry.matcher ?? null]),
    [
      ["pre-session", "SessionStart", "startup|resume|clear|compact|fork"],
      ["post-session", "SessionEnd", null],
      ["checkpoint", "PreCompact", "manual|auto"],
      ["checkpoint", "Stop", null],
      ["on-error", "PostToolUseFailure", null],
      ["on-error", "StopFailure", null],
    ],
  );
  for (const entry of MPM_HOOK_ENTRIES) {
    assertEquals(entry.command, `"$CLAUDE_PROJECT_DIR"/.claude-mpm/hooks/${entry.script}.sh`);
    assertEquals(Number.isInteger(entry.timeout) && entry.timeout > 0, true);
  }
  assertEquals(MPM_HOOK_COMMANDS, [
    hookCommand("pre-session"),
    hookCommand("post-session"),
    hookCommand("checkpoint"),
    hookCommand("on-error"),
  ]);
});

Deno.test("filterEventsForVersion leaves out events an older Claude Code does not know", () => {
  const all = MPM_HOOK_ENTRIES.map((entry) => entry.event);
  assertEquals(events(null), all);
  assertEquals(events("2.1.78"), all);
  assertEquals(events("2.10.0"), all);
  assertEquals(events("2.1.77"), [
    "SessionStart",
    "SessionEnd",
    "PreCompact",
    "Stop",
    "PostToolUseFailure",
  ]);
  assertEquals(events("2.0.60"), ["SessionStart", "SessionEnd", "PreCompact", "Stop"]);
  assertEquals(events("1.0.84"), ["SessionStart", "PreCompact", "Stop"]);
});

Deno.test("parseClaudeVersion reads `claude --version` output", () => {
  assertEquals(parseClaudeVersion("2.1.3 (Claude Code)\n"), "2.1.3");
  assertEquals(parseClaudeVersion("claude 1.0.85"), "1.0.85");
  assertEquals(parseClaudeVersion("command not found"), null);
});

Deno.test("compareVersions compares numerically", () => {
  assertEquals(compareVersions("2.1.10", "2.1.9") > 0, true);
  assertEquals(compareVersions("2.1", "2.1.0"), 0);
  assertEquals(compareVersions("1.0.85", "2.0.0") < 0, true);
});
