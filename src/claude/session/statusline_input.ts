/**
 * What Claude Code pipes to a `statusLine` command: the only place it names its context window and
 * fill. Pure; every field optional, as a status line must show something whatever a version sends.
 */
import { asRecord } from "../../kernel/check.ts";

export interface StatusLineInput {
  /** Claude Code's session id (the hooks' `session_id`). */
  sessionId: string | null;
  transcriptPath: string | null;
  /** The folder Claude Code works in: `workspace.current_dir`, else `cwd`. */
  cwd: string | null;
  /** Where Claude Code was started: `workspace.project_dir`. */
  projectDir: string | null;
  /** `model.id` (`claude-sonnet-4-5-20250929`, maybe with `[1m]`). */
  model: string | null;
  /** `context_window.context_window_size`. */
  window: number | null;
  /** `context_window.used_percentage`: null before the first reply. */
  usedPercent: number | null;
  /** `context_window.total_input_tokens`, when a reply has measured the context. */
  tokens: number | null;
}

/** Larger than any status line input (a few KB); a longer stdin is not Claude Code's. */
export const MAX_STATUSLINE_INPUT_BYTES = 1024 * 1024;

/** The fields mpm uses, or null when the text is not a JSON object. */
export function parseStatusLineInput(text: string): StatusLineInput | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const input = asRecord(raw);
  if (input === undefined) return null;
  const workspace = asRecord(input.workspace);
  const model = asRecord(input.model);
  const window = asRecord(input.context_window);
  const size = positiveInt(window?.context_window_size);
  const used = percent(window?.used_percentage);
  const tokens = wholeNumber(window?.total_input_tokens);
  return {
    sessionId: nonEmpty(input.session_id),
    transcriptPath: nonEmpty(input.transcript_path),
    cwd: nonEmpty(workspace?.current_dir) ?? nonEmpty(input.cwd),
    projectDir: nonEmpty(workspace?.project_dir),
    model: nonEmpty(model?.id) ?? nonEmpty(input.model),
    window: size,
    usedPercent: used,
    // Before the first reply Claude Code sends 0 tokens with a null percentage: not a measure.
    tokens: used === null ? null : tokens,
  };
}

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value !== "" && value.length <= 4096 ? value : null;
}

function positiveInt(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : null;
}

function wholeNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A percentage as Claude Code computes it (0-100; a little over 100 is possible). */
function percent(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1000
    ? value
    : null;
}
