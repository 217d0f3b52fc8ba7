/**
 * The snapshots folder: writing a snapshot under a fresh id, finding them newest first, and
 * reading one back with its checksum verified. Only records are read back: mpm's `.md` and
 * `.yaml` are renderings for people, and a snapshot whose `.json` is gone is reported missing,
 * never rebuilt from them (claude-mpm's own `.md`/`.yaml`-only sessions are records, and read).
 */
import { basename, join, sep } from "../kernel/path.ts";
import { checksumLine, parseChecksumLine, sha256Hex } from "../kernel/checksum.ts";
import { decodeMarkdownSnapshot, decodeSnapshot, isMpmRecord, parseJsonFile } from "./decode.ts";
import { IntegrityError, MpmError } from "../kernel/errors.ts";
import { idTime, isSessionId, newSessionId, sessionSortKey } from "../kernel/ids.ts";
import { printableDeep } from "../kernel/text.ts";
import { machineName } from "./machine.ts";
import { hashWorkTreeFiles } from "../git/blobs.ts";
import { dirtyAtPause } from "./changes.ts";
import { renderMarkdown } from "./render_md.ts";
import { serializeSnapshot, type Snapshot } from "../kernel/snapshot.ts";
import { createAtomic, exists, readTextIfExists, writeAtomic } from "../disk/atomic.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { cacheFile, folderStamp, type Found, readListing, writeListing } from "./listing_cache.ts";

export type Location = "sessions" | "pause" | "archive";

export interface SessionEntry {
  id: string;
  /**
   * The file the snapshot is read from: its .json, or the .yaml (else .md) of a session
   * claude-mpm wrote only that way. `missing`: mpm's checksum and renderings are there but its
   * .json is not (`file` names the .json).
   */
  file: string;
  format: "json" | "yaml" | "md" | "missing";
  location: Location;
}

export interface SavedFiles {
  json: string;
  md: string;
  yaml: string;
}

const MAX_ATTEMPTS = 1000;

/**
 * Writes a new snapshot under a fresh id for `now` (its millisecond and random letters: unique
 * across machines, kernel/ids.ts). The id is claimed by creating its `.sha256` exclusively, so
 * nothing is ever overwritten; readers skip a checksum whose snapshot is not written yet.
 */
export async function saveSnapshot(
  paths: ProjectPaths,
  now: Date,
  build: (id: string) => Snapshot,
): Promise<{ snapshot: Snapshot; files: SavedFiles }> {
  const root = paths.base;
  let complete: ((snapshot: Snapshot) => Snapshot) | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const id = newSessionId(now, crypto.getRandomValues(new Uint8Array(3)));
    const json = join(paths.sessions, `${id}.json`);
    const built = build(id);
    complete ??= await pauseFacts(paths.root, built);
    const snapshot = complete(built);
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
      // YAML is loaded only by the runs that write it (render_yaml.ts has the figures).
      import("./render_yaml.ts").then((m) =>
        writeAtomic(files.yaml, m.renderYaml(snapshot), { root })
      ),
    ]);
    return { snapshot, files };
  }
  throw new MpmError(`Could not find a free session id for ${now.toISOString()}.`);
}

/**
 * What only the machine that pauses knows, added to what the caller built: its name (so another
 * machine can say where the uncommitted files are) and the content of each uncommitted file (so
 * `resume` can tell work committed as it was from a collision, sessions/changes.ts).
 */
async function pauseFacts(
  projectRoot: string,
  built: Snapshot,
): Promise<(snapshot: Snapshot) => Snapshot> {
  const machine = built.mpm.machine ?? machineName();
  const git = built.git_context;
  const blobs = git && git.blobs === undefined
    ? await hashWorkTreeFiles(projectRoot, dirtyAtPause(git)).catch(() => null)
    : null;
  return (snapshot) => ({
    ...snapshot,
    git_context: snapshot.git_context && blobs && blobs.size > 0
      ? { ...snapshot.git_context, blobs: Object.fromEntries(blobs) }
      : snapshot.git_context,
    mpm: machine ? { ...snapshot.mpm, machine } : snapshot.mpm,
  });
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

/**
 * The file names in a folder. readDirSync, not the async iterator: for a folder of 20,000 files
 * (10,000 sessions) it takes ~25 ms against ~75 ms here (Deno 2.9), and nothing else can run
 * before the listing is known anyway.
 */
// deno-lint-ignore require-await
async function readDirNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
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
 * Every snapshot, newest first, from only the folder listings (only the newest is looked at). An
 * id found in several places is listed once: sessions/ wins over pause/ over archive/. The order
 * is the time each was made, as its id says — but never later than it arrived here: see
 * `capFutureIds`.
 */
export async function listEntries(
  paths: ProjectPaths,
  options: { locations?: Location[] } = {},
): Promise<SessionEntry[]> {
  const locations = options.locations ?? ["sessions", "pause"];
  const folders = await Promise.all(locations.map((location) => folderEntries(paths, location)));
  const byKey = (a: { key: string }, b: { key: string }) =>
    a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
  const filled = folders.filter((found) => found.length > 0);
  let keyed: Keyed[];
  if (filled.length <= 1) {
    keyed = filled[0] ?? []; // one folder's entries come sorted
  } else {
    const byId = new Map<string, Keyed>();
    for (const found of filled) {
      for (const k of found) if (!byId.has(k.entry.id)) byId.set(k.entry.id, k);
    }
    keyed = [...byId.values()].sort(byKey);
  }
  if (await capFutureIds(keyed)) keyed.sort(byKey);
  return keyed.map((k) => k.entry);
}

interface Keyed {
  entry: SessionEntry;
  key: string;
}

/**
 * One folder's snapshots, newest first, each with its sort key: from the folder's index when it
 * is current (listing_cache.ts), else from the listing (and the index is written for next time).
 */
async function folderEntries(paths: ProjectPaths, location: Location): Promise<Keyed[]> {
  const dir = FOLDER[location](paths);
  const index = cacheFile(paths, location);
  // Stamped before the folder is read: a change while it is read makes the index stale.
  const stamp = await folderStamp(dir);
  let found = stamp ? await readListing(index, dir, stamp) : null;
  if (found === null) {
    found = foundIn(await readDirNames(dir));
    if (stamp) await writeListing(paths, index, dir, stamp, found, Date.now());
  }
  return found.map(({ id, format, key }) => ({
    entry: {
      id,
      file: `${dir}${sep}${id}.${format === "missing" ? "json" : format}`,
      format,
      location,
    },
    key,
  }));
}

/** The snapshots among a folder's file names, newest first. */
function foundIn(names: string[]): Found[] {
  const byId = new Map<string, Found>();
  const present = new Set(names);
  for (const name of names) {
    // String tests, not a regular expression per name: with 10,000 sessions this loop is most
    // of the listing's time.
    const dot = name.lastIndexOf(".");
    const ext = name.slice(dot + 1);
    if (dot <= 0 || (ext !== "json" && ext !== "yaml" && ext !== "md")) continue;
    const id = name.slice(0, dot);
    if (byId.has(id) || !isSessionId(id)) continue;
    // The record first: a .json, else claude-mpm's full .yaml, else its .md.
    if (ext !== "json" && present.has(`${id}.json`)) continue;
    if (ext === "md" && present.has(`${id}.yaml`)) continue;
    // mpm claims an id with its checksum before writing the .json and its renderings: a
    // rendering beside a claim but no .json means the record itself is gone.
    const missing = ext !== "json" && present.has(`${id}.json.sha256`);
    // Keys are computed once: a comparator that parses ids costs more than the listing itself.
    byId.set(id, { id, format: missing ? "missing" : ext, key: sessionSortKey(id) });
  }
  return [...byId.values()].sort((a, b) => a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}

/** A file written this long before the time its id names is dated after its arrival. */
const ARRIVAL_SLACK_MS = 5 * 60_000;
/** At most this many of the newest are looked at (a whole folder of forged ids, say). */
const MAX_ARRIVAL_CHECKS = 50;

/**
 * An id names the time a snapshot was made, but one that came from elsewhere — `mpm sync pull`,
 * a copy, a `.claude-mpm/` committed to a cloned repository — was named there, or forged: dated
 * next year, it would sort first for a year and be the "last session" SessionStart hands to
 * Claude Code. So the newest are checked against when their file was written here (its
 * modification time): one dated later than that sorts as if made when it arrived. Walking
 * down from the newest, the first whose file is not older than its id ends the walk: everything
 * below it is older still. Usually that is the first, and this costs one stat.
 */
async function capFutureIds(keyed: { entry: SessionEntry; key: string }[]): Promise<boolean> {
  let changed = false;
  for (const item of keyed.slice(0, MAX_ARRIVAL_CHECKS)) {
    const made = idTime(item.entry.id);
    if (made === undefined) break;
    const written = item.entry.format === "missing"
      ? null
      : (await Deno.stat(item.entry.file).catch(() => null))?.mtime ?? null;
    if (written === null) continue;
    if (made.getTime() <= written.getTime() + ARRIVAL_SLACK_MS) break;
    item.key = sessionSortKey(item.entry.id, written);
    changed = true;
  }
  return changed;
}

/**
 * Reads one snapshot, verifying its checksum. Throws IntegrityError naming the file. Every text
 * in it comes back printable (kernel/text.ts): a snapshot may come from another machine or be
 * edited by hand, and what it holds is shown on terminals.
 */
export async function loadSnapshot(paths: ProjectPaths, entry: SessionEntry): Promise<Snapshot> {
  return printableDeep(await readRecord(paths, entry));
}

async function readRecord(paths: ProjectPaths, entry: SessionEntry): Promise<Snapshot> {
  const shown = displayPath(paths, entry.file);
  if (entry.format === "missing") throw missingRecord(shown);
  const bytes = await Deno.readFile(entry.file).catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new IntegrityError(`${shown} disappeared while mpm was reading it.`);
    }
    throw error;
  });
  const text = new TextDecoder().decode(bytes);
  const context = { file: shown, projectPath: paths.root };
  if (entry.format === "md") {
    if (isMpmMarkdown(text, entry.id)) throw missingRecord(jsonBeside(shown));
    return decodeMarkdownSnapshot(text, context);
  }
  if (entry.format === "yaml") {
    const { decodeYamlSnapshot } = await import("./decode_yaml.ts");
    const { snapshot, legacy } = decodeYamlSnapshot(text, context);
    if (legacy === "mpm") throw missingRecord(jsonBeside(shown));
    return snapshot;
  }
  const raw = parseJsonFile(text, shown);
  await verifyChecksum(entry.file, bytes, shown, isMpmRecord(raw));
  return decodeSnapshot(raw, context);
}

function jsonBeside(shown: string): string {
  return shown.replace(/\.(?:md|yaml)$/, ".json");
}

function missingRecord(shownJson: string): IntegrityError {
  return new IntegrityError(
    `${shownJson} is missing: only its .md/.yaml renderings are left, and mpm does not read ` +
      "renderings back (they are unverified and may have been edited).",
    "Restore the .json from a backup (or `mpm sync pull` it from where it was pushed), or " +
      "remove the leftover files.",
  );
}

/** mpm's own rendering (render_md.ts): its title and its closing `mpm resume <id>` block. */
function isMpmMarkdown(text: string, id: string): boolean {
  return text.startsWith(`# Session ${id}\n`) && text.includes(`\nmpm resume ${id}\n`);
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
