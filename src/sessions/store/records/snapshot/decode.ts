/**
 * From a stored file's text to a validated Snapshot: mpm's own format, or any layout claude-mpm
 * wrote (legacy/normalize.ts). A file from a newer mpm is refused, never half-read.
 */
import { normalizeSnapshot } from "../../../../legacy/normalize.ts";
import { parseMarkdownSession } from "../../../../legacy/markdown.ts";
import type { Snapshot } from "../../../../kernel/snapshot.ts";

export { isMpmRecord, jsonErrorReason, parseJsonFile } from "./json_record.ts";

export interface DecodeContext {
  /** The file as shown to the user, for messages. */
  file: string;
  /** The project the file was found in (claude-mpm files may lack project_path). */
  projectPath: string;
}

export function decodeSnapshot(raw: unknown, context: DecodeContext): Snapshot {
  return normalizeSnapshot(raw, { fileName: context.file, projectPath: context.projectPath })
    .snapshot;
}

/** A claude-mpm session that exists only as markdown. */
export function decodeMarkdownSnapshot(text: string, context: DecodeContext): Snapshot {
  return parseMarkdownSession(text, { fileName: context.file, projectPath: context.projectPath });
}
