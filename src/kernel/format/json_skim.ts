/**
 * A JSON text's bytes with each long string cut to its first `stringBytes` bytes, so the head of a
 * record with megabyte strings still reaches later fields; at most `limit` bytes kept, read as a
 * head (json_head.ts). Pure: fed the text's pieces in order.
 */

/** Bytes a string keeps: more than json_head.ts keeps of it, even when every character is \uXXXX. */
export const SKIM_STRING_BYTES = 24 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonSkim {
  readonly #out: Uint8Array;
  readonly #stringBytes: number;
  #kept = 0;
  #inString = false;
  /** Bytes of the current string kept so far. */
  #inStringBytes = 0;
  /** In a string: 0, -1 right after a backslash, else the hex digits of a \u still to come. */
  #escape = 0;
  /** Passing over the rest of a string cut short. */
  #skipping = false;

  constructor(limit: number, stringBytes = SKIM_STRING_BYTES) {
    this.#out = new Uint8Array(limit);
    this.#stringBytes = stringBytes;
  }

  /** Takes the next piece of the text; false once `limit` bytes are kept and no more is needed. */
  push(piece: Uint8Array): boolean {
    const out = this.#out;
    // The next quote and backslash at or after `i`, each searched for once per piece.
    let quote = -2;
    let backslash = -2;
    const next = (i: number) => {
      if (quote !== -1 && quote < i) quote = piece.indexOf(QUOTE, i);
      if (backslash !== -1 && backslash < i) backslash = piece.indexOf(BACKSLASH, i);
    };
    // Copies piece[i, end) as it is; false when `limit` is reached first.
    const copy = (i: number, end: number) => {
      const n = Math.min(end - i, out.length - this.#kept);
      out.set(piece.subarray(i, i + n), this.#kept);
      this.#kept += n;
      return n;
    };
    let i = 0;
    while (i < piece.length) {
      if (this.#skipping) {
        if (this.#escape === -1) {
          this.#escape = 0;
          i++;
          continue;
        }
        next(i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          this.#escape = -1;
          i = backslash + 1;
          continue;
        }
        if (quote === -1) return true;
        if (this.#kept >= out.length) return false;
        out[this.#kept++] = QUOTE;
        this.#skipping = this.#inString = false;
        i = quote + 1;
        continue;
      }
      if (this.#kept >= out.length) return false;
      if (!this.#inString) {
        // Nothing outside a string changes the state but the quote that opens one.
        next(i);
        const end = quote === -1 ? piece.length : quote + 1;
        const n = copy(i, end);
        i += n;
        if (i === quote + 1) {
          this.#inString = true;
          this.#inStringBytes = this.#escape = 0;
        }
        continue;
      }
      if (this.#escape === 0) {
        next(i);
        const run = Math.min(
          quote === -1 ? piece.length : quote,
          backslash === -1 ? piece.length : backslash,
        );
        if (run > i) {
          // Plain bytes: kept up to the string's share, cut where a character begins.
          let end = run;
          const room = this.#stringBytes - this.#inStringBytes;
          if (i + room < run) {
            end = Math.max(i, i + room);
            while (end > i && (piece[end] & 0xc0) === 0x80) end--;
            // Never a character split: the bytes that finish one begun in the last piece are kept.
            if (end === i) { while (end < run && (piece[end] & 0xc0) === 0x80) end++; }
            if (end === i) {
              this.#skipping = true;
              continue;
            }
          }
          const n = copy(i, end);
          this.#inStringBytes += n;
          i += n;
          continue;
        }
        // A quote or a backslash: a backslash past the string's share begins what is skipped.
        const c = piece[i];
        if (c === BACKSLASH && this.#inStringBytes >= this.#stringBytes) {
          this.#skipping = true;
          continue;
        }
        if (c === QUOTE) this.#inString = false;
        else this.#escape = -1;
      } else {
        this.#escape = this.#escape === -1 ? (piece[i] === 0x75 ? 4 : 0) : this.#escape - 1;
      }
      this.#inStringBytes++;
      out[this.#kept++] = piece[i];
      i++;
    }
    return this.#kept < out.length;
  }

  /** The bytes kept so far. */
  bytes(): Uint8Array {
    return this.#out.subarray(0, this.#kept);
  }
}
