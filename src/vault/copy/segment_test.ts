import { assert, assertEquals, assertNotIncludes } from "../../../tests/assert.ts";
import { buildSegment, indexRecords, redactLine } from "./segment.ts";
import { gunzip, gzip, TooLargeError } from "../records/gzip.ts";

const TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0".repeat(2).slice(0, 36);

const prompt = {
  type: "user",
  timestamp: "2026-11-23T10:00:00.000Z",
  message: { role: "user", content: "Add the stripe webhook handler" },
};
const answer = {
  type: "assistant",
  timestamp: "2026-11-23T10:00:05.000Z",
  message: {
    role: "assistant",
    content: [
      { type: "text", text: "I'll add it to src/pay.ts." },
      {
        type: "tool_use",
        id: "t1",
        name: "Bash",
        input: { command: `export GITHUB_TOKEN=${TOKEN}` },
      },
    ],
  },
};
const result = {
  type: "user",
  timestamp: "2026-11-23T10:00:06.000Z",
  message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }] },
};

Deno.test("redactLine: a secret goes, and the line stays JSON", () => {
  const line = JSON.stringify(answer);
  const clean = redactLine(line);
  assertNotIncludes(clean, TOKEN);
  assertEquals(JSON.parse(clean).type, "assistant");
  // A match that would end inside an escape is redacted value by value instead.
  const tricky = JSON.stringify({ message: { content: 'my password=hunter2"x and more' } });
  const fixed = redactLine(tricky);
  assertNotIncludes(fixed, "hunter2");
  JSON.parse(fixed);
});

Deno.test("redactLine: a line without a secret is the same string", () => {
  const line = JSON.stringify(prompt);
  assert(redactLine(line) === line);
});

Deno.test("indexRecords: prompts and answers apart from tool calls and output", () => {
  assertEquals(indexRecords(prompt, 0, prompt.timestamp), [
    { t: prompt.timestamp, k: "p", f: 0, x: "Add the stripe webhook handler" },
  ]);
  assertEquals(indexRecords(answer, 1, "x").map((r) => [r.k, r.f]), [["a", 1], ["i", 1]]);
  assertEquals(indexRecords(result, 0, "x").map((r) => [r.k, r.x]), [["o", "ok"]]);
  // What Claude Code writes in the person's name is not a prompt.
  const caveat = {
    type: "user",
    message: { content: "<local-command-stdout>x</local-command-stdout>" },
  };
  assertEquals(indexRecords(caveat, 0, null), []);
});

Deno.test("buildSegment: redacted lines, two indexes, and the entries' time span", () => {
  const text = [prompt, answer, result].map((l) => JSON.stringify(l)).join("\n") + "\n";
  const built = buildSegment(text, 0, null);
  assertEquals(built.lines, 3);
  assertNotIncludes(built.raw, TOKEN);
  assertEquals(built.raw.split("\n").length, 4);
  assertEquals(built.talk.trim().split("\n").map((l) => JSON.parse(l).k), ["p", "a"]);
  assertEquals(built.tools.trim().split("\n").map((l) => JSON.parse(l).k), ["i", "o"]);
  assertNotIncludes(built.tools, TOKEN);
  assertEquals([built.first, built.last], ["2026-11-23T10:00:00.000Z", "2026-11-23T10:00:06.000Z"]);
});

Deno.test("gzip members round-trip, and a decompression past its limit stops", async () => {
  const member = await gzip("x".repeat(100_000));
  assertEquals((await gunzip(member)).length, 100_000);
  let refused = false;
  await gunzip(member, 1000).catch((error) => refused = error instanceof TooLargeError);
  assert(refused, "a member larger than the limit is refused");
});
