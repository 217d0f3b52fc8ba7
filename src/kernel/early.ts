/**
 * Work started before it is needed and awaited later: a git call, a file read or a module's
 * loading begun at once so it runs while the code in between does its own work. Pure.
 */

/**
 * Calls `start` now and returns its promise, marked as handled: a failure is met where the
 * promise is awaited, and a promise nobody ends up awaiting (a read the caller turned out not
 * to need) does not end the process as an unhandled rejection. A `start` that throws gives a
 * rejected promise, like one that rejects.
 */
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

/**
 * Reads begun before they are needed, by key (a project's root), each taken once by the code
 * that needs it: no caller hands a promise down to the code that awaits it. A twin that never
 * takes its read leaves it; a begin after its key was taken starts nothing, so a read begun late
 * (a slow first load of the code) never runs beside the one the taker made.
 */
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

  /**
   * Forgets every read, taken or not: a process that runs more than one command (the tests'
   * in-process runs) starts each as a new process would, with no read left by the one before.
   */
  clear(): void {
    this.#reads.clear();
  }
}
