/**
 * Hex digests (SHA-1 for git's ids in sha1 repositories, SHA-256 else) without node:crypto: small
 * inputs in plain TypeScript, past WEB_CRYPTO_FROM bytes by Web Crypto (fast, but a fixed cost).
 */
import { hexWords, paddedMessage, sha256Hex, webDigestHex } from "./checksum.ts";
import { concatBytes } from "./bytes.ts";

export type DigestAlgorithm = "sha1" | "sha256";

/** Inputs of at least this many bytes go to Web Crypto: its speed outweighs its fixed cost. */
export const WEB_CRYPTO_FROM = 256 * 1024;

const encoder = new TextEncoder();

/** SHA-1 (FIPS 180-4) of `data`, as 40 hex digits. */
export function sha1Hex(data: string | Uint8Array): string {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const h = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const view = paddedMessage(bytes);
  const w = new Uint32Array(80);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h;
    // No array per round: the loop mostly runs before V8 optimises it, where allocations cost.
    for (let i = 0; i < 80; i++) {
      const f = i < 20
        ? ((b & c) | (~b & d)) + 0x5a827999
        : i < 40
        ? (b ^ c ^ d) + 0x6ed9eba1
        : i < 60
        ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
        : (b ^ c ^ d) + 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  return hexWords(h);
}

/** The digest of `bytes`, synchronously (plain TypeScript whatever the size). */
export function digestHexSync(algorithm: DigestAlgorithm, bytes: Uint8Array): string {
  return algorithm === "sha1" ? sha1Hex(bytes) : sha256Hex(bytes);
}

/** The digest of `bytes`: plain TypeScript when small, Web Crypto when large. */
export async function digestHex(algorithm: DigestAlgorithm, bytes: Uint8Array): Promise<string> {
  if (bytes.length < WEB_CRYPTO_FROM) return digestHexSync(algorithm, bytes);
  return await webDigestHex(algorithm === "sha1" ? "SHA-1" : "SHA-256", bytes);
}

/** `bytes` after git's blob header (`blob <length>\0`): what git hashes for a blob's id. */
export function gitBlobBytes(bytes: Uint8Array): Uint8Array {
  return concatBytes([encoder.encode(`blob ${bytes.length}\0`), bytes]);
}

/** The same digest as base64 (a Content-Security-Policy hash), synchronously. */
export function sha256Base64(data: string | Uint8Array): string {
  const hex = sha256Hex(data);
  let binary = "";
  for (let i = 0; i < hex.length; i += 2) {
    binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  }
  return btoa(binary);
}
