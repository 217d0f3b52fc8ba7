import { assertEquals } from "../../../../tests/assert.ts";
import { tempDir } from "../../../../tests/helpers.ts";
import { object, string } from "../../../kernel/check.ts";
import { hmacSha256Hex } from "../../../kernel/hashing/seal.ts";
import { machineKey, useMachineKeyFrom } from "../../../disk/machine_key.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { cached, cacheFile, type CacheKind, keep } from "./cache.ts";

const KIND: CacheKind<{ from: string; text: string }> = {
  file: "test.json",
  check: object({ from: string(), text: string() }, "strip"),
  maxBytes: 4096,
};

async function project() {
  const dir = await tempDir();
  useMachineKeyFrom({ XDG_STATE_HOME: `${dir.path}/state` });
  const paths = projectPaths(`${dir.path}/repo`);
  await Deno.mkdir(paths.base, { recursive: true });
  return { dir, paths };
}

Deno.test("a kept value is used while its owner finds it fresh, and only then", async () => {
  const { dir, paths } = await project();
  await using _ = dir;
  await keep(paths, KIND, { from: "HEAD-1", text: "told" });
  const fresh = (from: string) => (value: { from: string }) => value.from === from;
  assertEquals(await cached(paths, KIND, fresh("HEAD-1")), { from: "HEAD-1", text: "told" });
  assertEquals(await cached(paths, KIND, fresh("HEAD-2")), null);
  const ignore = await Deno.readTextFile(`${paths.base}/cache/.gitignore`);
  assertEquals(ignore.trim().split("\n").at(-1), "*");
});

Deno.test("a cache another key sealed, another mpm wrote, a link or a bad field is a miss", async () => {
  const { dir, paths } = await project();
  await using _ = dir;
  const always = () => true;
  await keep(paths, KIND, { from: "a", text: "mine" });
  const file = cacheFile(paths, KIND);
  const mine = await Deno.readTextFile(file);
  const { seal: _seal, ...body } = JSON.parse(mine);
  const write = (record: Record<string, unknown>, key: string) => {
    const text = JSON.stringify(record);
    return Deno.writeTextFile(file, JSON.stringify({ ...record, seal: hmacSha256Hex(key, text) }));
  };
  // A forger's key: a cache a repository brought in.
  await write({ ...body, text: "forged" }, "ab".repeat(32));
  assertEquals(await cached(paths, KIND, always), null);
  // This machine's key, but another mpm's build.
  await write({ ...body, mpm: "0.0.0 other" }, machineKey()!);
  assertEquals(await cached(paths, KIND, always), null);
  // Sealed, but not the kind's shape.
  await write({ mpm: body.mpm, from: 1 }, machineKey()!);
  assertEquals(await cached(paths, KIND, always), null);
  // A link to a file that holds exactly what mpm wrote.
  await Deno.writeTextFile(`${dir.path}/elsewhere.json`, mine);
  await Deno.remove(file);
  await Deno.symlink(`${dir.path}/elsewhere.json`, file);
  assertEquals(await cached(paths, KIND, always), null);
  await Deno.remove(file);
  await Deno.writeTextFile(file, mine);
  assertEquals((await cached(paths, KIND, always))?.text, "mine");
});
