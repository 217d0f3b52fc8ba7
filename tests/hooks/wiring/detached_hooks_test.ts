/**
 * mpm's turn-end and end commands for Codex (Stop, SessionEnd) and Gemini (AfterAgent,
 * SessionEnd), run by a real `sh` as each agent runs them: the shell is done, and its pipes
 * closed, while mpm (here a stand-in held on a FIFO) is still working, and mpm then gets the
 * whole payload. Codex 0.169.0 and Gemini 0.61.0 wait for a hook's exit and its pipes, so this
 * is what lets a reply, `codex exec` or Gemini's exit go on without waiting for mpm.
 */
import { join } from "node:path";
import { assertEquals } from "../../assert.ts";
import { HANG_GUARD_MS } from "../../helpers.ts";
import { waitFor } from "../../claude_code/wait.ts";
import { CODEX_HOOK_ENTRIES } from "../../../src/agents/codex/hooks.ts";
import { GEMINI_HOOK_ENTRIES } from "../../../src/agents/gemini/hooks.ts";

const DETACHED = [
  ...CODEX_HOOK_ENTRIES.map((entry) => ({ ...entry, agent: "codex" })),
  ...GEMINI_HOOK_ENTRIES.map((entry) => ({ ...entry, agent: "gemini" })),
].filter((entry) => entry.event !== "SessionStart");

for (const entry of DETACHED) {
  const hangup = entry.agent === "gemini" ? ", through a hangup" : "";
  Deno.test(`${entry.agent} ${entry.event} hook: the shell returns while mpm still runs, and mpm gets the payload${hangup}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "mpm-detached-" });
    try {
      const fifo = join(dir, "hold");
      const got = join(dir, "payload");
      const done = join(dir, "done");
      await new Deno.Command("mkfifo", { args: [fifo] }).output();
      // The stand-in for mpm: takes the payload, then waits until the test lets it go.
      const fake = join(dir, "mpm");
      await Deno.writeTextFile(
        fake,
        `#!/bin/sh\necho $$ > '${dir}/pid'; cat > '${got}.part'; mv '${got}.part' '${got}'; ` +
          `read x < '${fifo}'; ` +
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
      // The payload as the agent wrote it, byte for byte.
      assertEquals(sent, payload);
      // Gemini's hook shells share its process group, which a closing terminal hangs up: mpm
      // there ignores SIGHUP from its start.
      if (entry.agent === "gemini") {
        Deno.kill(Number(await Deno.readTextFile(join(dir, "pid"))), "SIGHUP");
      }
      await Deno.writeTextFile(fifo, "go\n");
      const args = await waitFor(() => Deno.readTextFile(done).catch(() => undefined), {
        what: "the stand-in's end",
      });
      assertEquals(args.trim(), `hook ${entry.verb} --agent ${entry.agent}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
