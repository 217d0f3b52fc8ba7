/**
 * Scratch files another program reads once (`git hash-object` in `mpm sync push`), in a private
 * temp folder thrown away after: not atomic nor flushed, but 0700/0600 (a project's sessions).
 */
import { FILE_MODE } from "./folders.ts";

/** A new, private (0700) folder under the system's temp folder, its name starting `prefix`. */
export async function makeScratchDir(prefix: string): Promise<string> {
  return await Deno.makeTempDir({ prefix });
}

/** Writes a scratch file (0600) in a folder from makeScratchDir. */
export async function writeScratchFile(path: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  await Deno.writeFile(path, bytes, { mode: FILE_MODE });
}

/** Throws a scratch folder away with what is in it; best effort (the system's temp folder). */
export async function dropScratchDir(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
