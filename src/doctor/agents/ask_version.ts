/**
 * An agent's `--version`, run with its home in a scratch folder thrown away after, no stdin and a
 * deadline, so it writes nothing of the person's.
 */
import { errorText } from "../../kernel/errors.ts";
import { dropScratchDir, makeScratchDir } from "../../disk/files/confine/scratch.ts";

export interface VersionAsk {
  program: string;
  /** The command as the person types it, for the error: "codex". */
  name: string;
  vars: Readonly<Record<string, string | undefined>>;
  /** The variables that give the client the scratch folder as its home. */
  home: (scratch: string) => Record<string, string>;
  /** The version in what it printed, or null. */
  parse: (stdout: string) => string | null;
  timeoutMs: number;
}

/** The version, or why there is none. */
export async function askVersion(
  ask: VersionAsk,
): Promise<{ version: string | null; error?: string }> {
  const scratch = await makeScratchDir(`mpm-${ask.name}-home-`);
  try {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(ask.vars)) {
      if (value !== undefined) env[name] = value;
    }
    const out = await new Deno.Command(ask.program, {
      args: ["--version"],
      env: { ...env, ...ask.home(scratch) },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(ask.timeoutMs),
    }).output();
    const version = ask.parse(new TextDecoder().decode(out.stdout));
    return version === null
      ? { version, error: `${ask.name} --version exited ${out.code} and printed no version` }
      : { version };
  } catch (error) {
    return { version: null, error: `${ask.name} --version could not run: ${errorText(error)}` };
  } finally {
    await dropScratchDir(scratch);
  }
}
