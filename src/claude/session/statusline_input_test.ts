import { fileURLToPath } from "node:url";
import { assertEquals } from "../../../tests/assert.ts";
import { parseStatusLineInput } from "./statusline_input.ts";

const FIXTURES = fileURLToPath(
  new URL("../../../tests/fixtures/claude-code/statusline/", import.meta.url),
);
const fixture = (name: string) => Deno.readTextFileSync(FIXTURES + name);

Deno.test("the status line input names the window and Claude Code's own percentage", () => {
  assertEquals(parseStatusLineInput(fixture("sonnet-4-5-72pct.json")), {
    sessionId: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
    transcriptPath:
      "/home/dev/.claude/projects/-home-dev-shop/3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11.jsonl",
    cwd: "/home/dev/shop",
    projectDir: "/home/dev/shop",
    model: "claude-sonnet-4-5-20250929",
    window: 200_000,
    usedPercent: 72,
    tokens: 144_000,
  });
});

Deno.test("before the first reply: the window, but no usage", () => {
  const input = parseStatusLineInput(fixture("opus-5-5-new.json"));
  assertEquals([input?.cwd, input?.window, input?.usedPercent, input?.tokens], [
    "/home/dev/shop/api",
    1_000_000,
    null,
    null,
  ]);
});

Deno.test("anything else: null for what is not an object, nulls for fields of the wrong type", () => {
  for (const text of ["", "not json", "[1]", "null", '"text"']) {
    assertEquals(parseStatusLineInput(text), null, text);
  }
  const odd = parseStatusLineInput(
    JSON.stringify({
      session_id: 7,
      cwd: "/p",
      model: "claude-x",
      context_window: { context_window_size: -1, used_percentage: "72", total_input_tokens: 1.5 },
    }),
  );
  assertEquals(odd, {
    sessionId: null,
    transcriptPath: null,
    cwd: "/p",
    projectDir: null,
    model: "claude-x",
    window: null,
    usedPercent: null,
    tokens: null,
  });
});
