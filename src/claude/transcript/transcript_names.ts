/**
 * The names Claude Code gives a session's transcripts (pure): nothing else of its folder can pass
 * for one.
 */

/** A Claude Code session id as it names files: no path, no dots. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** One folder name below `subagents/`, and an agent's file. */
const PART = /^[A-Za-z0-9_-]{1,100}$/;
const AGENT_FILE = /^agent-[A-Za-z0-9_-]{1,100}\.jsonl$/;

/** The most folders a subagent's transcript sits in below `subagents/`. */
export const MAX_SUBAGENT_FOLDERS = 4;

export function isClaudeSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

/** The main transcript's name: `<id>.jsonl`. */
export function mainTranscriptName(id: string): string {
  return `${id}.jsonl`;
}

/** Whether `rel` names a subagent's transcript of session `id`, as Claude Code names them. */
export function isSubagentTranscriptName(id: string, rel: string): boolean {
  if (!isClaudeSessionId(id)) return false;
  const parts = rel.split("/");
  if (parts.length < 3 || parts.length > 3 + MAX_SUBAGENT_FOLDERS) return false;
  const file = parts[parts.length - 1];
  return parts[0] === id && parts[1] === "subagents" && AGENT_FILE.test(file) &&
    parts.slice(2, -1).every((p) => PART.test(p));
}

/** Why `rel` is not a name Claude Code gives `id`'s `index`th transcript; null when it is. */
export function transcriptNameProblem(id: string, rel: string, index: number): string | null {
  if (!isClaudeSessionId(id)) return `${JSON.stringify(id)} is not a Claude session id`;
  if (index === 0) {
    return rel === mainTranscriptName(id)
      ? null
      : `its transcript is named ${JSON.stringify(rel)}, not ${mainTranscriptName(id)}`;
  }
  return isSubagentTranscriptName(id, rel)
    ? null
    : `it names ${
      JSON.stringify(rel)
    } as a subagent's transcript, which is not ${id}/subagents/agent-<id>.jsonl`;
}
