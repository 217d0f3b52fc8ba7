import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { choiceFlag } from "./command.ts";
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
