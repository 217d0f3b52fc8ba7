/**
 * Whether a path can be a transcript: an absolute path to a regular file or to nothing yet. Looked
 * at, never opened (a FIFO would block).
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

/** Relative, or not a regular file; nothing there yet is not refused. */
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
