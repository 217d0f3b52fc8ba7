import {
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertThrows,
} from "../../../tests/assert.ts";
import { UsageError } from "../../kernel/errors.ts";
import { oneOf, parseWordsInput } from "./input.ts";

const PAUSE = ["summary", "accomplishments", "next_steps", "todos"] as const;

Deno.test("parseWordsInput keeps the words exactly, quotes, $(…), backquotes and newlines included", () => {
  const summary = `Fixed "parse" and it's $(whoami) \`id\` \\ done\nsecond line`;
  const text = JSON.stringify({ summary, accomplishments: ["a", " ", ""], next_steps: ["n"] });
  assertEquals(parseWordsInput(text, PAUSE, "mpm pause"), {
    summary,
    accomplishments: ["a"],
    next_steps: ["n"],
  });
  assertEquals(parseWordsInput("{}", PAUSE, "mpm pause"), {});
});

Deno.test("parseWordsInput reads the YAML the skills write: double-quoted strings, one per line", () => {
  const text = [
    `summary: "Fixed \\"parse\\" $(whoami) \`id\` {\\"a\\"}\\nsecond line"`,
    "accomplishments:",
    `  - "it's done"`,
    "next_steps:",
    `  - "n1"`,
    "todos: []",
    "",
  ].join("\n");
  assertEquals(parseWordsInput(text, PAUSE, "mpm pause"), {
    summary: 'Fixed "parse" $(whoami) `id` {"a"}\nsecond line',
    accomplishments: ["it's done"],
    next_steps: ["n1"],
    todos: [],
  });
  // A bare word YAML would read as another type is refused, not turned into text.
  assertThrows(() => parseWordsInput("summary: 12", PAUSE, "mpm pause"), /must be a string/);
});

Deno.test("parseWordsInput refuses bad input without echoing it", () => {
  const secret = "sk-ant-SECRETSECRETSECRET";
  const cases: [string, RegExp][] = [
    [`{"summary": "${secret}",`, /not valid YAML or JSON \(.*line 1, column \d+\)/],
    [`summary: "${secret}\nx`, /not valid YAML or JSON \(.*double quoted scalar, line 2/],
    [`summary: "a"\nsummary: "${secret}"`, /duplicated mapping key, line 2, column 1/],
    [`["${secret}"]`, /must be a YAML or JSON mapping/],
    [`{"task": "${secret}"}`, /a field `mpm pause` does not take: "task"/],
    [`{"accomplishments": "${secret}"}`, /"accomplishments" must be a list of strings/],
    [`{"summary": ["${secret}"]}`, /"summary" must be a string/],
  ];
  for (const [text, expected] of cases) {
    const error = assertThrows(() => parseWordsInput(text, PAUSE, "mpm pause"));
    assertEquals(error instanceof UsageError, true);
    assertMatch(error.message, expected);
    assertNotIncludes(error.message, secret);
    assertNotIncludes((error as UsageError).hint ?? "", secret);
  }
});

Deno.test("parseWordsInput takes only the fields the command names", () => {
  assertEquals(parseWordsInput('{"task": "x"}', ["task"], "mpm branch"), { task: "x" });
  assertThrows(() => parseWordsInput('{"summary": "x"}', ["task"], "mpm branch"), /"summary"/);
});

Deno.test("oneOf: a value from one place, or the same from both; two different ones refused", () => {
  assertEquals(oneOf("a", undefined, "--summary"), "a");
  assertEquals(oneOf(undefined, "b", "--summary"), "b");
  assertEquals(oneOf("a", "a", "--summary"), "a");
  assertThrows(() => oneOf("a", "b", "--summary"), /Give the summary once/);
});
