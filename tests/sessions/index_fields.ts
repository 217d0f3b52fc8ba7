/** Reading a listing index back as its fields, for the tests that forge one (listing_cache.ts). */
import type { IndexFields } from "../../src/sessions/store/listing/listing_cache.ts";

/** An index file's fields, read back as written (unchecked); null when it has no header. */
export function indexFields(text: string): IndexFields & { version: unknown } | null {
  const end = text.indexOf("\n");
  if (end < 0) return null;
  const header = JSON.parse(text.slice(0, end));
  const lines = text.slice(end + 1).split("\n").slice(0, -1);
  return {
    ...header,
    ids: lines.map((line) => line.slice(1).trimEnd()).join("\n"),
    formats: lines.map((line) => line[0]).join(""),
  };
}
