/**
 * The lock Claude Code takes around each write of `~/.claude.json`: a folder `<file>.lock` made
 * with mkdir (proper-lockfile's way); mpm edits inside it so neither write is lost. One older
 * than STALE_MS was left behind and is taken over; one held past `waitMs` means nothing is written.
 */
import { MpmError } from "../../../kernel/errors.ts";

/** proper-lockfile's default: a lock folder not touched for this long is stale. */
export const STALE_MS = 10_000;

/** How long mpm waits for Claude Code to let go of a lock it holds. */
export const WAIT_MS = 3_000;

export interface SharedLockOptions {
  /** How long to wait for a held lock (WAIT_MS). */
  waitMs?: number;
  /** The file as the person knows it, for the message. */
  shown?: string;
}

/** The shared file could not be written now: another program holds it or keeps changing it. */
export class SharedFileBusy extends MpmError {}

/** Runs `work` while holding `<file>.lock`; the lock is let go whatever `work` does. */
export async function withSharedLock<T>(
  file: string,
  work: () => Promise<T>,
  options: SharedLockOptions = {},
): Promise<T> {
  const lock = `${file}.lock`;
  const waitMs = options.waitMs ?? WAIT_MS;
  const started = Date.now();
  for (let attempt = 0;; attempt++) {
    try {
      await Deno.mkdir(lock, { mode: 0o700 });
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const held = await Deno.lstat(lock).catch(() => null);
    if (held === null) continue; // let go meanwhile
    const age = Date.now() - (held.mtime?.getTime() ?? 0);
    if (held.isDirectory && age > STALE_MS) {
      await Deno.remove(lock).catch(() => {});
      continue;
    }
    if (!held.isDirectory || Date.now() - started >= waitMs) {
      const shown = options.shown ?? file;
      throw new SharedFileBusy(
        held.isDirectory
          ? `${shown} is locked by another program (${shown}.lock: Claude Code is writing it); ` +
            "nothing was changed there."
          : `${shown} is locked by another program (${shown}.lock is there); nothing was ` +
            "changed there.",
        held.isDirectory
          ? "Run the command again."
          : `${shown}.lock is not a lock folder: remove it, then run the command again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(20 * 2 ** attempt, 200)));
  }
  try {
    return await work();
  } finally {
    await Deno.remove(lock).catch(() => {});
  }
}
