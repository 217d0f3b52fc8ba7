import { assertEquals, assertStringIncludes } from "../../../../tests/assert.ts";
import {
  compareVersions,
  filterEventsForVersion,
  hookCommand,
  MPM_HOOK_COMMANDS,
  MPM_HOOK_ENTRIES,
  parseClaudeVersion,
  SESSION_END_EXIT_MATCHER,
  userHookCommand,
  userHookEntries,
  userHooksDir,
} from "./hook_entries.ts";

const events = (version: string | null) =>
  filterEventsForVersion(MPM_HOOK_ENTRIES, version).map((entry) => entry.event);

Deno.test("the event table follows docs/guide.md", () => {
  assertEquals(
    MPM_HOOK_ENTRIES.map((entry) => [
      entry.script,
      entry.event,
      entry.matcher ?? null,
      entry.async ?? false,
    ]),
    [
      ["pre-session", "SessionStart", "startup|resume|clear|compact|fork", false],
      // Claude Code waits for the pause after /clear and /resume, not when it exits.
      ["post-session", "SessionEnd", "clear|resume", false],
      ["post-session", "SessionEnd", SESSION_END_EXIT_MATCHER, true],
      ["checkpoint", "PreCompact", "manual|auto", false],
      ["checkpoint", "Stop", null, false],
      ["on-error", "PostToolUseFailure", null, false],
      ["on-error", "StopFailure", null, false],
    ],
  );
  for (const entry of MPM_HOOK_ENTRIES) {
    assertEquals(entry.command, hookCommand(entry.script));
    assertEquals(Number.isInteger(entry.timeout) && entry.timeout > 0, true);
  }
  assertEquals(MPM_HOOK_COMMANDS, [
    hookCommand("pre-session"),
    hookCommand("post-session"),
    hookCommand("checkpoint"),
    hookCommand("on-error"),
  ]);
});

Deno.test("the command runs the root's script, or a linked worktree's main-tree script", () => {
  const now = hookCommand("checkpoint");
  // Today's walks to the repository's root and runs the script there only (never one met on
  // the way up), then follows a worktree's `.git` file to the main tree.
  assertStringIncludes(now, 'if [ -e "$d/.git" ]; then break; fi;');
  assertEquals(now.indexOf("exec") > now.indexOf("done;"), true);
  assertStringIncludes(now, "case $g in */.git/worktrees/?*) m=${g%/.git/worktrees/*};");
  // Still single-quoted once, so it nests in a wrapped status line.
  assertEquals(now.split("'").length, 3);
});

Deno.test("filterEventsForVersion leaves out events an older Claude Code does not know", () => {
  const all = MPM_HOOK_ENTRIES.map((entry) => entry.event);
  assertEquals(events(null), all);
  assertEquals(events("2.1.78"), all);
  assertEquals(events("2.10.0"), all);
  assertEquals(events("2.1.77"), [
    "SessionStart",
    "SessionEnd",
    "SessionEnd",
    "PreCompact",
    "Stop",
    "PostToolUseFailure",
  ]);
  assertEquals(events("2.0.60"), [
    "SessionStart",
    "SessionEnd",
    "SessionEnd",
    "PreCompact",
    "Stop",
  ]);
  assertEquals(events("1.0.84"), ["SessionStart", "PreCompact", "Stop"]);
});

/** Every SessionEnd `reason` Claude Code 2.1.330 sends. */
const SESSION_END_REASONS = ["clear", "resume", "logout", "prompt_input_exit", "other"];

/**
 * Claude Code's own test: a matcher of plain words and `|` is a list of exact names; anything
 * else is a regular expression, and it calls `.test` on the SessionEnd `reason`.
 */
function matches(matcher: string, reason: string): boolean {
  return /^[\w|]+$/.test(matcher)
    ? matcher.split("|").includes(reason)
    : new RegExp(matcher).test(reason);
}

Deno.test("SessionEnd: the background matcher takes every reason but clear and resume", () => {
  // Not plain words and `|`, so Claude Code compiles it; "clear|resume" is a list of names.
  assertEquals(/^[\w|]+$/.test(SESSION_END_EXIT_MATCHER), false);
  const exit = new RegExp(SESSION_END_EXIT_MATCHER);
  // A reason a later Claude Code adds is paused too, in the background.
  for (const reason of ["logout", "prompt_input_exit", "other", "bypass_permissions_disabled"]) {
    assertEquals(exit.test(reason), true, reason);
  }
  for (const reason of ["clear", "resume"]) assertEquals(exit.test(reason), false, reason);
  // Only the whole reason is excluded: one that merely starts with "clear" is an exit.
  assertEquals(exit.test("clear_all"), true);

  const [foreground, background] = MPM_HOOK_ENTRIES.filter((e) => e.event === "SessionEnd");
  assertEquals([foreground.async, background.async], [undefined, true]);
  for (const reason of SESSION_END_REASONS) {
    // Each reason runs the pause exactly once: in the foreground or in the background.
    assertEquals(
      [matches(foreground.matcher!, reason), matches(background.matcher!, reason)],
      ["clear", "resume"].includes(reason) ? [true, false] : [false, true],
      reason,
    );
  }
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

Deno.test("the user settings run the user's own scripts, never a path inside the project", () => {
  const dir = userHooksDir("/home/dana/.claude");
  assertEquals(dir, "/home/dana/.claude/mpm/hooks");
  assertEquals(
    userHookCommand(dir, "/home/dana", "pre-session"),
    `"$HOME"/.claude/mpm/hooks/pre-session.sh`,
  );
  // Outside the home folder, or a name the shell would read: the absolute path, single-quoted.
  assertEquals(
    userHookCommand("/opt/claude cfg/mpm/hooks", "/home/dana", "checkpoint"),
    `'/opt/claude cfg/mpm/hooks/checkpoint.sh'`,
  );
  assertEquals(
    userHookCommand("/home/dana/it's $x/mpm/hooks", "/home/dana", "on-error"),
    `'/home/dana/it'\\''s $x/mpm/hooks/on-error.sh'`,
  );
  assertEquals(userHookCommand(dir, undefined, "on-error"), `'${dir}/on-error.sh'`);
  const entries = userHookEntries(dir, "/home/dana");
  assertEquals(
    entries.map((e) => [e.event, e.matcher]),
    MPM_HOOK_ENTRIES.map((e) => [e.event, e.matcher]),
  );
  for (const entry of entries) {
    assertEquals(entry.command.includes("CLAUDE_PROJECT_DIR"), false);
    assertEquals(entry.command.includes(".claude-mpm"), false);
  }
});
