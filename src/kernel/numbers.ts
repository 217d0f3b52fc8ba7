/**
 * Numbers as people read them. Pure.
 *
 * Not `toLocaleString("en-US")`: its first call starts ICU's number formatting, ~12 ms of a
 * hook's run here (issue 17), and SessionStart and Stop print token counts on every call.
 */

/** An integer with commas between groups of three digits: 139000 → "139,000". */
export function thousands(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+$)/g, ",");
}
