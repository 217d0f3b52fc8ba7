/**
 * A transcript many times the size of the piece the vault's copy redacts and indexes at once
 * (src/vault/copy/segment_bytes.ts): `mpm vault sync` copies it, and what the vault serves back
 * is its lines, each redacted as a line alone is, with every prompt in the search index at the
 * time it carries (a line without its own takes the one before it, across a piece's end too).
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes } from "../assert.ts";
import { withRepo } from "../helpers.ts";
import { heldCopy, vaultedLines } from "../../src/vault/records/read.ts";
import { streamLines } from "../../src/vault/records/store.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { redactLine } from "../../src/vault/copy/segment.ts";
import { PIECE_BYTES } from "../../src/vault/copy/segment_bytes.ts";
import { payload, runner, transcriptPath } from "./vault_helpers.ts";

const SECRET = "ghp_1234567890abcdefghijABCDEFGHIJ123456";

/** Prompt `i`: some with a secret, some with no time of their own, some beyond ASCII. */
function prompt(id: string, i: number): { line: string; time: string | null } {
  const time = i % 7 === 3 ? null : new Date(Date.UTC(2026, 10, 26, 10, 0, i)).toISOString();
  const words = i % 50 === 0
    ? `export GITHUB_TOKEN=${SECRET}`
    : `step ${i} déjà 日本 ${"w".repeat(150)}`;
  const line = JSON.stringify({
    type: "user",
    uuid: `u-${i}`,
    ...(time === null ? {} : { timestamp: time }),
    sessionId: id,
    message: { role: "user", content: `prompt ${i}: ${words}` },
  });
  return { line, time };
}

Deno.test("a transcript of many pieces comes back from the vault line for line, redacted", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "work"]);
  const id = "0c0ffee0-0000-4000-8000-00000000b1c5";
  const transcript = transcriptPath(repo, id);
  await Deno.mkdir(join(transcript, ".."), { recursive: true });
  await ok(["hook", "session-start"], payload(repo, "SessionStart", id, { source: "startup" }));
  const prompts = Array.from({ length: 3000 }, (_, i) => prompt(id, i));
  const text = prompts.map((p) => p.line + "\n").join("");
  assert(text.length > 8 * PIECE_BYTES, `${text.length} bytes, pieces of ${PIECE_BYTES}`);
  await Deno.writeTextFile(transcript, text);

  const report = JSON.parse((await ok(["vault", "sync", "--json"])).stdout);
  assertEquals([report.copied.map((c: { id: string }) => c.id), report.cut], [[id], []]);

  useMachineKeyFrom({ HOME: repo.home }, repo.home);
  const paths = projectPaths(repo.path);
  const copy = await heldCopy(paths, id);
  assert(copy !== undefined);
  const copied: string[] = [];
  for await (const lines of vaultedLines(paths, copy)) copied.push(...lines);
  assertEquals(copied, prompts.map((p) => redactLine(p.line)));
  assertNotIncludes(copied.join("\n"), SECRET);
  assertEquals(copy.files[0].lines, prompts.length);

  let talk = "";
  for await (const piece of streamLines(paths, id, copy.index.talk)) talk += piece;
  const records = talk.trim().split("\n").map((l) => JSON.parse(l));
  let last: string | null = null;
  const times = prompts.map((p) => last = p.time ?? last);
  assertEquals(records.map((r) => r.t), times);
  assertEquals(records.map((r) => r.x.split(":")[0]), prompts.map((_, i) => `prompt ${i}`));
});
