/**
 * The context window of each Claude model whose window is documented, as data: the last place
 * mpm looks (context_usage.ts `resolveWindow`), after what Claude Code itself said (its status
 * line, a reported window, a `[1m]` model id) and the request's own size.
 *
 * Source, as of 2026-11-20: the model list Claude Code 2.1.330 carries (its `context.window` for
 * each model id, built 2026-11-20), which agrees with Anthropic's models overview. The window is
 * the one a model runs with by default. A model marked `max 1M` can be given 1,000,000 tokens on
 * request (the `[1m]` suffix, or long-context credits on the account); the `[1m]` id and a request
 * over 200,000 tokens are both seen before this table, and the status line record before either.
 *
 * A model not listed here (a newer one) has no window until Claude Code reports one: mpm does not
 * guess, because a wrong 200,000 once called a 15 % session "75 % full".
 */

const K200 = 200_000;
const M1 = 1_000_000;

/**
 * Model families (the id without its date or provider decoration) and their default windows.
 * `claude-opus-4` is `claude-opus-4-20250514`, also called `claude-opus-4-0`.
 */
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

/**
 * The family a model id names: `claude-sonnet-4-5` for `claude-sonnet-4-5-20250929`,
 * `us.anthropic.claude-sonnet-4-5-20250929-v1:0` (Bedrock) and `claude-sonnet-4-5@20250929`
 * (Vertex). Undefined when the id names no Claude model.
 */
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
