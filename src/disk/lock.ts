/**
 * `.claude-mpm/.lock`, held while a command changes state: created exclusively with the holder's
 * pid and (Linux) start time. One whose process is gone or whose pid was reused is taken over; a
 * live one is waited for briefly.
 */
import { MpmError } from "../kernel/errors.ts";
import { confine } from "./files/confine/confine.ts";
import { ensureDir } from "./files/confine/folders.ts";
import { naming } from "./files/confine/temp.ts";
import { basename, dirname } from "../kernel/path.ts";
import { sweepLeftovers } from "./sweep.ts";
import { isProcessAlive, processStart } from "./process.ts";
import { faultPoint } from "./files/faults/fault_point.ts";

export interface LockOptions {
  /** How long to wait for a live holder, in milliseconds. */
  waitMs?: number;
  /** What the holder is doing, recorded for whoever waits. */
  command?: string;
  /** Called once when a live holder has kept the lock for LOCK_NOTICE_MS: who holds it. */
  onWait?: (holder: string) => void;
  /** The folder the lock must stay in (`.claude-mpm/`): a link out of it is refused. */
  root?: string;
}

interface Holder {
  pid: number;
  /** The process's start time as the kernel gives it (Linux: clock ticks since boot). */
  started?: string;
  command?: string;
  since?: string;
}

/** Whether the process that wrote `holder` still runs: its pid is alive and not reused since. */
function holderAlive(holder: Holder): boolean {
  if (!isProcessAlive(holder.pid)) return false;
  if (holder.started === undefined) return true;
  const now = processStart(holder.pid);
  return now === undefined || now === holder.started;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const holder = JSON.parse(await Deno.readTextFile(path));
    if (typeof holder?.pid !== "number") return { pid: 0 };
    return { ...holder, started: typeof holder.started === "string" ? holder.started : undefined };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    // Half-written or garbage: treat as held by nobody we can name.
    return { pid: 0 };
  }
}

// deno-lint-ignore require-await
async function tryCreate(path: string, holder: Holder): Promise<boolean> {
  try {
    // Made synchronously: an async open would wait behind early work holding the event loop.
    using file = Deno.openSync(path, { write: true, createNew: true, mode: 0o600 });
    try {
      faultPoint(path, "write");
      file.writeSync(new TextEncoder().encode(JSON.stringify(holder) + "\n"));
    } catch (error) {
      // Made but not written (a full disk): an empty lock would hold up the next command.
      try {
        Deno.removeSync(path);
      } catch {
        // Not removable either: the next command takes over a lock that names nobody.
      }
      throw naming(error, path);
    }
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/** Removes a dead holder's lock (guarded against a racing taker); whether this process did. */
async function takeOverStale(path: string, stale: Holder): Promise<boolean> {
  const guard = `${path}.takeover`;
  try {
    const info = await Deno.stat(guard);
    if (Date.now() - (info.mtime?.getTime() ?? 0) > 10_000) await Deno.remove(guard);
  } catch {
    // No guard, or it vanished meanwhile.
  }
  if (!(await tryCreate(guard, { pid: Deno.pid }))) return false;
  try {
    const holder = await readHolder(path);
    if (holder && holder.pid === stale.pid && holder.started === stale.started) {
      return await Deno.remove(path).then(() => true, () => false);
    }
    return false;
  } finally {
    await Deno.remove(guard).catch(() => {});
  }
}

/** How long a live holder keeps the lock before a waiting command is told who it is. */
export const LOCK_NOTICE_MS = 1_000;

/** The lock stayed held by a live process for the whole wait (a hook may queue its work instead). */
export class LockBusyError extends MpmError {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` while holding the lock at `path`. */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  if (options.root !== undefined) path = await confine(options.root, path);
  await ensureDir(dirname(path));
  const me: Holder = {
    pid: Deno.pid,
    started: processStart(Deno.pid),
    command: options.command,
    since: new Date().toISOString(),
  };
  const start = Date.now();
  const deadline = start + (options.waitMs ?? 10_000);
  let told = options.onWait === undefined;
  let delay = 5;
  let seenUnnamed: number | undefined;
  /** The pid of a holder that died holding the lock: what it was writing is left over. */
  let crashed: number | undefined;
  while (!(await tryCreate(path, me))) {
    const holder = await readHolder(path);
    if (holder && holder.pid > 0 && !holderAlive(holder)) {
      if (await takeOverStale(path, holder)) crashed = holder.pid;
      continue;
    }
    if (holder && holder.pid === 0) {
      // An unreadable lock (its writer may be mid-write) is stale after a few seconds.
      seenUnnamed ??= Date.now();
      if (Date.now() - seenUnnamed > 3_000) await takeOverStale(path, holder);
    }
    const who = holder && holder.pid > 0
      ? `mpm process ${holder.pid}${holder.command ? ` (${holder.command})` : ""}`
      : "another process";
    if (!told && Date.now() - start >= LOCK_NOTICE_MS) {
      told = true;
      options.onWait!(who);
    }
    if (Date.now() > deadline) {
      throw new LockBusyError(
        `The project's state is locked by ${who}.`,
        `Try again when it finishes; if no mpm is running, remove ${path}.`,
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
  // `.claude-mpm/.lock` only: what the dead holder left in mpm's own folder goes (disk/sweep.ts).

  if (crashed !== undefined && basename(dirname(path)) === ".claude-mpm") {
    await sweepLeftovers(dirname(path), crashed);
  }
  try {
    return await fn();
  } finally {
    try {
      Deno.removeSync(path);
    } catch {
      // Already gone (removed by hand): nothing to release.
    }
  }
}
