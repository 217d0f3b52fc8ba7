import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { checkArgCount, choiceFlag, type Command } from "./command.ts";
import { UsageError } from "../kernel/errors.ts";

Deno.test("choiceFlag: the fallback when absent; a value not listed is refused, with its hint", () => {
  const scopes = ["local", "project", "user"] as const;
  const parsed = (scope?: string) => ({ flags: { scope }, args: [] });
  assertEquals(choiceFlag(parsed(), "scope", scopes, "local"), "local");
  assertEquals(choiceFlag(parsed("user"), "scope", scopes, "local"), "user");
  const refused = assertThrows(
    () => choiceFlag(parsed("team"), "scope", scopes, "local", "local: just you."),
  ) as UsageError;
  assertEquals(refused instanceof UsageError, true);
  assertEquals(refused.message, '--scope must be local, project or user, not "team".');
  assertEquals(refused.hint, "local: just you.");
});

Deno.test("words a command has no place for: its text option shown with them, else the help", () => {
  const hintOf = (command: Command, ...words: string[]) => {
    const refused = assertThrows(() => checkArgCount(command, words, `mpm ${command.name}`));
    assertEquals(refused instanceof UsageError, true);
    return (refused as UsageError).hint;
  };
  const pause: Command = {
    name: "pause",
    summary: "",
    flags: [
      { name: "next-step", short: "n", value: "TEXT", multiple: true, description: "" },
      { name: "summary", short: "s", value: "TEXT", description: "" },
    ],
  };
  assertEquals(
    hintOf(pause, "working on it"),
    "Give the words to -s: `mpm pause -s 'working on it'`.",
  );
  assertEquals(
    hintOf(pause, "working", "on"),
    "Give the words to -s: `mpm pause -s 'working on'`.",
  );
  assertEquals(hintOf(pause, "a\u001b[2Jb"), "Give the words to -s: `mpm pause -s TEXT`.");
  assertEquals(hintOf(pause, "x".repeat(61)), "Give the words to -s: `mpm pause -s TEXT`.");
  const show: Command = { name: "show", summary: "", args: [{ name: "ID", description: "" }] };
  assertEquals(
    hintOf(show, "a", "b"),
    "Run `mpm show --help` for its usage; quote text that contains spaces.",
  );
  assertEquals(hintOf(show, "a", "b c"), "Run `mpm show --help` for its usage.");
});
