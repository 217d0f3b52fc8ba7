/**
 * Reading and writing `threads/<key>/work-tree.json` (marks.ts), sealed as `state.json` is. One
 * this machine did not seal reads as none: a hostile "before" would make `mpm revert` write
 * files the person never changed. Without a key, nothing is sealed and it reads as it is.
 */
import { join } from "../../../kernel/path.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { writeAtomic } from "../../../disk/files/atomic.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";
import { isMarkKey, MARKS_VERSION, marksCheck, serializeMarks, type WorkMarks } from "./marks.ts";
import { readStored, storedDamaged } from "../../../kernel/check.ts";
import { jsonSealedHere } from "../../../disk/sealed_here.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";
import { sealedText } from "../../../kernel/hashing/seal.ts";

export function marksFile(paths: ProjectPaths, key: string): string {
  if (!isMarkKey(key)) throw new Error(`not a session key: ${JSON.stringify(key)}`);
  return join(paths.threads, key, "work-tree.json");
}

/** A session's marks; null when none sealed here. One sealed here that does not read: exit 4. */
export async function readMarks(paths: ProjectPaths, key: string): Promise<WorkMarks | null> {
  if (!isMarkKey(key)) return null;
  const file = marksFile(paths, key);
  const text = await readTextIfExists(file);
  if (text === undefined) return null;
  if (!await jsonSealedHere(text)) return null;
  const stored = {
    shown: displayPath(paths, file),
    check: marksCheck,
    version: MARKS_VERSION,
    versionName: "version",
    hint: "Move it away: the session's diff then starts at its next start, resume or pause.",
  };
  const { seal: _, ...marks } = readStored(text, stored);
  if (marks.key !== key) throw storedDamaged(stored, `it names session ${marks.key}`);
  return marks;
}

export async function writeMarks(paths: ProjectPaths, record: WorkMarks): Promise<void> {
  const text = await sealedText(record, await ensureMachineKey(), serializeMarks);
  await writeAtomic(marksFile(paths, record.key), text, { root: paths.base });
}
