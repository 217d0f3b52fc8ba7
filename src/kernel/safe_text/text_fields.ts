/**
 * A record's declaration of its free-text and exact fields, by path (record_text.ts redacts by
 * it); apart so declaring a record loads none of the secret rules. Pure.
 */

/** A record's text fields, by path. */
export interface TextFields {
  /** Text from a person, a model or a machine: redacted before a byte is written. */
  readonly free: readonly string[];
  /** Ids, keys, hashes, times, branches and paths mpm compares or hands to git: kept as they are. */
  readonly exact: readonly string[];
}

/** `fields` with every path under `prefix` (a record held inside another). */
export function within(prefix: string, fields: TextFields): TextFields {
  const at = (path: string) => path === "" ? prefix : `${prefix}.${path}`;
  return { free: fields.free.map(at), exact: fields.exact.map(at) };
}

/** Several declarations as one (a record and the records it holds). */
export function joined(...all: TextFields[]): TextFields {
  return { free: all.flatMap((f) => f.free), exact: all.flatMap((f) => f.exact) };
}
