import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import { forkSource, hookContexts } from "./hook_contexts.ts";

const TRANSCRIPT = fileURLToPath(
  new URL(
    "../../../tests/fixtures/claude-code/transcripts/real-2.1.330-session-start-context.jsonl",
    import.meta.url,
  ),
);

Deno.test("the real client's transcript gives back the text SessionStart injected", async () => {
  const [text, ...rest] = await hookContexts(TRANSCRIPT);
  assertEquals(rest, []);
  assertStringIncludes(text, "## Last session (mpm)");
  assertStringIncludes(text, "Summary: Payment work");
});

Deno.test("newest first, only the tail is read, and a missing file or a folder has none", async () => {
  await using dir = await tempDir();
  const file = join(dir.path, "t.jsonl");
  const line = (texts: string[]) =>
    JSON.stringify({
      type: "attachment",
      attachment: { type: "hook_additional_context", content: texts },
    });
  const filler = JSON.stringify({ type: "user", message: { content: "x".repeat(2000) } });
  const last = [line(["mid", "other hook"]), filler, "{half", line(["new"])].join("\n") + "\n";
  await Deno.writeTextFile(file, [line(["old"]), filler, last].join("\n"));
  assertEquals(await hookContexts(file), ["new", "mid", "other hook", "old"]);
  // With only the last bytes read, the first line is out of reach.
  const tail = new TextEncoder().encode(last).length;
  assertEquals(await hookContexts(file, tail), ["new", "mid", "other hook"]);
  assertEquals(await hookContexts(join(dir.path, "missing.jsonl")), []);
  assertEquals(await hookContexts(dir.path), []);
});

Deno.test("a fork's source is the one transcript beside it whose last answer was when the fork says", async () => {
  await using dir = await tempDir();
  const now = new Date("2026-03-01T12:00:00Z");
  const answer = (iso: string) =>
    JSON.stringify({ type: "assistant", timestamp: iso, message: { role: "assistant" } });
  const write = (name: string, ...lines: string[]) =>
    Deno.writeTextFile(join(dir.path, name), lines.join("\n") + "\n");
  await write("parent.jsonl", answer("2026-03-01T11:59:00Z"), answer("2026-03-01T11:59:50Z"));
  await write("other.jsonl", answer("2026-03-01T11:00:00Z"));
  const fork = join(dir.path, "fork.jsonl");
  assertEquals(await forkSource(fork, 10, now), join(dir.path, "parent.jsonl"));
  // Nothing answered then: no source.
  assertEquals(await forkSource(fork, 30, now), null);
  // Two that fit: no guess.
  await write("twin.jsonl", answer("2026-03-01T11:59:51Z"));
  assertEquals(await forkSource(fork, 10, now), null);
});
