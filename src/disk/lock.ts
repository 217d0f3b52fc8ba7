/**
 * `.claude-mpm/.lock`: held while a command changes state. Created exclusively with the holder's
 * pid; a lock whose process is gone is taken over; a live one is waited for briefly.
 */
import process from "node:process";
import { MpmError } from "../kernel/errors.ts";
import { ensureDir } from "./atomic.ts";
import { dirname } from "node:path";

export interface LockOptions {
  /** How long to wait for a live holder, in milliseconds. */
  waitMs?: number;
  /** What the holder is doing, recorded for whoever waits. */
  command?: string;
}

interface Holder {
  pid: number;
  command?: string;
  since?: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: string }).code === "EPERM";
  }
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const holder = JSON.parse(await Deno.readTextFile(path));
    return typeof holder?.pid === "number" ? holder : { pid: 0 };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    // Half-written or garbage: treat as held by nobody we can name.
    return { pid: 0 };
  }
}

async function tryCreate(path: string, holder: Holder): Promise<boolean> {
  try {
    using file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
    await file.write(new TextEncoder().encode(JSON.stringify(holder) + "\n"));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/** Removes a dead holder's lock, guarded so two takers cannot remove each other's fresh lock. */
async function takeOverStale(path: string, stalePid: number): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    const info = await Deno.stat(guard);
    if (Date.now() - (info.mtime?.getTime() ?? 0) > 10_000) await Deno.remove(guard);
  } catch {
    // No guard, or it vanished meanwhile.
  }
  if (!(await tryCreate(guard, { pid: Deno.pid }))) return;
  try {
    const holder = await readHolder(path);
    if (holder && holder.pid === stalePid) await Deno.remove(path).catch(() => {});
  } finally {
    await Deno.remove(guard).catch(() => {});
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` while holding the lock at `path`. */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  await ensureDir(dirname(path));
  const me: Holder = { pid: Deno.pid, command: options.command, since: new Date().toISOString() };
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  let delay = 5;
  let seenUnnamed: number | undefined;
  while (!(await tryCreate(path, me))) {
    const holder = await readHolder(path);
    if (holder && holder.pid > 0 && !isAlive(holder.pid)) {
      await takeOverStale(path, holder.pid);
      continue;
    }
    if (holder && holder.pid === 0) {
      // An unreadable lock (its writer may be mid-write) is stale after a few seconds.
      seenUnnamed ??= Date.now();
      if (Date.now() - seenUnnamed > 3_000) await takeOverStale(path, 0);
    }
    if (Date.now() > deadline) {
      const who = holder && holder.pid > 0
        ? `mpm process ${holder.pid}${holder.command ? ` (${holder.command})` : ""}`
        : "another process";
      throw new MpmError(
        `The project's state is locked by ${who}.`,
        `Try again when it finishes; if no mpm is running, remove ${path}.`,
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}
