/**
 * The context file's share of SessionStart's `additionalContext`, for the hook (src/hooks/,
 * above this folder). A hook must never fail because of a person's file: a refused file (a link
 * out of the project, binary, too large) or a bad partition name becomes a warning, and the
 * session starts without it.
 */
import { errorText } from "../../kernel/errors.ts";
import { contextInjection } from "./assemble.ts";
import { contextLocation, readContext } from "../files.ts";

export interface FilePart {
  /** The bounded, redacted text ("" when there is no context file or it was refused). */
  text: string;
  warning: string | null;
}

/** The context file (partition `partition`, else `.claude/context.md`) within `limit` characters. */
export async function sessionStartFilePart(
  root: string,
  partition: string | null,
  limit: number,
): Promise<FilePart> {
  try {
    const at = contextLocation(root, partition);
    const read = await readContext(at);
    if (read === undefined) return { text: "", warning: null };
    return { text: contextInjection(at.shown, read.text, limit), warning: null };
  } catch (error) {
    // Whatever went wrong with the file, the session still starts (with a note saying so).
    return { text: "", warning: `the context file was not read (${errorText(error)})` };
  }
}
