/**
 * What mpm writes, made safe in one place: each record declares its exact fields (ids, hashes,
 * times, what git is handed) by dotted path and the writer redacts the rest, so a string the
 * declaration does not name is free text and a new field never lets a secret through. Pure.
 */
import { MAX_DEPTH, redact, redactDeep, redactUnder, TOO_DEEP } from "./redact.ts";
import type { TextFields } from "./text_fields.ts";

export type { TextFields };

/** The record with secrets in its free text replaced by `[REDACTED:<kind>]`; twice is a no-op. */
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
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => {
      const at = path ? `${path}.${name}` : name;
      return [name, walk(item, at, name, depth + 1, exact)];
    }),
  );
}

/** Whether `text` holds something redaction would take (a name to refuse, or one doctor names). */
export function holdsSecret(text: string): boolean {
  return redact(text) !== text;
}

/** Whether any string of `value`, exact ones too, holds a secret (sync push holds it back). */
export function holdsSecretDeep(value: unknown): boolean {
  return JSON.stringify(redactDeep(value)) !== JSON.stringify(value);
}
