/**
 * Moving snapshots to `sessions/archive/` (`mpm prune`), never deleting, replacing or showing half
 * a move: hard-linked checksum first, unlinked checksum last, so a crash leaves a whole snapshot or
 * a lone checksum. An archive file with other bytes is a conflict; the snapshot stays.
 */
import { join } from "../../../kernel/path.ts";
import { sameItems } from "../../../kernel/lists.ts";
import {
  type ArchivePlan,
  type Criteria,
  type Kept,
  protectedSnapshots,
} from "../records/lifecycle/prune_plan.ts";
import { planBySession, type SnapshotOfSession } from "./keep_sessions.ts";
import { isSessionId } from "../../../kernel/ids.ts";
import { confine } from "../../../disk/files/confine/confine.ts";
import { ensureDir, syncDir } from "../../../disk/files/confine/folders.ts";
import { linkIfFree, removeIfPresent, removeQuietly } from "../../../disk/files/entries.ts";
import { withLock } from "../../../disk/lock.ts";
import { keepIndexes } from "../listing/listing_update.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { listEntries, type SessionEntry } from "../listing/listing.ts";
import { loadSnapshot, updateLatest } from "../snapshots/read_snapshot.ts";
import { localSessionKey, type Snapshot } from "../../../kernel/snapshot.ts";
import { finishedSessions } from "../records/lifecycle/lifecycle.ts";
import { appendLine } from "../../../disk/files/append.ts";
import { readState, sealedEventLine } from "../state/state_store.ts";

/** The files of one snapshot, in the order they are linked into the archive. */
export function snapshotFiles(id: string): string[] {
  return [`${id}.json.sha256`, `${id}.md`, `${id}.yaml`, `${id}.json`];
}

export interface PruneOptions {
  criteria: Criteria;
  dryRun: boolean;
  now: Date;
}

/** A snapshot in the report, and the session it is of (`line`, as `mpm list --json` says it). */
export type Reported<T> = T & { line: string | null };

export interface PruneReport {
  dry_run: boolean;
  /** How many sessions `--keep` keeps (each with its snapshots); null: no limit by count. */
  keep: number | null;
  older_than_days: number | null;
  archived: Reported<{ session_id: string; files: string[] }>[];
  kept: Reported<Kept>[];
  /** Snapshots the plan chose but that could not be moved, and why. */
  skipped: Reported<Kept>[];
  /** What LATEST-SESSION.txt names afterwards. */
  latest: string | null;
}

async function readIfFile(path: string): Promise<Uint8Array | null> {
  try {
    const info = await Deno.lstat(path);
    return info.isFile ? await Deno.readFile(path) : null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** The snapshot's files present in `sessions/` (symbolic links are refused). */
async function presentFiles(paths: ProjectPaths, id: string): Promise<string[] | string> {
  const present: string[] = [];
  for (const name of snapshotFiles(id)) {
    try {
      const info = await Deno.lstat(join(paths.sessions, name));
      if (!info.isFile) return `${name} is not a regular file`;
      present.push(name);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return present;
}

/** Moves one snapshot into the (existing) archive; returns the files moved, or why it stayed. */
export async function archiveSnapshot(
  paths: ProjectPaths,
  id: string,
): Promise<{ files: string[] } | { skipped: string }> {
  const present = await presentFiles(paths, id);
  if (typeof present === "string") return { skipped: present };
  if (!present.some((name) => name.endsWith(".json") || name.endsWith(".md"))) {
    return { skipped: "it disappeared meanwhile" };
  }
  const linked: string[] = [];
  for (const name of present) {
    const from = join(paths.sessions, name);
    const to = join(paths.archive, name);
    if (await linkIfFree(from, to)) {
      linked.push(to);
      continue;
    }
    const [ours, theirs] = await Promise.all([readIfFile(from), readIfFile(to)]);
    if (ours && theirs && sameItems(ours, theirs)) continue; // an interrupted prune's link
    for (const made of linked) await removeQuietly(made);
    return { skipped: `the archive already holds a different ${name}` };
  }
  await syncDir(paths.archive);
  const unlinkOrder = [...present.filter((n) => !n.endsWith(".json") && !n.endsWith(".sha256"))]
    .concat(
      present.filter((n) => n.endsWith(".json")),
      present.filter((n) => n.endsWith(".sha256")),
    );
  for (const name of unlinkOrder) {
    await removeIfPresent(join(paths.sessions, name));
  }
  await syncDir(paths.sessions);
  return { files: present };
}

/** Checksums left in `sessions/` by an interrupted move whose archive copy is complete. */
async function removeLeftovers(paths: ProjectPaths): Promise<void> {
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(paths.sessions)) names.add(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const name of names) {
    if (!name.endsWith(".json.sha256")) continue;
    const id = name.slice(0, -".json.sha256".length);
    if (!isSessionId(id) || names.has(`${id}.json`)) continue;
    const [ours, archived, archivedJson] = await Promise.all([
      readIfFile(join(paths.sessions, name)),
      readIfFile(join(paths.archive, name)),
      readIfFile(join(paths.archive, `${id}.json`)),
    ]);
    if (ours && archived && archivedJson && sameItems(ours, archived)) {
      await removeQuietly(join(paths.sessions, name));
    }
  }
}

/** The plan, and the session (localSessionKey) of each snapshot that reads. */
interface Planned extends ArchivePlan {
  lines: ReadonlyMap<string, string>;
}

async function plan(paths: ProjectPaths, options: PruneOptions): Promise<Planned> {
  const [entries, state] = await Promise.all([
    listEntries(paths, { locations: ["sessions"] }),
    readState(paths),
  ]);
  const snapshots = await sessionsOf(paths, entries);
  const lines = new Map<string, string>();
  for (const s of snapshots) if (s.session !== null) lines.set(s.id, s.session);
  const chosen = planBySession({
    // An unreadable snapshot is a session of its own, open: it stays before finished work.
    snapshots: snapshots.map((s) => ({ ...s, session: s.session ?? `\0${s.id}` })),
    now: options.now,
    criteria: options.criteria,
    protected: protectedSnapshots(state),
    active: state.active?.key ?? null,
  });
  return { ...chosen, lines };
}

/** Each snapshot, newest first, its session (null: unreadable) and whether that session is over. */
async function sessionsOf(
  paths: ProjectPaths,
  entries: SessionEntry[],
): Promise<(Omit<SnapshotOfSession, "session"> & { session: string | null })[]> {
  const loaded = await Promise.all(
    entries.map((entry) => loadSnapshot(paths, entry).catch(() => null)),
  );
  const over = finishedSessions(loaded.filter((s): s is Snapshot => s !== null));
  return entries.map((entry, i) => {
    const snapshot = loaded[i];
    const session = snapshot ? localSessionKey(snapshot) : null;
    return { id: entry.id, session, finished: session !== null && over.has(session) };
  });
}

/** Archives what the criteria select under the lock and repoints LATEST-SESSION.txt; dry: reads. */
export async function pruneSessions(
  paths: ProjectPaths,
  options: PruneOptions,
): Promise<PruneReport> {
  const report = (chosen: Planned, latest: string | null): PruneReport => ({
    dry_run: options.dryRun,
    keep: options.criteria.keep,
    older_than_days: options.criteria.olderThanDays,
    archived: [],
    kept: chosen.kept.map((k) => ({ ...k, line: chosen.lines.get(k.session_id) ?? null })),
    skipped: [],
    latest,
  });
  if (options.dryRun) {
    const chosen = await plan(paths, options);
    const going = new Set(chosen.archive);
    const left = await listEntries(paths, { locations: ["sessions", "pause"] });
    const result = report(chosen, left.find((e) => !going.has(e.id))?.id ?? null);
    for (const id of chosen.archive) {
      const line = chosen.lines.get(id) ?? null;
      const present = await presentFiles(paths, id);
      if (typeof present === "string") {
        result.skipped.push({ session_id: id, reason: present, line });
      } else result.archived.push({ session_id: id, files: present, line });
    }
    return result;
  }
  return await withLock(paths.lock, async () => {
    const chosen = await plan(paths, options);
    if (chosen.archive.length > 0) {
      await confine(paths.base, paths.archive);
      await ensureDir(paths.archive);
    }
    const result = report(chosen, null);
    for (const id of chosen.archive) {
      const line = chosen.lines.get(id) ?? null;
      const moved = await archiveSnapshot(paths, id);
      if ("files" in moved) result.archived.push({ session_id: id, files: moved.files, line });
      else result.skipped.push({ session_id: id, reason: moved.skipped, line });
    }
    await removeLeftovers(paths);
    result.latest = (await updateLatest(paths)) ?? null;
    await keepIndexes(paths, ["sessions", "archive"]);
    if (result.archived.length > 0) {
      // The lifecycle's last move, recorded like every other (lifecycle.ts).
      await appendLine(
        paths.events,
        await sealedEventLine(JSON.stringify({
          time: options.now.toISOString(),
          command: "prune",
          archived: result.archived.map((a) => a.session_id),
          transition: { to: "archived" },
        })),
        { root: paths.base },
      );
    }
    return result;
  }, { command: "prune" });
}
