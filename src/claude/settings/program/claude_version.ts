/** `claude --version`, only when on PATH and given a few seconds at most. */
import { errorText } from "../../../kernel/errors.ts";
import { delimiter, join } from "../../../kernel/path.ts";
import { parseClaudeVersion } from "../hooks/hook_entries.ts";

const TIMEOUT_MS = 3000;
const IS_WINDOWS = Deno.build.os === "windows";

/** A variable by name; Windows names are case-insensitive (`Path` is as good as `PATH`). */
function envVar(vars: Readonly<Record<string, string | undefined>>, name: string) {
  if (!IS_WINDOWS || vars[name] !== undefined) return vars[name];
  return Object.entries(vars).find(([key]) => key.toUpperCase() === name)?.[1];
}

/** The names `name` runs under (on Windows, with each PATHEXT extension). */
function programNames(name: string, pathExt: string | undefined): string[] {
  if (!IS_WINDOWS) return [name];
  const exts = (pathExt || ".COM;.EXE;.BAT;.CMD").split(";").filter((ext) => ext.startsWith("."));
  return exts.map((ext) => `${name}${ext.toLowerCase()}`);
}

/** The first executable `name` on `pathVar`, or undefined. */
export async function findOnPath(
  name: string,
  pathVar: string | undefined,
  pathExt?: string,
): Promise<string | undefined> {
  const names = programNames(name, pathExt);
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const candidate of names) {
      const path = join(dir, candidate);
      try {
        const info = await Deno.stat(path);
        if (info.isFile && (IS_WINDOWS || ((info.mode ?? 0) & 0o111) !== 0)) {
          return path;
        }
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

export interface ClaudeProbe {
  /** Where `claude` was found on PATH; undefined when it was not. */
  path?: string;
  /** The version it reports, as printed ("2.1.3 (Claude Code)"). */
  output?: string;
  /** Why `claude --version` gave no version (timed out, failed). */
  error?: string;
}

/** Finds `claude` on PATH and asks its version, giving up after `timeoutMs`. */
export async function probeClaude(
  vars: Readonly<Record<string, string | undefined>>,
  timeoutMs = TIMEOUT_MS,
): Promise<ClaudeProbe> {
  const path = await findOnPath("claude", envVar(vars, "PATH"), envVar(vars, "PATHEXT"));
  if (path === undefined) return {};
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(path, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { path, error: `\`claude --version\` could not run: ${errorText(error)}` };
  }
  // Not a kill: a wrapper script's child could keep the pipes open long after.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), timeoutMs);
  });
  const out = await Promise.race([child.output(), late]);
  clearTimeout(timer);
  if (out === undefined) {
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended just now.
    }
    return { path, error: `\`claude --version\` did not answer in ${timeoutMs / 1000} s` };
  }
  const output = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || output === "") {
    const reason = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    return { path, error: `\`claude --version\` failed${reason ? `: ${reason}` : ""}` };
  }
  return { path, output: output.split("\n")[0] };
}

/** The installed Claude Code's version, or null. */
export async function claudeCodeVersion(
  vars: Readonly<Record<string, string | undefined>>,
  timeoutMs = TIMEOUT_MS,
): Promise<string | null> {
  const { output } = await probeClaude(vars, timeoutMs);
  return output === undefined ? null : parseClaudeVersion(output);
}
