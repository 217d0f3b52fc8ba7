/**
 * A repository someone clones cannot point mpm's vault at a file of theirs: the hooks' sightings
 * (`threads/<key>/claude-sessions.jsonl`) are sealed per line with this machine's key, and a
 * committed line's transcript path is never read. A committed line naming a conversation this
 * machine's Claude Code really holds for this checkout is copied from where mpm computes that
 * transcript to be, never from the path the line gives.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes } from "../assert.ts";
import { withClones } from "../helpers.ts";
import {
  claudeEnds,
  claudeStarts,
  commitAndPull,
  filesUnder,
  manifest,
  promptLine,
  REAL,
  REAL_ID,
  runner,
  transcriptPath,
  vaultDir,
} from "./vault_helpers.ts";

const PRIVATE = "PRIVATE-NOTES-OF-BOB do not share";
const EVIL_ID = "0e0e0e0e-1111-4222-8333-444455556666";

function sighting(id: string, path: string): string {
  return JSON.stringify({
    time: "2099-01-01T00:00:00.000Z",
    event: "SessionStart",
    claude_session_id: id,
    transcript_path: path,
    detail: "startup",
  });
}

Deno.test("a clone's committed sightings never point the vault at a file", async (t) => {
  await using clones = await withClones();
  const { a, b } = clones;
  // A file of B's that reads like a transcript, outside Claude Code's folder.
  const secret = join(b.home, "notes", "private.jsonl");
  await Deno.mkdir(join(b.home, "notes"), { recursive: true });
  await Deno.writeTextFile(secret, promptLine(EVIL_ID, PRIVATE) + "\n");
  // B's own conversation in this checkout, which a committed (unsealed) line names too.
  await Deno.mkdir(join(transcriptPath(b, REAL_ID), ".."), { recursive: true });
  await Deno.copyFile(REAL, transcriptPath(b, REAL_ID));

  await commitAndPull(a, b, {
    ".claude-mpm/threads/s-0123abcd/claude-sessions.jsonl": [
      sighting(EVIL_ID, secret),
      sighting(REAL_ID, secret),
    ].join("\n") + "\n",
  });

  await t.step("vault sync copies nothing from the path a line names", async () => {
    const report = JSON.parse((await runner(b).ok(["vault", "sync", "--json"])).stdout);
    const names = await filesUnder(vaultDir(b));
    assert(!names.some((n) => n.startsWith(EVIL_ID)), names.join(", "));
    // Nothing of the forged id is reported lost either: it was never the person's.
    assertNotIncludes(JSON.stringify(report), EVIL_ID);
    const own = await manifest(b, REAL_ID);
    assertEquals(own.transcript, transcriptPath(b, REAL_ID));
    assertEquals(own.files[0].source_bytes, (await Deno.stat(REAL)).size);
  });

  await t.step("search finds nothing of the file", async () => {
    const found = JSON.parse((await runner(b).ok(["search", "PRIVATE-NOTES", "--json"])).stdout);
    assertEquals(found.total, 0);
  });

  await t.step("the hooks' own lines still count, sealed", async () => {
    await runner(b).ok(["start", "payments"]);
    const id = "1a1a1a1a-2222-4333-8444-555566667777";
    await claudeStarts(b, id, REAL);
    await claudeEnds(b, id);
    const record = await manifest(b, id);
    assertEquals(record.transcript, transcriptPath(b, id));
    const [key] = (await filesUnder(join(b.path, ".claude-mpm", "threads")))
      .filter((n) => n.endsWith("claude-sessions.jsonl") && !n.startsWith("s-0123abcd"));
    const lines = (await Deno.readTextFile(join(b.path, ".claude-mpm", "threads", key)))
      .trim().split("\n");
    assert(lines.every((l) => /"seal":"[0-9a-f]{64}"\}$/.test(l)), lines.join("\n"));
  });
});
