/**
 * zlib's inflate (RFC 1950/1951) for the few hundred bytes of a commit object, after Mark Adler's
 * puff.c: no tables to build at load (DecompressionStream costs a pause's start many ms). Pure;
 * an InflateError unless whole, well-formed and Adler-32 matches.
 */

export class InflateError extends Error {}

/** The inflated bytes of a zlib stream; past `limit` bytes of output it gives up. */
export function unzlib(data: Uint8Array, limit = 1 << 20): Uint8Array<ArrayBuffer> {
  if (data.length < 6) throw new InflateError("too short for a zlib stream");
  const cmf = data[0];
  const flg = data[1];
  if ((cmf & 0x0f) !== 8 || (cmf * 256 + flg) % 31 !== 0 || (flg & 0x20) !== 0) {
    throw new InflateError("not a zlib stream git writes");
  }
  const state = new Inflater(data, 2, limit);
  state.inflate();
  const out = state.output();
  const at = state.pos;
  if (at + 4 > data.length) throw new InflateError("the stream ends before its checksum");
  const stored = ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>>
    0;
  if (stored !== adler32(out)) throw new InflateError("the checksum does not match");
  return out;
}

/** Adler-32 of `bytes`. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length;) {
    // 5552 bytes at most between reductions keep both sums inside 32 bits (zlib's NMAX).
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const MAX_BITS = 15;
/** Base lengths and extra bits of length symbols 257..285. */
// deno-fmt-ignore
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
// deno-fmt-ignore
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/** Base distances and extra bits of distance symbols 0..29. */
// deno-fmt-ignore
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
  193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
// deno-fmt-ignore
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
  6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** The order code-length code lengths come in, in a dynamic block's header. */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
}

/** The code for `n` symbols of `lengths`; returns its unused codes (over-subscribed: throws). */
function construct(lengths: Uint8Array, offset: number, n: number): [Huffman, number] {
  const count = new Uint16Array(MAX_BITS + 1);
  const symbol = new Uint16Array(n);
  for (let i = 0; i < n; i++) count[lengths[offset + i]]++;
  if (count[0] === n) return [{ count, symbol }, 0];
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = left * 2 - count[len];
    if (left < 0) throw new InflateError("an over-subscribed code");
  }
  const first = new Uint16Array(MAX_BITS + 1);
  for (let len = 1; len < MAX_BITS; len++) first[len + 1] = first[len] + count[len];
  for (let i = 0; i < n; i++) {
    const len = lengths[offset + i];
    if (len !== 0) symbol[first[len]++] = i;
  }
  return [{ count, symbol }, left];
}

let fixed: [Huffman, Huffman] | undefined;

/** The fixed codes of block type 1, made on first use. */
function fixedCodes(): [Huffman, Huffman] {
  if (fixed) return fixed;
  const lengths = new Uint8Array(288 + 30);
  lengths.fill(8, 0, 144);
  lengths.fill(9, 144, 256);
  lengths.fill(7, 256, 280);
  lengths.fill(8, 280, 288);
  lengths.fill(5, 288, 318);
  return fixed = [construct(lengths, 0, 288)[0], construct(lengths, 288, 30)[0]];
}

class Inflater {
  private bitBuffer = 0;
  private bitCount = 0;
  private out: Uint8Array<ArrayBuffer>;
  private length = 0;

  constructor(
    private readonly data: Uint8Array,
    public pos: number,
    private readonly limit: number,
  ) {
    this.out = new Uint8Array(Math.min(limit, Math.max(256, data.length * 4)));
  }

  output(): Uint8Array<ArrayBuffer> {
    return this.out.slice(0, this.length);
  }

  inflate(): void {
    let last;
    do {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(...fixedCodes());
      else if (type === 2) this.codes(...this.dynamicCodes());
      else throw new InflateError("a block of unknown type");
    } while (!last);
    // What is left of the last byte read is padding; the checksum starts at the next byte.
    this.bitBuffer = 0;
    this.bitCount = 0;
  }

  private bits(need: number): number {
    let value = this.bitBuffer;
    while (this.bitCount < need) {
      if (this.pos >= this.data.length) throw new InflateError("the stream is cut short");
      value |= this.data[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
    this.bitBuffer = value >>> need;
    this.bitCount -= need;
    return value & ((1 << need) - 1);
  }

  private put(byte: number): void {
    if (this.length === this.out.length) {
      if (this.length >= this.limit) throw new InflateError("the object is larger than allowed");
      const grown = new Uint8Array(Math.min(this.limit, this.out.length * 2));
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.length++] = byte;
  }

  private stored(): void {
    this.bitBuffer = 0;
    this.bitCount = 0;
    const at = this.pos;
    if (at + 4 > this.data.length) throw new InflateError("the stream is cut short");
    const length = this.data[at] | (this.data[at + 1] << 8);
    const check = this.data[at + 2] | (this.data[at + 3] << 8);
    if (length !== (~check & 0xffff)) throw new InflateError("a stored block's length is damaged");
    if (at + 4 + length > this.data.length) throw new InflateError("the stream is cut short");
    for (let i = 0; i < length; i++) this.put(this.data[at + 4 + i]);
    this.pos = at + 4 + length;
  }

  private decode(code: Huffman): number {
    let value = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      value |= this.bits(1);
      const count = code.count[len];
      if (value - count < first) return code.symbol[index + (value - first)];
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    throw new InflateError("a code that is not in the table");
  }

  private codes(lengths: Huffman, distances: Huffman): void {
    for (;;) {
      let symbol = this.decode(lengths);
      if (symbol < 256) {
        this.put(symbol);
        continue;
      }
      if (symbol === 256) return;
      symbol -= 257;
      if (symbol >= 29) throw new InflateError("a length symbol out of range");
      const length = LENGTH_BASE[symbol] + this.bits(LENGTH_EXTRA[symbol]);
      const d = this.decode(distances);
      if (d >= 30) throw new InflateError("a distance symbol out of range");
      const distance = DISTANCE_BASE[d] + this.bits(DISTANCE_EXTRA[d]);
      if (distance > this.length) throw new InflateError("a distance back before the start");
      for (let i = 0; i < length; i++) this.put(this.out[this.length - distance]);
    }
  }

  private dynamicCodes(): [Huffman, Huffman] {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw new InflateError("too many codes in a block");
    const lengths = new Uint8Array(nlen + ndist);
    const order = new Uint8Array(19);
    for (let i = 0; i < ncode; i++) order[CODE_LENGTH_ORDER[i]] = this.bits(3);
    const [lengthCode, unused] = construct(order, 0, 19);
    if (unused !== 0) throw new InflateError("an incomplete code-length code");
    for (let index = 0; index < nlen + ndist;) {
      const symbol = this.decode(lengthCode);
      if (symbol < 16) {
        lengths[index++] = symbol;
        continue;
      }
      let value = 0;
      let repeat;
      if (symbol === 16) {
        if (index === 0) throw new InflateError("a repeat with nothing before it");
        value = lengths[index - 1];
        repeat = 3 + this.bits(2);
      } else if (symbol === 17) repeat = 3 + this.bits(3);
      else repeat = 11 + this.bits(7);
      if (index + repeat > nlen + ndist) throw new InflateError("too many lengths in a block");
      lengths.fill(value, index, index + repeat);
      index += repeat;
    }
    if (lengths[256] === 0) throw new InflateError("a block with no end code");
    const [literal, literalLeft] = construct(lengths, 0, nlen);
    // An incomplete code is allowed only when it is a single code of length one (RFC 1951).
    if (literalLeft !== 0 && nlen !== literal.count[0] + literal.count[1]) {
      throw new InflateError("an incomplete literal code");
    }
    const [distance, distanceLeft] = construct(lengths, nlen, ndist);
    if (distanceLeft !== 0 && ndist !== distance.count[0] + distance.count[1]) {
      throw new InflateError("an incomplete distance code");
    }
    return [literal, distance];
  }
}
