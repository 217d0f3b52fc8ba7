/**
 * Whether the hook scripts and the status line will find mpm as they look for it: `MPM_BIN`,
 * else `mpm` on PATH, else `~/.local/bin/mpm` (hooks/*.sh,
 * claude/settings/status_line/status_line.ts). Read-only. Where `mpm doctor` itself runs from does
 * not count: Claude Code does not run it.
 */
import { join } from "../../kernel/path.ts";

async function isExecutable(path: string): Promise<boolean> {
  const info = await Deno.stat(path).catch(() => undefined);
  return info?.isFile === true && (Deno.build.os === "windows" || ((info.mode ?? 0) & 0o111) !== 0);
}

/** The mpm the hooks would run, or undefined when they would find none. */
export async function probeMpmForHooks(
  vars: Readonly<Record<string, string | undefined>>,
  home: string | undefined,
): Promise<string | undefined> {
  const named = vars.MPM_BIN || "mpm";
  if (named.includes("/")) {
    if (await isExecutable(named)) return named;
  } else {
    for (const dir of (vars.PATH ?? "").split(":")) {
      if (dir !== "" && await isExecutable(join(dir, named))) return join(dir, named);
    }
  }
  const local = home === undefined ? undefined : join(home, ".local", "bin", "mpm");
  return local !== undefined && await isExecutable(local) ? local : undefined;
}
