/**
 * Injected file-system faults for tests (run as root, where modes stop nothing):
 * `MPM_TEST_FAULT=<code>[@<text>]` makes the disk writer's writes under `.claude-mpm` (whose path
 * holds `<text>`) fail as the system would with ENOSPC, EDQUOT, EROFS, EACCES or EMFILE.
 */

/** The variable that names the fault. */
export const FAULT_VAR = "MPM_TEST_FAULT";

const MESSAGES: Record<string, string> = {
  ENOSPC: "No space left on device (os error 28)",
  EDQUOT: "Disk quota exceeded (os error 122)",
  EROFS: "Read-only file system (os error 30)",
  EACCES: "Permission denied (os error 13)",
  EMFILE: "Too many open files (os error 24)",
};

function injected(): { code: string; only: string } | undefined {
  let value: string | undefined;
  try {
    value = Deno.env.get(FAULT_VAR);
  } catch {
    return undefined; // no permission to read the environment: no test is injecting
  }
  if (value === undefined || value === "") return undefined;
  const at = value.indexOf("@");
  return at === -1
    ? { code: value, only: "" }
    : { code: value.slice(0, at), only: value.slice(at + 1) };
}

const FAULT = injected();

/** Throws the injected fault for a write to `path` (`op`: the system call, as Deno names it). */
export function faultPoint(path: string, op = "open"): void {
  if (FAULT === undefined || !path.includes(".claude-mpm")) return;
  if (FAULT.only !== "" && !path.includes(FAULT.only)) return;
  // A write on an open handle names no file in Deno's error; an open or a rename does.
  const says = MESSAGES[FAULT.code] ?? FAULT.code;
  const message = op === "write" ? says : `${says}: ${op} '${path}'`;
  const error = FAULT.code === "EACCES"
    ? new Deno.errors.PermissionDenied(message)
    : new Error(message);
  throw Object.assign(error, { code: FAULT.code });
}
