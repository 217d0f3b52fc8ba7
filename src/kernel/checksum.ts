/**
 * The `<file>.sha256` companion, in `sha256sum -c` format: "<hex>  <file name>\n".
 */
import { createHash } from "node:crypto";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function checksumLine(data: string | Uint8Array, fileName: string): string {
  return `${sha256Hex(data)}  ${fileName}\n`;
}

/** The hex digest a checksum file holds, or undefined when it is not in sha256sum format. */
export function parseChecksumLine(text: string): { hex: string; name: string } | undefined {
  const match = text.match(/^([0-9a-fA-F]{64}) [ *](.+?)\r?\n?$/m);
  return match ? { hex: match[1].toLowerCase(), name: match[2] } : undefined;
}
