import { assert, assertEquals } from "../../../tests/assert.ts";
import { documentedWindow, MODEL_WINDOWS, modelFamily } from "./model_windows.ts";

Deno.test("a model id's family, whatever the provider's spelling", () => {
  assertEquals(modelFamily("claude-sonnet-4-5-20250929"), "claude-sonnet-4-5");
  assertEquals(modelFamily("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), "claude-sonnet-4-5");
  assertEquals(modelFamily("claude-sonnet-4-5@20250929"), "claude-sonnet-4-5");
  assertEquals(modelFamily("claude-opus-4-20250514"), "claude-opus-4");
  assertEquals(modelFamily("Claude-Opus-5-5"), "claude-opus-5-5");
  assertEquals(modelFamily("gpt-5"), undefined);
});

Deno.test("documented windows: 200,000 for Sonnet 4.5, 1,000,000 for the 2.1.330 defaults", () => {
  assertEquals(documentedWindow("claude-sonnet-4-5-20250929"), 200_000);
  assertEquals(documentedWindow("claude-haiku-4-5-20251001"), 200_000);
  assertEquals(documentedWindow("claude-opus-5-5"), 1_000_000);
  assertEquals(documentedWindow("claude-sonnet-5"), 1_000_000);
  // Unknown or absent: no window, never a guess.
  assertEquals(documentedWindow("claude-opus-9"), undefined);
  assertEquals(documentedWindow("<synthetic>"), undefined);
  assertEquals(documentedWindow(null), undefined);
});

Deno.test("the table is dated and holds only the two windows Claude models have", () => {
  for (const [family, window] of Object.entries(MODEL_WINDOWS)) {
    assertEquals(modelFamily(family), family);
    assert(window === 200_000 || window === 1_000_000, family);
  }
});
