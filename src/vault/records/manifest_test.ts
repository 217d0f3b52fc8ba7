import { assert, assertEquals, assertThrows } from "../../../tests/assert.ts";
import { IntegrityError } from "../../kernel/errors.ts";
import {
  dataName,
  decodeManifest,
  emptyManifest,
  encodeManifest,
  idOfName,
  isDataName,
  storedBytes,
} from "./manifest.ts";

const ID = "cadbfc5a-a60b-4b11-b6dd-f1e040faa948";

Deno.test("data file names: each generation's, and only the session's own", () => {
  assertEquals(dataName(ID, 1, 0), `${ID}.0.jsonl.gz`);
  assertEquals(dataName(ID, 2, "talk"), `${ID}.g2.talk.gz`);
  assert(isDataName(`${ID}.g3.12.jsonl.gz`, ID));
  assert(!isDataName(`${ID}.0.jsonl.gz`, "other"));
  assert(!isDataName(`${ID}/../../x.gz`, ID));
  assertEquals(idOfName(`${ID}.json`), ID);
  assertEquals(idOfName(`${ID}.tools.gz`), ID);
  assertEquals(idOfName(".lock"), undefined);
});

Deno.test("a record round-trips; one naming another file, another session or a newer schema is refused", () => {
  const m = emptyManifest(ID, "2026-11-23T10:00:00.000Z");
  m.index.talk.segments.push({ bytes: 10, raw_bytes: 40, sha256: "a".repeat(64) });
  assertEquals(decodeManifest(encodeManifest(m), ID, "x"), m);
  assertEquals(storedBytes(m), 10);
  const foreign = {
    ...m,
    index: { ...m.index, talk: { ...m.index.talk, data: "../../state.json" } },
  };
  const refused = assertThrows(() => decodeManifest(JSON.stringify(foreign), ID, "x"));
  assert(refused instanceof IntegrityError && refused.exitCode === 4);
  assertThrows(
    () => decodeManifest(encodeManifest(m), "another-id", "x"),
    /another Claude session/,
  );
  assertThrows(
    () => decodeManifest(JSON.stringify({ ...m, schema_version: 9 }), ID, "x"),
    /newer mpm/,
  );
  assertThrows(() => decodeManifest("{", ID, "x"), /not valid JSON/);
});
