/**
 * Each Claude model's documented window (Claude Code 2.1.330's list): the last place
 * `resolveWindow` looks.
 */

const K200 = 200_000;
const M1 = 1_000_000;

/** Model families (the id without date or provider decoration) and their default windows. */
export const MODEL_WINDOWS: Readonly<Record<string, number>> = {
  "claude-3-5-haiku": K200,
  "claude-3-5-sonnet": K200,
  "claude-3-7-sonnet": K200,
  "claude-haiku-4-5": K200,
  "claude-opus-4": K200,
  "claude-opus-4-0": K200,
  "claude-opus-4-1": K200,
  "claude-opus-4-5": K200,
  "claude-opus-4-6": K200, // max 1M
  "claude-sonnet-4": K200, // max 1M
  "claude-sonnet-4-0": K200, // max 1M
  "claude-sonnet-4-5": K200, // max 1M
  "claude-sonnet-4-6": K200, // max 1M
  "claude-opus-4-7": M1,
  "claude-opus-4-8": M1,
  "claude-opus-5": M1,
  "claude-opus-5-5": M1,
  "claude-sonnet-5": M1,
  "claude-sonnet-5-5": M1,
  "claude-haiku-5-5": M1,
  "claude-fable-5": M1,
  "claude-fable-5-1": M1,
  "claude-fable-5-2": M1,
  "claude-mythos-5": M1,
  "claude-mythos-5-1": M1,
  "claude-mythos-5-2": M1,
};

/** The family a model id names across providers' spellings; undefined for no Claude model. */
export function modelFamily(model: string): string | undefined {
  const found = /claude-[a-z0-9-]*[a-z0-9]/.exec(model.toLowerCase())?.[0];
  if (found === undefined) return undefined;
  return found.replace(/-v\d+$/, "").replace(/-latest$/, "").replace(/-\d{8}$/, "");
}

/** The documented default window of a model id, or undefined when it is not in the table. */
export function documentedWindow(model: string | null | undefined): number | undefined {
  if (!model) return undefined;
  const family = modelFamily(model);
  return family === undefined ? undefined : MODEL_WINDOWS[family];
}
