/**
 * The write boundary: every record passes here with its declaration of free-text fields, and
 * secrets in that text are redacted here and nowhere else; the record's module decides its bytes.
 * Pure; the secret rules load with the first record written, so a read-only hook loads none.
 */
import type { TextFields } from "../../kernel/safe_text/text_fields.ts";

export type { TextFields };

/** The record as it may reach disk: its free text redacted, its exact fields as they were. */
export async function forDisk<T>(fields: TextFields, record: T): Promise<T> {
  const { redactRecord } = await import("../../kernel/safe_text/record_text.ts");
  return redactRecord(fields, record);
}

/** The record's bytes as pretty-printed JSON (`pretty`, the default) or one JSON line. */
export async function recordJson(
  fields: TextFields,
  record: unknown,
  layout: "pretty" | "line" = "pretty",
): Promise<string> {
  const clean = await forDisk(fields, record);
  return layout === "pretty" ? JSON.stringify(clean, null, 2) + "\n" : JSON.stringify(clean);
}
