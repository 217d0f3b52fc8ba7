/** Whether the hooks and status line find mpm as they look: `MPM_BIN`, PATH, `~/.local/bin/mpm`. */
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
