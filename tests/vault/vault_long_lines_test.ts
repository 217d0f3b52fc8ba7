/**
 * Transcript lines of many megabytes, as a tool's long output or a pasted image makes them: one
 * of 9 MB, a single JSON string with escapes in it, is copied with its secret redacted (redaction
 * once overflowed the stack on such a string); one over the 16 MiB mpm copies is left out once,
 * and read past, also when it ends the transcript — not counted again at every sync, nor waited
 * for by `mpm doctor`.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes } from "../assert.ts";
import { withRepo } from "../helpers.ts";
import { heldCopy, vaultedLines } from "../../src/vault/records/read.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { manifest, payload, promptLine, runner, transcriptPath } from "./vault_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const SECRET = "ghp_1234567890abcdefghijABCDEFGHIJ123456";

/** A tool result line whose output is one string of about `bytes`, lines of text, then a token. */
function toolResultLine(id: string, bytes: number): string {
  const output = ("x".repeat(99) + "\n").repeat(Math.floor(bytes / 100)) + `TOKEN=${SECRET}`;
  return JSON.stringify({
    type: "user",
    uuid: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    sessionId: id,
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_1", content: output }],
    },
  });
}

async function vaultChecks(ok: ReturnType<typeof runner>["ok"]): Promise<Json[]> {
  const doctor = JSON.parse((await ok(["doctor", "--json"])).stdout);
  return (doctor.checks as Json[]).filter((c) => c.id === "vault" && c.status !== "ok");
}

Deno.test("a 9 MB tool output in one line is copied into the vault, its secret redacted", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "work"]);
  const id = "0c0ffee0-0000-4000-8000-000000009a9b";
  const transcript = transcriptPath(repo, id);
  await Deno.mkdir(join(transcript, ".."), { recursive: true });
  await ok(["hook", "session-start"], payload(repo, "SessionStart", id, { source: "startup" }));
  const long = toolResultLine(id, 9 * 1024 * 1024);
  await Deno.writeTextFile(transcript, [promptLine(id, "read the log"), long, ""].join("\n"));
  const synced = await ok(["vault", "sync", "--json"]);
  const report = JSON.parse(synced.stdout);
  assertEquals([report.copied.map((c: Json) => c.id), report.cut], [[id], []]);
  const record = await manifest(repo, id);
  assertEquals(
    [record.files[0].lines, record.files[0].skipped_lines, record.files[0].source_bytes],
    [2, 0, (await Deno.stat(transcript)).size],
  );
  useMachineKeyFrom({ HOME: repo.home }, repo.home);
  const copy = await heldCopy(projectPaths(repo.path), id);
  assert(copy !== undefined);
  let copied = "";
  for await (const lines of vaultedLines(projectPaths(repo.path), copy)) copied += lines.join("\n");
  assertNotIncludes(copied, SECRET);
  assert(copied.includes("TOKEN=[REDACTED:github-token]"), "the token is there, redacted");
});

Deno.test("a line over 16 MiB that ends the transcript is left out once, and not waited for", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "work"]);
  const id = "0c0ffee0-0000-4000-8000-00000000b16b";
  const transcript = transcriptPath(repo, id);
  await Deno.mkdir(join(transcript, ".."), { recursive: true });
  await ok(["hook", "session-start"], payload(repo, "SessionStart", id, { source: "startup" }));
  // A prompt, then a line of 17 MiB (sparse: no disk, little time).
  const first = new TextEncoder().encode(promptLine(id, "paste the screenshot") + "\n");
  {
    using file = await Deno.open(transcript, { write: true, create: true });
    await file.write(first);
    await file.truncate(first.length + 17 * 1024 * 1024);
    await file.seek(0, Deno.SeekMode.End);
    await file.write(new TextEncoder().encode("\n"));
  }
  const size = (await Deno.stat(transcript)).size;
  const once = JSON.parse((await ok(["vault", "sync", "--json"])).stdout);
  assertEquals(once.cut.length, 1, JSON.stringify(once.cut));
  assertEquals(
    [
      (await manifest(repo, id)).files[0].skipped_lines,
      (await manifest(repo, id)).files[0].source_bytes,
    ],
    [1, size],
  );
  // Read past: the next sync finds nothing new, and says nothing again.
  const again = JSON.parse((await ok(["vault", "sync", "--json"])).stdout);
  assertEquals([again.copied, again.cut, again.messages], [[], [], []]);
  assertEquals((await manifest(repo, id)).files[0].skipped_lines, 1);
  assertEquals(await vaultChecks(ok), []);
});
