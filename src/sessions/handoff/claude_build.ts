/** Claude's handoff built from what Claude wrote, its words redacted first, then cut. Pure. */
import type { GitContext } from "../../kernel/snapshot.ts";
import {
  type ClaudeHandoff,
  cutText,
  FOCUS_MAX_CHARS,
  HANDOFF_MAX_CHARS,
  HANDOFF_SCHEMA_VERSION,
  type HandoffCut,
  type HandoffWords,
  isHandoffId,
  MAX_GIT_PATHS,
  plainOrNull,
  type SectionKey,
} from "../store/records/handoff/claude_record.ts";

/** The order sections keep their text in when a handoff is cut: the next step goes last. */
const KEEP_ORDER: readonly SectionKey[] = [
  "goal",
  "next_step",
  "state",
  "decisions",
  "tried",
  "files",
  "open_questions",
];

/** The words within `max` characters, cut in KEEP_ORDER; each cut section is named. */
export function capWords(
  words: HandoffWords,
  max = HANDOFF_MAX_CHARS,
): { words: HandoffWords; cut: HandoffCut[] } {
  const out: HandoffWords = { ...words };
  const cut: HandoffCut[] = [];
  let room = max;
  for (const key of KEEP_ORDER) {
    const value = words[key];
    if (typeof value === "string") {
      const kept = cutText(value, room);
      (out[key] as string) = kept;
      room -= kept.length;
      if (kept !== value) cut.push({ section: key, chars: value.length - kept.length });
      continue;
    }
    const kept: string[] = [];
    let lost = 0;
    for (const item of value) {
      // An item cut to a stub says nothing: one that would keep fewer than 40 characters goes.
      const piece = item.length <= room ? item : room >= 40 ? cutText(item, room) : "";
      if (piece !== "") kept.push(piece);
      room -= piece.length;
      lost += item.length - piece.length;
    }
    (out[key] as string[]) = kept;
    if (lost > 0) cut.push({ section: key, chars: lost });
  }
  return { words: out, cut };
}

/** The git state a handoff keeps: the snapshot's, each path list cut to MAX_GIT_PATHS. */
export function handoffGit(git: GitContext | null): GitContext | null {
  if (git === null) return null;
  const status = { ...git.status };
  let omitted = 0;
  for (const key of ["modified", "staged", "untracked", "deleted", "conflicted"] as const) {
    omitted += Math.max(0, status[key].length - MAX_GIT_PATHS);
    status[key] = status[key].slice(0, MAX_GIT_PATHS);
  }
  omitted += Math.max(0, status.renamed.length - MAX_GIT_PATHS);
  status.renamed = status.renamed.slice(0, MAX_GIT_PATHS);
  const { blobs: _blobs, ...rest } = git;
  return { ...rest, status, ...(omitted > 0 ? { paths_omitted: omitted } : {}) };
}

export interface BuildInput {
  id: string;
  now: Date;
  words: HandoffWords;
  focus: string | null;
  line: string | null;
  previous: string | null;
  snapshot: string | null;
  claudeSession: string | null;
  git: GitContext | null;
  projectPath: string;
  machine: string | null;
  version: string;
  build: string;
}

/** The record, its (already redacted) words cut to HANDOFF_MAX_CHARS. */
export function buildClaudeHandoff(input: BuildInput): ClaudeHandoff {
  const w = input.words;
  const clean = (s: string) => s.trim();
  const list = (items: string[]) => items.map(clean).filter((item) => item !== "");
  const { words, cut } = capWords({
    goal: clean(w.goal),
    state: clean(w.state),
    decisions: list(w.decisions),
    tried: list(w.tried),
    files: list(w.files),
    next_step: clean(w.next_step),
    open_questions: list(w.open_questions),
  });
  const focus = input.focus?.trim() ? cutText(input.focus.trim(), FOCUS_MAX_CHARS) : null;
  return {
    schema_version: HANDOFF_SCHEMA_VERSION,
    handoff_id: input.id,
    written_at: input.now.toISOString(),
    written_by: "claude",
    line: plainOrNull(input.line),
    previous: input.previous !== null && isHandoffId(input.previous) ? input.previous : null,
    snapshot: plainOrNull(input.snapshot),
    claude_session_id: plainOrNull(input.claudeSession),
    focus,
    handoff: { ...words },
    cut,
    git_context: handoffGit(input.git),
    project_path: input.projectPath,
    machine: input.machine,
    version: input.version,
    build: input.build,
  };
}
