import { assert, assertEquals } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { checksumLine } from "../../../kernel/hashing/checksum.ts";
import { jsonSealVerifies, SEAL_PLACEHOLDER, sealJsonText } from "../../../kernel/hashing/seal.ts";
import { serializeSnapshot, type Snapshot } from "../../../kernel/snapshot.ts";
import { yamlText } from "../../../kernel/format/yaml.ts";
import { discardStaged, placeStaged } from "../../../disk/files/atomic.ts";
import { buildSnapshot } from "../session/build_snapshot.ts";
import { ONE_PIECE, sealed, stageRecord, stageYaml } from "./sealed_record.ts";

const KEY = "5a".repeat(32);

/** A pause of `paths` staged paths under vendor/. */
function pauseOf(paths: number): Snapshot {
  const snapshot = buildSnapshot({
    summary: "Vendored the SDK",
    accomplishments: [],
    nextSteps: ["Trim what we use"],
    todos: [],
  }, {
    id: "session-20260301-100000-123abc",
    now: new Date("2026-03-01T10:00:00.123Z"),
    git: null,
    projectPath: "/p",
    version: "0.1.0",
    build: "dev",
  });
  const staged = Array.from({ length: paths }, (_, i) => `vendor/pkg${i >> 10}/f${i}.js`);
  return {
    ...snapshot,
    git_context: {
      branch: "main",
      commit: "a".repeat(40),
      commit_message: "init",
      detached: false,
      upstream: null,
      status: {
        modified: [],
        staged,
        untracked: ["notes é.txt"],
        deleted: [],
        renamed: [],
        conflicted: [],
      },
      is_clean: false,
      ahead_behind: null,
    },
  } as Snapshot;
}

/** What the one-piece writer wrote: the whole text with the placeholder, sealed in place. */
function onePiece(snapshot: Snapshot, key: string | null): string {
  if (key === null) return serializeSnapshot(snapshot);
  const placeholder = { ...snapshot, mpm: { ...snapshot.mpm, seal: SEAL_PLACEHOLDER } };
  return sealJsonText(serializeSnapshot(placeholder), key).text;
}

async function folder() {
  const root = await Deno.makeTempDir({ prefix: "mpm-sealed-" });
  return { root, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

Deno.test("a record in pieces is written, sealed and checksummed as the one-piece writer did", async () => {
  await using dir = await folder();
  const snapshot = pauseOf(80_000);
  for (const key of [KEY, null]) {
    const expected = onePiece(snapshot, key);
    assert(expected.length > ONE_PIECE, "the record is larger than one piece");
    const record = await sealed(snapshot, key);
    assert("pieces" in record, "a record this large is written in pieces");
    const path = join(dir.root, "s.json");
    const { staged, claimLine } = await stageRecord(record, path, "s.json", dir.root);
    await placeStaged([staged]);
    const written = Deno.readTextFileSync(path);
    assertEquals(written, expected);
    assertEquals(await claimLine, checksumLine(expected, "s.json"));
    if (key) assert(jsonSealVerifies(written, record.snapshot.mpm.seal, key));
    const yaml = join(dir.root, "s.yaml");
    await placeStaged([await stageYaml(record, yaml, dir.root)]);
    assertEquals(Deno.readTextFileSync(yaml), yamlText(record.snapshot));
  }
});

Deno.test("a record of usual size is one string, the one-piece writer's bytes", async () => {
  await using dir = await folder();
  const snapshot = pauseOf(10);
  const record = await sealed(snapshot, KEY);
  assert("text" in record);
  assertEquals(record.text, onePiece(snapshot, KEY));
  const { staged, claimLine } = await stageRecord(record, join(dir.root, "s.json"), "s", dir.root);
  assertEquals(await claimLine, checksumLine(record.text, "s"));
  await discardStaged([staged]);
  assertEquals([...Deno.readDirSync(dir.root)], []);
});
