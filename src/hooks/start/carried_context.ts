/**
 * What a resumed or forked conversation already carries of mpm's context: the newest
 * SessionStart text in its transcript that mpm remembers.
 */

import { forkSource, hookContexts } from "../../claude/transcript/hook_contexts.ts";
import { type AgentId, agentNamed, DEFAULT_AGENT } from "../../agents/agent.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { findTold, type Told } from "../../sessions/store/claude/told_store.ts";

/** Sources whose conversation may already carry mpm's context. */
const CARRYING_SOURCES = new Set(["resume", "fork"]);

/**
 * A text mpm wrote (this version's, one of an earlier mpm, or the "nothing changed" line): they
 * all open with "mpm" or a heading that names mpm.
 */
export function isMpmText(text: string): boolean {
  return /^(# )?mpm[:,]/.test(text) || /^## [^\n]*\(mpm\)/m.test(text.slice(0, 500));
}

/**
 * What the conversation was told (a remembered text), null when its transcript holds none of
 * mpm's texts (tell it everything), undefined when it holds one mpm does not remember (an older
 * mpm's, or one forgotten): then the source decides, as before.
 */
export async function carriedContext(
  paths: ProjectPaths,
  payload: {
    source?: unknown;
    transcript_path?: string;
    seconds_since_last_response?: unknown;
  },
  now: Date,
  agent: AgentId = DEFAULT_AGENT,
): Promise<Told | null | undefined> {
  const { source, transcript_path: transcript } = payload;
  if (typeof source !== "string" || !CARRYING_SOURCES.has(source) || !transcript) return undefined;
  // Each agent keeps the context its start hooks gave in its own transcript's shape.
  let texts = (await agentNamed(agent).toldContexts(transcript)).filter(isMpmText);
  // A fork's own transcript is written after this hook: its copy of the conversation is read
  // from the transcript it was copied from (claude/transcript/hook_contexts.ts `forkSource`).
  const seconds = payload.seconds_since_last_response;
  if (texts.length === 0 && source === "fork" && typeof seconds === "number") {
    const from = await forkSource(transcript, seconds, now);
    if (from !== null) texts = (await hookContexts(from)).filter(isMpmText);
  }
  if (texts.length === 0) return null;
  return (await findTold(paths, texts)) ?? undefined;
}
