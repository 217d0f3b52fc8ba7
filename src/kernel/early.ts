/**
 * Work started before it is needed and awaited later: a git call, a file read or a module's
 * loading begun at once so it runs while the code in between does its own work; and the bound
 * on how long such work is waited for (`lateAfter`). Pure.
 */

/** Calls `start` now, its promise marked handled: a failure is met where it is awaited. */
export function startEarly<T>(start: () => Promise<T>): Promise<T> {
  let promise: Promise<T>;
  try {
    promise = start();
  } catch (error) {
    promise = Promise.reject(error);
  }
  promise.catch(() => {});
  return promise;
}

/** Reads begun early, by key, each taken once; a begin after its key was taken starts nothing. */
export class Begun<T> {
  #reads = new Map<string, Promise<T> | null>();

  begin(key: string, read: () => Promise<T>): void {
    if (!this.#reads.has(key)) this.#reads.set(key, startEarly(read));
  }

  /** The read begun under `key`, once; undefined when none was begun or it was taken. */
  take(key: string): Promise<T> | undefined {
    const read = this.#reads.get(key) ?? undefined;
    this.#reads.set(key, null);
    return read;
  }

  /** Forgets every read, so each in-process command starts as a new process would. */
  clear(): void {
    this.#reads.clear();
  }
}

/** "late" after `ms`, by Atomics.waitAsync (`setTimeout` loads code); never holds the process. */
export function lateAfter(ms: number): Promise<"late"> {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  // `value` is a promise, or a string when the wait ended at once (never here: the cell is 0).
  return Promise.resolve(Atomics.waitAsync(cell, 0, 0, ms).value).then(() => "late" as const);
}
