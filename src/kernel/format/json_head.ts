/**
 * The head of a JSON text too large to read whole: open containers closed where it ends, strings,
 * arrays and nesting capped, so the result is bounded; a cut string leaves out the token the cut
 * splits (safe_cut.ts) and ends with "…". Never throws on bad text; it stops there. Pure.
 */
import { safeCut } from "./safe_cut.ts";

export interface HeadLimits {
  maxString: number;
  maxItems: number;
  maxDepth: number;
}

export const HEAD_LIMITS: HeadLimits = { maxString: 4000, maxItems: 1000, maxDepth: 16 };

/** Characters of a string up to its next quote or escape. */
const PLAIN = /[^"\\]+/y;

/** Thrown inside when the head ends or goes wrong: the value so far is what is kept. */
const END = Symbol("end");

/** What the head of a JSON text holds (undefined: not even its first value started). */
export function jsonHead(text: string, limits: HeadLimits = HEAD_LIMITS): unknown {
  let at = 0;
  // The head ended inside a string: what it held is kept, and nothing after it is read.
  let ended = false;
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
    if (at >= text.length) throw END;
  };
  // A string from its opening quote: its first maxString characters, the rest skipped.
  const string = (): string => {
    at++;
    let out = "";
    const stop = () => {
      ended = true;
      return safeCut(out + "x", Math.min(out.length, limits.maxString));
    };
    for (;;) {
      if (at >= text.length) return stop();
      // A run with no quote and no escape is taken at once, as far as it is kept.
      PLAIN.lastIndex = at;
      if (PLAIN.test(text)) {
        const end = PLAIN.lastIndex;
        const room = limits.maxString + 1 - out.length;
        if (room > 0) out += text.slice(at, Math.min(end, at + room));
        at = end;
        continue;
      }
      const c = text[at];
      if (c === '"') {
        at++;
        return out.length > limits.maxString ? safeCut(out, limits.maxString) : out;
      }
      let ch = c;
      if (c === "\\") {
        const e = text[at + 1];
        if (e === undefined) return stop();
        if (e === "u") {
          const hex = text.slice(at + 2, at + 6);
          if (hex.length < 4) return stop();
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw END;
          ch = String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else {
          ch = ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[e] ?? e;
          at += 2;
        }
      } else at++;
      // One more than kept, so that the cut knows whether it splits a token.
      if (out.length <= limits.maxString) out += ch;
    }
  };
  const word = (): unknown => {
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 40));
    // A word the head ends in may be cut short ("tr", "12" of "123"): not taken.
    if (m === null || at + m[0].length >= text.length) throw END;
    at += m[0].length;
    return JSON.parse(m[0]);
  };
  // Values fill `into`'s slot as they are read, so a value the head cuts keeps what it had.
  const value = (depth: number, put: (v: unknown) => void): void => {
    space();
    const c = text[at];
    if (c === '"') {
      put(string());
      if (ended) throw END;
      return;
    }
    if (c === "{" || c === "[") {
      const keep = depth < limits.maxDepth;
      const box: unknown[] | Record<string, unknown> = c === "[" ? [] : {};
      if (keep) put(box);
      at++;
      let items = 0;
      for (;;) {
        space();
        if (text[at] === (c === "[" ? "]" : "}")) {
          at++;
          return;
        }
        if (items > 0) {
          if (text[at] !== ",") throw END;
          at++;
          space();
        }
        const index = items++;
        if (Array.isArray(box)) {
          value(depth + 1, (v) => {
            if (keep && index < limits.maxItems) box[index] = v;
          });
        } else {
          if (text[at] !== '"') throw END;
          const key = string();
          if (ended) throw END;
          space();
          if (text[at] !== ":") throw END;
          at++;
          value(depth + 1, (v) => {
            if (keep && index < limits.maxItems && key !== "__proto__") {
              (box as Record<string, unknown>)[key] = v;
            }
          });
        }
      }
    }
    return put(word());
  };
  let result: unknown;
  try {
    value(0, (v) => result = v);
  } catch (error) {
    if (error !== END) throw error;
  }
  return result;
}
