import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { INVALID_PARAMS, invalidParamsAnswer, paramsProblem } from "./invalid_params.ts";
import { TOOL_LIST } from "./tool_list.ts";

Deno.test("paramsProblem: a tools/call without a tool name names the tools", () => {
  const names = TOOL_LIST.map((t) => t.name).join(", ");
  for (const params of [undefined, {}, { name: 5 }, "search", [{ name: "search" }]]) {
    assertEquals(
      paramsProblem("tools/call", params),
      `tools/call needs a tool name: one of ${names}.`,
    );
  }
});

Deno.test("paramsProblem: arguments that are not an object are named by their kind, never shown", () => {
  const secret = "x".repeat(100_000);
  const cases: [unknown, string][] = [
    [secret, "a string"],
    [5, "a number"],
    [[1, 2], "an array"],
    [null, "null"],
    [true, "a boolean"],
  ];
  for (const [args, kind] of cases) {
    const sentence = paramsProblem("tools/call", { name: "search", arguments: args });
    assertEquals(
      sentence,
      `tools/call's arguments must be an object of the tool's inputs, not ${kind}.`,
    );
  }
});

Deno.test("paramsProblem: one short sentence for every method, whatever came", () => {
  const huge = { name: "search", arguments: {}, task: "y".repeat(100_000) };
  for (const method of ["tools/call", "tools/list", "initialize", "ping", "other/thing"]) {
    const sentence = paramsProblem(method, huge);
    assert(sentence.length < 300, sentence);
    assert(/^[^\n]+\.$/.test(sentence), sentence);
    assertStringIncludes(sentence, method);
  }
});

Deno.test("invalidParamsAnswer: JSON-RPC's Invalid params, with the request's id", () => {
  assertEquals(
    invalidParamsAnswer({ jsonrpc: "2.0", id: 7, method: "ping", params: { x: 1 } }),
    {
      jsonrpc: "2.0",
      id: 7,
      error: {
        code: INVALID_PARAMS,
        message: "ping takes no params but _meta: send it without them.",
      },
    },
  );
});
