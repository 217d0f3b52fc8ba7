/** Reading and writing `.claude-mpm/threads/<key>/work-tree.json` (marks.ts). */
import { join } from "../../../kernel/path.ts";
import { readTextIfExists, writeAtomic } from "../../../disk/files/atomic.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";
import { isMarkKey, MARKS_VERSION, marksCheck, serializeMarks, type WorkMarks } from "./marks.ts";
import { readStored, storedDamaged } from "../../../kernel/check.ts";

export function marksFile(paths: ProjectPaths, key: string): string {
  if (!isMarkKey(key)) throw new Error(`not a session key: ${JSON.stringify(key)}`);
  return join(paths.threads, key, "work-tree.json");
}

/** A session's marks; null when none were recorded. A damaged file is exit 4, never rewritten. */
export async function readMarks(paths: ProjectPaths, key: string): Promise<WorkMarks | null> {
  if (!isMarkKey(key)) return null;
  const file = marksFile(paths, key);
  const text = await readTextIfExists(file);
  if (text === undefined) return null;
  const stored = {
    shown: displayPath(paths, file),
    check: marksCheck,
    version: MARKS_VERSION,
    versionName: "version",
    hint: "Move it away: the session's diff then starts at its next start, resume or pause.",
  };
  const marks = readStored(text, stored);
  if (marks.key !== key) throw storedDamaged(stored, `it names session ${marks.key}`);
  return marks;
}

export async function writeMarks(paths: ProjectPaths, record: WorkMarks): Promise<void> {
  await writeAtomic(marksFile(paths, record.key), serializeMarks(record), { root: paths.base });
}
