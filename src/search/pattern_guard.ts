/**
 * A regular expression run where it can be stopped. JavaScript's engine backtracks: a pattern
 * like `(a+)+$` on a long line of a's, or `[a-z]+[a-z]+x` on a 64 KB record, would take hours,
 * and a match on the main thread cannot be interrupted. So `mpm search --regex` hands its texts
 * to a worker, a batch at a time, and waits for each batch a bounded time: past it the worker is
 * ended and the search refuses the pattern (exit 2) instead of never answering.
 */

/** How long one batch may take: plain patterns take milliseconds on a batch's megabyte. */
export const PATTERN_LIMIT_MS = 3000;

/** How long the worker may take to start (a loaded machine), before its first batch counts. */
const START_MS = 30_000;

/** A batch: at most this many texts, and this many characters (a longer text is one alone). */
const BATCH_TEXTS = 512;
const BATCH_CHARS = 1 << 20;

/** Runs in the worker: compiles each pattern it is sent, and answers each batch in `out`. */
const WORKER = `
let re = null;
self.onmessage = ({ data }) => {
  if (data.source !== undefined) {
    re = new RegExp(data.source, data.flags);
    return;
  }
  const { texts, out, cell } = data;
  Atomics.store(cell, 0, 1);
  Atomics.notify(cell, 0);
  for (let k = 0; k < texts.length; k++) {
    re.lastIndex = 0;
    const m = re.exec(texts[k]);
    out[2 * k] = m === null ? -1 : m.index;
    out[2 * k + 1] = m === null ? -1 : m.index + m[0].length;
  }
  Atomics.store(cell, 0, 2);
  Atomics.notify(cell, 0);
};
`;

/** Thrown when a batch took longer than PATTERN_LIMIT_MS: the pattern backtracks too much. */
export class PatternTooSlow extends Error {}

export type Spans = ([number, number] | null)[];

export interface PatternGuard {
  /** The first match of `re` in each text, in order; throws PatternTooSlow past the limit. */
  run(re: RegExp, texts: readonly string[]): Spans;
  /** Ends the worker (a search's end): it would keep the process alive. Another run starts one. */
  close(): void;
}

/** Matches `re` on this thread: what a guard does when no worker could be started. */
export function runHere(re: RegExp, texts: readonly string[]): Spans {
  return texts.map((text) => {
    re.lastIndex = 0;
    const m = re.exec(text);
    return m === null ? null : [m.index, m.index + m[0].length];
  });
}

/** A guard whose worker is started on its first batch. */
export function patternGuard(limitMs = PATTERN_LIMIT_MS): PatternGuard {
  let worker: Worker | null = null;
  let compiled: string | null = null;
  let failed = false;
  let slow = false;
  const start = (): Worker | null => {
    if (worker === null && !failed && !slow) {
      try {
        const url = URL.createObjectURL(new Blob([WORKER], { type: "text/javascript" }));
        worker = new Worker(url, { type: "module" });
        URL.revokeObjectURL(url);
      } catch {
        failed = true;
      }
    }
    return worker;
  };
  const batch = (w: Worker, texts: readonly string[]): Spans => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const out = new Int32Array(new SharedArrayBuffer(8 * texts.length));
    w.postMessage({ texts, out, cell });
    // Until the worker takes the batch (it may still be starting), then the batch's own time.
    Atomics.wait(cell, 0, 0, START_MS);
    if (Atomics.load(cell, 0) === 1) Atomics.wait(cell, 0, 1, limitMs);
    if (Atomics.load(cell, 0) !== 2) {
      guard.close();
      slow = true;
      throw new PatternTooSlow();
    }
    return texts.map((_, k) => out[2 * k] === -1 ? null : [out[2 * k], out[2 * k + 1]]);
  };
  const guard: PatternGuard = {
    run(re, texts) {
      // Once too slow, always: a caller that tries again elsewhere must not run it unguarded.
      if (slow) throw new PatternTooSlow();
      const w = start();
      if (w === null) return runHere(re, texts);
      const key = `${re.flags}/${re.source}`;
      if (compiled !== key) {
        w.postMessage({ source: re.source, flags: re.flags });
        compiled = key;
      }
      const spans: Spans = [];
      for (let from = 0; from < texts.length;) {
        let to = from + 1;
        let chars = texts[from].length;
        while (
          to < texts.length && to - from < BATCH_TEXTS && chars + texts[to].length <= BATCH_CHARS
        ) {
          chars += texts[to++].length;
        }
        spans.push(...batch(w, texts.slice(from, to)));
        from = to;
      }
      return spans;
    },
    close() {
      worker?.terminate();
      worker = null;
      compiled = null;
    },
  };
  return guard;
}
