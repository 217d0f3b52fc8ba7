/** How commands hand back what they print. */
import type { Result } from "./command.ts";

/** Exactly one JSON document on stdout. */
export function json(data: unknown, exitCode = 0): Result {
  return { stdout: JSON.stringify(data, null, 2) + "\n", exitCode };
}

export function text(lines: string | string[], exitCode = 0): Result {
  const body = Array.isArray(lines) ? lines.join("\n") : lines;
  return { stdout: body.endsWith("\n") || body === "" ? body : body + "\n", exitCode };
}
