/** Reads `--input FILE|-` (input.ts parses it): standard input for "-", else the file. */
import { resolve } from "../../kernel/path.ts";
import { UsageError } from "../../kernel/errors.ts";
import type { Env } from "../../cli/env.ts";
import { MAX_INPUT_BYTES, parseWordsInput, type WordsField, type WordsInput } from "./input.ts";

export async function readWordsInput(
  env: Env,
  given: string,
  fields: readonly WordsField[],
  command: string,
): Promise<WordsInput> {
  return parseWordsInput(await inputText(env, given), fields, command);
}

async function inputText(env: Env, given: string): Promise<string> {
  if (given === "-") return await env.readStdin(MAX_INPUT_BYTES);
  const path = resolve(env.cwd, given);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new UsageError(`--input ${given}: there is no such file; nothing was changed.`);
  }
  if (!info.isFile) throw new UsageError(`--input ${given} is not a file; nothing was changed.`);
  if (info.size > MAX_INPUT_BYTES) {
    throw new UsageError(
      `--input ${given} is larger than ${MAX_INPUT_BYTES} bytes; nothing was changed.`,
    );
  }
  return await Deno.readTextFile(path);
}
