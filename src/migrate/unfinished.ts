/**
 * `migrate-unfinished.json`: written before a migration's first change, removed once complete; a
 * run that finds it continues under the first backup. Sealed: a clone's (naming a `from` or a
 * backup of its choosing) reads as none.
 */
import { join } from "../kernel/path.ts";
import {
  checkValue,
  literal,
  nullable,
  object,
  optional,
  type Out,
  string,
} from "../kernel/check.ts";
import { IntegrityError } from "../kernel/errors.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import { writeAtomic } from "../disk/files/atomic.ts";
import { removeIfPresent } from "../disk/files/entries.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { ensureMachineKey } from "../disk/machine_key.ts";
import { jsonSealVerifiesAsync, sealedText } from "../kernel/hashing/seal.ts";

/** The marker's record (see above). */
const unfinishedCheck = object({
  format: literal("mpm-migrate-unfinished"),
  version: literal(1),
  started_at: string(),
  /** The first backup's folder name under `backups/`; null for a run made with --no-backup. */
  backup: nullable(string({ pattern: /^migrate-\d{8}-\d{6}(?:-\d+)?$/ })),
  /** The sessions folder `--from` was read from, for the run that continues it. */
  from: nullable(string()),
  /** This machine's HMAC of the text, written last. */
  seal: optional(string()),
}, "strip");
export type Unfinished = Out<typeof unfinishedCheck>;

const NAME = "migrate-unfinished.json";

export function unfinishedPath(paths: ProjectPaths): string {
  return join(paths.base, NAME);
}

/** The marker of a migration that has not completed, if there is one. */
export async function readUnfinished(paths: ProjectPaths): Promise<Unfinished | null> {
  const file = unfinishedPath(paths);
  const text = await readTextIfExists(file);
  if (text === undefined) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  // Made now where there is none: without one, a clone's marker would be read as it is.
  const key = await ensureMachineKey();
  const seal = (raw as { seal?: unknown } | null | undefined)?.seal;
  if (key !== null && !await jsonSealVerifiesAsync(text, seal, key)) return null;
  const checked = checkValue(unfinishedCheck, raw);
  if (!checked.ok) {
    throw new IntegrityError(
      `.claude-mpm/${NAME} is damaged, so mpm cannot tell which migration is unfinished.`,
      "Remove it, then run `mpm migrate --rollback BACKUP` naming the oldest backup of .claude-mpm/backups/ the migration made, or `mpm migrate` to finish it.",
    );
  }
  const { seal: _, ...marker } = checked.value;
  return marker;
}

export async function writeUnfinished(
  paths: ProjectPaths,
  marker: Omit<Unfinished, "format" | "version">,
): Promise<void> {
  const record: Unfinished = { format: "mpm-migrate-unfinished", version: 1, ...marker };
  const text = await sealedText(record, await ensureMachineKey());
  await writeAtomic(unfinishedPath(paths), text, { root: paths.base });
}

export async function removeUnfinished(paths: ProjectPaths): Promise<void> {
  await removeIfPresent(unfinishedPath(paths));
}
