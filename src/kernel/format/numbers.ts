/**
 * Numbers as people read them. Pure.
 *
 * Not `toLocaleString("en-US")`: its first call starts ICU's number formatting, slow to start,
 * and SessionStart and Stop print token counts on every call.
 */

/** An integer with commas between groups of three digits: 139000 → "139,000". */
export function thousands(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+$)/g, ",");
}

/** A size as people read it: "512 bytes", "48 KB", "1.5 MB" (binary units, as `du -h` counts). */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, "") : Math.round(value)} ${units[unit]}`;
}
