import {
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertThrows,
} from "../../../tests/assert.ts";
import { UsageError } from "../../kernel/errors.ts";
import { parseHandoffInput } from "./claude_input.ts";

Deno.test("parseHandoffInput reads the skill's YAML: quotes, $(…), backquotes and breaks kept", () => {
  const text = [
    `focus: "the \\"webhook\\""`,
    `goal: "Refunds $(whoami) \`id\`"`,
    `state: "half done\\nsecond line"`,
    "decisions:",
    `  - "it's synchronous"`,
    `  - "  "`,
    "tried: []",
    "files:",
    `  - "src/refunds.ts"`,
    `next_step: "Write handleRefundEvent"`,
    "open_questions: []",
    "",
  ].join("\n");
  assertEquals(parseHandoffInput(text), {
    focus: 'the "webhook"',
    words: {
      goal: "Refunds $(whoami) `id`",
      state: "half done\nsecond line",
      decisions: ["it's synchronous"],
      tried: [],
      files: ["src/refunds.ts"],
      next_step: "Write handleRefundEvent",
      open_questions: [],
    },
  });
  assertEquals(parseHandoffInput('{"goal": "g", "next_step": "n", "focus": ""}').focus, null);
});

Deno.test("parseHandoffInput refuses bad input in one sentence, never echoing it", () => {
  const secret = "sk-ant-SECRETSECRETSECRET";
  const cases: [string, RegExp][] = [
    ["   \n", /--input is empty/],
    [`{"goal": "${secret}",`, /not valid YAML or JSON \(.*line 1/],
    [`["${secret}"]`, /must be a YAML or JSON mapping/],
    [`{"goal": "g", "next_step": "n", "summary": "${secret}"}`, /does not take: "summary"/],
    [`{"goal": ["${secret}"], "next_step": "n"}`, /"goal" must be a string/],
    [`{"goal": "g", "next_step": "n", "files": "${secret}"}`, /"files" must be a list of strings/],
    [`{"next_step": "${secret}"}`, /no "goal"/],
    [`{"goal": "${secret}", "next_step": "  "}`, /no "next_step"/],
  ];
  for (const [text, expected] of cases) {
    const error = assertThrows(() => parseHandoffInput(text));
    assertEquals(error instanceof UsageError, true);
    assertMatch(error.message, expected);
    assertMatch(error.message, /nothing was saved\.$/);
    assertNotIncludes(error.message, secret);
  }
});
