import { assertEquals } from "../../../tests/assert.ts";
import { contextsIn, geminiHookContexts } from "./told.ts";

Deno.test("a Gemini chat's hook contexts are read from its user messages, newest first", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/session.jsonl`;
    const lines = [
      { sessionId: "s", projectHash: "h", startTime: "t", lastUpdated: "t", kind: "main" },
      { type: "user", content: [{ text: "<hook_context>first</hook_context>\n\nhi" }] },
      { type: "gemini", content: "<hook_context>not the person's</hook_context>" },
      { type: "user", content: "<hook_context>second</hook_context> go on" },
    ];
    await Deno.writeTextFile(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    assertEquals(await geminiHookContexts(path), ["second", "first"]);
    assertEquals(await geminiHookContexts(`${dir}/none.jsonl`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("contextsIn takes each closed hook_context, none left open", () => {
  assertEquals(contextsIn("a<hook_context> x </hook_context>b<hook_context>y"), ["x"]);
});
