/**
 * A stored JSON file's text as a value, and whether it is mpm's own record: what reading a
 * snapshot needs before it knows which decoder it wants, apart from decode.ts so that reading
 * mpm's records loads none of the older tools' layouts (and zod with them).
 */
import { IntegrityError } from "../../../../kernel/errors.ts";

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

/** Why JSON.parse failed, without the piece of the file V8 quotes (it may hold a secret). */
export function jsonErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/,? "[\s\S]*" is not valid JSON$/, "").split("\n")[0];
}

/** mpm's own files carry `schema_version`; claude-mpm's never did. */
export function isMpmRecord(raw: unknown): raw is { schema_version: unknown } {
  return typeof raw === "object" && raw !== null && "schema_version" in raw;
}
