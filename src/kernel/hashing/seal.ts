/**
 * Seals: an HMAC-SHA256 of a record's text under this machine's key (disk/machine_key.ts), in
 * the record itself; only a record whose seal checks out was written here. Sealed in place: the
 * HMAC is taken over the text with a placeholder of 64 zeros, then the placeholder replaced. Pure.
 */
import { sha256Hex } from "./checksum.ts";
import { hexBytes, HmacSha256 } from "./sha256_stream.ts";

/** The placeholder a record is rendered with before its seal is known. */
export const SEAL_PLACEHOLDER = "0".repeat(64);

const BLOCK = 64;
const encoder = new TextEncoder();

/** HMAC-SHA256 (RFC 2104) of `text` (UTF-8) with a key given as hex, as 64 hex digits. */
export function hmacSha256Hex(keyHex: string, text: string): string {
  let key = hexBytes(keyHex);
  if (key.length > BLOCK) key = hexBytes(sha256Hex(key));
  const inner = new Uint8Array(BLOCK);
  const outer = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (key[i] ?? 0) ^ 0x36;
    outer[i] = (key[i] ?? 0) ^ 0x5c;
  }
  const message = encoder.encode(text);
  const first = new Uint8Array(BLOCK + message.length);
  first.set(inner);
  first.set(message, BLOCK);
  const second = new Uint8Array(BLOCK + 32);
  second.set(outer);
  second.set(hexBytes(sha256Hex(first)), BLOCK);
  return sha256Hex(second);
}

/** Whether two hex strings are equal, in time that does not depend on where they differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The JSON text of a `"seal": "HEX"` member, as JSON.stringify writes it with indentation. */
function member(hex: string): string {
  return `"seal": "${hex}"`;
}

/** `text` with its SEAL_PLACEHOLDER replaced by its seal, and the seal; throws without one. */
export function sealJsonText(text: string, keyHex: string): { text: string; seal: string } {
  const at = text.lastIndexOf(member(SEAL_PLACEHOLDER));
  if (at < 0) throw new Error("the record has no seal placeholder");
  const seal = hmacSha256Hex(keyHex, text);
  const placeholder = member(SEAL_PLACEHOLDER);
  return { text: text.slice(0, at) + member(seal) + text.slice(at + placeholder.length), seal };
}

/** sealJsonText by Web Crypto (hmacSha256HexAsync): for a record written by a short process. */
export async function sealJsonTextAsync(
  text: string,
  keyHex: string,
): Promise<{ text: string; seal: string }> {
  const placeholder = member(SEAL_PLACEHOLDER);
  const at = text.lastIndexOf(placeholder);
  if (at < 0) throw new Error("the record has no seal placeholder");
  const seal = await hmacSha256HexAsync(keyHex, text);
  return { text: text.slice(0, at) + member(seal) + text.slice(at + placeholder.length), seal };
}

/** `record` as `serialize` writes it, its seal made anew with `key`; unsealed without one. */
export async function sealedText<S>(
  record: S,
  key: string | null,
  serialize: (value: S) => string = (value) => JSON.stringify(value, null, 2) + "\n",
): Promise<string> {
  const { seal: _, ...rest } = record as S & { seal?: unknown };
  if (key === null) return serialize(rest as S);
  return (await sealJsonTextAsync(serialize({ ...rest, seal: SEAL_PLACEHOLDER } as S), key)).text;
}

/** The text a sealed record was sealed over, or null when `seal` is no seal at all. */
function unsealedText(text: string, seal: unknown): string | null {
  if (typeof seal !== "string" || !/^[0-9a-f]{64}$/.test(seal)) return null;
  if (seal === SEAL_PLACEHOLDER) return null;
  const at = text.lastIndexOf(member(seal));
  if (at < 0) return null;
  return text.slice(0, at) + member(SEAL_PLACEHOLDER) + text.slice(at + member(seal).length);
}

/** Whether `text` is a record sealed with `keyHex`, whose `seal` member is `seal`. */
export function jsonSealVerifies(text: string, seal: unknown, keyHex: string | null): boolean {
  const unsealed = keyHex === null ? null : unsealedText(text, seal);
  return unsealed !== null && sameHex(hmacSha256Hex(keyHex!, unsealed), seal as string);
}

const webKeys = new Map<string, Promise<CryptoKey>>();

/** hmacSha256Hex by Web Crypto (native), for one record in a short process. */
export async function hmacSha256HexAsync(keyHex: string, text: string): Promise<string> {
  let key = webKeys.get(keyHex);
  if (key === undefined) {
    key = crypto.subtle.importKey(
      "raw",
      hexBytes(keyHex) as Uint8Array<ArrayBuffer>,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    webKeys.set(keyHex, key);
  }
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key, encoder.encode(text)));
  let hex = "";
  for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** jsonSealVerifies by Web Crypto, off this thread: for places that read many records. */
export async function jsonSealVerifiesAsync(
  text: string,
  seal: unknown,
  keyHex: string | null,
): Promise<boolean> {
  if (keyHex !== null && text.length > WHOLE_TEXT) {
    return jsonSealVerifiesInPieces(text, seal, keyHex);
  }
  const unsealed = keyHex === null ? null : unsealedText(text, seal);
  if (unsealed === null) return false;
  return sameHex(await hmacSha256HexAsync(keyHex!, unsealed), seal as string);
}

/** Characters of a record above which its seal is checked a piece at a time. */
const WHOLE_TEXT = 1024 * 1024;
/** Characters of the text encoded at once when it is checked in pieces. */
const PIECE = 256 * 1024;

/** jsonSealVerifies for a large record, the HMAC taken a piece at a time (never made whole). */
export function jsonSealVerifiesInPieces(text: string, seal: unknown, keyHex: string): boolean {
  if (typeof seal !== "string" || !/^[0-9a-f]{64}$/.test(seal)) return false;
  if (seal === SEAL_PLACEHOLDER) return false;
  const found = member(seal);
  const at = text.lastIndexOf(found);
  if (at < 0) return false;
  const mac = new HmacSha256(keyHex);
  feed(mac, text, 0, at);
  mac.update(member(SEAL_PLACEHOLDER));
  feed(mac, text, at + found.length, text.length);
  return sameHex(mac.hex(), seal);
}

/** jsonSealVerifiesInPieces over a record's UTF-8 bytes as read, never decoded. */
export function jsonSealVerifiesOfBytes(
  bytes: Uint8Array,
  seal: unknown,
  keyHex: string | null,
): boolean {
  if (keyHex === null || typeof seal !== "string" || !/^[0-9a-f]{64}$/.test(seal)) return false;
  if (seal === SEAL_PLACEHOLDER) return false;
  const found = encoder.encode(member(seal));
  const at = lastIndexOfBytes(bytes, found);
  if (at < 0) return false;
  const mac = new HmacSha256(keyHex);
  mac.update(bytes.subarray(0, at));
  mac.update(member(SEAL_PLACEHOLDER));
  mac.update(bytes.subarray(at + found.length));
  return sameHex(mac.hex(), seal);
}

/** Where `part` last starts in `bytes`, or -1. */
function lastIndexOfBytes(bytes: Uint8Array, part: Uint8Array): number {
  if (bytes.length < part.length) return -1;
  for (let at = bytes.lastIndexOf(part[0], bytes.length - part.length); at >= 0;) {
    let same = true;
    for (let i = 1; i < part.length && same; i++) same = bytes[at + i] === part[i];
    if (same) return at;
    at = at === 0 ? -1 : bytes.lastIndexOf(part[0], at - 1);
  }
  return -1;
}

/** `text` from `start` to `end` into `mac`, a piece at a time, never cutting a surrogate pair. */
function feed(mac: HmacSha256, text: string, start: number, end: number): void {
  for (let from = start; from < end;) {
    let to = Math.min(end, from + PIECE);
    const last = text.charCodeAt(to - 1);
    if (to < end && last >= 0xd800 && last <= 0xdbff) to++;
    mac.update(text.slice(from, to));
    from = to;
  }
}
