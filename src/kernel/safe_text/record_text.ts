/**
 * What mpm writes, made safe in one place: each record declares its exact fields (ids, hashes,
 * times, what git is handed) by dotted path and the writer redacts the rest, so a string the
 * declaration does not name is free text and a new field never lets a secret through. Pure.
 */
import { isPlain, MAX_DEPTH, redact, redactDeep, redactUnder, TOO_DEEP } from "./redact.ts";
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

/** Whether `text` holds something redaction would take (a name to refuse, or one doctor names). */
export function holdsSecret(text: string): boolean {
  return redact(text) !== text;
}

/** Whether any string of `value`, exact ones too, holds a secret (sync push holds it back). */
export function holdsSecretDeep(value: unknown): boolean {
  return JSON.stringify(redactDeep(value)) !== JSON.stringify(value);
}
