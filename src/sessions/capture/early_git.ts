/**
 * A git state read begun before the lock (SessionEnd's `git status` runs while the hook reads
 * the transcript), valid under the lock when `events.jsonl` has not grown since: every command
 * that moves the work tree records an event there.
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

/** Notes events.jsonl's size; the function returned says, under the lock, that nothing moved. */
export async function noteEvents(paths: ProjectPaths): Promise<() => Promise<boolean>> {
  const before = await eventsMark(paths);
  return async () => (await eventsMark(paths)) === before;
}

const begun = new Begun<EarlyGit>();

/** Starts reading the git state now, for gitUnderLock or gitUnlocked to take. */
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
