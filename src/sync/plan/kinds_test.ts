import {
  assert,
  assertEquals,
  assertMatch,
  assertNotIncludes,
  assertThrows,
} from "../../../tests/assert.ts";
import { buildCheckpoint, serializeCheckpoint } from "../../checkpoints/checkpoint.ts";
import { checksumLine, sha256Hex } from "../../kernel/hashing/checksum.ts";
import { buildSnapshot } from "../../sessions/store/session/build_snapshot.ts";
import { serializeSnapshot } from "../../kernel/snapshot.ts";
import { CHECKPOINT_KIND, sameJson, SESSION_KIND, verifyFile } from "./kinds.ts";
import { secretsIn } from "../../kernel/safe_text/record_text.ts";
import { holdsSecretDeep } from "../../kernel/safe_text/record_text.ts";
import { yamlText } from "../../kernel/format/yaml.ts";

const X = "session-20260101-120000";
const encode = (text: string) => new TextEncoder().encode(text);

function snapshotText(id = X): string {
  return serializeSnapshot(buildSnapshot({
    summary: "Payments",
    accomplishments: [],
    nextSteps: [],
    todos: [],
  }, {
    id,
    now: new Date("2026-01-01T12:00:00Z"),
    git: null,
    projectPath: "/elsewhere/project",
    version: "0.1.0",
    build: "test",
  }));
}

function checkpointText(name = "v1"): string {
  return serializeCheckpoint(buildCheckpoint({
    name,
    now: new Date("2026-01-01T12:00:00Z"),
    projectPath: "/p",
    version: "0.1.0",
    build: "test",
    git: null,
    session: null,
    todos: [],
    stack: [],
  }));
}

function verify(text: string, sum: string | undefined, id = X) {
  return verifyFile(
    SESSION_KIND,
    id,
    encode(text),
    sum === undefined ? undefined : encode(sum),
    `r/${id}.json`,
    "/here",
  );
}

Deno.test("verifyFile accepts a snapshot whose checksum, schema and id agree", () => {
  const text = snapshotText();
  const ok = verify(text, checksumLine(text, `${X}.json`));
  assertEquals(ok.sha256, sha256Hex(text));
  assertEquals(ok.origin, undefined);
  assertEquals((ok.record as { project_path: string }).project_path, "/elsewhere/project");
});

Deno.test("verifyFile refuses each way a stored file can be wrong", () => {
  const text = snapshotText();
  const sum = checksumLine(text, `${X}.json`);
  assertThrows(() => verify(text, undefined), /no checksum file/);
  assertThrows(() => verify(text, "garbage\n"), /sha256sum format/);
  assertThrows(() => verify(text, checksumLine(text, "other.json")), /checksum of another file/);
  assertThrows(() => verify(text.replace("Payments", "Pwned"), sum), /does not match its checksum/);
  const newer = text.replace('"schema_version": 1', '"schema_version": 99');
  assertThrows(() => verify(newer, checksumLine(newer, `${X}.json`)), /newer mpm/);
  const other = snapshotText("session-20260101-120001");
  assertThrows(() => verify(other, checksumLine(other, `${X}.json`)), /names another session/);
  const legacy = '{"session_id": "x"}';
  assertThrows(() => verify(legacy, checksumLine(legacy, `${X}.json`)), /no schema_version/);
  const bad = new Uint8Array([0xff, 0xfe]);
  assertThrows(
    () => verifyFile(SESSION_KIND, X, bad, encode(checksumLine(bad, `${X}.json`)), "f", "/"),
    /not UTF-8/,
  );
});

Deno.test("a renamed snapshot verifies under its new id and keeps its first origin", () => {
  const text = snapshotText();
  const renamed = SESSION_KIND.rename(text, `${X}-2`, sha256Hex(text));
  const ok = verify(renamed, checksumLine(renamed, `${X}-2.json`), `${X}-2`);
  assertEquals(ok.origin, { id: X, sha256: sha256Hex(text) });
  const record = JSON.parse(renamed);
  assertEquals(record.session_id, `${X}-2`);
  assertMatch(record.mpm.notes.at(-1), /Renamed from session-20260101-120000/);
  assertEquals(record.conversation, JSON.parse(text).conversation);
  const again = SESSION_KIND.rename(renamed, `${X}-3`, sha256Hex(renamed));
  assertEquals(SESSION_KIND.originOf(JSON.parse(again)), { id: X, sha256: sha256Hex(text) });
});

Deno.test("a pulled snapshot is redacted as a pause would: its words lose the secret, its branch and paths stay exact", async () => {
  const secret = "ghp_" + "R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaE2uT";
  const raw = JSON.parse(snapshotText());
  raw.conversation.summary = `Rotated the deploy token ${secret}`;
  raw.git_context = {
    branch: `fix/${secret}`,
    commit: "3f2a9c1e7b4d4e2a9c1f2b7e8d9a0c11deadbeef",
    commit_message: "Rotate",
    detached: false,
    upstream: `origin/fix/${secret}`,
    status: {
      modified: [`keys/${secret}.txt`],
      staged: [],
      untracked: [],
      deleted: [],
      renamed: [],
      conflicted: [],
    },
    is_clean: false,
    ahead_behind: null,
  };
  // What no mpm writes, only a hand edit or a forgery: a secret under a telling name, and a
  // nesting deep enough to exhaust the call stack.
  raw.mpm.api_key = "hunter2";
  let deep: unknown = "bottom";
  for (let i = 0; i < 5_000; i++) deep = { inner: deep };
  raw.mpm.extra = deep;
  // Unindented: indenting 5,000 levels would make a text of tens of megabytes.
  const text = JSON.stringify(raw) + "\n";

  const cleaned = await SESSION_KIND.clean(JSON.parse(text), sha256Hex(text));
  assert(cleaned !== undefined, "there was something to redact");
  const out = JSON.stringify(cleaned, null, 2) + "\n";
  const record = JSON.parse(out);
  assertNotIncludes(record.conversation.summary, secret);
  assertMatch(record.conversation.summary, /^Rotated the deploy token \[REDACTED:github-token\]$/);
  assertEquals(record.git_context.branch, `fix/${secret}`);
  assertEquals(record.git_context.upstream, `origin/fix/${secret}`);
  assertEquals(record.git_context.status.modified, [`keys/${secret}.txt`]);
  assertEquals(record.mpm.api_key, "[REDACTED:secret]");
  assertNotIncludes(JSON.stringify(record.mpm.extra), "bottom");
  assertEquals(record.mpm.sync_origin, { session_id: X, sha256: sha256Hex(text) });
  assertMatch(record.mpm.notes.at(-1), /redacted by mpm sync pull/);
  // What is stored is still a snapshot, and redacting it again changes nothing.
  verify(out, checksumLine(out, `${X}.json`));
  assertEquals(await SESSION_KIND.clean(JSON.parse(out), sha256Hex(out)), undefined);
  // What is left to hold back from a push is in the exact fields, seen without redacting again.
  assertEquals(secretsIn(SESSION_KIND.fields, JSON.parse(text)), { free: true, exact: true });
  assert(holdsSecretDeep(cleaned));
});

Deno.test("one walk finds what the writer redacts and what push holds back, copying nothing", async () => {
  const secret = "ghp_" + "R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaE2uT";
  const raw = JSON.parse(snapshotText());
  const cases: [string, (r: typeof raw) => void][] = [
    ["none", () => {}],
    ["in the words", (r) => r.conversation.summary = `token ${secret}`],
    ["under a telling key", (r) => r.mpm.api_key = "hunter2"],
    ["in an exact path", (r) => r.project_path = `/keys/${secret}`],
    ["nested too deep", (r) => {
      let deep: unknown = "bottom";
      for (let i = 0; i < 100; i++) deep = { inner: deep };
      r.mpm.parent = [deep];
    }],
  ];
  for (const [name, change] of cases) {
    const record = structuredClone(raw);
    change(record);
    const cleaned = await SESSION_KIND.clean(record, "0".repeat(64));
    const found = secretsIn(SESSION_KIND.fields, record);
    assertEquals(found.free, cleaned !== undefined, `${name}: whether the writer redacts`);
    assertEquals(found.exact, holdsSecretDeep(cleaned ?? record), `${name}: what push holds`);
    assertEquals(found.free || found.exact, name !== "none", name);
  }
});

Deno.test("an imported snapshot's YAML is made in pieces, the same bytes as yamlText", () => {
  const record = JSON.parse(snapshotText());
  record.mpm.work_files = Array.from({ length: 10_000 }, (_, i) => `vendor/m${i}/index.js`);
  const yaml = SESSION_KIND.render(record).yaml;
  assert(yaml instanceof Uint8Array, "bytes, not one more long string");
  assertEquals(new TextDecoder().decode(yaml), yamlText(record));
});

Deno.test("checkpoints: verified, renamed with -N within the name limit, rendered as md", () => {
  const text = checkpointText();
  const ok = verifyFile(
    CHECKPOINT_KIND,
    "v1",
    encode(text),
    encode(checksumLine(text, "v1.json")),
    "c",
    "/",
  );
  assertEquals(Object.keys(CHECKPOINT_KIND.render(ok.record)), ["md"]);
  const renamed = CHECKPOINT_KIND.rename(text, "v1-2", ok.sha256);
  const again = verifyFile(
    CHECKPOINT_KIND,
    "v1-2",
    encode(renamed),
    encode(checksumLine(renamed, "v1-2.json")),
    "c",
    "/",
  );
  assertEquals(again.origin, { id: "v1", sha256: ok.sha256 });
  assertThrows(
    () =>
      verifyFile(
        CHECKPOINT_KIND,
        "v2",
        encode(text),
        encode(checksumLine(text, "v2.json")),
        "c",
        "/",
      ),
    /names another checkpoint/,
  );
  assertEquals(CHECKPOINT_KIND.nextFreeId("v1", new Set(["v1-2"])), "v1-3");
  assertEquals(CHECKPOINT_KIND.nextFreeId("a".repeat(100), new Set()).length, 100);
});

Deno.test("sameJson is JSON.stringify's equality, keys in order included, without the text", () => {
  const values: unknown[] = [
    null,
    0,
    1,
    "a",
    "",
    true,
    [],
    {},
    [1, "a"],
    ["a", 1],
    { a: 1, b: [2, { c: "x" }] },
    { b: [2, { c: "x" }], a: 1 },
    { a: 1, b: [2, { c: "y" }] },
    { a: 1 },
    { a: [] },
    { a: {} },
  ];
  for (const a of values) {
    for (const b of values) {
      assertEquals(sameJson(a, b), JSON.stringify(a) === JSON.stringify(b), `${a} ${b}`);
    }
  }
});
