/**
 * mpm's Stop and SessionEnd commands for Codex, run by a real `sh` as Codex runs them: the shell
 * is done, and its pipes closed, while mpm (here a stand-in held on a FIFO) is still working,
 * and mpm then gets the whole payload. Codex 0.169.0 waits for a hook's exit and its pipes, so
 * this is what lets `codex exec` end without waiting for mpm.
 */
import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { HANG_GUARD_MS } from "../helpers.ts";
import { waitFor } from "../claude_code/wait.ts";
import { CODEX_HOOK_ENTRIES } from "../../src/agents/codex/hooks.ts";

for (const entry of CODEX_HOOK_ENTRIES.filter((e) => e.event !== "SessionStart")) {
  Deno.test(`codex ${entry.event} hook: the shell returns while mpm still runs, and mpm gets the payload`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "mpm-codex-detached-" });
    try {
      const fifo = join(dir, "hold");
      const got = join(dir, "payload");
      const done = join(dir, "done");
      await new Deno.Command("mkfifo", { args: [fifo] }).output();
      // The stand-in for mpm: takes the payload, then waits until the test lets it go.
      const fake = join(dir, "mpm");
      await Deno.writeTextFile(
        fake,
        `#!/bin/sh\ncat > '${got}.part'; mv '${got}.part' '${got}'; read x < '${fifo}'; ` +
          `echo "$*" > '${done}.part'; mv '${done}.part' '${done}'\n`,
        { mode: 0o755 },
      );
      const payload = JSON.stringify({ session_id: "s-1", hook_event_name: entry.event });
      const child = new Deno.Command("sh", {
        args: ["-c", entry.command],
        env: { MPM_BIN: fake },
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(HANG_GUARD_MS),
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(payload));
      await writer.close();
      // Returns (exit and both pipes at their end) while the stand-in is held on the FIFO.
      const out = await child.output();
      assertEquals([out.code, out.stdout.length, out.stderr.length], [0, 0, 0]);
      assertEquals(await Deno.stat(done).then(() => true, () => false), false);
      const sent = await waitFor(() => Deno.readTextFile(got).catch(() => undefined), {
        what: "the payload the hook hands on",
      });
      // The payload as Codex wrote it, byte for byte.
      assertEquals(sent, payload);
      await Deno.writeTextFile(fifo, "go\n");
      const args = await waitFor(() => Deno.readTextFile(done).catch(() => undefined), {
        what: "the stand-in's end",
      });
      assertEquals(args.trim(), `hook ${entry.verb} --agent codex`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
