/**
 * The `<file>.sha256` companion, in `sha256sum -c` format: "<hex>  <file name>\n". SHA-256 in
 * plain TypeScript: loading node:crypto costs a fresh process more than hashing a thousand
 * snapshots.
 */

let table: Uint32Array | undefined;

/** The 64 round constants: the first 32 bits of the cube roots of the first 64 primes. */
function roundConstants(): Uint32Array {
  if (table) return table;
  const k = new Uint32Array(64);
  let found = 0;
  for (let n = 2; found < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) k[found++] = (Math.cbrt(n) % 1) * 2 ** 32;
  }
  table = k;
  return k;
}

const encoder = new TextEncoder();

export function sha256Hex(data: string | Uint8Array): string {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const h = initialState();
  const view = paddedMessage(bytes);
  const w = new Uint32Array(64);
  for (let block = 0; block < view.byteLength; block += 64) compress(h, view, block, w);
  return hexWords(h);
}

/** SHA-256's state before any block: the first 32 bits of the square roots of the first primes. */
export function initialState(): Uint32Array {
  return new Uint32Array([
    0x6a09e667,
    0xbb67ae85,
    0x3c6ef372,
    0xa54ff53a,
    0x510e527f,
    0x9b05688c,
    0x1f83d9ab,
    0x5be0cd19,
  ]);
}

/** One 64-byte block of `view` at `block` folded into the state `h` (`w`: scratch space). */
export function compress(h: Uint32Array, view: DataView, block: number, w: Uint32Array): void {
  const k = roundConstants();
  for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4);
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15];
    const b = w[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let [a, b, c, d, e, f, g, hh] = h;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/** The message padded as SHA-1 and SHA-256 pad it, into whole 64-byte blocks. */
export function paddedMessage(bytes: Uint8Array): DataView {
  const blocks = Math.ceil((bytes.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 0x20000000));
  view.setUint32(padded.length - 4, (bytes.length * 8) >>> 0);
  return view;
}

/** 32-bit words as hex, each 8 digits: a digest's state as its hex form. */
export function hexWords(words: Uint32Array): string {
  let hex = "";
  for (const word of words) hex += word.toString(16).padStart(8, "0");
  return hex;
}

export function checksumLine(data: string | Uint8Array, fileName: string): string {
  return `${sha256Hex(data)}  ${fileName}\n`;
}

/** The digest by Web Crypto: native speed, a fixed cost a call (for records, not small inputs). */
export async function webDigestHex(
  algorithm: "SHA-1" | "SHA-256",
  data: string | Uint8Array,
): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = new Uint8Array(
    await crypto.subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>),
  );
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** SHA-256 of `data` (text as UTF-8) by Web Crypto, as 64 hex digits. */
export function sha256HexAsync(data: string | Uint8Array): Promise<string> {
  return webDigestHex("SHA-256", data);
}

/** `checksumLine`, by Web Crypto. */
export async function checksumLineAsync(
  data: string | Uint8Array,
  fileName: string,
): Promise<string> {
  return `${await sha256HexAsync(data)}  ${fileName}\n`;
}

/** The hex digest a checksum file holds, or undefined when it is not in sha256sum format. */
export function parseChecksumLine(text: string): { hex: string; name: string } | undefined {
  const match = text.match(/^([0-9a-fA-F]{64}) [ *](.+?)\r?\n?$/m);
  return match ? { hex: match[1].toLowerCase(), name: match[2] } : undefined;
}
