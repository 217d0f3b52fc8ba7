/**
 * Opening a file in the user's browser (`mpm board --open`): `$BROWSER`, else the system's opener.
 * Not waited for beyond its start: a browser outlives mpm.
 */

/** Starts the opener for `path`; false (with nothing thrown) when none could be started. */
export async function openPage(
  path: string,
  vars: Readonly<Record<string, string>>,
): Promise<boolean> {
  const opener = vars.BROWSER?.trim() ||
    (Deno.build.os === "darwin" ? "open" : Deno.build.os === "windows" ? "explorer" : "xdg-open");
  try {
    const child = new Deno.Command(opener, {
      args: [path],
      env: { ...vars },
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    // A browser started in the opener's place is left running.

    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = await Promise.race([
      child.status.then((s) => s.success),
      new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(true), 2_000)),
    ]);
    clearTimeout(timer);
    child.unref();
    return done;
  } catch {
    return false;
  }
}
