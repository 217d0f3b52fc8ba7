/**
 * A snapshot's checksum (kernel/checksum.ts's `sha256sum` line) computed by Web Crypto, for the
 * places that can wait for it: writing a snapshot and verifying one as it is read. Native SHA-256
 * is free to load and runs off the main thread, where kernel/checksum.ts's plain TypeScript runs
 * in a fresh process's interpreter: one 12 KB record took ~3-5 ms against ~0.6 ms, a list page's
 * 21 records (~1 KB each, at once) ~4-15 ms against ~1-2.4 ms (issue 17, `deno run`, cold process,
 * 8 runs each). The line's format is kernel/checksum.ts's (the test holds them together).
 */
const encoder = new TextEncoder();

/** SHA-256 of `data` (text as UTF-8), as 64 hex digits. */
export async function sha256HexAsync(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** kernel/checksum.ts `checksumLine`, by Web Crypto. */
export async function checksumLineAsync(
  data: string | Uint8Array,
  fileName: string,
): Promise<string> {
  return `${await sha256HexAsync(data)}  ${fileName}\n`;
}
