/**
 * `cache/told.json`: what SessionStart told each conversation, by fingerprint, so a resumed one
 * gets only what changed. Anything off reads as empty; no fsync and no lock (a lost entry costs
 * one full context).
 */
import { checkedJson, literal, nullable, object, record, string } from "../../../kernel/check.ts";
import { join } from "../../../kernel/path.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { writeCache } from "../../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { webDigestHex } from "../../../kernel/hashing/checksum.ts";
import { withoutTimes } from "../../../kernel/format/ago.ts";
import { byCodeUnits } from "../../../kernel/lists.ts";

/** What one injected text told, by fingerprint (this file keeps it). */
export interface Told {
  /** When it was injected (ISO 8601 UTC). */
  at: string;
  /** The newest snapshot listed then (null: none). */
  listed: string | null;
  /** HEAD then (null: no git, or no commit). */
  head: string | null;
  /** Fingerprints of the person's words (summary, next steps, name), the open todos, the tasks. */
  words: string;
  todos: string;
  tasks: string;
  /** Each other part's fingerprint, by "Title (source)". */
  parts: Record<string, string>;
}

/** A fingerprint's length: 16 hex digits of SHA-1 are plenty to tell two versions apart. */
export const FINGERPRINT_DIGITS = 16;

const VERSION = 1;

/** Texts remembered: enough for every conversation a person would resume. */
export const MAX_TOLD = 100;

const fingerprint = string({ max: 64 });
/** The file, checked by hand: every SessionStart reads it (kernel/check.ts). */
export const toldFileCheck = object({
  version: literal(VERSION),
  told: record(
    string({ pattern: /^[0-9a-f]{16}$/ }),
    object({
      at: string({ max: 40 }),
      listed: nullable(string({ max: 200 })),
      head: nullable(string({ max: 100 })),
      words: fingerprint,
      todos: fingerprint,
      tasks: fingerprint,
      parts: record(string({ max: 1_000 }), fingerprint),
    }, "strip"),
  ),
}, "strip");

type ToldFile = { version: typeof VERSION; told: Record<string, Told> };

export function toldFile(paths: ProjectPaths): string {
  return join(paths.base, "cache", "told.json");
}

/** The key a text is remembered by: its fingerprint without "ago" times, hashed by Web Crypto. */
export async function textKey(text: string): Promise<string> {
  return (await webDigestHex("SHA-1", JSON.stringify(withoutTimes(text))))
    .slice(0, FINGERPRINT_DIGITS);
}

async function readToldFile(paths: ProjectPaths): Promise<ToldFile> {
  const empty: ToldFile = { version: VERSION, told: {} };
  const file = toldFile(paths);
  // mpm replaces its files and never follows links: a link here is none of mpm's.
  if (!(await lstatIfExists(file).catch(() => undefined))?.isFile) return empty;
  try {
    const text = await readTextIfExists(file);
    return checkedJson(toldFileCheck, text) ?? empty;
  } catch {
    return empty;
  }
}

/** What was told with each of `texts` (the newest first), the first one remembered; else null. */
export async function findTold(paths: ProjectPaths, texts: string[]): Promise<Told | null> {
  if (texts.length === 0) return null;
  const { told } = await readToldFile(paths);
  for (const text of texts) {
    const found = told[await textKey(text)];
    if (found) return found;
  }
  return null;
}

/** Remembers what `text` told. Best effort: a read-only project tells in full next time. */
export async function rememberTold(paths: ProjectPaths, text: string, told: Told): Promise<void> {
  try {
    const file = await readToldFile(paths);
    const entries = Object.entries({ ...file.told, [await textKey(text)]: told })
      // Newest first.
      .sort(([, a], [, b]) => byCodeUnits(b.at, a.at))
      .slice(0, MAX_TOLD);
    const next: ToldFile = { version: VERSION, told: Object.fromEntries(entries) };
    await writeCache(toldFile(paths), JSON.stringify(next) + "\n", { root: paths.base });
  } catch {
    // Not remembered: the conversation's next resume gets the full context.
  }
}
