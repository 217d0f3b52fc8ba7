/**
 * A JSON text's bytes with each long string cut short, so that the head of a record whose early
 * strings run to megabytes (a teammate's summary) still reaches the fields after them: a string
 * keeps its first `stringBytes` bytes, cut where a character and an escape begin, and the rest of
 * it is passed over by a byte search, not read. What is kept is at most `limit` bytes, and is
 * read as the head it is (json_head.ts). Pure: fed the text's pieces in order.
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
    let i = 0;
    while (i < piece.length) {
      if (this.#skipping) {
        if (this.#escape === -1) {
          this.#escape = 0;
          i++;
          continue;
        }
        const quote = piece.indexOf(QUOTE, i);
        const backslash = piece.indexOf(BACKSLASH, i);
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
      const c = piece[i];
      if (!this.#inString) {
        if (c === QUOTE) {
          this.#inString = true;
          this.#inStringBytes = this.#escape = 0;
        }
      } else if (this.#escape === 0) {
        // A character's first byte, outside any escape: where a long string may be cut.
        if (this.#inStringBytes >= this.#stringBytes && (c & 0xc0) !== 0x80 && c !== QUOTE) {
          this.#skipping = true;
          continue;
        }
        if (c === QUOTE) this.#inString = false;
        else if (c === BACKSLASH) this.#escape = -1;
        this.#inStringBytes++;
      } else {
        this.#escape = this.#escape === -1 ? (c === 0x75 ? 4 : 0) : this.#escape - 1;
        this.#inStringBytes++;
      }
      out[this.#kept++] = c;
      i++;
    }
    return this.#kept < out.length;
  }

  /** The bytes kept so far. */
  bytes(): Uint8Array {
    return this.#out.subarray(0, this.#kept);
  }
}
