/**
 * Whose `state.json` is. The store seals it with this machine's key (disk/machine_key.ts,
 * kernel/hashing/seal.ts: a `"seal"` member, last), as it seals snapshots, and reads it by one
 * rule:
 * - sealed here: the person's own, read as it is;
 * - anything else — committed into a repository someone cloned, copied from another clone,
 *   sealed by another machine, edited by hand past that rule — came from elsewhere: it reads as
 *   an empty state marked `foreignState` (records/state/state.ts), so no reader takes its name,
 *   task, todos, stack or worktrees for the person's, SessionStart and `mpm status` say one is
 *   there, and the next change writes the person's own state over it (its text kept in
 *   `backups/`, under a name of its own: `setAsideName`). Nothing adopts it: a person who knows
 *   it for theirs reads it there and starts a session of their own;
 * - where no key can be made (no home folder, a read-only one) nothing is sealed and nothing
 *   can be told apart: the state reads as it is.
 * A check is one HMAC.
 */
import {
  emptyState,
  foreignStand,
  holdsNoSession,
  serializeState,
  type State,
} from "../records/state/state.ts";
import {
  jsonSealVerifiesAsync,
  SEAL_PLACEHOLDER,
  sealJsonTextAsync,
} from "../../../kernel/hashing/seal.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";

/** How a state was read: its seal checked out, or not. */
export type Whose = "none" | "sealed" | "foreign" | "unsealable";

export interface JudgedState {
  /** The state to work with: the file's (its seal left out), or foreignStand(). */
  state: State;
  /**
   * "none": there is no file; "unsealable": no key can be made here, so the file is read as it
   * is; "foreign" also for an unsealed file that holds no session (then unmarked: nothing to tell).
   */
  whose: Whose;
}

/** What `mpm status` says of a state from elsewhere, under "Active: none". */
export const FOREIGN_STATE_NOTE = "  .claude-mpm/state.json was not written by mpm with this " +
  "machine's key (it came with the repository, or mpm ran here under another home folder or " +
  "account): it is not your session, and mpm reads it as none. Your next `mpm start` or " +
  "`mpm pause` writes your own (the file is kept in .claude-mpm/backups/).";

/**
 * Where a replaced state from elsewhere is kept, under `.claude-mpm/`: a name of its own for each
 * one set aside (`state-not-this-machines-20261126T091500Z.json`, `…-2.json` for a second in the
 * same second), so one never replaces another — a run under another home folder sets the
 * person's own aside, and the person's next run sets that one aside in turn.
 */
export function setAsideName(now: Date, attempt: number): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `backups/state-not-this-machines-${stamp}${attempt === 0 ? "" : `-${attempt + 1}`}.json`;
}

/** `parsed` (the text's state as checked) judged by the rule above. */
export async function judgeState(text: string, parsed: State): Promise<JudgedState> {
  const { seal, ...state } = parsed;
  // Made now where there is none: without one, a clone's state would be read as it is.
  const key = await ensureMachineKey();
  if (key === null) return { state, whose: "unsealable" };
  if (await jsonSealVerifiesAsync(text, seal, key)) return { state, whose: "sealed" };
  // Nothing of a session to take or to tell: unmarked.
  if (holdsNoSession(state)) return { state: emptyState(), whose: "foreign" };
  return { state: foreignStand(), whose: "foreign" };
}

/**
 * The text to write for `state`: sealed with this machine's key (made now where there is none),
 * or, where none can be, as it is.
 */
export async function sealedStateText(state: State): Promise<string> {
  const { seal: _, ...rest } = state;
  const key = await ensureMachineKey();
  if (key === null) return serializeState(rest);
  return (await sealJsonTextAsync(serializeState({ ...rest, seal: SEAL_PLACEHOLDER }), key)).text;
}
