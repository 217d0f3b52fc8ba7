/**
 * Whether a path can be a conversation's transcript: the one place mpm decides it, for the hooks
 * that record a payload's `transcript_path` (hooks/events/hook_command.ts, ready_start.ts) and for
 * every reader of one (replay and summary, the vault's copy, `mpm doctor`, search).
 *
 * Claude Code names an absolute path to a regular file, not written yet when a conversation
 * starts. Anything else at the path — a folder, a FIFO, a socket, a device — is no transcript:
 * taken as if no path had been named, never recorded, read, copied or counted. A relative path
 * is none either (read against mpm's own folder, it could name any file of the project's). A
 * symbolic link is judged by what it leads to, as the readers follow it (the hooks' tail read,
 * transcript.ts, refuses links outright). The path is looked at, never opened: opening a FIFO
 * waits for a writer, and a device may never end. A reader still checks the file it opened,
 * which may have been swapped since.
 */
import { isAbsolute } from "../../kernel/path.ts";

export type TranscriptLook =
  /** A regular file, or a link to one. */
  | { kind: "file"; info: Deno.FileInfo }
  /** Nothing there: not written yet, deleted, or a link to nothing. */
  | { kind: "absent" }
  /** Something that is no transcript; `what` names it ("a named pipe"). */
  | { kind: "other"; what: string }
  /** It could not be looked at; `why` says why ("permission denied"). */
  | { kind: "unknown"; why: string };

/** What is at `path`, by a stat that follows a link; never opened. */
export async function lookAtTranscript(path: string): Promise<TranscriptLook> {
  try {
    return judged(await Deno.stat(path));
  } catch (error) {
    return failed(error);
  }
}

/** lookAtTranscript for the hooks' synchronous checks. */
export function lookAtTranscriptSync(path: string): TranscriptLook {
  try {
    return judged(Deno.statSync(path));
  } catch (error) {
    return failed(error);
  }
}

/**
 * Whether `path` can name no transcript at all — relative, or something there that is not a
 * regular file — so that it is taken for none, where it is recorded and where it is read. A path
 * with nothing there yet is not refused: a conversation's transcript is written after its start.
 */
export function isNoTranscript(path: string): boolean {
  return path === "" || !isAbsolute(path) || lookAtTranscriptSync(path).kind === "other";
}

/** A path recorded as a transcript, or null when it can name none (isNoTranscript). */
export function transcriptOrNone(path: string | null): string | null {
  return path === null || isNoTranscript(path) ? null : path;
}

function judged(info: Deno.FileInfo): TranscriptLook {
  return info.isFile ? { kind: "file", info } : { kind: "other", what: fileKind(info) };
}

function failed(error: unknown): TranscriptLook {
  if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
    return { kind: "absent" };
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return { kind: "unknown", why: "permission denied" };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { kind: "unknown", why: text.split("\n")[0] };
}

function fileKind(info: Deno.FileInfo): string {
  if (info.isDirectory) return "a folder";
  if (info.isFifo) return "a named pipe";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice || info.isBlockDevice) return "a device";
  return "not a file";
}
