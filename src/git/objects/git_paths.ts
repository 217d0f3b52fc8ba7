/**
 * File names as git gives and takes them, whatever bytes they hold. Pure. A non-UTF-8 name decodes
 * as Python's "surrogateescape" does (a bad byte a lone surrogate); Deno cannot pass it to the
 * file system, but git reads a C-quoted name (cQuoted) back to its exact bytes.
 */

const strict = new TextDecoder("utf-8", { fatal: true });

/** The length of the valid UTF-8 sequence at `i` (1 to 4), or 0 where the byte starts none. */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  const next = (k: number, lo = 0x80, hi = 0xbf) => {
    const c = bytes[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return next(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return next(1, lo, hi) && next(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return next(1, lo, hi) && next(2) && next(3) ? 4 : 0;
  }
  return 0;
}

/** git's output as text, each byte that is not UTF-8 kept as U+DC80–U+DCFF (reversible). */
export function decodePaths(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Below, piece by piece.
  }
  let text = "";
  let run = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceAt(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    text += strict.decode(bytes.subarray(run, i)) + String.fromCharCode(0xdc00 + bytes[i]);
    i++;
    run = i;
  }
  return text + strict.decode(bytes.subarray(run));
}

/** A byte that is not UTF-8, as decodePaths keeps it: a lone U+DC80–U+DCFF. */
const RAW_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** Whether a decoded path holds bytes that are not UTF-8 (no file-system call can name it). */
export function notUtf8(path: string): boolean {
  return RAW_BYTE.test(path);
}

/** The escapes git writes by letter; every other control character is written in octal. */
const LETTERS: Record<number, string> = {
  0x07: "a",
  0x08: "b",
  0x09: "t",
  0x0a: "n",
  0x0b: "v",
  0x0c: "f",
  0x0d: "r",
  0x22: '"',
  0x5c: "\\",
};

const octal = (byte: number) => `\\${byte.toString(8).padStart(3, "0")}`;

/** A path as git C-quotes it (`core.quotePath=false`); `always` quotes it either way. */
export function cQuoted(path: string, always = false): string {
  let body = "";
  let escaped = false;
  for (const c of path) {
    const code = c.codePointAt(0)!;
    const letter = LETTERS[code];
    if (letter !== undefined) body += `\\${letter}`;
    else if (code < 0x20 || code === 0x7f) body += octal(code);
    else if (code >= 0xdc80 && code <= 0xdcff) body += octal(code - 0xdc00);
    else {
      body += c;
      continue;
    }
    escaped = true;
  }
  return escaped || always ? `"${body}"` : path;
}
