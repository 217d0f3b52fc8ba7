import { assertEquals, assertRejects } from "../../../tests/assert.ts";
import { join } from "../../kernel/path.ts";
import { placeStaged } from "./atomic.ts";
import { stageAtomicStream } from "./stream.ts";

async function folder() {
  const root = await Deno.makeTempDir({ prefix: "mpm-stage-stream-" });
  return { root, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

Deno.test("a streamed file is staged whole, 0600, its bytes seen on the way", async () => {
  await using dir = await folder();
  const path = join(dir.root, "sessions", "s.json");
  let seen = 0;
  const staged = await stageAtomicStream(path, ["a", new Uint8Array([98]), "é"], {
    root: dir.root,
  }, (bytes) => seen += bytes.length);
  assertEquals([...Deno.readDirSync(join(dir.root, "sessions"))].length, 1, "only the temp file");
  await placeStaged([staged]);
  assertEquals(Deno.readTextFileSync(path), "abé");
  assertEquals(seen, 4);
  if (Deno.build.os !== "windows") assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
});

Deno.test("a failure mid-write leaves no partial file and the old one in place", async () => {
  await using dir = await folder();
  const path = join(dir.root, "s.json");
  Deno.writeTextFileSync(path, "old");
  function* pieces() {
    yield "x".repeat(100_000);
    throw new Error("the render failed");
  }
  const error = await assertRejects(() => stageAtomicStream(path, pieces(), { root: dir.root }));
  assertEquals((error as Error).message, "the render failed");
  assertEquals([...Deno.readDirSync(dir.root)].map((e) => e.name), ["s.json"]);
  assertEquals(Deno.readTextFileSync(path), "old");
});
