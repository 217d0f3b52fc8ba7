/**
 * The runs of fifo_store_test.ts, in one process of their own: a FIFO that mpm opened would
 * block the thread that opened it for good, so a hang must stop this process, not the test runner.
 * Reads the case as JSON on stdin (FifoCase); for each file, puts a FIFO in its place in a fresh
 * copy of the store, runs `status`, `list` and SessionStart in this process, and prints one line
 * for each run that answered, whatever its exit code.
 */
import { join } from "node:path";
import { mpm } from "../helpers.ts";

export interface FifoCase {
  repo: string;
  home: string;
  /** A copy of the store with every file in place. */
  kept: string;
  /** The store's files, relative to it. */
  files: string[];
  /** SessionStart's payload. */
  payload: string;
}

/** The line printed when `args` answered with `file` a FIFO. */
export function answeredLine(args: readonly string[], file: string): string {
  return `${args.join(" ")} with ${file}`;
}

export const RUNS: readonly (readonly string[])[] = [["status"], ["list"], [
  "hook",
  "session-start",
]];

async function copy(from: string, to: string): Promise<void> {
  const out = await new Deno.Command("cp", { args: ["-a", from, to] }).output();
  if (!out.success) throw new Error(`cp -a ${from} ${to} failed`);
}

if (import.meta.main) {
  const input: FifoCase = JSON.parse(await new Response(Deno.stdin.readable).text());
  const store = join(input.repo, ".claude-mpm");
  for (const file of input.files) {
    await Deno.remove(store, { recursive: true });
    await copy(input.kept, store);
    await Deno.remove(join(store, file));
    await new Deno.Command("mkfifo", { args: [join(store, file)] }).output();
    for (const args of RUNS) {
      const stdin = args[0] === "hook" ? input.payload : undefined;
      await mpm([...args], { cwd: input.repo, env: { HOME: input.home }, stdin });
      console.log(answeredLine(args, file));
    }
  }
}
