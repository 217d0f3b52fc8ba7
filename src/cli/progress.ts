/** A progress line on a terminal's stderr for long silent work, never with --json. */
import type { Env, Progress } from "./env.ts";

/** Work shorter than this shows nothing: a line that flashes by is noise. */
export const SHOW_AFTER_MS = 1000;

/** A reporter's outside: writing to the terminal, the clock, and a repeating timer. */
export interface ProgressOutput {
  write: (text: string) => void;
  now: () => number;
  every: (ms: number, tick: () => void) => () => void;
}

const SILENT: Progress = { note: () => {}, end: () => {} };

/** The line a terminal shows for `label` after `elapsedMs`, with the latest detail. */
export function progressLine(label: string, elapsedMs: number, detail = ""): string {
  const seconds = Math.floor(elapsedMs / 1000);
  return `mpm: ${label}…${detail ? ` ${detail}` : ""} (${seconds} s)`;
}

/** A reporter drawing on `out`: redrawn in place each tick once SHOW_AFTER_MS has passed. */
export function terminalProgress(label: string, out: ProgressOutput): Progress {
  const start = out.now();
  let detail = "";
  let shown = false;
  const draw = () => {
    const elapsed = out.now() - start;
    if (elapsed < SHOW_AFTER_MS) return;
    shown = true;
    out.write(`\r\x1b[2K${progressLine(label, elapsed, detail)}`);
  };
  const stop = out.every(250, draw);
  return {
    note: (text) => {
      detail = text;
    },
    end: () => {
      stop();
      if (shown) out.write("\r\x1b[2K");
    },
  };
}

/** The reporter for `label`: silent without a terminal (no `env.progress`) or with --json. */
export function progressFor(env: Env, label: string, json?: boolean): Progress {
  return json || !env.progress ? SILENT : env.progress(label);
}

/** Runs `work` with a progress line for `label` (see progressFor), wiped whatever happens. */
export async function withProgress<T>(
  env: Env,
  label: string,
  json: boolean | undefined,
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = progressFor(env, label, json);
  try {
    return await work(progress);
  } finally {
    progress.end();
  }
}
