/**
 * The checks of mpm's own records: one declaration per record (`object({...})`) gives its type,
 * its check and the words of its first problem (zod's English messages); docs/format.md's field
 * tables are made from them (`about`, scripts/format_doc.ts). zod stays for what people write.
 */

import { IntegrityError } from "./errors.ts";

export type Path = readonly (string | number)[];

/** Where a check is, as a chain up to the top (null); made into a Path only for a problem. */
export type Where = { readonly up: Where; readonly key: string | number } | null;

export interface Problem {
  path: Path;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export interface Check<T> {
  (value: unknown, where: Where): Checked<T>;
  /** Set on `optional` checks: an object may lack their key. */
  readonly optional?: true;
  /** What it accepts, in words: docs/format.md's field tables are made from it. */
  readonly about?: About;
}

/** What a check accepts, for the reference (scripts/format_doc.ts). */
export interface About {
  readonly kind: string;
  readonly of?: Check<unknown>;
  readonly shape?: Shape;
  readonly values?: readonly unknown[];
  readonly fallback?: unknown;
}

/** `check`, saying what it accepts. */
function about<C>(check: C, what: About): C & { readonly about: About } {
  return Object.assign(check as C & object, { about: what }) as C & { readonly about: About };
}

/** What a check accepts. */
export type Out<C> = C extends Check<infer T> ? T : never;

type Shape = Record<string, Check<unknown>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends { readonly optional: true } ? K : never;
}[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & unknown;
/** The object a shape describes: an optional check's key may be missing. */
export type ObjectOf<S extends Shape> = Flat<
  & { [K in Exclude<keyof S, OptionalKeys<S>>]: Out<S[K]> }
  & { [K in OptionalKeys<S>]?: Out<S[K]> }
>;

/** The path `where` stands for, from the top. */
function pathOf(where: Where): Path {
  const path: (string | number)[] = [];
  for (let at = where; at !== null; at = at.up) path.unshift(at.key);
  return path;
}

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });

/** The problem `message` at `where`: for checks declared outside this file too. */
export const fail = (where: Where, message: string): Checked<never> => ({
  ok: false,
  problem: { path: pathOf(where), message },
});

/** zod's name for a value's type in "received …". */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    return Number.isFinite(value) ? "number" : String(value);
  }
  return typeof value;
}

function wrongType(expected: string, value: unknown, where: Where): Checked<never> {
  return fail(where, `Invalid input: expected ${expected}, received ${typeName(value)}`);
}

/** A plain object from JSON (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` when it is a plain object, else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** A text of JSON that holds a plain object, parsed; else undefined. */
export function jsonRecord(text: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function string(
  limits: { min?: number; max?: number; pattern?: RegExp } = {},
): Check<string> {
  return about((value: unknown, where: Where): Checked<string> => {
    if (typeof value !== "string") return wrongType("string", value, where);
    if (limits.min !== undefined && value.length < limits.min) {
      return fail(where, `Too small: expected string to have >=${limits.min} characters`);
    }
    if (limits.max !== undefined && value.length > limits.max) {
      return fail(where, `Too big: expected string to have <=${limits.max} characters`);
    }
    if (limits.pattern !== undefined) {
      limits.pattern.lastIndex = 0;
      if (!limits.pattern.test(value)) {
        return fail(where, `Invalid string: must match pattern ${limits.pattern}`);
      }
    }
    return ok(value);
  }, { kind: "string" });
}

/** A string `Date.parse` reads as a time (ISO 8601): a record's "when", which lists sort by. */
export const time: Check<string> = about((value: unknown, where: Where): Checked<string> => {
  const checked = string()(value, where);
  if (checked.ok && Number.isNaN(Date.parse(checked.value))) {
    return fail(where, "Invalid input: expected a time");
  }
  return checked;
}, { kind: "time (ISO 8601)" });

/** A finite number, as zod's `number()`. */
export const number: Check<number> = about(
  (value: unknown, where: Where): Checked<number> =>
    typeof value === "number" && Number.isFinite(value)
      ? ok(value)
      : wrongType("number", value, where),
  { kind: "number" },
);

/** A finite number of at least 0, as zod's `number().check(nonnegative())`. */
export const nonnegativeNumber: Check<number> = about((value: unknown, where: Where) => {
  const checked = number(value, where);
  if (checked.ok && checked.value < 0) return fail(where, "Too small: expected number to be >=0");
  return checked;
}, { kind: "number" });

/** A whole number, as zod's `int()`, optionally "positive", "nonnegative" or at least `min`. */
export function int(bound?: "positive" | "nonnegative" | { min: number }): Check<number> {
  return about((value: unknown, where: Where): Checked<number> => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return wrongType("number", value, where);
    }
    if (!Number.isInteger(value)) return wrongType("int", value, where);
    if (value > Number.MAX_SAFE_INTEGER) {
      return fail(where, `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
    }
    if (value < Number.MIN_SAFE_INTEGER) {
      return fail(where, `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
    }
    if (bound === "positive" && value <= 0) {
      return fail(where, "Too small: expected number to be >0");
    }
    if (bound === "nonnegative" && value < 0) {
      return fail(where, "Too small: expected number to be >=0");
    }
    if (typeof bound === "object" && value < bound.min) {
      return fail(where, `Too small: expected number to be >=${bound.min}`);
    }
    return ok(value);
  }, { kind: "int" });
}

export const boolean: Check<boolean> = about(
  (value: unknown, where: Where): Checked<boolean> =>
    typeof value === "boolean" ? ok(value) : wrongType("boolean", value, where),
  { kind: "boolean" },
);

export const unknown: Check<unknown> = about((value: unknown) => ok(value), { kind: "unknown" });

export function literal<const T extends string | number | boolean>(expected: T): Check<T> {
  const shown = typeof expected === "string" ? `"${expected}"` : String(expected);
  return about(
    (value: unknown, where: Where): Checked<T> =>
      value === expected ? ok(expected) : fail(where, `Invalid input: expected ${shown}`),
    { kind: "literal", values: [expected] },
  );
}

/** One of `values`, as zod's `enum()`. */
export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  return about(
    (value: unknown, where: Where): Checked<T> =>
      (values as readonly unknown[]).includes(value)
        ? ok(value as T)
        : fail(where, `Invalid option: expected one of ${values.map((v) => `"${v}"`).join("|")}`),
    { kind: "oneOf", values },
  );
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return about(
    (value: unknown, where: Where): Checked<T | null> =>
      value === null ? ok(null) : check(value, where),
    { kind: "nullable", of: check },
  );
}

export function optional<T>(check: Check<T>): Check<T | undefined> & { readonly optional: true } {
  const optionalCheck = (value: unknown, where: Where) =>
    value === undefined ? ok(undefined) : check(value, where);
  return Object.assign(optionalCheck, {
    optional: true as const,
    about: { kind: "optional", of: check },
  });
}

/** `check`, or a copy of `value` where there is none, as zod's `_default`. */
export function withDefault<T>(check: Check<T>, value: T): Check<T> {
  return about(
    (given: unknown, where: Where): Checked<T> =>
      given === undefined ? ok(structuredClone(value)) : check(given, where),
    { kind: "default", of: check, fallback: value },
  );
}

export function array<T>(item: Check<T>): Check<T[]> {
  return about((value: unknown, where: Where): Checked<T[]> => {
    if (!Array.isArray(value)) return wrongType("array", value, where);
    const out: T[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const checked = item(value[i], { up: where, key: i });
      if (!checked.ok) return checked;
      out[i] = checked.value;
    }
    return ok(out);
  }, { kind: "array", of: item });
}

/** An object whose every key passes `key` and every value `item`, as zod's `record()`. */
export function record<T>(key: Check<string>, item: Check<T>): Check<Record<string, T>> {
  return about((value: unknown, where: Where): Checked<Record<string, T>> => {
    if (!isRecord(value)) return wrongType("record", value, where);
    const out: Record<string, T> = {};
    for (const [name, entry] of Object.entries(value)) {
      // A bad key is reported as zod does, by where it is, without its own words.
      const at = { up: where, key: name };
      if (!key(name, at).ok) return fail(at, "Invalid key in record");
      const checked = item(entry, at);
      if (!checked.ok) return checked;
      if (name !== "__proto__") out[name] = checked.value;
    }
    return ok(out);
  }, { kind: "record", of: item });
}

/** An object's check, with the shape it was declared with: another record may extend it. */
export type ObjectCheck<S extends Shape, T> = Check<T> & { readonly shape: S };

/** An object of `shape`, keys in its order; other keys are stripped, kept after, or refused. */
export function object<S extends Shape>(
  shape: S,
  rest: "strip" | "refuse",
): ObjectCheck<S, ObjectOf<S>>;
export function object<S extends Shape>(
  shape: S,
  rest: "keep",
): ObjectCheck<S, ObjectOf<S> & { [key: string]: unknown }>;
export function object<S extends Shape>(
  shape: S,
  rest: "strip" | "keep" | "refuse",
): ObjectCheck<S, unknown> {
  const keys = Object.keys(shape);
  const known = new Set(keys);
  const check = (value: unknown, where: Where): Checked<unknown> => {
    if (!isRecord(value)) return wrongType("object", value, where);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (key === "__proto__") continue;
      const field = shape[key];
      const present = Object.hasOwn(value, key);
      if (!present && field.optional) continue;
      const at = { up: where, key };
      const checked = field(present ? value[key] : undefined, at);
      if (!checked.ok) return checked;
      // A required key is required even where its check would take anything.
      if (!present && checked.value === undefined) {
        return fail(at, "Invalid input: expected nonoptional, received undefined");
      }
      if (present || checked.value !== undefined) out[key] = checked.value;
    }
    if (rest === "strip") return ok(out);
    const others = Object.keys(value).filter((key) => !known.has(key));
    if (rest === "refuse" && others.length > 0) {
      const names = others.map((key) => JSON.stringify(key)).join(", ");
      return fail(where, `Unrecognized key${others.length > 1 ? "s" : ""}: ${names}`);
    }
    for (const key of others) if (key !== "__proto__") out[key] = value[key];
    return ok(out);
  };
  const what: About = { kind: "object", shape };
  return Object.assign(check, { shape, about: what });
}

/** Runs `check` from the top of a record. */
export function checkValue<T>(check: Check<T>, value: unknown): Checked<T> {
  return check(value, null);
}

/** `text` parsed as JSON and checked; null when there is none, it is not JSON or not `check`'s. */
export function checkedJson<T>(check: Check<T>, text: string | undefined): T | null {
  try {
    const checked = checkValue(check, JSON.parse(text ?? ""));
    return checked.ok ? checked.value : null;
  } catch {
    return null;
  }
}

/** `value` checked, or an Error naming its first problem: for a record mpm has just built. */
export function mustCheck<T>(check: Check<T>, value: unknown): T {
  const checked = check(value, null);
  if (checked.ok) return checked.value;
  const where = checked.problem.path.join(".") || "top level";
  throw new Error(`${where}: ${checked.problem.message}`);
}

/** What readStored needs to know of a record kept on disk. */
export interface Stored<T> {
  /** The file as a person finds it (`.claude-mpm/state.json`). */
  shown: string;
  check: Check<T>;
  /** The newest `schema_version` this mpm reads, and its name in the message ("state version"). */
  version: number;
  versionName: string;
  /** What to do with a damaged file. */
  hint: string;
}

/** One of mpm's records read back from its file's text and checked; else IntegrityError (exit 4). */
export function readStored<T>(text: string, stored: Stored<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw storedDamaged(stored, "it is not valid JSON");
  }
  const version = (raw as { schema_version?: unknown })?.schema_version;
  if (typeof version === "number" && version > stored.version) {
    throw new IntegrityError(
      `${stored.shown} was written by a newer mpm (${stored.versionName} ${version}).`,
      "Upgrade mpm to use it.",
    );
  }
  const checked = checkValue(stored.check, raw);
  if (!checked.ok) {
    const { path, message } = checked.problem;
    throw storedDamaged(stored, `${path.join(".") || "the top level"}: ${message}`);
  }
  return checked.value;
}

/** The error for a stored record that is damaged (`why`): mpm will not overwrite it. */
export function storedDamaged(stored: Stored<unknown>, why: string): IntegrityError {
  return new IntegrityError(
    `${stored.shown} is damaged (${why}); mpm will not overwrite it.`,
    stored.hint,
  );
}
