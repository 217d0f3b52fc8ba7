/** Figures of the Claude Code hooks, added beside the core ones in scripts/bench.ts. */
import { join } from "node:path";
import { runHook } from "../src/hooks/hook_command.ts";
import type { Env } from "../src/cli/env.ts";
import { pauseProject } from "../src/sessions/pause_project.ts";
import { contextUsageFromTranscript } from "../src/claude/transcript.ts";
import { makeRepo, median, type Row } from "./bench_lib.ts";
import { syncBenches } from "./bench_sync.ts";

function hookEnv(cwd: string, home: string, payload: string): Env {
  return {
    cwd,
    vars: { HOME: home },
    now: () => new Date(),
    warn: () => {},
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(payload),
    execPath: Deno.execPath(),
    mainModule: import.meta.url,
  };
}

function payload(dir: string, event: string, extra: Record<string, unknown>): string {
  return JSON.stringify({
    session_id: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
    transcript_path: join(dir, "missing.jsonl"),
    cwd: dir,
    hook_event_name: event,
    ...extra,
  });
}

async function hooks(files: number): Promise<Row[]> {
  const dir = await makeRepo(files);
  const home = await Deno.makeTempDir({ prefix: "mpm-bench-home-" });
  try {
    await pauseProject(dir, new Date(), {
      summary: "bench",
      accomplishments: ["a"],
      nextSteps: ["b"],
      todos: [],
    });
    const start = payload(dir, "SessionStart", { source: "startup" });
    const end = payload(dir, "SessionEnd", { reason: "prompt_input_exit" });
    return [
      {
        name: `hook session-start, ${files} files`,
        ms: await median(() => runHook(hookEnv(dir, home, start), "session-start")),
        budget: "< 60 ms",
      },
      {
        name: `hook session-end, ${files} files`,
        ms: await median(() => runHook(hookEnv(dir, home, end), "session-end"), 5),
        budget: "< 300 ms",
      },
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(home, { recursive: true });
  }
}

/** A transcript of about `megabytes` MB: filler turns, a compaction, then the last answer. */
async function makeTranscript(megabytes: number): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  using file = await Deno.open(path, { write: true });
  const encoder = new TextEncoder();
  const usage = (n: number) => ({
    input_tokens: n,
    cache_creation_input_tokens: 1000,
    cache_read_input_tokens: 2000,
    output_tokens: 10,
  });
  const assistant = (n: number, sidechain = false) =>
    JSON.stringify({
      type: "assistant",
      isSidechain: sidechain,
      message: { model: "claude-sonnet-4-5", role: "assistant", usage: usage(n) },
    });
  const filler = JSON.stringify({
    type: "user",
    message: { role: "user", content: "x".repeat(4000) },
  });
  const chunk = encoder.encode(
    Array(250).fill(filler).join("\n") + "\n" + assistant(150_000) + "\n",
  );
  for (let written = 0; written < megabytes * 1_000_000; written += chunk.length) {
    await file.write(chunk);
  }
  const tail = [
    JSON.stringify({
      type: "system",
      subtype: "compact_boundary",
      content: "Conversation compacted",
    }),
    assistant(40_000),
    assistant(180_000, true),
  ];
  await file.write(encoder.encode(tail.join("\n") + "\n"));
  return path;
}

async function transcript(megabytes: number): Promise<Row> {
  const path = await makeTranscript(megabytes);
  try {
    const usage = await contextUsageFromTranscript(path);
    if (usage?.tokens !== 43_000) throw new Error(`unexpected usage ${JSON.stringify(usage)}`);
    return {
      name: `context usage, ${megabytes} MB transcript`,
      ms: await median(() => contextUsageFromTranscript(path)),
      budget: "< 20 ms",
    };
  } finally {
    await Deno.remove(path);
  }
}

export async function extraBenches(only?: string): Promise<Row[]> {
  const want = (name: string) => !only || name.includes(only) || only.includes(name);
  const rows: Row[] = [];
  if (want("hook")) rows.push(...await hooks(100_000));
  if (want("transcript")) rows.push(await transcript(200));
  if (want("sync")) rows.push(...await syncBenches());
  return rows;
}
