/**
 * What mpm's self-contained pages (the replay, the board) share: data inside a
 * `<script type="application/json">` block that no text can leave, and the hash by which a
 * Content-Security-Policy allows exactly the page's own script and style. Pure.
 */
import { sha256Base64 } from "../hashing/digest.ts";

/** JSON safe inside `<script type="application/json">`: no `<`, so no `</script>` or `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A CSP source allowing exactly `text` (a page's inline script or style): `'sha256-…'`. */
export function cspHash(text: string): string {
  return `'sha256-${sha256Base64(text)}'`;
}

/** The policy of a page whose only script and style are `js` and `css`: nothing from outside. */
export function pagePolicy(js: string, css: string): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(js)}`,
    `style-src ${cspHash(css)}`,
    "img-src data:",
    "connect-src 'none'",
    "font-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
