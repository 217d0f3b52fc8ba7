/**
 * Holding a check written by hand (src/kernel/check.ts) to the zod schema it stands for: for a
 * valid record and every variant of it with one field removed, replaced by a value of another type,
 * or an unknown field added, at any depth, both must accept or reject alike, return the same value
 * with its keys in the same order, and reject with the same first problem, at the same path, in
 * the same words.
 */
import { assertEquals } from "./assert.ts";
import { type Check, checkValue } from "../src/kernel/check.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values of every JSON type, put in place of a field. */
const OTHERS: Json[] = [null, true, 0, 1.5, -1, "", "x", "0123456789abcdef", [], ["x"], {}, {
  a: 1,
}];

/** The record, and each variant of it with one change somewhere. */
export function variants(record: Json): Json[] {
  const out: Json[] = [record];
  const walk = (value: Json, rebuild: (replacement: Json | undefined) => Json) => {
    for (const other of OTHERS) out.push(rebuild(other));
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        walk(item, (replacement) => {
          const copy = [...value];
          if (replacement === undefined) copy.splice(i, 1);
          else copy[i] = replacement;
          return rebuild(copy);
        })
      );
    } else if (value !== null && typeof value === "object") {
      out.push(rebuild({ unknown_field: 1, ...value }), rebuild({ ...value, zz_unknown: "x" }));
      for (const key of Object.keys(value)) {
        const without = { ...value };
        delete without[key];
        out.push(rebuild(without));
        walk(value[key], (replacement) => {
          const copy = { ...value };
          if (replacement === undefined) delete copy[key];
          else copy[key] = replacement;
          return rebuild(copy);
        });
      }
    }
  };
  walk(record, (replacement) => replacement ?? null);
  return out;
}

// deno-lint-ignore no-explicit-any
export type ZodSchema = { safeParse: (value: unknown) => any };

export function sameAsZod(name: string, check: Check<unknown>, schema: ZodSchema, record: Json) {
  const all = variants(record);
  for (const value of all) {
    const ours = checkValue(check, value);
    const theirs = schema.safeParse(value);
    const shown = `${name}: ${JSON.stringify(value)}`;
    assertEquals(ours.ok, theirs.success, shown);
    if (ours.ok) {
      assertEquals(JSON.stringify(ours.value), JSON.stringify(theirs.data), shown);
    } else {
      const issue = theirs.error.issues[0];
      assertEquals(ours.problem, { path: issue.path, message: issue.message }, shown);
    }
  }
  return all.length;
}
