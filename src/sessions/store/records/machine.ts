/** The name of the machine mpm runs on, as snapshots record it. */
import { redact } from "../../../kernel/safe_text/redact.ts";

/** This machine's host name (a name, not an address); undefined when it cannot be read. */
export function machineName(): string | undefined {
  try {
    // deno-lint-ignore no-control-regex
    const name = redact(Deno.hostname()).replace(/[\x00-\x1f\x7f]/g, "").trim().slice(0, 255);
    return name === "" ? undefined : name;
  } catch {
    return undefined;
  }
}
