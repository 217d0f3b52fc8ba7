/**
 * The checkpoint script's Stop prefilter (hooks/checkpoint.sh, `context_is_low`): after a reply,
 * the script starts mpm only when the context might be near a warning. These runs put each
 * transcript and payload through the shipped script under `sh` and `bash`, with a stand-in mpm
 * that notes it was called, and hold the script to one rule: whenever mpm's own reading
 * (contextUsageFromTranscript, thresholdReached) would warn, mpm is called. Where the script
 * says "low", it must be right; where it is unsure, it asks mpm.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { SHIPPED_SCRIPTS } from "../../../src/hooks/install/scripts/scripts.ts";
import { contextUsageFromTranscript } from "../../../src/claude/transcript/transcript.ts";
import { parseWindowOverride, payloadWindow } from "../../../src/claude/session/context_usage.ts";
import { thresholdReached } from "../../../src/hooks/records/context_alert.ts";
import { FIXTURES, SHELLS } from "../hooks_helpers.ts";

const SESSION = "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11";

/** An assistant entry as Claude Code writes it, with the given usage. */
function assistant(usage: Record<string, number>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    parentUuid: "p",
    isSidechain: false,
    type: "assistant",
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "Done." }],
      usage: { output_tokens: 20, ...usage },
    },
    uuid: "u",
    ...extra,
  });
}

function user(text: string): string {
  return JSON.stringify({
    isSidechain: false,
    type: "user",
    message: { role: "user", content: text },
    uuid: "v",
  });
}

const big = (tokens: number) =>
  assistant({
    input_tokens: 4,
    cache_creation_input_tokens: 1000,
    cache_read_input_tokens: tokens,
  });

interface Case {
  name: string;
  /** The transcript's lines, or a fixture file's name. */
  transcript: string[] | string;
  payload?: Record<string, unknown>;
  env?: Record<string, string>;
  /**
   * A folder (relative to the test's, "." for itself) whose `.claude-mpm/hooks-state/` holds the
   * status line's record of the Claude session (`windowRecordOf`, by default the payload's).
   */
  windowRecordIn?: string;
  windowRecordOf?: string;
  /** Whether the script must start mpm. */
  callsMpm: boolean;
}

const CASES: Case[] = [
  { name: "a small session", transcript: "transcript-30pct.jsonl", callsMpm: false },
  {
    name: "the real Claude Code 2.1.330 transcript",
    transcript: "real-2.1.330-bash-failure.jsonl",
    callsMpm: false,
  },
  {
    name: "a window set by the user",
    transcript: "transcript-30pct.jsonl",
    env: { MPM_CONTEXT_WINDOW: "80000" },
    callsMpm: true,
  },
  { name: "a large session", transcript: "transcript-72pct.jsonl", callsMpm: true },
  {
    name: "a 1M-window session past 139,000",
    transcript: "transcript-1m-60pct.jsonl",
    callsMpm: true,
  },
  { name: "just under the line", transcript: [big(137_995)], callsMpm: false },
  { name: "at the line", transcript: [big(137_996)], callsMpm: true },
  {
    name: "an error entry after a large reply",
    transcript: [
      big(150_000),
      assistant({ input_tokens: 0 }, { isApiErrorMessage: true }),
      JSON.stringify({
        type: "assistant",
        isSidechain: false,
        message: { model: "<synthetic>", role: "assistant", usage: { input_tokens: 0 } },
      }),
    ],
    callsMpm: true,
  },
  {
    name: "a subagent's small reply after a large one",
    transcript: [big(150_000), assistant({ input_tokens: 10 }, { isSidechain: true })],
    callsMpm: true,
  },
  {
    name: "usage quoted inside a message",
    transcript: [big(150_000), user('"type":"assistant","usage":{"input_tokens":5}')],
    callsMpm: true,
  },
  {
    name: "a window Claude Code reported in the transcript",
    transcript: [
      JSON.stringify({ type: "system", isSidechain: false, contextWindow: 100_000 }),
      big(75_000),
    ],
    callsMpm: true,
  },
  {
    name: "a window in the payload",
    transcript: [big(75_000)],
    payload: { context_window: { context_window_size: 100_000 } },
    callsMpm: true,
  },
  {
    name: "a compaction since the last reply",
    transcript: [
      big(150_000),
      JSON.stringify({ type: "system", subtype: "compact_boundary", isSidechain: false }),
    ],
    callsMpm: false,
  },
  // Stop runs a moment before Claude Code writes the reply down: a prompt or a tool's result
  // newer than the last reply means the reply is still to come, so unknown, not low.
  { name: "no reply yet", transcript: [user("hello")], callsMpm: true },
  {
    name: "a prompt newer than a small reply",
    transcript: [big(10), user("next")],
    callsMpm: true,
  },
  {
    name: "a subagent's prompt after a small reply",
    transcript: [big(10), JSON.stringify({ type: "user", isSidechain: true, message: {} })],
    callsMpm: false,
  },
  {
    name: "a reply written after its prompt",
    transcript: [user("hello"), big(10)],
    callsMpm: false,
  },
  {
    name: "no reply in the last 64 KB of a longer transcript",
    transcript: [big(150_000), ...Array.from({ length: 100 }, () => user("x".repeat(1000)))],
    callsMpm: true,
  },
  // Stop can run before Claude Code writes the transcript (`claude -p` writes it after Stop):
  // mpm then reads only the window and fill the status line recorded for the Claude session, in
  // the project's hooks-state/, so where no folder from the cwd up holds one, it is low.
  {
    name: "no transcript written yet, nothing recorded",
    transcript: [],
    payload: { transcript_path: "/nonexistent/transcript.jsonl" },
    callsMpm: false,
  },
  {
    name: "no transcript written yet, the status line's record in the project",
    transcript: [],
    payload: { transcript_path: "/nonexistent/transcript.jsonl" },
    windowRecordIn: ".",
    callsMpm: true,
  },
  {
    name: "no transcript written yet, the record at the repository's top, above the cwd",
    transcript: [],
    payload: { transcript_path: "/nonexistent/transcript.jsonl", cwd: "sub/dir" },
    windowRecordIn: ".",
    callsMpm: true,
  },
  {
    name: "no transcript written yet, a record of another Claude session only",
    transcript: [],
    payload: { transcript_path: "/nonexistent/transcript.jsonl" },
    windowRecordIn: ".",
    windowRecordOf: "another-session",
    callsMpm: false,
  },
  {
    name: "no transcript written yet, a session id mpm would hash",
    transcript: [],
    payload: { transcript_path: "/nonexistent/transcript.jsonl", session_id: "a b" },
    callsMpm: true,
  },
  {
    name: "no transcript written yet, a relative cwd",
    transcript: [],
    payload: { transcript_path: "/nonexistent/transcript.jsonl", cwd: "relative" },
    callsMpm: true,
  },
  {
    name: "no transcript written yet, a second cwd in the payload",
    transcript: [],
    payload: {
      transcript_path: "/nonexistent/transcript.jsonl",
      background_tasks: [{ cwd: "/elsewhere" }],
    },
    callsMpm: true,
  },
  { name: "no transcript path", transcript: [], payload: { transcript_path: "" }, callsMpm: true },
  {
    name: "a PreCompact",
    transcript: [big(10)],
    payload: { hook_event_name: "PreCompact", trigger: "auto" },
    callsMpm: true,
  },
];

async function setUp(dir: string): Promise<{ script: string; fake: string; marker: string }> {
  const script = join(dir, "checkpoint.sh");
  await Deno.writeTextFile(script, SHIPPED_SCRIPTS.checkpoint);
  const marker = join(dir, "mpm-was-called");
  const fake = join(dir, "fake-mpm");
  await Deno.writeTextFile(fake, `#!/bin/sh\ncat > '${marker}'\n`);
  await Deno.chmod(fake, 0o755);
  return { script, fake, marker };
}

async function transcriptFile(dir: string, transcript: string[] | string): Promise<string> {
  if (typeof transcript === "string") return join(FIXTURES, "transcripts", transcript);
  const path = join(dir, "transcript.jsonl");
  await Deno.writeTextFile(path, transcript.map((line) => line + "\n").join(""));
  return path;
}

/** The script run by `shell` with the payload on stdin, a PATH (`bin` first) and `env` only. */
async function runScript(
  shell: string,
  script: string,
  dir: string,
  payload: Record<string, unknown>,
  env: Record<string, string> = {},
  bin?: string,
): Promise<Deno.CommandOutput> {
  const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
  const run = new Deno.Command(shell, {
    args: [script],
    cwd: dir,
    env: { PATH: bin ? `${bin}:${path}` : path, ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = run.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(payload)));
  await writer.close();
  return await run.output();
}

/** Whether mpm's own reading of the transcript warns (what the prefilter must never hide). */
async function mpmWouldWarn(path: string, payload: Record<string, unknown>, env: Case["env"]) {
  if (payload.hook_event_name !== "Stop" || !path) return false;
  const usage = await contextUsageFromTranscript(path, {
    windowOverride: parseWindowOverride(env?.MPM_CONTEXT_WINDOW),
    reportedWindow: payloadWindow(payload),
  }).catch(() => null);
  return usage?.percent != null && thresholdReached(usage.percent) !== null;
}

for (const shell of SHELLS) {
  Deno.test(`${shell}: the Stop prefilter starts mpm whenever mpm could warn`, async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "mpm-prefilter-" });
    try {
      const { script, fake, marker } = await setUp(dir);
      for (const c of CASES) {
        await t.step(c.name, async () => {
          await Deno.remove(marker).catch(() => {});
          await Deno.remove(join(dir, ".claude-mpm"), { recursive: true }).catch(() => {});
          const path = await transcriptFile(dir, c.transcript);
          const cwd = typeof c.payload?.cwd === "string" ? c.payload.cwd : "";
          const payload = {
            session_id: SESSION,
            transcript_path: path,
            hook_event_name: "Stop",
            stop_hook_active: false,
            ...c.payload,
            // Where the payload names a relative cwd, it is taken as under the test's folder
            // unless it is the one case that must stay relative.
            cwd: cwd === "relative" ? cwd : join(dir, cwd),
          };
          if (c.windowRecordIn !== undefined) {
            const states = join(dir, c.windowRecordIn, ".claude-mpm", "hooks-state");
            await Deno.mkdir(states, { recursive: true });
            await Deno.writeTextFile(join(states, `${c.windowRecordOf ?? SESSION}.window`), "{}");
          }
          const out = await runScript(shell, script, dir, payload, { MPM_BIN: fake, ...c.env });
          assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
          const called = await Deno.stat(marker).then(() => true, () => false);
          assertEquals(called, c.callsMpm);
          if (called) {
            // mpm gets the payload exactly as Claude Code sent it.
            assertEquals(JSON.parse(await Deno.readTextFile(marker)), payload);
          }
          if (await mpmWouldWarn(payload.transcript_path, payload, c.env)) assert(called);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

for (const shell of SHELLS) {
  Deno.test(`${shell}: a reply written while the prefilter waits is read, and mpm is not started`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "mpm-prefilter-" });
    try {
      const { script, fake, marker } = await setUp(dir);
      const path = await transcriptFile(dir, [big(10_000), user("And now the tests?")]);
      // The script's `sleep` is this stand-in: Claude Code writes the reply while it waits.
      const bin = join(dir, "bin");
      await Deno.mkdir(bin);
      const reply = big(12_000).replaceAll("'", "'\\''");
      await Deno.writeTextFile(join(bin, "sleep"), `#!/bin/sh\necho '${reply}' >> '${path}'\n`);
      await Deno.chmod(join(bin, "sleep"), 0o755);
      const payload = { session_id: SESSION, transcript_path: path, hook_event_name: "Stop" };
      const out = await runScript(shell, script, dir, payload, { MPM_BIN: fake }, bin);
      assertEquals(out.code, 0);
      assertEquals(await Deno.stat(marker).then(() => true, () => false), false);
      // The reply was written once: the script read it after one wait.
      const lines = (await Deno.readTextFile(path)).trim().split("\n");
      assertEquals(lines.length, 3);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
