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
