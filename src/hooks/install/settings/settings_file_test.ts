import { assertEquals } from "../../../../tests/assert.ts";
import { isBlank } from "./settings_file.ts";

Deno.test('isBlank: only white space or {} holds nothing; [], "" and null are no settings object', () => {
  const blank = ["", " \n", "{}", "  {}\n", "{\n}\n"];
  const kept = ["[]", '""', "null", "0", '{"a": 1}', "not json", "[settings]\n"];
  assertEquals(blank.filter((text) => !isBlank(text)), []);
  assertEquals(kept.filter(isBlank), []);
  assertEquals(isBlank(undefined), false);
});
