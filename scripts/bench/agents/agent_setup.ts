/**
 * What the agent benches (Claude Code's exit, Codex, Gemini) set up alike: mpm on PATH as the
 * bundle people run, a project of one commit, and a wait until the last run's mpm work in the
 * background is done, so it lands on no run's clock.
 */
import { join } from "node:path";
import { bundle } from "../../build/bundle.ts";
import { git } from "../../../tests/helpers.ts";

/** `bin/mpm` under `dir` running MPM_BENCH_BUNDLE, else the work tree bundled into `dir`. */
export async function mpmOnPath(
  dir: string,
): Promise<{ bundleFile: string; bin: string; path: string }> {
  const bundleFile = Deno.env.get("MPM_BENCH_BUNDLE") ?? join(dir, "dist", "mpm.js");
  if (!Deno.env.get("MPM_BENCH_BUNDLE")) {
    console.error(`Bundling into ${bundleFile}…`);
    await bundle(bundleFile);
  }
  const bin = join(dir, "bin");
  await Deno.mkdir(bin);
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  await Deno.writeTextFile(
    join(bin, "mpm"),
    `#!/bin/sh\nexec ${quote(Deno.execPath())} run -A --quiet --no-config ${
      quote(bundleFile)
    } "$@"\n`,
  );
  await Deno.chmod(join(bin, "mpm"), 0o755);
  return { bundleFile, bin, path: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
}

/** A git project at `root` (made) whose one commit holds a README. */
export async function oneCommitProject(root: string): Promise<void> {
  await Deno.mkdir(root);
  await git(root, "init", "-q", "-b", "main");
  await Deno.writeTextFile(join(root, "README.md"), "# demo\n");
  await git(root, "add", "README.md");
  await git(root, "commit", "-q", "-m", "Initial commit");
}

/** Whether a live process's command line holds `needle` (never, off Linux). */
async function running(needle: string): Promise<boolean> {
  try {
    for await (const entry of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(entry.name) || Number(entry.name) === Deno.pid) continue;
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
      if (cmdline.includes(needle)) return true;
    }
  } catch {
    // No /proc: nothing to wait for.
  }
  return false;
}

/** Waits until no process runs `needle` (a bench's bundle), at most 30 s. */
export async function settled(needle: string): Promise<void> {
  const until = performance.now() + 30_000;
  while (await running(needle) && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
