/**
 * The write boundary: every record mpm keeps (snapshots, the state, checkpoints, handoffs,
 * templates, the spool, sightings, error records, the vault's manifests, and what `mpm sync pull`
 * imports) passes here on its way to disk, with its declaration of which fields are free text
 * (kernel/safe_text/text_fields.ts). Secrets in that text are redacted here and nowhere else, so
 * what builds a record (a command, a record module) never redacts, and a new field is covered
 * when its record declares it (tests/sessions/records/declared_records_test.ts). The record's own
 * module still decides its bytes (pretty JSON, a JSON line, a sealed text): it asks for `forDisk`
 * first, or for `recordJson` when the bytes are plain JSON. Pure.
 *
 * The secret rules are loaded on the first record written, not with this module: a hook that
 * only reads (SessionStart, Stop with its sighting recorded) loads none of them (~45 KB, ~4 ms).
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
