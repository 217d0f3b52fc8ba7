/**
 * `mpm migrate` carried out: plans (migrate/read.ts), then under `.claude-mpm/.lock` plans again,
 * backs up what will change (migrate/backup.ts) and takes each step. `--from` is only ever read.
 */
import { join } from "../kernel/path.ts";
import { MpmError } from "../kernel/errors.ts";
import { movesOf, originalsOf, type Plan, type Step } from "./steps.ts";
import { createAtomic, exists, writeAtomic } from "../disk/files/atomic.ts";
import { removeIfPresent, setMode } from "../disk/files/entries.ts";
import { withLock } from "../disk/lock.ts";
import { keepIndexes } from "../sessions/store/listing/listing_update.ts";
import {
  findBackup,
  readManifest,
  removeIfEmpty,
  rollbackFrom,
  type RollbackReport,
  startBackup,
} from "./backup.ts";
import { fromSessions, planProject } from "./read.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { updateLatest } from "../sessions/store/snapshots/store.ts";

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
  /** Crash tests' injected failure points (disk/files/fail_point.ts); nothing outside tests. */
  failPoint?: (name: string) => void;
}

export interface MigrateOutcome {
  plan: Plan;
  dryRun: boolean;
  /** The sessions folder `--from` was read from. */
  from: string | null;
  /** The backup folder, when one was made. */
  backup: string | null;
}

/**
 * Plans, and unless it is a dry run or there is nothing to do, plans again under the lock and
 * carries that plan out.
 */
export async function migrateProject(
  paths: ProjectPaths,
  options: MigrateOptions,
): Promise<MigrateOutcome> {
  const from = options.from ? await fromSessions(paths, options.from) : null;
  const first = await planProject(paths, from);
  if (options.dryRun || !first.changes) {
    return { plan: first, dryRun: options.dryRun, from, backup: null };
  }
  const createdBase = !(await exists(paths.base));
  // Read before the lock is taken: taking it narrows `.claude-mpm/` to 0700.
  const keptDirs = await folderModes(paths, [".", "sessions"]);
  // claude-mpm wrote its files readable by everyone (0644); those the migration leaves in place
  // (resume files, incremental logs) become 0600 like mpm's own, and a rollback puts the mode
  // back. Without it, `mpm doctor` fails on permissions right after a clean migration.
  const wideFiles = await wideFileModes(paths.sessions, "sessions");
  return await withLock(paths.lock, async () => {
    const plan = await planProject(paths, from);
    if (!plan.changes) return { plan, dryRun: false, from, backup: null };
    const backup = await carryOut(paths, plan, options, from, createdBase, [
      ...keptDirs,
      ...wideFiles,
    ]);
    for (const { rel } of wideFiles) {
      await setMode(join(paths.base, rel), 0o600).catch(ignoreNotFound);
    }
    await keepIndexes(paths, SNAPSHOT_FOLDERS);
    return { plan, dryRun: false, from, backup };
  }, { command: "migrate" });
}

async function carryOut(
  paths: ProjectPaths,
  plan: Plan,
  options: MigrateOptions,
  from: string | null,
  createdBase: boolean,
  keptDirs: { rel: string; mode: number | null; file?: true }[],
): Promise<string | null> {
  const originals = originalsOf(plan);
  const working = plan.steps.filter((s) =>
    s.kind !== "invalid" && s.kind !== "skip" && s.kind !== "keep"
  );
  const total = (options.backup ? originals.length : 0) + working.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
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
  const backup = options.backup
    ? await startBackup(paths, {
      project: paths.root,
      from,
      now: options.now,
      originals,
      planned,
      removedDirs: plan.steps.flatMap((s) => s.kind === "remove-dir" ? [s.rel] : []),
      keptDirs,
      createdDirs,
      moves: movesOf(plan),
      onCopied: tick,
    })
    : undefined;
  const written: string[] = [];
  try {
    for (const step of working) {
      await take(paths, step, written, options.failPoint ?? (() => {}));
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
  switch (step.kind) {
    case "convert": {
      const [claim, ...rest] = step.writes;
      if (step.overwrites.includes(claim.rel)) {
        // The claim an interrupted run left for this very session (plan.ts): taken over.
        await writeAtomic(at(claim.rel), claim.text, { root });
      } else if (!(await createAtomic(at(claim.rel), claim.text, { root }))) {
        throw new MpmError(
          `${step.id} was created by someone else while migrating.`,
          "Run `mpm migrate` again to finish, or `mpm migrate --rollback` to undo what was done.",
        );
      }
      written.push(claim.rel);
      failPoint("migrate-after-claim");
      for (const write of rest) {
        await writeAtomic(at(write.rel), write.text, { root });
        written.push(write.rel);
        failPoint(`migrate-after-${write.rel.slice(write.rel.lastIndexOf(".") + 1)}`);
      }
      return await remove(step.removes);
    }
    case "duplicate":
    case "latest":
      await remove(step.removes);
      if (step.kind === "latest" && step.write) {
        await updateLatest(paths);
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
    if (entry.isDirectory) found.push(...await wideFileModes(path, childRel));
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

/** `--rollback`: restores the tree a migration changed, under the lock. */
export async function rollbackProject(
  paths: ProjectPaths,
  name: string | undefined,
  options: { dryRun: boolean },
): Promise<RollbackReport> {
  const dir = await findBackup(paths, name);
  if (options.dryRun) return await rollbackFrom(paths, dir, options);
  const createdBase = (await readManifest(dir)).created_dirs.includes(".");
  const report = await withLock(paths.lock, async () => {
    const restored = await rollbackFrom(paths, dir, options);
    await keepIndexes(paths, SNAPSHOT_FOLDERS);
    return restored;
  }, { command: "migrate --rollback" });
  if (createdBase) await removeIfEmpty(paths.base);
  return report;
}
