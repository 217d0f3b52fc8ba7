/**
 * A transcript path that names something other than a regular file is no transcript
 * (claude/transcript/transcript_kind.ts) where the vault reads it too: a sealed sighting whose
 * path a FIFO took since, or a FIFO where Claude Code keeps the conversation's transcript. The
 * vault never opens it, copies nothing from it, reports no cut copy and no lost transcript, and
 * `mpm doctor` counts none.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes } from "../assert.ts";
import { hangGuard, withRepo } from "../helpers.ts";
import { recordClaudeSighting } from "../../src/sessions/store/claude/claude_sessions_store.ts";
import { parsePayload } from "../../src/claude/session/payload.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
import { runner, transcriptPath } from "./vault_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function mkfifo(path: string): Promise<boolean> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  return (await new Deno.Command("mkfifo", { args: [path] }).output().catch(() => null))
    ?.success === true;
}

Deno.test("a FIFO at a recorded path, or where Claude Code keeps a transcript, is none to the vault", async () => {
  await using repo = await withRepo();
  const { ok } = runner(repo);
  await ok(["start", "work"]);
  const recorded = join(repo.home, "pipe.jsonl");
  const ownId = "0c0ffee0-0000-4000-8000-0000000f1f01";
  const placedId = "0c0ffee0-0000-4000-8000-0000000f1f02";
  if (!await mkfifo(recorded) || !await mkfifo(transcriptPath(repo, placedId))) {
    console.log("skipped: mkfifo is not available here");
    return;
  }
  const paths = projectPaths(repo.path);
  // Sealed with the key under this HOME, as the hook's own run seals it.
  useMachineKeyFrom({ HOME: repo.home }, repo.home);
  const sight = async (id: string, event: string, path: string | undefined, extra: Json) => {
    const parsed = parsePayload(JSON.stringify({
      session_id: id,
      ...(path === undefined ? {} : { transcript_path: path }),
      cwd: repo.path,
      hook_event_name: event,
      ...extra,
    }));
    if (!parsed.ok) throw new Error(parsed.error);
    await recordClaudeSighting(paths, parsed.payload, new Date());
  };
  // Recorded before a FIFO took the path: the conversation's transcript, seen during it.
  await sight(ownId, "SessionStart", recorded, { source: "startup" });
  await sight(ownId, "Stop", recorded, { stop_hook_active: false });
  // A conversation whose transcript the hooks were not told, looked for where Claude Code keeps
  // it: a FIFO there.
  await sight(placedId, "SessionStart", undefined, { source: "startup" });
  await sight(placedId, "Stop", undefined, { stop_hook_active: false });

  const synced = await hangGuard(ok(["vault", "sync", "--json"]), "vault sync over FIFOs");
  const report = JSON.parse(synced.stdout);
  assertEquals([report.copied, report.cut, report.missing], [[], [], []]);
  assertNotIncludes(synced.stdout, "pipe.jsonl");
  assertNotIncludes(synced.stdout, "not a regular file");
  const doctor = JSON.parse(
    (await hangGuard(ok(["doctor", "--json"]), "doctor over FIFOs")).stdout,
  );
  assertEquals(
    (doctor.checks as Json[]).filter((c) => c.id === "vault" && c.status !== "ok"),
    [],
  );
  const listed = JSON.parse((await ok(["vault", "list", "--json"])).stdout);
  assertEquals(listed, []);
});
