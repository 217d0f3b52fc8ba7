/**
 * From a stored file's text to a validated Snapshot: mpm's own format, or any layout claude-mpm
 * wrote (legacy/normalize.ts). A file from a newer mpm is refused, never half-read.
 */
import { IntegrityError } from "../../../kernel/errors.ts";
import { normalizeSnapshot } from "../../../legacy/normalize.ts";
import { parseMarkdownSession } from "../../../legacy/markdown.ts";
import type { Snapshot } from "../../../kernel/snapshot.ts";

export interface DecodeContext {
  /** The file as shown to the user, for messages. */
  file: string;
  /** The project the file was found in (claude-mpm files may lack project_path). */
  projectPath: string;
}

export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IntegrityError(
      `${file} is not valid JSON (${jsonErrorReason(error)}).`,
      "Restore it from a backup or remove it; the other sessions are unaffected.",
    );
  }
}

/**
 * Why JSON.parse failed, without the piece of the file V8 quotes back (`Unexpected token 'x',
 * "x…" is not valid JSON`): it can span lines and hold anything, secrets included.
 */
export function jsonErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/,? "[\s\S]*" is not valid JSON$/, "").split("\n")[0];
}

/** mpm's own files carry `schema_version`; claude-mpm's never did. */
export function isMpmRecord(raw: unknown): raw is { schema_version: unknown } {
  return typeof raw === "object" && raw !== null && "schema_version" in raw;
}

export function decodeSnapshot(raw: unknown, context: DecodeContext): Snapshot {
  return normalizeSnapshot(raw, { fileName: context.file, projectPath: context.projectPath })
    .snapshot;
}

/** A claude-mpm session that exists only as markdown. */
export function decodeMarkdownSnapshot(text: string, context: DecodeContext): Snapshot {
  return parseMarkdownSession(text, { fileName: context.file, projectPath: context.projectPath });
}
