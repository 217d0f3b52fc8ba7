/** Reading and writing `.claude-mpm/threads/<key>/work-tree.json` (marks.ts). */
import { join } from "../../../kernel/path.ts";
import { IntegrityError } from "../../../kernel/errors.ts";
import { readTextIfExists, writeAtomic } from "../../../disk/files/atomic.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";
import { isMarkKey, MARKS_VERSION, marksCheck, serializeMarks, type WorkMarks } from "./marks.ts";
import { checkValue } from "../../../kernel/check.ts";

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
  const shown = displayPath(paths, file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw damaged(shown, "it is not valid JSON");
  }
  const version = (raw as { schema_version?: unknown })?.schema_version;
  if (typeof version === "number" && version > MARKS_VERSION) {
    throw new IntegrityError(
      `${shown} was written by a newer mpm (version ${version}).`,
      "Upgrade mpm to use it.",
    );
  }
  const checked = checkValue(marksCheck, raw);
  if (!checked.ok) {
    const { path, message } = checked.problem;
    throw damaged(shown, `${path.join(".") || "the top level"}: ${message}`);
  }
  if (checked.value.key !== key) throw damaged(shown, `it names session ${checked.value.key}`);
  return checked.value;
}

function damaged(shown: string, why: string): IntegrityError {
  return new IntegrityError(
    `${shown} is damaged (${why}); mpm will not overwrite it.`,
    "Move it away: the session's diff then starts at its next start, resume or pause.",
  );
}

export async function writeMarks(paths: ProjectPaths, record: WorkMarks): Promise<void> {
  await writeAtomic(marksFile(paths, record.key), serializeMarks(record), { root: paths.base });
}
