/**
 * What mpm writes, made safe in one place: each record mpm keeps declares which of its fields are
 * free text (words from a person, a model or a machine: summaries, todos, notes, commit subjects,
 * error messages, transcript paths) and which are kept exact (ids, keys, hashes, times, and the
 * branches and paths handed back to git). The store's writer (disk/files/written.ts) passes every
 * record through redactRecord right before its bytes are built, so a command or a record module
 * never redacts anything itself. Pure.
 *
 * A field is named by its path in the record, its keys joined by dots; an array's items share
 * their array's path, and a path covers everything under it (`git_context.blobs` keeps the whole
 * map exact). A string the declaration does not name is redacted as free text: a field added
 * without a word in its record's declaration is never what lets a secret through, and the
 * declared-records test (tests/sessions/records/declared_records_test.ts) fails on it.
 */
import { MAX_DEPTH, redact, redactDeep, redactUnder, TOO_DEEP } from "./redact.ts";
import type { TextFields } from "./text_fields.ts";

export type { TextFields };

/**
 * The record with every secret in its free text replaced by `[REDACTED:<kind>]` (a string under a
 * secret-sounding key goes whole, as redactDeep does); its exact fields as they were. The keys
 * keep their order (a record's bytes depend on it) and a `"__proto__"` key stays an own property.
 * Redacting twice changes nothing.
 */
export function redactRecord<T>(fields: TextFields, value: T): T {
  const exact = new Set(fields.exact);
  return walk(value, "", undefined, 0, exact) as T;
}

function walk(
  value: unknown,
  path: string,
  key: string | undefined,
  depth: number,
  exact: ReadonlySet<string>,
): unknown {
  if (exact.has(path)) return value;
  if (typeof value === "string") return redactUnder(key, value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    return value.map((item) => walk(item, path, undefined, depth + 1, exact));
  }
  if (!isPlain(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => {
      const at = path ? `${path}.${name}` : name;
      return [name, walk(item, at, name, depth + 1, exact)];
    }),
  );
}

/**
 * What redactRecord would find in `value`, in one walk that copies nothing: `free`, whether it
 * would change a free-text field; `exact`, whether an exact field holds what holdsSecretDeep
 * takes (sync push holds such a record back).
 */
export function secretsIn(fields: TextFields, value: unknown): { free: boolean; exact: boolean } {
  const exact = new Set(fields.exact);
  const found = { free: false, exact: false };
  const takes = (key: string | undefined, v: string) => redactUnder(key, v) !== v;
  const deep = (v: unknown, key: string | undefined, depth: number): boolean => {
    if (typeof v === "string") return takes(key, v);
    if (v === null || typeof v !== "object") return false;
    if (depth >= MAX_DEPTH) return true;
    if (Array.isArray(v)) return v.some((item) => deep(item, undefined, depth + 1));
    return isPlain(v) && Object.entries(v).some(([k, item]) => deep(item, k, depth + 1));
  };
  const look = (v: unknown, path: string, key: string | undefined, depth: number): void => {
    if (exact.has(path)) found.exact ||= deep(v, key, depth);
    else if (typeof v === "string") found.free ||= takes(key, v);
    else if (v === null || typeof v !== "object") return;
    else if (depth >= MAX_DEPTH) found.free = true;
    else if (Array.isArray(v)) { for (const item of v) look(item, path, undefined, depth + 1); }
    else if (isPlain(v)) {
      for (const [k, item] of Object.entries(v)) {
        look(item, path ? `${path}.${k}` : k, k, depth + 1);
      }
    }
  };
  look(value, "", undefined, 0);
  return found;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `text` holds something redaction would take: for a name that must be refused rather
 * than kept changed (a checkpoint or template name), or one `mpm doctor` names.
 */
export function holdsSecret(text: string): boolean {
  return redact(text) !== text;
}

/**
 * Whether any string of `value`, exact fields included, holds something redaction would take:
 * `mpm sync push` holds such a record back (a secret-looking branch or file name).
 */
export function holdsSecretDeep(value: unknown): boolean {
  return JSON.stringify(redactDeep(value)) !== JSON.stringify(value);
}
