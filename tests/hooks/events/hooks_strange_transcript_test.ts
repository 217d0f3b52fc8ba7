/**
 * A `transcript_path` that names something other than a regular file — a FIFO, a device, a
 * socket — is no transcript (claude/transcript/transcript_kind.ts), for every hook alike: never
 * opened (a FIFO would wait for a writer), never recorded as the conversation's transcript, and a
 * SessionEnd naming one is no conversation's end. What the vault and `mpm doctor` then make of the
 * conversation says nothing of the file either.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes } from "../../assert.ts";
import { hangGuard, mpm, okJson, type Repo, withRepo } from "../../helpers.ts";
import { listFiles, snapshots } from "../hooks_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/**
 * The non-regular files this system can make, each with its own Claude session id; `socket` is
 * the listener that keeps the socket's file there (closing it removes the file).
 */
async function strangeFiles(repo: Repo) {
  const files = [{ id: "0c0ffee0-0000-4000-8000-00000000dead", path: "/dev/null", kind: "device" }];
  if (Deno.build.os === "windows") return { files, socket: null };
  const fifo = join(repo.home, "pipe.jsonl");
  if ((await new Deno.Command("mkfifo", { args: [fifo] }).output().catch(() => null))?.success) {
    files.push({ id: "0c0ffee0-0000-4000-8000-0000000f1f00", path: fifo, kind: "FIFO" });
  }
  const path = join(repo.home, "socket.jsonl");
  const socket = Deno.listen({ transport: "unix", path });
  assert((await Deno.lstat(path)).isSocket);
  files.push({ id: "0c0ffee0-0000-4000-8000-00000050c4e7", path, kind: "socket" });
  return { files, socket };
}

Deno.test("a transcript_path naming a FIFO, a device or a socket is recorded, paused and copied as none", async () => {
  await using repo = await withRepo();
  const env = { HOME: repo.home, TZ: "UTC" };
  const run = (args: string[], stdin?: string) => mpm(args, { cwd: repo.path, env, stdin });
  assertEquals((await run(["start", "work"])).code, 0);
  const before = (await snapshots(repo)).length;
  const { files, socket } = await strangeFiles(repo);
  using _socket = socket ?? undefined;
  for (const { id, path, kind } of files) {
    for (
      const [event, name, extra] of [
        ["session-start", "SessionStart", { source: "startup" }],
        ["checkpoint", "Stop", { stop_hook_active: false }],
        ["session-end", "SessionEnd", { reason: "prompt_input_exit" }],
      ] as const
    ) {
      const stdin = JSON.stringify({
        session_id: id,
        transcript_path: path,
        cwd: repo.path,
        hook_event_name: name,
        ...extra,
      });
      // Nobody ever writes to the FIFO: a hook that opened it would wait until the hang guard.
      const result = await hangGuard(
        run(["hook", event], stdin),
        `mpm hook ${event}, its transcript a ${kind}`,
      );
      assertEquals(result.code, 0, result.stderr);
      assertNotIncludes(result.stderr, path, `${event} with a ${kind}`);
    }
  }
  // Seen, with no transcript: no line names one, and no SessionEnd was a conversation's end.
  const threads = join(repo.path, ".claude-mpm", "threads");
  const lines = (await listFiles(threads)).filter((f) => f.endsWith("/claude-sessions.jsonl"))
    .flatMap((f) => Deno.readTextFileSync(join(threads, f)).trim().split("\n"))
    .map((line) => JSON.parse(line) as Json);
  assert(lines.length > 0, "the starts were recorded");
  assertEquals(lines.filter((l) => l.transcript_path !== null), []);
  assertEquals(lines.filter((l) => l.event === "SessionEnd"), []);
  assertEquals((await snapshots(repo)).length, before);
  // The vault has nothing to copy or cut, and doctor counts no transcript lost.
  const synced = await okJson(repo, "vault", "sync", "--json");
  assertEquals([synced.copied, synced.cut, synced.missing], [[], [], []]);
  const doctor = await okJson(repo, "doctor", "--json");
  assertEquals(
    (doctor.checks as Json[]).filter((c) => c.id === "vault" && c.status !== "ok"),
    [],
  );
});
