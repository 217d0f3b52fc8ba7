import { assertEquals, assertStringIncludes } from "../../../../tests/assert.ts";
import { tempDir } from "../../../../tests/helpers.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { sightingsFile } from "./claude_sessions.ts";
import { recordSighting } from "./claude_sessions_store.ts";

const ID = "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11";
const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

function seen(event: string, path: string | null, id = ID) {
  return {
    time: "2026-01-02T03:04:05.000Z",
    event,
    claude_session_id: id,
    transcript_path: path,
    detail: null,
  };
}

async function lines(file: string): Promise<string[]> {
  return (await Deno.readTextFile(file)).trim().split("\n");
}

Deno.test("Stop and PreCompact record a pair only when the file lacks it", async () => {
  await using dir = await tempDir();
  const paths = projectPaths(dir.path);
  const file = sightingsFile(paths, "s-1");
  assertEquals(await recordSighting(paths, "s-1", seen("SessionStart", "/t/a.jsonl")), true);
  assertEquals(await recordSighting(paths, "s-1", seen("Stop", "/t/a.jsonl")), false);
  assertEquals(await recordSighting(paths, "s-1", seen("Stop", "/t/b.jsonl")), true);
  assertEquals(await recordSighting(paths, "s-1", seen("PreCompact", "/t/b.jsonl")), false);
  assertEquals(await recordSighting(paths, "s-1", seen("Stop", null)), true);
  assertEquals(await recordSighting(paths, "s-1", seen("Stop", null)), false);
  assertEquals(await recordSighting(paths, "s-1", seen("Stop", "/t/a.jsonl", "other")), true);
  assertEquals((await lines(file)).length, 4);
});

Deno.test("a transcript path holding a secret is stored redacted, and known as such", async () => {
  await using dir = await tempDir();
  const paths = projectPaths(dir.path);
  const file = sightingsFile(paths, "s-1");
  const path = `/home/u/.claude/projects/${TOKEN}/t.jsonl`;
  assertEquals(await recordSighting(paths, "s-1", seen("SessionStart", path)), true);
  assertEquals(await recordSighting(paths, "s-1", seen("Stop", path)), false);
  const stored = await lines(file);
  assertEquals(stored.length, 1);
  assertStringIncludes(stored[0], "[REDACTED:github-token]");
  assertEquals(stored[0].includes(TOKEN), false);
});
