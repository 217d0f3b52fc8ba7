/**
 * The few assertions the tests need (JSR's @std/assert is out of reach here), built on
 * node:assert so failures print a readable diff.
 */
import assert from "node:assert/strict";

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  assert.notDeepStrictEqual(actual, expected, message);
}

export function assert_(condition: unknown, message?: string): asserts condition {
  assert.ok(condition, message);
}
export { assert_ as assert };

export function assertMatch(actual: string, expected: RegExp, message?: string): void {
  assert.match(actual, expected, message);
}

export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  if (!actual.includes(expected)) {
    throw new assert.AssertionError({
      message: message ?? `Expected text to include ${JSON.stringify(expected)}:\n${actual}`,
      actual,
      expected,
      operator: "includes",
    });
  }
}

export function assertNotIncludes(actual: string, unexpected: string, message?: string): void {
  if (actual.includes(unexpected)) {
    throw new assert.AssertionError({
      message: message ?? `Expected text not to include ${JSON.stringify(unexpected)}:\n${actual}`,
      actual,
      expected: unexpected,
      operator: "excludes",
    });
  }
}

/** The whole message of whatever was thrown (all its lines: a pattern may span them). */
function thrownText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  matches?: RegExp,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (matches) assert.match(thrownText(error), matches);
    return error as Error;
  }
  throw new assert.AssertionError({ message: "Expected the promise to reject." });
}

export function assertThrows(fn: () => unknown, matches?: RegExp): Error {
  try {
    fn();
  } catch (error) {
    if (matches) assert.match(thrownText(error), matches);
    return error as Error;
  }
  throw new assert.AssertionError({ message: "Expected the function to throw." });
}
