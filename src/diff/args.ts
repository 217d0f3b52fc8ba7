/** What `mpm diff` and `mpm revert` take: `[SESSION] [-- PATHS]`, paths from where they are typed. */
import { UsageError } from "../kernel/errors.ts";
import { isAbsolute, relative, resolve } from "../kernel/path.ts";
import type { ArgSpec, Parsed } from "../cli/command.ts";

export const sessionArgs: ArgSpec[] = [
  {
    name: "SESSION",
    optional: true,
    description: "A session key, snapshot id or `mpm list` index (default: the active one).",
    complete: "sessions",
  },
  {
    name: "PATHS",
    optional: true,
    variadic: true,
    dashed: true,
    description: "After `--`: only these files or folders.",
    complete: "files",
  },
];

export interface SessionArgs {
  session: string | undefined;
  /** Project-relative, "/"-separated; empty: every path. */
  specs: string[];
}

/** SESSION before `--`, PATHS after it, each path taken from `cwd` into the project. */
export function sessionArgsOf(parsed: Parsed, cwd: string, root: string): SessionArgs {
  const split = parsed.dashed ?? parsed.args.length;
  const before = parsed.args.slice(0, split);
  if (before.length > 1) {
    throw new UsageError(
      `Name one session; paths go after \`--\` (got ${JSON.stringify(before[1])}).`,
      "Example: mpm diff -- src/app.ts",
    );
  }
  const specs = parsed.args.slice(split).map((given) => {
    const rel = relative(root, resolve(cwd, given)).replaceAll("\\", "/");
    if (rel === ".." || rel.startsWith("../") || isAbsolute(rel)) {
      throw new UsageError(`${given} is outside the project ${root}.`);
    }
    return rel === "" ? "." : rel;
  });
  return { session: before[0], specs };
}
