/**
 * Whose `state.json` is: sealed here, the person's own; anything else reads as an empty state
 * marked `foreignState`, and the next change writes over it (its text kept in `backups/`).
 */
import {
  emptyState,
  foreignStand,
  holdsNoSession,
  serializeState,
  type State,
} from "../records/state/state.ts";
import { jsonSealVerifiesAsync, sealedText } from "../../../kernel/hashing/seal.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";

/** How a state was read: its seal checked out, or not. */
export type Whose = "none" | "sealed" | "foreign" | "unsealable";

export interface JudgedState {
  /** The state to work with: the file's (its seal left out), or foreignStand(). */
  state: State;
  /** "none": no file; "unsealable": no key here; "foreign" also for an unsealed empty one. */
  whose: Whose;
}

/** What `mpm status` says of a state from elsewhere, under "Active: none". */
export const FOREIGN_STATE_NOTE = "  .claude-mpm/state.json was not written by mpm with this " +
  "machine's key (it came with the repository, or mpm ran here under another home folder or " +
  "account): it is not your session, and mpm reads it as none. Your next `mpm start` or " +
  "`mpm pause` writes your own (the file is kept in .claude-mpm/backups/).";

/** A set-aside state's own name under `.claude-mpm/` (`…-2.json` on a clash): none replaced. */
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

/** The text to write for `state`, sealed with this machine's key where one can be made. */
export async function sealedStateText(state: State): Promise<string> {
  return await sealedText(state, await ensureMachineKey(), serializeState);
}
