/**
 * Creating a file under the first free name of a series (error records, resume files, backups).
 * A file of its own, not in store.ts, so the hooks that write records at run time do not load
 * the install code and the embedded scripts with it.
 */
import { join } from "../../kernel/path.ts";
import { MpmError } from "../../kernel/errors.ts";
import { createAtomic } from "../../disk/files/atomic.ts";

const MAX_ATTEMPTS = 1000;

/** Writes `data` under the first free name `nameFor(1)`, `nameFor(2)`…; returns the path. */
export async function createUnique(
  dir: string,
  nameFor: (attempt: number) => string,
  data: string | Uint8Array,
  root: string,
): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const path = join(dir, nameFor(attempt));
    if (await createAtomic(path, data, { root })) return path;
  }
  throw new MpmError(`Could not find a free file name in ${dir}.`);
}
