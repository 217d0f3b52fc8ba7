/**
 * The name of the machine mpm runs on. Records keep it as free text (`mpm.machine` in
 * kernel/snapshot.ts `snapshotText`): their writer redacts it, should a host name look like a key.
 */

/** This machine's host name (a name, not an address); undefined when it cannot be read. */
export function machineName(): string | undefined {
  try {
    // deno-lint-ignore no-control-regex
    const name = Deno.hostname().replace(/[\x00-\x1f\x7f]/g, "").trim().slice(0, 255);
    return name === "" ? undefined : name;
  } catch {
    return undefined;
  }
}
