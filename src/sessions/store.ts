/**
 * The snapshots folder: writing a snapshot under a fresh id, finding them newest first, and
 * reading one back with its checksum verified.
 */
import { basename, join, sep } from "node:path";
import { checksumLine, parseChecksumLine, sha256Hex } from "../kernel/checksum.ts";
import { decodeMarkdownSnapshot, decodeSnapshot, isMpmRecord, parseJsonFile } from "./decode.ts";
import { IntegrityError, MpmError } from "../kernel/errors.ts";
import { isSessionId, sessionIdFor, sessionSortKey } from "../kernel/ids.ts";
import { renderMarkdown } from "./render_md.ts";
import { renderYaml } from "./render_yaml.ts";
import { serializeSnapshot, type Snapshot } from "../kernel/snapshot.ts";
import { createAtomic, exists, readTextIfExists, writeAtomic } from "../disk/atomic.ts";
import type { ProjectPaths } from "../disk/paths.ts";

export type Location = "sessions" | "pause" | "archive";

export interface SessionEntry {
  id: string;
  /** The file the snapshot is read from (.json, or .md for a markdown-only legacy session). */
  file: string;
  format: "json" | "md";
  location: Location;
}

export interface SavedFiles {
  json: string;
  md: string;
  yaml: string;
}

const MAX_ATTEMPTS = 1000;

/**
 * Writes a new snapshot under the first free id for `now`. The id is claimed by creating its
 * `.sha256` exclusively, so concurrent pauses in one second get `-2`, `-3`, … and nothing is
 * overwritten; readers skip a checksum whose snapshot is not written yet.
 */
export async function saveSnapshot(
  paths: ProjectPaths,
  now: Date,
  build: (id: string) => Snapshot,
): Promise<{ snapshot: Snapshot; files: SavedFiles }> {
  const root = paths.base;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const id = sessionIdFor(now, attempt);
    const json = join(paths.sessions, `${id}.json`);
    const snapshot = build(id);
    const text = serializeSnapshot(snapshot);
    if (!(await createAtomic(`${json}.sha256`, checksumLine(text, `${id}.json`), { root }))) {
      continue;
    }
    if (await exists(json) || await exists(join(paths.sessions, `${id}.md`))) {
      // A claude-mpm session already has this id (it wrote no mpm checksum): leave it be.
      await Deno.remove(`${json}.sha256`).catch(() => {});
      continue;
    }
    const files = {
      json,
      md: join(paths.sessions, `${id}.md`),
      yaml: join(paths.sessions, `${id}.yaml`),
    };
    await writeAtomic(json, text, { root });
    await Promise.all([
      writeAtomic(files.md, renderMarkdown(snapshot), { root }),
      writeAtomic(files.yaml, renderYaml(snapshot), { root }),
    ]);
    return { snapshot, files };
  }
  throw new MpmError(`Could not find a free session id for ${now.toISOString()}.`);
}

/** Names the newest snapshot in LATEST-SESSION.txt (as `sessions/<id>.json`). */
export async function updateLatest(paths: ProjectPaths): Promise<string | undefined> {
  const [newest] = await listEntries(paths, { locations: ["sessions", "pause"] });
  if (!newest) {
    await Deno.remove(paths.latest).catch(() => {});
    return undefined;
  }
  const current = await readTextIfExists(paths.latest);
  const line = `${newest.id}\n`;
  if (current !== line) await writeAtomic(paths.latest, line, { root: paths.base });
  return newest.id;
}

async function readDirNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile || entry.isSymlink) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  return names;
}

const FOLDER: Record<Location, (paths: ProjectPaths) => string> = {
  sessions: (p) => p.sessions,
  pause: (p) => p.legacyPause,
  archive: (p) => p.archive,
};

/**
 * Every snapshot, newest first, from only the folder listings (no file is opened).
 * An id found in several places is listed once: sessions/ wins over pause/ over archive/.
 */
export async function listEntries(
  paths: ProjectPaths,
  options: { locations?: Location[] } = {},
): Promise<SessionEntry[]> {
  const locations = options.locations ?? ["sessions", "pause"];
  const byId = new Map<string, SessionEntry>();
  const listings = await Promise.all(
    locations.map(async (location) => ({
      location,
      names: await readDirNames(FOLDER[location](paths)),
    })),
  );
  for (const { location, names } of listings) {
    const dir = FOLDER[location](paths);
    const present = new Set(names);
    for (const name of names) {
      const json = name.endsWith(".json") ? name.slice(0, -5) : undefined;
      const md = name.endsWith(".md") ? name.slice(0, -3) : undefined;
      const id = json ?? md;
      if (!id || !isSessionId(id) || byId.has(id)) continue;
      if (md && present.has(`${id}.json`)) continue;
      byId.set(id, { id, file: join(dir, name), format: json ? "json" : "md", location });
    }
  }
  // Keys are computed once: a comparator that parses ids costs more than the listing itself.
  const keyed = [...byId.values()].map((entry) => ({ entry, key: sessionSortKey(entry.id) }));
  keyed.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  return keyed.map((k) => k.entry);
}

/** Reads one snapshot, verifying its checksum. Throws IntegrityError naming the file. */
export async function loadSnapshot(paths: ProjectPaths, entry: SessionEntry): Promise<Snapshot> {
  const shown = displayPath(paths, entry.file);
  const bytes = await Deno.readFile(entry.file).catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new IntegrityError(`${shown} disappeared while mpm was reading it.`);
    }
    throw error;
  });
  const text = new TextDecoder().decode(bytes);
  const context = { file: shown, projectPath: paths.root };
  if (entry.format === "md") return decodeMarkdownSnapshot(text, context);
  const raw = parseJsonFile(text, shown);
  await verifyChecksum(entry.file, bytes, shown, isMpmRecord(raw));
  return decodeSnapshot(raw, context);
}

async function verifyChecksum(
  file: string,
  bytes: Uint8Array,
  shown: string,
  required: boolean,
): Promise<void> {
  const recorded = await readTextIfExists(`${file}.sha256`);
  if (recorded === undefined) {
    if (!required) return; // claude-mpm wrote no checksum files mpm can rely on.
    throw new IntegrityError(
      `${shown} has no checksum file (${basename(file)}.sha256), so mpm cannot trust it.`,
      "If you edited it on purpose, recreate the checksum: sha256sum FILE > FILE.sha256.",
    );
  }
  const parsed = parseChecksumLine(recorded);
  if (!parsed || parsed.hex !== sha256Hex(bytes)) {
    throw new IntegrityError(
      `${shown} does not match its checksum: it was changed or damaged after mpm wrote it.`,
      "Restore it from a backup or remove it; the other sessions are unaffected.",
    );
  }
}

/** A path relative to the project, for messages: "/"-separated on every platform, like git's. */
export function displayPath(paths: ProjectPaths, file: string): string {
  return file.startsWith(paths.root + sep)
    ? file.slice(paths.root.length + 1).split(sep).join("/")
    : file;
}
