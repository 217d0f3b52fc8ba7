/**
 * SHA-256 and HMAC-SHA256 over input that comes in pieces (a snapshot of a million paths, written
 * as it is rendered): the same digests as checksum.ts `sha256Hex` and seal.ts `hmacSha256Hex` over
 * the pieces joined, without ever holding them joined. Pure.
 */
import { compress, hexWords, initialState } from "./checksum.ts";

const encoder = new TextEncoder();
const BLOCK = 64;

/** A SHA-256 digest taken a piece at a time. */
export class Sha256 {
  #state = initialState();
  #w = new Uint32Array(64);
  #pending = new Uint8Array(BLOCK);
  #pendingLength = 0;
  #length = 0;

  /** Adds `data` (text as UTF-8) to what is hashed. */
  update(data: string | Uint8Array): this {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    this.#length += bytes.length;
    let at = 0;
    if (this.#pendingLength > 0) {
      const take = Math.min(BLOCK - this.#pendingLength, bytes.length);
      this.#pending.set(bytes.subarray(0, take), this.#pendingLength);
      this.#pendingLength += take;
      at = take;
      if (this.#pendingLength < BLOCK) return this;
      this.#fold(this.#pending, 0);
      this.#pendingLength = 0;
    }
    const whole = at + Math.floor((bytes.length - at) / BLOCK) * BLOCK;
    for (; at < whole; at += BLOCK) this.#fold(bytes, at);
    this.#pending.set(bytes.subarray(at));
    this.#pendingLength = bytes.length - at;
    return this;
  }

  /** The digest of everything added, as bytes; the hash takes nothing more after it. */
  digest(): Uint8Array {
    const tail = new Uint8Array(this.#pendingLength + 9 <= BLOCK ? BLOCK : 2 * BLOCK);
    tail.set(this.#pending.subarray(0, this.#pendingLength));
    tail[this.#pendingLength] = 0x80;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, Math.floor(this.#length / 0x20000000));
    view.setUint32(tail.length - 4, (this.#length * 8) >>> 0);
    for (let block = 0; block < tail.length; block += BLOCK) {
      compress(this.#state, view, block, this.#w);
    }
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, this.#state[i]);
    return out;
  }

  /** The digest as 64 hex digits. */
  hex(): string {
    this.digest();
    return hexWords(this.#state);
  }

  #fold(bytes: Uint8Array, at: number): void {
    compress(this.#state, new DataView(bytes.buffer, bytes.byteOffset + at, BLOCK), 0, this.#w);
  }
}

export function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** An HMAC-SHA256 (RFC 2104) taken a piece at a time, with a key given as hex. */
export class HmacSha256 {
  #inner = new Sha256();
  #outerPad = new Uint8Array(BLOCK);

  constructor(keyHex: string) {
    let key = hexBytes(keyHex);
    if (key.length > BLOCK) key = new Sha256().update(key).digest();
    const innerPad = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      innerPad[i] = (key[i] ?? 0) ^ 0x36;
      this.#outerPad[i] = (key[i] ?? 0) ^ 0x5c;
    }
    this.#inner.update(innerPad);
  }

  /** Adds `data` (text as UTF-8) to what is sealed. */
  update(data: string | Uint8Array): this {
    this.#inner.update(data);
    return this;
  }

  /** The HMAC as 64 hex digits. */
  hex(): string {
    return new Sha256().update(this.#outerPad).update(this.#inner.digest()).hex();
  }
}
