import { assertEquals, assertNotIncludes, assertThrows } from "../../../../../tests/assert.ts";
import { jsonErrorReason, parseJsonFile } from "./decode.ts";
import { IntegrityError } from "../../../../kernel/errors.ts";

function reasonFor(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonErrorReason(error);
  }
  throw new Error(`${text} parsed`);
}

Deno.test("a JSON error says what is wrong without quoting the file's text back", () => {
  assertEquals(reasonFor("token=hunter2\nmore"), "Unexpected token 'o'");
  assertEquals(reasonFor("x\n"), "Unexpected token 'x'");
  assertEquals(
    reasonFor('{"a" 1}'),
    "Expected ':' after property name in JSON at position 5 (line 1 column 6)",
  );
  assertEquals(reasonFor(""), "Unexpected end of JSON input");
});

Deno.test("parseJsonFile refuses a damaged file with exit 4, naming it", () => {
  const error = assertThrows(() =>
    parseJsonFile("password=hunter2\n", ".claude-mpm/sessions/x.json")
  );
  assertEquals(error instanceof IntegrityError, true);
  assertEquals(
    error.message,
    ".claude-mpm/sessions/x.json is not valid JSON (Unexpected token 'p').",
  );
  assertNotIncludes(error.message, "hunter2");
});
