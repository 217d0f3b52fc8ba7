import { assertEquals } from "../../tests/assert.ts";
import type { Env } from "./env.ts";
import { type ProgressOutput, SHOW_AFTER_MS, terminalProgress, withProgress } from "./progress.ts";

/** A terminal whose clock and timer the test moves by hand. */
function terminal() {
  let now = 0;
  let tick: (() => void) | undefined;
  const written: string[] = [];
  const out: ProgressOutput = {
    write: (text) => written.push(text),
    now: () => now,
    every: (_ms, fn) => {
      tick = fn;
      return () => tick = undefined;
    },
  };
  return {
    out,
    written,
    at(ms: number) {
      now = ms;
      tick?.();
    },
    get running() {
      return tick !== undefined;
    },
  };
}

Deno.test("a progress line appears only after a second, redraws in place, and is wiped", () => {
  const t = terminal();
  const progress = terminalProgress("syncing the vault", t.out);
  t.at(SHOW_AFTER_MS - 1);
  assertEquals(t.written, []);
  progress.note("12/40 transcripts");
  t.at(2500);
  assertEquals(t.written, ["\r\x1b[2Kmpm: syncing the vault… 12/40 transcripts (2 s)"]);
  progress.end();
  assertEquals(t.written.at(-1), "\r\x1b[2K");
  assertEquals(t.running, false);
});

Deno.test("work shorter than a second shows nothing, not even the wipe", () => {
  const t = terminal();
  const progress = terminalProgress("syncing", t.out);
  t.at(400);
  progress.end();
  assertEquals(t.written, []);
});

const env = (withTerminal: boolean, lines: string[]): Env => ({
  cwd: "/",
  vars: {},
  now: () => new Date(0),
  warn: () => {},
  isTTY: false,
  stderrIsTTY: withTerminal,
  color: false,
  readStdin: () => Promise.resolve(""),
  execPath: "mpm",
  mainModule: "mpm",
  ...(withTerminal
    ? {
      progress: (label: string) => ({
        note: () => {},
        end: () => lines.push(`end ${label}`),
      }),
    }
    : {}),
});

Deno.test("withProgress: only on a terminal and never with --json; ended whatever happens", async () => {
  const lines: string[] = [];
  assertEquals(await withProgress(env(true, lines), "a", false, () => Promise.resolve(1)), 1);
  await withProgress(env(true, lines), "b", true, () => Promise.resolve());
  await withProgress(env(false, lines), "c", false, () => Promise.resolve());
  await withProgress(env(true, lines), "d", undefined, () => Promise.reject(new Error("x")))
    .catch(() => {});
  assertEquals(lines, ["end a", "end d"]);
});
