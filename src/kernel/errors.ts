/**
 * The four kinds of failure mpm reports. Each carries a one-sentence message and,
 * where one helps, a hint saying what to do. main.ts maps them to exit codes.
 */
export class MpmError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad usage: an unknown flag, a missing argument, a value mpm refuses. Exit 2. */
export class UsageError extends MpmError {
  override readonly exitCode = 2;
}

/** Nothing to act on: no sessions, an unknown id, an empty stack. Exit 3. */
export class NothingToDo extends MpmError {
  override readonly exitCode = 3;
}

/** A stored file failed its checksum or its schema. Exit 4. */
export class IntegrityError extends MpmError {
  override readonly exitCode = 4;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, nothing: 3, integrity: 4 } as const;

/**
 * Any thrown value as one line of text. A thrown string or object has no `.message`; reading
 * it as an Error would print `undefined`.
 */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}

/** What every git call says when there is no git to run. */
export function gitMissing(): MpmError {
  return new MpmError("git is not installed.", "Install git and try again.");
}
