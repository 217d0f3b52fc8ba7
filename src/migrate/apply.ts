/**
 * `mpm migrate` carried out: plans, then under the lock plans again, backs up and takes each step
 * (`--from` is only read). One migration however many runs: the first marks it unfinished, a
 * later run continues under that first backup, and the completing run removes the mark.
 */
import { basename, join } from "../kernel/path.ts";
import { MpmError } from "../kernel/errors.ts";
import { movesOf, originalsOf, type Plan, type Step } from "./steps.ts";
import { createAtomic, writeAtomic } from "../disk/files/atomic.ts";
import { exists } from "../disk/read/stat.ts";
import { removeIfPresent, removeTree, setMode } from "../disk/files/entries.ts";
import { withLock } from "../disk/lock.ts";
import { keepIndexes } from "../sessions/store/listing/listing_update.ts";
import {
  type BackupHandle,
  type BackupStart,
  claimBackup,
  convertedIn,
  findBackup,
  hasManifest,
  readManifest,
  removeIfEmpty,
  resumeBackup,
  rollbackFrom,
  type RollbackReport,
  startBackup,
} from "./backup.ts";
import { fromSessions, planProject } from "./read.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import {
  readUnfinished,
  removeUnfinished,
  type Unfinished,
  writeUnfinished,
} from "./unfinished.ts";
import { pushAll } from "../kernel/lists.ts";

/** Where snapshots are: a migration or its rollback may change any of them. */
const SNAPSHOT_FOLDERS = ["sessions", "pause", "archive"] as const;

export interface MigrateOptions {
  dryRun: boolean;
  backup: boolean;
  /** A global claude-mpm folder (`~/.claude-mpm` or its `sessions/`). */
  from?: string;
  now: Date;
  /** Called as work proceeds (files backed up, then steps taken). */
  onProgress?: (done: number, total: number) => void;
  /** Crash tests' failure points (`migrate-step-N`, `migrate-write-EXT`…); tests only. */
  failPoint?: (name: string) => void;
}

export interface MigrateOutcome {
  plan: Plan;
  dryRun: boolean;
  from: string | null;
  backup: string | null;
  /** The unfinished migration this run continued (a dry run: would continue). */
  continued: Continued | null;
}

export interface Continued {
  started_at: string;
  /** Its backup's folder name; null when it was run with --no-backup. */
  backup: string | null;
}

/** Plans, then plans again under the lock and carries it out; an unfinished one is finished. */
export async function migrateProject(
  paths: ProjectPaths,
  options: MigrateOptions,
): Promise<MigrateOutcome> {
  const found = await readUnfinished(paths);
  const fromGiven = options.from ?? found?.from ?? undefined;
  const from = fromGiven ? await fromSessions(paths, fromGiven) : null;
  const pending = found && (await changedAnything(paths, found)) ? found : null;
  const first = await planProject(paths, from, await convertedBefore(paths, pending));
  if (options.dryRun || (!first.changes && !pending)) {
    return {
      plan: first,
      dryRun: options.dryRun,
      from,
      backup: null,
      continued: options.dryRun ? continuedOf(pending) : null,
    };
  }
  const createdBase = !(await exists(paths.base));
  // Read before the lock is taken: taking it narrows `.claude-mpm/` to 0700.
  const keptDirs = await folderModes(paths, [".", "sessions"]);
  // claude-mpm's 0644 files left in place become 0600 (else `mpm doctor` fails); rollback restores.
  const wideFiles = await wideFileModes(paths.sessions, "sessions");
  return await withLock(paths.lock, async () => {
    const marker = await takeUpUnfinished(paths);
    const plan = await planProject(paths, from, await convertedBefore(paths, marker));
    if (!plan.changes && !marker) {
      return { plan, dryRun: false, from, backup: null, continued: null };
    }
    const backup = await carryOut(paths, plan, options, from, marker, createdBase, [
      ...keptDirs,
      ...wideFiles,
    ]);
    for (const { rel } of wideFiles) {
      await setMode(join(paths.base, rel), 0o600).catch(ignoreNotFound);
    }
    await keepIndexes(paths, SNAPSHOT_FOLDERS);
    await removeUnfinished(paths);
    return { plan, dryRun: false, from, backup, continued: continuedOf(marker) };
  }, { command: "migrate" });
}

function continuedOf(marker: Unfinished | null): Continued | null {
  return marker && { started_at: marker.started_at, backup: marker.backup };
}

/** Whether the unfinished migration may have changed the tree (not without a manifest). */
async function changedAnything(paths: ProjectPaths, marker: Unfinished): Promise<boolean> {
  return marker.backup === null || await hasManifest(join(paths.backups, marker.backup));
}

/** What the unfinished migration `marker` names converted before it stopped. */
async function convertedBefore(paths: ProjectPaths, marker: Unfinished | null) {
  return marker?.backup ? convertedIn(await readManifest(join(paths.backups, marker.backup))) : [];
}

/** The unfinished migration to continue; one killed before changing anything is forgotten. */
async function takeUpUnfinished(paths: ProjectPaths): Promise<Unfinished | null> {
  const marker = await readUnfinished(paths);
  if (!marker || await changedAnything(paths, marker)) return marker;
  await removeTree(join(paths.backups, marker.backup!));
  await removeUnfinished(paths);
  return null;
}

async function carryOut(
  paths: ProjectPaths,
  plan: Plan,
  options: MigrateOptions,
  from: string | null,
  marker: Unfinished | null,
  createdBase: boolean,
  keptDirs: { rel: string; mode: number | null; file?: true }[],
): Promise<string | null> {
  const failPoint = options.failPoint ?? (() => {});
  const originals = originalsOf(plan);
  const working = plan.steps.filter((s) =>
    s.kind !== "invalid" && s.kind !== "skip" && s.kind !== "keep"
  );
  // A continued migration keeps its first run's choice: a backup now would hold a half migration.
  const backingUp = marker ? marker.backup !== null : options.backup;
  const total = (backingUp ? originals.length : 0) + working.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  let copied = 0;
  const planned = plan.steps.flatMap((s) =>
    s.kind === "convert" || s.kind === "render"
      ? s.writes
      : s.kind === "latest" && s.write
      ? [s.write]
      : []
  );
  const createdDirs = [
    ...(createdBase ? ["."] : []),
    ...(await exists(paths.sessions) ? [] : ["sessions"]),
    ...(await exists(paths.backups) ? [] : ["backups"]),
  ];
  const start: BackupStart = {
    project: paths.root,
    from,
    now: options.now,
    originals,
    planned,
    removedDirs: plan.steps.flatMap((s) => s.kind === "remove-dir" ? [s.rel] : []),
    keptDirs,
    createdDirs,
    moves: movesOf(plan),
    onCopied: () => {
      tick();
      failPoint(`migrate-copied-${++copied}`);
    },
  };
  let backup: BackupHandle | undefined;
  if (marker?.backup) {
    backup = await resumeBackup(paths, join(paths.backups, marker.backup), start);
  } else if (!marker) {
    // The mark first, naming the backup: a run killed from here on is continued, not repeated.
    const dir = backingUp ? await claimBackup(paths, options.now) : null;
    await writeUnfinished(paths, {
      started_at: options.now.toISOString(),
      backup: dir && basename(dir),
      from,
    });
    if (dir) backup = await startBackup(paths, dir, start);
  }
  failPoint("migrate-after-backup");
  const written: string[] = [];
  try {
    for (const [i, step] of working.entries()) {
      failPoint(`migrate-step-${i + 1}`);
      await take(paths, step, written, failPoint);
      tick();
    }
  } catch (error) {
    await backup?.finish("failed", written);
    throw error;
  }
  await backup?.finish("complete", written);
  return backup?.dir ?? null;
}

async function take(
  paths: ProjectPaths,
  step: Step,
  written: string[],
  failPoint: (name: string) => void,
): Promise<void> {
  const root = paths.base;
  const at = (rel: string) => join(root, rel);
  const remove = async (rels: string[]) => {
    for (const rel of rels) await removeIfPresent(at(rel));
  };
  const ext = (rel: string) => rel.slice(rel.lastIndexOf(".") + 1);
  const takenMeanwhile = () =>
    new MpmError(
      `${
        step.kind === "convert" ? step.id : "A session"
      } was created by someone else while migrating.`,
      "Run `mpm migrate` again to finish, or `mpm migrate --rollback` to undo what was done.",
    );
  switch (step.kind) {
    case "convert": {
      const [record, sum, ...renderings] = step.writes;
      // The record before its checksum, each atomic: a checksum never names absent bytes.
      const replaces = step.overwrites.includes(record.rel);
      const before = replaces ? await Deno.readFile(at(record.rel)) : undefined;
      failPoint("migrate-write-json");
      if (replaces) await writeAtomic(at(record.rel), record.text, { root });
      else if (!(await createAtomic(at(record.rel), record.text, { root }))) {
        throw takenMeanwhile();
      }
      failPoint("migrate-after-json");
      try {
        failPoint("migrate-write-sha256");
        if (step.overwrites.includes(sum.rel)) {
          // The claim an interrupted write left for this very session (plan.ts): taken over.
          await writeAtomic(at(sum.rel), sum.text, { root });
        } else if (!(await createAtomic(at(sum.rel), sum.text, { root }))) {
          throw takenMeanwhile();
        }
      } catch (error) {
        // A record without its checksum reads as damaged: what was there before comes back.
        await (before ? writeAtomic(at(record.rel), before, { root }) : removeIfPresent(
          at(record.rel),
        )).catch(() => {});
        throw error;
      }
      written.push(record.rel, sum.rel);
      failPoint("migrate-after-sha256");
      for (const write of renderings) {
        failPoint(`migrate-write-${ext(write.rel)}`);
        await writeAtomic(at(write.rel), write.text, { root });
        written.push(write.rel);
        failPoint(`migrate-after-${ext(write.rel)}`);
      }
      return await remove(step.removes);
    }
    case "duplicate":
    case "latest":
      await remove(step.removes);
      if (step.kind === "latest" && step.write) {
        // What the plan printed: the newest session that reads.
        await writeAtomic(at(step.write.rel), step.write.text, { root });
        written.push(step.write.rel);
      }
      return;
    case "move": {
      const bytes = await Deno.readFile(at(step.from));
      if (await createAtomic(at(step.to), bytes, { root })) {
        written.push(step.to);
        await remove([step.from]);
      }
      return;
    }
    case "remove":
      return await remove([step.rel]);
    case "remove-dir":
      return await removeIfEmpty(at(step.rel));
    case "render":
      for (const write of step.writes) {
        if (await createAtomic(at(write.rel), write.text, { root })) written.push(write.rel);
      }
      return;
  }
}

/** The modes of those of `rels` (under `.claude-mpm/`) that are folders now. */
async function folderModes(
  paths: ProjectPaths,
  rels: string[],
): Promise<{ rel: string; mode: number | null }[]> {
  const found = await Promise.all(rels.map(async (rel) => {
    const info = await Deno.lstat(join(paths.base, rel)).catch(() => null);
    return info?.isDirectory ? [{ rel, mode: info.mode === null ? null : info.mode & 0o7777 }] : [];
  }));
  return found.flat();
}

/** Regular files under `dir` (not through links) that others may read, with their modes. */
async function wideFileModes(
  dir: string,
  rel: string,
): Promise<{ rel: string; mode: number; file: true }[]> {
  if (Deno.build.os === "windows") return [];
  const found: { rel: string; mode: number; file: true }[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return found;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const childRel = `${rel}/${entry.name}`;
    if (entry.isDirectory) pushAll(found, await wideFileModes(path, childRel));
    else if (entry.isFile) {
      const mode = ((await Deno.lstat(path)).mode ?? 0o600) & 0o7777;
      if ((mode & 0o077) !== 0) found.push({ rel: childRel, mode, file: true });
    }
  }
  return found;
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}

/** `--rollback` under the lock: unnamed, an unfinished migration's backup, else the newest. */
export async function rollbackProject(
  paths: ProjectPaths,
  name: string | undefined,
  options: { dryRun: boolean },
): Promise<RollbackReport> {
  const marker = await readUnfinished(paths);
  if (name === undefined && marker && marker.backup === null) {
    throw new MpmError(
      `The unfinished migration started ${marker.started_at} was run with --no-backup, so it cannot be rolled back.`,
      "Run `mpm migrate` to finish it, or name an older backup: `mpm migrate --rollback BACKUP`.",
    );
  }
  const pending = marker?.backup && await changedAnything(paths, marker)
    ? join(paths.backups, marker.backup)
    : undefined;
  const dir = name === undefined && pending ? pending : await findBackup(paths, name);
  if (options.dryRun) return await rollbackFrom(paths, dir, options);
  const createdBase = (await readManifest(dir)).created_dirs.includes(".");
  const report = await withLock(paths.lock, async () => {
    const restored = await rollbackFrom(paths, dir, options);
    if (marker?.backup === basename(dir)) await removeUnfinished(paths);
    await keepIndexes(paths, SNAPSHOT_FOLDERS);
    return restored;
  }, { command: "migrate --rollback" });
  if (createdBase) await removeIfEmpty(paths.base);
  return report;
}
