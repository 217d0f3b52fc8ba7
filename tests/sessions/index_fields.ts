/** Reading a listing index back as its fields, for the tests that forge one (listing_cache.ts). */
import {
  type Columns,
  type FolderStamp,
  indexColumns,
  indexText,
  readIndexBytes,
} from "../../src/sessions/store/listing/listing_cache.ts";

/** An index's fields, its lines as one string each. */
export interface IndexFields extends FolderStamp {
  folder: string;
  ids: string;
  formats: string;
}

/** What the index says `folder` holds in state `stamp`, every line checked; null: unknown. */
export async function readColumns(
  file: string,
  folder: string,
  stamp: FolderStamp,
): Promise<Columns | null> {
  const index = await readIndexBytes(file, folder, stamp);
  return index && indexColumns(index);
}

/** The index file's text for fields given as `indexFields` reads them (a forged index). */
export function forgedIndex(fields: IndexFields): string {
  return indexText({ ...fields, ids: fields.ids.split("\n") });
}

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
