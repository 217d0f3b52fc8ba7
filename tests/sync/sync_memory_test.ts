/**
 * A remote is someone else's, and a pull must not take the teammate's memory with it: `mpm sync`
 * reads and checks the remote's records a batch at a time and keeps none of their text once
 * checked (a pull reads each batch again as it imports it), and a vault record that declares a
 * segment larger than any mpm writes is refused unread.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { git, okJson, withClones } from "../helpers.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { readLocal } from "../../src/sync/local/local.ts";
import { readRemote } from "../../src/sync/remote/remote.ts";
import { fetchSessions } from "../../src/sync/remote/refs.ts";
import { readRemoteCopies } from "../../src/sync/remote/transcripts.ts";
import { MEMBER_RAW_BYTES } from "../../src/vault/copy/import.ts";
import {
  claudeEnds,
  claudeStarts,
  manifest,
  promptLine,
  REAL,
  REAL_ID,
  runner,
} from "../vault/vault_helpers.ts";

Deno.test("sync keeps no remote record's text once checked, and a pull still imports each whole", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    const words = `Pause ${n}: ${"the refunds table and its migration ".repeat(2000)}`;
    ids.push((await okJson(a, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id);
  }
  await okJson(a, "sync", "push", "--json");

  const base = await fetchSessions(b.path, "origin");
  assert(base !== null);
  const local = await readLocal(projectPaths(b.path), ["session"]);
  const remote = await readRemote(b.path, base, local, ["session"], "origin");
  assertEquals(remote.files.map((f) => f.id).sort(), ids.sort());
  for (const file of remote.files) {
    assertEquals([file.text, file.record], ["", null], `${file.id} was kept whole`);
    assert(file.blobs !== undefined && file.blobs.size > 60_000, `${file.id} can be read again`);
  }

  const pulled = await okJson(b, "sync", "pull", "--json");
  assertEquals(pulled.imported.map((m: { id: string }) => m.id).sort(), ids.sort());
  for (const id of ids) {
    const path = (repo: typeof a) => join(repo.path, ".claude-mpm", "sessions", `${id}.json`);
    const theirs = JSON.parse(await Deno.readTextFile(path(a)));
    const mine = JSON.parse(await Deno.readTextFile(path(b)));
    assertEquals(mine.conversation.summary, theirs.conversation.summary);
  }
});

Deno.test("a vault record declaring a segment larger than mpm writes is refused unread", async () => {
  await using clones = await withClones();
  const { a } = clones;
  const id = "5e5e5e5e-1111-4222-8333-444455556666";
  const data = `${id}.0.jsonl.gz`;
  const record = {
    schema_version: 1,
    claude_session_id: id,
    keys: [],
    transcript: null,
    generation: 1,
    first_vaulted: "2026-01-01T00:00:00.000Z",
    last_vaulted: "2026-01-01T00:00:00.000Z",
    first_entry: null,
    last_entry: null,
    files: [{
      source: `${id}.jsonl`,
      data,
      segments: [{ bytes: 4, raw_bytes: 2 * 1024 * 1024 * 1024 - 1, sha256: "0".repeat(64) }],
      source_bytes: 10,
      source_mtime: null,
      head_sha256: null,
      tail_sha256: null,
      lines: 1,
      partial_bytes: 0,
      skipped_lines: 0,
      cut: null,
    }],
    index: {
      talk: { data: `${id}.talk.gz`, segments: [] },
      tools: { data: `${id}.tools.gz`, segments: [] },
    },
    dropped: null,
  };
  const write = async (name: string, text: string) => {
    const file = join(a.path, "..", name);
    await Deno.writeTextFile(file, text);
    return (await git(a.path, "hash-object", "-w", file)).trim();
  };
  const entries = [
    { path: `vault/${id}.json`, sha: await write("r.json", JSON.stringify(record)) },
    { path: `vault/${data}`, sha: await write("d.gz", "gzip") },
  ];
  const listed = await Promise.all(entries.map(async (e) => ({
    mode: "100644",
    type: "blob",
    sha: e.sha,
    path: e.path,
    size: Number((await git(a.path, "cat-file", "-s", e.sha)).trim()),
  })));
  const side = await readRemoteCopies(a.path, listed, "origin");
  assertEquals(side.copies.size, 0);
  assertStringIncludes(side.refused[0]?.reason ?? "", "larger than any mpm writes");
});

Deno.test("a pull imports a copy's segment a piece at a time, in members of about a megabyte", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await runner(a).ok(["start", "payments"]);
  // About 3 MB of prompts: one segment on A, many pieces and a few members for the import.
  const prompts = Array.from(
    { length: 3000 },
    (_, i) => promptLine(REAL_ID, `Prompt ${i}: ${"the refunds ledger ".repeat(50)}`),
  );
  prompts.push(promptLine(REAL_ID, "the very last prompt, about the ledger cutover"));
  await claudeStarts(a, REAL_ID, REAL, { extraLines: prompts });
  await claudeEnds(a, REAL_ID);
  const theirs = await manifest(a, REAL_ID);
  assertEquals(theirs.files[0].segments.length, 1);
  assert(theirs.files[0].segments[0].raw_bytes > 2 * MEMBER_RAW_BYTES);
  await okJson(a, "sync", "push", "--json");

  const pulled = await okJson(b, "sync", "pull", "--json");
  assertEquals(pulled.transcripts.moved, [REAL_ID]);
  const mine = await manifest(b, REAL_ID);
  const segments: { raw_bytes: number }[] = mine.files[0].segments;
  assert(segments.length >= 2, `${segments.length} segments`);
  // Each member is about MEMBER_RAW_BYTES (and the piece that passed it): what the import held.
  for (const s of segments) assert(s.raw_bytes < 2 * MEMBER_RAW_BYTES, `${s.raw_bytes}`);
  assertEquals(mine.files[0].lines, theirs.files[0].lines);
  const found = await okJson(b, "search", "ledger cutover", "--json");
  assertEquals(found.total, 1);
});
