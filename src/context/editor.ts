/**
 * Opening a file in $VISUAL, else $EDITOR (`mpm context edit`), as git does: split on spaces
 * ("code --wait"), never given to a shell.
 */
import { MpmError, UsageError } from "../kernel/errors.ts";

/** The editor command from the environment, split into program and arguments. */
export function editorCommand(vars: Readonly<Record<string, string>>): string[] | undefined {
  const value = (vars.VISUAL ?? "").trim() || (vars.EDITOR ?? "").trim();
  return value === "" ? undefined : value.split(/\s+/);
}

/** Runs the editor on `file` and waits for it; an editor that fails is reported. */
export async function openInEditor(
  vars: Readonly<Record<string, string>>,
  file: string,
  cwd: string,
): Promise<void> {
  const command = editorCommand(vars);
  if (command === undefined) {
    throw new UsageError(
      "Neither $VISUAL nor $EDITOR is set, so mpm does not know which editor to open.",
      `Set one (export EDITOR=nano), or open ${file} yourself.`,
    );
  }
  const [program, ...args] = command;
  let status: Deno.CommandStatus;
  try {
    status = await new Deno.Command(program, {
      args: [...args, file],
      cwd,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(
        `The editor ${JSON.stringify(program)} (from $VISUAL or $EDITOR) was not found.`,
        "Set $VISUAL or $EDITOR to an editor on your PATH.",
      );
    }
    throw error;
  }
  if (!status.success) {
    throw new MpmError(`The editor ${program} exited with code ${status.code}.`);
  }
}
