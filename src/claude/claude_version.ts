/**
 * Which Claude Code is installed: `claude --version`, run only when `claude` is on PATH and
 * given a few seconds at most, so `mpm hooks install` never hangs on it.
 */
import { delimiter, join } from "node:path";
import { parseClaudeVersion } from "./hook_entries.ts";

const TIMEOUT_MS = 3000;

/** The first executable `name` on `pathVar`, or undefined. */
export async function findOnPath(
  name: string,
  pathVar: string | undefined,
): Promise<string | undefined> {
  const names = Deno.build.os === "windows" ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const candidate of names) {
      const path = join(dir, candidate);
      try {
        const info = await Deno.stat(path);
        if (info.isFile && (Deno.build.os === "windows" || ((info.mode ?? 0) & 0o111) !== 0)) {
          return path;
        }
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

/**
 * The installed Claude Code's version ("2.1.3"), or null when it is not on PATH, does not
 * answer in time, or answers something that is not a version.
 */
export async function claudeCodeVersion(
  vars: Readonly<Record<string, string | undefined>>,
  timeoutMs = TIMEOUT_MS,
): Promise<string | null> {
  const claude = await findOnPath("claude", vars.PATH);
  if (claude === undefined) return null;
  try {
    const out = await new Deno.Command(claude, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
    if (!out.success) return null;
    return parseClaudeVersion(new TextDecoder().decode(out.stdout));
  } catch {
    return null;
  }
}
