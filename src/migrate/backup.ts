/**
 * The backup `mpm migrate` makes first, and `--rollback`, which puts the tree back byte for byte
 * from `backups/migrate-<UTC stamp>/` (`files/` and a sealed `manifest.json`). Unnamed,
 * `--rollback` takes only a backup this machine sealed (a clone's must be named).
 */
import { basename, join, sep } from "../kernel/path.ts";
import {
  array,
  type Check,
  checkValue,
  fail,
  literal,
  nullable,
  number,
  object,
  oneOf,
  optional,
  type Out,
  string,
  withDefault,
} from "../kernel/check.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { errorText, IntegrityError, MpmError, NothingToDo, UsageError } from "../kernel/errors.ts";
import { sessionIdFor } from "../kernel/ids.ts";
import type { Move } from "./steps.ts";
import type { Converted } from "./plan.ts";
import { classifyName } from "./records.ts";
import { confine } from "../disk/files/confine/confine.ts";
import { ensureDir } from "../disk/files/confine/folders.ts";
import { exists } from "../disk/read/stat.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import { writeAtomic } from "../disk/files/atomic.ts";
import { jsonSealedHere } from "../disk/sealed_here.ts";
import { ensureMachineKey } from "../disk/machine_key.ts";
import { sealedText } from "../kernel/hashing/seal.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import {
  claimDir,
  removeEntry,
  removeQuietly,
  removeTree,
  setMode,
  setTimes,
} from "../disk/files/entries.ts";
import { pushAll } from "../kernel/lists.ts";

const text = string();

/** A path inside `.claude-mpm/`, relative to it. */
const rel: Check<string> = (value, where) => {
  const checked = text(value, where);
  if (
    checked.ok &&
    (checked.value === "" || checked.value.startsWith("/") ||
      checked.value.split(/[\\/]/).includes(".."))
  ) {
    return fail(where, "must be a path inside .claude-mpm/");
  }
  return checked;
};

/** `rel`, or "." for the `.claude-mpm/` folder itself. */
const relOrTop: Check<string> = (value, where) => {
  if (value === ".") return { ok: true, value };
  // zod's words for its union of the two: a string is held to `rel`, anything else is neither.
  if (typeof value === "string") return rel(value, where);
  return fail(where, "Invalid input");
};

/** A backup's `manifest.json`: what was copied, written, removed, created, and each step. */
const backupManifestCheck = object({
  format: literal("mpm-migrate-backup"),
  version: literal(1),
  created_at: string(),
  project: string(),
  /** The sessions folder `--from` was read from; null without `--from`. */
  from: nullable(string()),
  /** "started" until the migration completes or fails: a started or failed one is unfinished. */
  status: oneOf(["started", "complete", "failed"]),
  /** Each file the migration removes or overwrites, as it was: its copy is `files/<rel>`. */
  originals: array(object({
    rel,
    sha256: string(),
    size: number,
    mode: nullable(number),
    mtime: nullable(number),
  }, "strip")),
  /** Each file the migration wrote, with the sha256 of what it wrote. */
  written: array(object({ rel, sha256: string() }, "strip")),
  /** Folders the migration removed, with their modes then. */
  removed_dirs: array(object({ rel, mode: nullable(number) }, "strip")),
  /** Folders there before that the migration writes into (narrowed to 0700), with their modes. */
  kept_dirs: withDefault(
    array(object({
      rel: relOrTop,
      mode: nullable(number),
      /** A file (claude-mpm's, left in place and narrowed to 0600), not a folder. */
      file: optional(literal(true)),
    }, "strip")),
    [],
  ),
  /** Folders the migration created (".", the `.claude-mpm/` folder itself): removed if empty. */
  created_dirs: array(relOrTop),
  /** Each step, by what it did ("convert", …), the files it read and those it wrote. */
  moves: array(object({
    action: string(),
    from: array(string()),
    to: array(string()),
  }, "strip")),
  /** This machine's HMAC of the text, written last. */
  seal: optional(string()),
}, "strip");
export type Manifest = Out<typeof backupManifestCheck>;

const MANIFEST = "manifest.json";

async function digestOf(path: string): Promise<string | null> {
  try {
    return sha256Hex(await Deno.readFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

export interface BackupStart {
  project: string;
  from: string | null;
  now: Date;
  originals: string[];
  planned: { rel: string; text: string }[];
  removedDirs: string[];
  /** Folders that existed before, and files left in place, with their modes before. */
  keptDirs: { rel: string; mode: number | null; file?: true }[];
  createdDirs: string[];
  moves: Move[];
  onCopied?: () => void;
}

/** A new backup folder, `backups/migrate-<UTC stamp>/`, empty: startBackup fills it. */
export async function claimBackup(paths: ProjectPaths, now: Date): Promise<string> {
  // ensureDir follows a symbolic link to a folder; the backup folder must not lead outside.
  await confine(paths.base, paths.backups);
  await ensureDir(paths.backups);
  for (let attempt = 1; attempt < 1000; attempt++) {
    const dir = join(paths.backups, sessionIdFor(now, attempt).replace(/^session-/, "migrate-"));
    if (await claimDir(dir)) return dir;
  }
  throw new MpmError(`Could not create a backup folder in ${paths.backups}.`);
}

/** What a backup is told as the migration goes: `finish` records what really happened. */
export interface BackupHandle {
  dir: string;
  /** Records the files the migration really wrote (their bytes as they are now). */
  finish: (status: "complete" | "failed", written: string[]) => Promise<void>;
}

/** Copies the originals into `dir` and writes a "started" manifest, before anything changes. */
export async function startBackup(
  paths: ProjectPaths,
  dir: string,
  start: BackupStart,
): Promise<BackupHandle> {
  const manifest: Manifest = {
    format: "mpm-migrate-backup",
    version: 1,
    created_at: start.now.toISOString(),
    project: start.project,
    from: start.from,
    status: "started",
    originals: await copyOriginals(paths, dir, start.originals, start.onCopied),
    written: start.planned.map((w) => ({ rel: w.rel, sha256: sha256Hex(w.text) })),
    removed_dirs: await dirModes(paths, start.removedDirs),
    kept_dirs: start.keptDirs,
    created_dirs: start.createdDirs,
    moves: start.moves,
  };
  await saveManifest(paths, dir, manifest);
  return handle(paths, dir, manifest, []);
}

/** An unfinished migration's backup, every planned write listed, so a rollback tells them apart. */
export async function resumeBackup(
  paths: ProjectPaths,
  dir: string,
  start: BackupStart,
): Promise<BackupHandle> {
  const manifest = await readManifest(dir);
  const known = new Set([
    ...manifest.originals.map((o) => o.rel),
    ...manifest.written.map((w) => w.rel),
  ]);
  const fresh = start.originals.filter((rel) => !known.has(rel));
  pushAll(manifest.originals, await copyOriginals(paths, dir, fresh, start.onCopied));
  const earlier = manifest.written;
  manifest.written = unique([
    ...earlier,
    ...start.planned.map((w) => ({ rel: w.rel, sha256: sha256Hex(w.text) })),
  ]);
  const removed = new Set(manifest.removed_dirs.map((d) => d.rel));
  pushAll(manifest.removed_dirs, [
    ...await dirModes(paths, start.removedDirs.filter((rel) => !removed.has(rel))),
  ]);
  const kept = new Set(manifest.kept_dirs.map((d) => d.rel));
  pushAll(manifest.kept_dirs, start.keptDirs.filter((d) => !kept.has(d.rel)));
  const created = new Set(manifest.created_dirs);
  pushAll(manifest.created_dirs, start.createdDirs.filter((rel) => !created.has(rel)));
  pushAll(manifest.moves, start.moves);
  manifest.status = "started";
  await saveManifest(paths, dir, manifest);
  return handle(paths, dir, manifest, earlier);
}

/** `earlier`: files listed as written before this run; those still holding those bytes stay. */
function handle(
  paths: ProjectPaths,
  dir: string,
  manifest: Manifest,
  earlier: Manifest["written"],
): BackupHandle {
  return {
    dir,
    finish: async (status, written) => {
      const now: Manifest["written"] = [];
      for (const entry of earlier) {
        if ((await digestOf(join(paths.base, entry.rel))) === entry.sha256) now.push(entry);
      }
      for (const rel of written) {
        const sha256 = await digestOf(join(paths.base, rel));
        if (sha256) now.push({ rel, sha256 });
      }
      manifest.status = status;
      manifest.written = unique(now);
      await saveManifest(paths, dir, manifest);
    },
  };
}

function unique(entries: Manifest["written"]): Manifest["written"] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.rel}\0${e.sha256}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function copyOriginals(
  paths: ProjectPaths,
  dir: string,
  rels: string[],
  onCopied?: () => void,
): Promise<Manifest["originals"]> {
  const originals: Manifest["originals"] = [];
  for (const rel of rels) {
    const source = join(paths.base, rel);
    const [bytes, info] = await Promise.all([Deno.readFile(source), Deno.stat(source)]);
    await writeAtomic(join(dir, "files", rel), bytes, { root: paths.base });
    originals.push({
      rel,
      sha256: sha256Hex(bytes),
      size: bytes.length,
      mode: info.mode === null ? null : info.mode & 0o7777,
      mtime: info.mtime?.getTime() ?? null,
    });
    onCopied?.();
  }
  return originals;
}

function dirModes(paths: ProjectPaths, rels: string[]): Promise<Manifest["removed_dirs"]> {
  return Promise.all(rels.map(async (rel) => {
    const info = await Deno.stat(join(paths.base, rel));
    return { rel, mode: info.mode === null ? null : info.mode & 0o7777 };
  }));
}

/** Writes the manifest sealed with this machine's key (made now); unsealed where none can be. */
async function saveManifest(paths: ProjectPaths, dir: string, manifest: Manifest): Promise<void> {
  const text = await sealedText(manifest, await ensureMachineKey());
  await writeAtomic(join(dir, MANIFEST), text, { root: paths.base });
}

/** Whether this machine made the backup in `dir` (its seal checks out, or no key is possible). */
export async function madeHere(dir: string): Promise<boolean> {
  const text = await readTextIfExists(join(dir, MANIFEST)).catch(() => undefined);
  if (text === undefined) return false;
  return await jsonSealedHere(text);
}

/** The sessions a migration converted, by the digests of their source files (`convert` moves). */
export function convertedIn(manifest: Manifest): Converted[] {
  const digest = new Map(manifest.originals.map((o) => [`.claude-mpm/${o.rel}`, o.sha256]));
  return manifest.moves.flatMap((move): Converted[] => {
    const id = move.to.map((to) => to.match(/\/(session-[^/]+)\.json$/)?.[1]).find(Boolean);
    if (move.action !== "convert" || !id) return [];
    const digests: Converted["digests"] = {};
    for (const from of move.from) {
      const kind = classifyName(basename(from));
      const sha256 = digest.get(from);
      if (kind.kind === "data" && sha256) digests[kind.ext] = sha256;
    }
    return Object.keys(digests).length ? [{ id, digests }] : [];
  });
}

/** Whether `dir` holds a manifest: a backup killed while its copies were made has none. */
export function hasManifest(dir: string): Promise<boolean> {
  return exists(join(dir, MANIFEST));
}

/** The backup a user named, else the newest this machine made (another's only when named). */
export async function findBackup(paths: ProjectPaths, name?: string): Promise<string> {
  if (name !== undefined) {
    // A path must lead into this project's backups; the manifest's paths are relative to it.
    const dir = join(paths.backups, basename(name));
    const inside = !(name.includes("/") || name.includes(sep)) ||
      await Deno.realPath(name).then(
        async (real) => real === await Deno.realPath(dir).catch(() => ""),
        () => false,
      );
    if (!inside || !(await exists(join(dir, MANIFEST)))) {
      throw new UsageError(
        `${name} is not a migration backup of this project.`,
        "Name a folder of .claude-mpm/backups/ (migrate-YYYYMMDD-HHMMSS), or omit it for the newest.",
      );
    }
    return dir;
  }
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(paths.backups)) {
      if (entry.isDirectory && /^migrate-\d{8}-\d{6}(?:-\d+)?$/.test(entry.name)) {
        if (await exists(join(paths.backups, entry.name, MANIFEST))) names.push(entry.name);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const newestFirst = names.sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
  if (newestFirst.length === 0) {
    throw new NothingToDo(
      "There is no migration to roll back (no backup in .claude-mpm/backups/).",
      "A migration run with --no-backup cannot be rolled back.",
    );
  }
  for (const candidate of newestFirst) {
    if (await madeHere(join(paths.backups, candidate))) return join(paths.backups, candidate);
  }
  const newest = newestFirst[0];
  throw new NothingToDo(
    `No backup in .claude-mpm/backups/ was made by mpm on this machine: ${newest}${
      newestFirst.length > 1 ? ` (the newest of ${newestFirst.length})` : ""
    } came with the repository, so it is not restored unnamed.`,
    `If you mean to restore it, name it: \`mpm migrate --rollback ${newest}\`.`,
  );
}

function sortKey(name: string): string {
  const m = name.match(/^migrate-(\d{8}-\d{6})(?:-(\d+))?$/)!;
  return `${m[1]}-${(m[2] ?? "1").padStart(6, "0")}`;
}

export async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(file));
  } catch (error) {
    throw new IntegrityError(`${file} cannot be read: ${errorText(error)}.`);
  }
  const checked = checkValue(backupManifestCheck, raw);
  if (!checked.ok) {
    const issue = checked.problem;
    throw new IntegrityError(
      `${file} is not a migration manifest mpm can use (${
        issue.path.join(".")
      }: ${issue.message}).`,
    );
  }
  return checked.value;
}

export interface RollbackReport {
  backup: string;
  restored: string[];
  removed: string[];
  unchanged: string[];
  /** Folders whose mode was put back (".claude-mpm/sessions/", "0755"), or would be. */
  modes: { folder: string; mode: string }[];
  /** Whether the migration it undoes never completed (killed, or failed, midway). */
  unfinished: boolean;
}

/** Where `mpm prune` put a sessions/ snapshot file the migration wrote; null for others. */
function archivedPlace(rel: string): string | null {
  const name = rel.match(/^sessions\/(session-[^/]+\.(?:json|json\.sha256|md|yaml))$/)?.[1];
  return name ? `sessions/archive/${name}` : null;
}

/** Checks all, removes what the migration wrote, restores the originals, drops the backup. */
export async function rollbackFrom(
  paths: ProjectPaths,
  dir: string,
  options: { dryRun: boolean },
): Promise<RollbackReport> {
  const manifest = await readManifest(dir);
  const at = (rel: string) => join(paths.base, rel);
  const copies = new Map<string, Uint8Array>();
  for (const original of manifest.originals) {
    const bytes = await Deno.readFile(join(dir, "files", original.rel)).catch(() => undefined);
    if (!bytes || sha256Hex(bytes) !== original.sha256) {
      throw new IntegrityError(
        `The backup's copy of ${original.rel} is missing or damaged, so it cannot be restored.`,
        `Nothing was changed. The backup is ${dir}.`,
      );
    }
    copies.set(original.rel, bytes);
  }
  const originalDigest = new Map(manifest.originals.map((o) => [o.rel, o.sha256]));
  // A file the migration overwrote in place is both written and an original: named once.
  const conflicts = new Set<string>();
  const toRemove: string[] = [];
  const unchanged: string[] = [];
  // A migration continued after a kill may list a file twice: as each run meant to write it.
  const writtenDigests = new Map<string, Set<string>>();
  for (const { rel, sha256 } of manifest.written) {
    writtenDigests.set(rel, (writtenDigests.get(rel) ?? new Set()).add(sha256));
  }
  for (const [rel, digests] of writtenDigests) {
    let place = rel;
    let now = await digestOf(at(rel));
    const archived = archivedPlace(rel);
    if (now === null && archived) {
      place = archived;
      now = await digestOf(at(archived));
    }
    if (now === null || (place === rel && now === originalDigest.get(rel))) continue;
    // LATEST-SESSION.txt is only a pointer every pause rewrites; its original comes back.
    if (digests.has(now) || rel.endsWith("LATEST-SESSION.txt")) {
      toRemove.push(place);
    } else conflicts.add(place);
  }
  const restore: string[] = [];
  for (const original of manifest.originals) {
    const now = await digestOf(at(original.rel));
    if (now === original.sha256) unchanged.push(original.rel);
    else if (now === null || toRemove.includes(original.rel)) restore.push(original.rel);
    else conflicts.add(original.rel);
  }
  if (conflicts.size > 0) {
    const shown = [...conflicts].slice(0, 5).map((rel) => `.claude-mpm/${rel}`).join(", ");
    throw new MpmError(
      `Cannot roll back: ${shown}${conflicts.size > 5 ? ", …" : ""} changed after the migration.`,
      `Move ${conflicts.size === 1 ? "it" : "those files"} out of .claude-mpm/ (the backup ` +
        "does not hold the changes), then run `mpm migrate --rollback` again. Nothing was changed.",
    );
  }
  const report = {
    backup: dir,
    restored: restore,
    removed: toRemove,
    unchanged,
    modes: [],
    unfinished: manifest.status !== "complete",
  };
  if (options.dryRun) {
    const modes = await modesToRestore(paths, manifest);
    return { ...report, modes: modes.map(shownMode) };
  }

  for (const rel of toRemove) await removeEntry(at(rel));
  for (const { rel } of manifest.removed_dirs) await ensureDir(at(rel));
  for (const original of manifest.originals.filter((o) => restore.includes(o.rel))) {
    const path = at(original.rel);
    await writeAtomic(path, copies.get(original.rel)!, { root: paths.base });
    if (original.mode !== null && Deno.build.os !== "windows") {
      await setMode(path, original.mode);
    }
    if (original.mtime !== null) {
      await setTimes(path, new Date(original.mtime), new Date(original.mtime));
    }
    if ((await digestOf(path)) !== original.sha256) {
      throw new IntegrityError(`Restoring ${original.rel} failed: its bytes do not match.`);
    }
  }
  await removeTree(dir);
  // Emptied of what the migration wrote, the archive `mpm prune` made goes too.
  if (toRemove.some((rel) => rel.startsWith("sessions/archive/"))) {
    await removeIfEmpty(paths.archive);
  }
  for (const rel of manifest.created_dirs.filter((d) => d !== ".").reverse()) {
    await removeIfEmpty(at(rel));
  }
  // Folder modes last: writing into a folder under .claude-mpm/ narrows it to 0700.
  const modes = await modesToRestore(paths, manifest);
  for (const { rel, mode } of modes) await setMode(at(rel), mode);
  return { ...report, modes: modes.map(shownMode) };
}

/** The folders whose mode differs from the one recorded before the migration. */
async function modesToRestore(
  paths: ProjectPaths,
  manifest: Manifest,
): Promise<{ rel: string; mode: number; file?: true }[]> {
  if (Deno.build.os === "windows") return [];
  const changed: { rel: string; mode: number; file?: true }[] = [];
  for (const entry of [...manifest.kept_dirs, ...manifest.removed_dirs]) {
    const { rel, mode } = entry;
    const file: true | undefined = "file" in entry && entry.file === true ? true : undefined;
    if (mode === null) continue;
    const now = await Deno.stat(join(paths.base, rel)).then((i) => i.mode, () => null);
    // A file gone since (removed by hand) has no mode to restore.
    if (now === null && file) continue;
    // A removed folder (not yet back in a dry run) is recreated 0700, then gets its mode.
    if (now === null ? mode !== 0o700 : (now & 0o7777) !== mode) {
      changed.push({ rel, mode, ...(file ? { file } : {}) });
    }
  }
  return changed;
}

function shownMode(
  { rel, mode, file }: { rel: string; mode: number; file?: true },
): { folder: string; mode: string } {
  return {
    folder: rel === "." ? ".claude-mpm/" : `.claude-mpm/${rel}${file ? "" : "/"}`,
    mode: `0${mode.toString(8).padStart(3, "0")}`,
  };
}

/** Removes a folder only when nothing is left in it. */
export async function removeIfEmpty(dir: string): Promise<void> {
  await removeQuietly(dir);
}
