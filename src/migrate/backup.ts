/**
 * The backup `mpm migrate` makes before it changes anything, and `--rollback`, which puts the
 * tree back byte for byte. A backup is `.claude-mpm/backups/migrate-<UTC stamp>/`: copies of
 * every file the migration removes or overwrites under `files/`, and `manifest.json` with each
 * original's digest, mode and time, each file the migration wrote and each step it took.
 */
import { basename, join, sep } from "../kernel/path.ts";
import * as z from "../kernel/zod.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { errorText, IntegrityError, MpmError, NothingToDo, UsageError } from "../kernel/errors.ts";
import { sessionIdFor } from "../kernel/ids.ts";
import type { Move } from "./steps.ts";
import { confine, ensureDir, exists, writeAtomic } from "../disk/files/atomic.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import {
  claimDir,
  removeEntry,
  removeQuietly,
  removeTree,
  setMode,
  setTimes,
} from "../disk/files/entries.ts";

const Rel = z.string().check(
  z.refine(
    (rel) => rel !== "" && !rel.startsWith("/") && !rel.split(/[\\/]/).includes(".."),
    "must be a path inside .claude-mpm/",
  ),
);

const ManifestSchema = z.object({
  format: z.literal("mpm-migrate-backup"),
  version: z.literal(1),
  created_at: z.string(),
  project: z.string(),
  from: z.nullable(z.string()),
  status: z.enum(["started", "complete", "failed"]),
  originals: z.array(z.object({
    rel: Rel,
    sha256: z.string(),
    size: z.number(),
    mode: z.nullable(z.number()),
    mtime: z.nullable(z.number()),
  })),
  written: z.array(z.object({ rel: Rel, sha256: z.string() })),
  removed_dirs: z.array(z.object({ rel: Rel, mode: z.nullable(z.number()) })),
  /**
   * Folders that were there before and that the migration writes into, with their modes then:
   * mpm's writes narrow a folder to 0700, and a rollback puts the mode back.
   */
  kept_dirs: z._default(
    z.array(z.object({
      rel: z.union([Rel, z.literal(".")]),
      mode: z.nullable(z.number()),
      /** A file (claude-mpm's, left in place and narrowed to 0600), not a folder. */
      file: z.optional(z.literal(true)),
    })),
    [],
  ),
  /** Folders the migration created (".", the `.claude-mpm/` folder itself): removed if empty. */
  created_dirs: z.array(z.union([Rel, z.literal(".")])),
  moves: z.array(z.object({
    action: z.string(),
    from: z.array(z.string()),
    to: z.array(z.string()),
  })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

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

/** Copies the originals and writes a "started" manifest; `finish` records what really happened. */
export async function startBackup(paths: ProjectPaths, start: BackupStart) {
  // ensureDir follows a symbolic link to a folder; the backup folder must not lead outside.
  await confine(paths.base, paths.backups);
  await ensureDir(paths.backups);
  const dir = await claimBackupDir(paths, start.now);
  const originals: Manifest["originals"] = [];
  for (const rel of start.originals) {
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
    start.onCopied?.();
  }
  const removed_dirs = await Promise.all(start.removedDirs.map(async (rel) => {
    const info = await Deno.stat(join(paths.base, rel));
    return { rel, mode: info.mode === null ? null : info.mode & 0o7777 };
  }));
  const manifest: Manifest = {
    format: "mpm-migrate-backup",
    version: 1,
    created_at: start.now.toISOString(),
    project: start.project,
    from: start.from,
    status: "started",
    originals,
    written: start.planned.map((w) => ({ rel: w.rel, sha256: sha256Hex(w.text) })),
    removed_dirs,
    kept_dirs: start.keptDirs,
    created_dirs: start.createdDirs,
    moves: start.moves,
  };
  const save = () =>
    writeAtomic(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n", {
      root: paths.base,
    });
  await save();
  return {
    dir,
    /** Records the files the migration really wrote (their bytes as they are now). */
    finish: async (status: "complete" | "failed", written: string[]) => {
      manifest.status = status;
      manifest.written = [];
      for (const rel of written) {
        const sha256 = await digestOf(join(paths.base, rel));
        if (sha256) manifest.written.push({ rel, sha256 });
      }
      await save();
    },
  };
}

async function claimBackupDir(paths: ProjectPaths, now: Date): Promise<string> {
  for (let attempt = 1; attempt < 1000; attempt++) {
    const dir = join(paths.backups, sessionIdFor(now, attempt).replace(/^session-/, "migrate-"));
    if (await claimDir(dir)) return dir;
  }
  throw new MpmError(`Could not create a backup folder in ${paths.backups}.`);
}

/** The backup a user named (its folder name or path), else the newest one. */
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
  const newest = names.sort((a, b) => sortKey(b).localeCompare(sortKey(a)))[0];
  if (!newest) {
    throw new NothingToDo(
      "There is no migration to roll back (no backup in .claude-mpm/backups/).",
      "A migration run with --no-backup cannot be rolled back.",
    );
  }
  return join(paths.backups, newest);
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
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IntegrityError(
      `${file} is not a migration manifest mpm can use (${
        issue.path.join(".")
      }: ${issue.message}).`,
    );
  }
  return parsed.data;
}

export interface RollbackReport {
  backup: string;
  restored: string[];
  removed: string[];
  unchanged: string[];
  /** Folders whose mode was put back (".claude-mpm/sessions/", "0755"), or would be. */
  modes: { folder: string; mode: string }[];
}

/**
 * Checks everything first (the backup's copies against their digests, and that no file the
 * migration wrote was changed since), then removes what it wrote and restores the originals
 * with their mode and time. Finally the backup itself goes: the tree is as it was.
 */
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
  const conflicts: string[] = [];
  const toRemove: string[] = [];
  const unchanged: string[] = [];
  for (const written of manifest.written) {
    const now = await digestOf(at(written.rel));
    if (now === null || now === originalDigest.get(written.rel)) continue;
    // LATEST-SESSION.txt is only a pointer every pause rewrites; its original comes back.
    if (now === written.sha256 || written.rel.endsWith("LATEST-SESSION.txt")) {
      toRemove.push(written.rel);
    } else conflicts.push(written.rel);
  }
  const restore: string[] = [];
  for (const original of manifest.originals) {
    const now = await digestOf(at(original.rel));
    if (now === original.sha256) unchanged.push(original.rel);
    else if (now === null || toRemove.includes(original.rel)) restore.push(original.rel);
    else conflicts.push(original.rel);
  }
  if (conflicts.length > 0) {
    const shown = conflicts.slice(0, 5).map((rel) => `.claude-mpm/${rel}`).join(", ");
    throw new MpmError(
      `Cannot roll back: ${shown}${conflicts.length > 5 ? ", …" : ""} changed after the migration.`,
      "Move those files out of .claude-mpm/ (the backup does not hold them), then run `mpm migrate --rollback` again. Nothing was changed.",
    );
  }
  const report = { backup: dir, restored: restore, removed: toRemove, unchanged, modes: [] };
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
  // Not empty, or already gone: either way it stays as it is.
  await removeQuietly(dir);
}
