/**
 * A git state read started before the project's lock is taken, and whether it may stand for the
 * state under the lock. SessionEnd starts `git status` first, so that in a large work tree its
 * lstat of every file runs while the hook reads the transcript, Claude's tasks and the state
 * instead of after them.
 *
 * Commands that move the work tree (`mpm branch` stashes and switches, `mpm return` switches
 * back) do so under the lock and record an event in `events.jsonl`, as every state change does.
 * So when that file is the size it was before git started, no mpm changed anything while git
 * read; otherwise the state is read again, under the lock.
 */
import type { ProjectPaths } from "../../disk/paths.ts";
import { type GitState, readGitState } from "../../git/tree/status.ts";
import { Begun, startEarly } from "../../kernel/early.ts";
import { eventsMark } from "../store/state/peek.ts";

interface EarlyGit {
  state: Promise<GitState | null>;
  /** Whether `state` is still the state now (call it holding the lock). */
  current(): Promise<boolean>;
}

/**
 * Notes how events.jsonl stands now; the function returned says, called holding the lock,
 * whether no mpm has changed anything since (so a read of the work tree begun now still holds).
 */
export async function noteEvents(paths: ProjectPaths): Promise<() => Promise<boolean>> {
  const before = await eventsMark(paths);
  return async () => (await eventsMark(paths)) === before;
}

const begun = new Begun<EarlyGit>();

/**
 * Starts reading the git state of `paths.root` now, for the pause to take under the lock
 * (gitUnderLock) or, queued, without it (gitUnlocked).
 */
export function beginGitRead(paths: ProjectPaths): void {
  begun.begin(paths.root, async () => {
    const current = await noteEvents(paths);
    return { state: startEarly(() => readGitState(paths.root)), current };
  });
}

/** The git state under the lock: the read begun early when nothing moved since, else read now. */
export async function gitUnderLock(paths: ProjectPaths): Promise<GitState | null> {
  const early = await begun.take(paths.root);
  if (early && await early.current()) return await early.state;
  return await readGitState(paths.root);
}

/** Forgets the reads begun, taken or not (Begun.clear): the next command starts afresh. */
export function forgetBegunGitReads(): void {
  begun.clear();
}

/** The git state without the lock (a queued pause's): the read begun early, else read now. */
export async function gitUnlocked(paths: ProjectPaths): Promise<GitState | null> {
  const early = await begun.take(paths.root);
  return await (early?.state ?? readGitState(paths.root));
}
