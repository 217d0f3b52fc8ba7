/** How commands hand back what they print. */
import { errorText, faultError, MpmError } from "../kernel/errors.ts";
import type { Result } from "./command.ts";

/** Exactly one JSON document on stdout. */
export function json(data: unknown, exitCode = 0): Result {
  return { stdout: JSON.stringify(data, null, 2) + "\n", exitCode };
}

export function text(lines: string | string[], exitCode = 0): Result {
  const body = Array.isArray(lines) ? lines.join("\n") : lines;
  return { stdout: body.endsWith("\n") || body === "" ? body : body + "\n", exitCode };
}

/** The kind an exit code stands for in the error document (docs/format.md, "Exit codes"). */
const KINDS: Record<number, "usage" | "nothing" | "integrity" | "failed"> = {
  2: "usage",
  3: "nothing",
  4: "integrity",
};

/** A failure as the `--json` document `{"error": {code, kind, message, hint}}`, same exit code. */
export function errorDocument(thrown: unknown): Result {
  const error = faultError(thrown) ?? thrown;
  const known = error instanceof MpmError;
  const code = known ? error.exitCode : 1;
  const message = known ? error.message : `unexpected failure: ${errorText(error)}`;
  const hint = known
    ? error.hint ?? null
    : "This is a bug in mpm; run again with MPM_DEBUG=1 to see where.";
  return json({ error: { code, kind: KINDS[code] ?? "failed", message, hint } }, code);
}

/** `--json` among the options (not after `--`, where it would be an argument). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}
