/**
 * Whether a process still runs, and when it started (a reused pid is told apart by it, Linux only).
 */
/** When process `pid` started (/proc/PID/stat field 22), else undefined: then its pid alone counts. */
export function processStart(pid: number): string | undefined {
  if (Deno.build.os !== "linux") return undefined;
  try {
    return startFromStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
}

/** Field 22 of a /proc/PID/stat line; the name (field 2) may hold spaces and parentheses. */
export function startFromStat(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (the state), so field 22 is fields[19].
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

export function isProcessAlive(pid: number): boolean {
  // On Linux /proc answers without loading node:process, slow to load at every command's start.
  if (Deno.build.os === "linux") {
    try {
      Deno.statSync(`/proc/${pid}`);
      return true;
    } catch (error) {
      return !(error instanceof Deno.errors.NotFound);
    }
  }
  try {
    // Deno's `process` global, so that node:process loads only where /proc is missing.
    // deno-lint-ignore no-process-global
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: string }).code === "EPERM";
  }
}
