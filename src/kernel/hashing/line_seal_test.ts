import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { lineSealVerifies, markdownSealed, sealLine, sealMarkdown } from "./line_seal.ts";

const KEY = "11".repeat(32);
const OTHER = "22".repeat(32);

Deno.test("a sealed line parses as its record with a seal, and checks out only as written", async () => {
  const json = JSON.stringify({ time: "t", path: 'a "quoted" ,"seal":"x"} path' });
  const line = await sealLine(json, KEY, "claude-sessions");
  const parsed = JSON.parse(line);
  assertEquals(parsed.path, 'a "quoted" ,"seal":"x"} path');
  assert(/^[0-9a-f]{64}$/.test(parsed.seal));
  assert(await lineSealVerifies(line, KEY, "claude-sessions"));
  // Another key, another purpose, a changed byte, no seal, no key: none checks out.
  assert(!await lineSealVerifies(line, OTHER, "claude-sessions"));
  assert(!await lineSealVerifies(line, KEY, "spool-pause"));
  assert(!await lineSealVerifies(line.replace('"t"', '"u"'), KEY, "claude-sessions"));
  assert(!await lineSealVerifies(json, KEY, "claude-sessions"));
  assert(!await lineSealVerifies(line, null, "claude-sessions"));
  // A seal copied onto another line does not carry over.
  const other = JSON.stringify({ time: "u" }).slice(0, -1) +
    line.slice(line.lastIndexOf(',"seal"'));
  assert(!await lineSealVerifies(other, KEY, "claude-sessions"));
});

Deno.test("only an object with members is sealed as a line", async () => {
  await assertRejects(() => sealLine("{}", KEY, "spool-pause"));
  await assertRejects(() => sealLine("[1]", KEY, "spool-pause"));
});

Deno.test("a sealed markdown file keeps its text and checks out only as written, for its purpose", async () => {
  const text = "# Summary\n\n- did things\n";
  const sealed = await sealMarkdown(text, KEY, "work-summary");
  assert(sealed.startsWith(text));
  assert(/\n<!-- mpm seal [0-9a-f]{64} -->\n$/.test(sealed));
  assertEquals(await markdownSealed(sealed, KEY, "work-summary"), text);
  assertEquals(await markdownSealed(sealed, OTHER, "work-summary"), null);
  assertEquals(await markdownSealed(sealed, KEY, "events"), null);
  assertEquals(await markdownSealed(sealed, null, "work-summary"), null);
  assertEquals(await markdownSealed(text, KEY, "work-summary"), null);
  assertEquals(await markdownSealed(sealed.replace("did", "did not"), KEY, "work-summary"), null);
  // Without a final line end, one is added before the seal and is part of what is sealed.
  assertEquals(
    await markdownSealed(await sealMarkdown("a", KEY, "work-summary"), KEY, "work-summary"),
    "a\n",
  );
});
