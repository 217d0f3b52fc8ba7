/**
 * What `mpm doctor` reads: the `.claude-mpm/` tree, every stored file against its checksum,
 * state.json and claude-mpm leftovers. Changes nothing.
 */
import { basename, dirname, join, resolve } from "../../kernel/path.ts";
import type { Check, TreeNode } from "../judges/judge.ts";
import { shellQuote } from "../../kernel/format/text.ts";
import { faultError, MpmError } from "../../kernel/errors.ts";
import { listCheckpoints } from "../../checkpoints/store.ts";
import { displayPath, type ProjectPaths } from "../../disk/paths.ts";
import { listEntries } from "../../sessions/store/listing/listing.ts";
import { loadSnapshot } from "../../sessions/store/snapshots/read_snapshot.ts";
import { readState } from "../../sessions/store/state/state_store.ts";
import { handoffsDir, listHandoffs } from "../../sessions/store/state/claude_store.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";
import { exists, lstatIfExists } from "../../disk/read/stat.ts";
import { isInside, UnsafePathError } from "../../disk/files/confine/confine.ts";
import { planProject } from "../../migrate/read.ts";
import { workSummary } from "../../migrate/steps.ts";
import { pushAll } from "../../kernel/lists.ts";

/** Every entry under `.claude-mpm/`, links unfollowed; undefined when absent. */
export async function scanTree(base: string): Promise<TreeNode[] | undefined> {
  if (await lstatIfExists(base) === undefined) return undefined;
  // The folder itself may be a link (to a synced drive, say); what matters is what is inside.
  const realBase = await Deno.realPath(base);
  const nodes: TreeNode[] = [];
  const visit = async (path: string, rel: string): Promise<void> => {
    const info = rel === "" ? await Deno.stat(path) : await lstatIfExists(path);
    if (info === undefined) return; // removed while we looked
    const mode = (info.mode ?? 0) & 0o777;
    if (info.isSymlink) {
      const target = await Deno.realPath(path).catch(async () =>
        resolve(dirname(path), await Deno.readLink(path))
      );
      nodes.push({ rel, path, kind: "symlink", mode, target, inside: isInside(realBase, target) });
      return;
    }
    if (!info.isDirectory) {
      nodes.push({ rel, path, kind: info.isFile ? "file" : "other", mode });
      return;
    }
    nodes.push({ rel, path, kind: "dir", mode });
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(path)) names.push(entry.name);
    } catch (error) {
      // Its mode is reported above; what is inside cannot be looked at.
      if (error instanceof Deno.errors.PermissionDenied) return;
      throw error;
    }
    names.sort();
    for (const name of names) await visit(join(path, name), rel === "" ? name : `${rel}/${name}`);
  };
  await visit(base, "");
  return nodes;
}

/** The first line of an mpm error, with its hint, as a failing check. */
function failure(id: string, error: unknown): Check {
  if (error instanceof Deno.errors.PermissionDenied) {
    // A file the user cannot read is exactly what doctor is for, not a crash.
    return {
      id,
      status: "fail",
      message: `A stored file cannot be read: ${error.message}.`,
      fix: "Make it yours and readable: chmod 600 FILE (or chown it back to you).",
    };
  }
  // A file where a folder should be, a full or read-only disk: the machine's, told as such.
  const known = error instanceof MpmError ? error : faultError(error);
  if (known === undefined) throw error;
  return { id, status: "fail", message: known.message, ...(known.hint ? { fix: known.hint } : {}) };
}

const PARALLEL_READS = 16;

export interface StoreReport {
  checks: Check[];
  /** Snapshots, checkpoints and Claude's handoffs whose checksum was verified. */
  verified: number;
  /** The snapshots that were read, for checks of what they hold. */
  snapshots: { id: string; snapshot: Snapshot }[];
}

/** Every snapshot, checkpoint and handoff read as the commands would. */
export async function verifyStore(paths: ProjectPaths): Promise<StoreReport> {
  const checks: Check[] = [];
  // A file or link in a snapshot folder's place is the layout and symlinks checks' to tell.
  const entries = await listEntries(paths, { locations: ["sessions", "pause", "archive"] })
    .catch((error) => {
      if (!(error instanceof UnsafePathError) && faultError(error) === undefined) throw error;
      return [];
    });
  let verified = 0;
  let legacy = 0;
  const snapshots: StoreReport["snapshots"] = [];
  // A few reads at a time: fast on thousands of sessions, without thousands of open files.
  for (let start = 0; start < entries.length; start += PARALLEL_READS) {
    const batch = entries.slice(start, start + PARALLEL_READS);
    const results = await Promise.all(batch.map((entry) =>
      loadSnapshot(paths, entry).then(
        async (snapshot) => {
          snapshots.push({ id: entry.id, snapshot });
          // Verified against its checksum: mpm's own, or a migrated claude-mpm session.
          const own = entry.location !== "pause" && entry.format === "json" &&
            await exists(`${entry.file}.sha256`);
          return { legacy: !own };
        },
        (error) => ({ check: failure("checksums", error) }),
      )
    ));
    for (const result of results) {
      if ("check" in result) checks.push(result.check);
      else if (result.legacy) legacy++;
      else verified++;
    }
  }
  for (const records of [await verifyCheckpoints(paths), await verifyHandoffs(paths)]) {
    pushAll(checks, records.checks);
    verified += records.verified;
  }
  pushAll(checks, await orphanChecksums(paths));
  // What `mpm migrate` would do, asked of its own planner, so the two never disagree.
  const plan = await planProject(paths, null).catch(() => null);
  if (plan?.changes) {
    checks.push({
      id: "legacy",
      status: "warn",
      message: `\`mpm migrate\` has work to do: ${workSummary(plan)}.`,
      fix: "mpm migrate --dry-run, then mpm migrate (it keeps a backup)",
    });
  }
  if (verified > 0 || !checks.some((c) => c.id === "checksums")) {
    checks.unshift({
      id: "checksums",
      status: "ok",
      message: `Checksums: ${verified} stored file${verified === 1 ? "" : "s"} verified${
        legacy > 0 ? `, ${legacy} claude-mpm session${legacy === 1 ? "" : "s"} read` : ""
      }.`,
    });
  }
  return { checks, verified, snapshots };
}

async function listNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (!entry.isDirectory) names.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return names;
    }
    throw error;
  }
  return names.sort();
}

/** Checkpoints, read the way `mpm checkpoint show` reads them (checksum, then schema). */
async function verifyCheckpoints(paths: ProjectPaths): Promise<Omit<StoreReport, "snapshots">> {
  const checks: Check[] = [];
  let verified = 0;
  for (const listed of await listCheckpoints(paths)) {
    if (listed.error) checks.push(failure("checksums", listed.error));
    else verified++;
  }
  return { checks, verified };
}

/** Handoffs read as `mpm handoff show` reads them; a bad one is named with the files to remove. */
async function verifyHandoffs(paths: ProjectPaths): Promise<Omit<StoreReport, "snapshots">> {
  let stored;
  try {
    stored = await listHandoffs(paths);
  } catch (error) {
    // A file or link in the folder's place is the layout and symlinks checks' to tell.
    if (error instanceof UnsafePathError || faultError(error) !== undefined) {
      return { checks: [], verified: 0 };
    }
    throw error;
  }
  const checks: Check[] = [];
  for (const handoff of stored) {
    if (handoff.error === undefined) continue;
    const files = [".json", ".json.sha256", ".md"].map((ext) =>
      join(handoffsDir(paths), `${handoff.id}${ext}`)
    );
    checks.push({
      id: "checksums",
      status: "fail",
      message: handoff.error.message,
      fix: `Restore it from a backup, or remove it (the other handoffs are unaffected): rm -f ${
        files.map(shellQuote).join(" ")
      }`,
    });
  }
  return { checks, verified: stored.length - checks.length };
}

/** A `.json.sha256` whose `.json` is gone: harmless, worth tidying. */
async function orphanChecksums(paths: ProjectPaths): Promise<Check[]> {
  const checks: Check[] = [];
  // Checkpoints are left out: their store replaces such a leftover on the next save.
  for (const dir of [paths.sessions, paths.archive, join(paths.base, "handoffs")]) {
    // A folder that is a link is the symlinks check's (judge.ts); nothing is read through it.
    if ((await lstatIfExists(dir))?.isSymlink) continue;
    const names = await listNames(dir);
    const present = new Set(names);
    for (const name of names) {
      if (!name.endsWith(".json.sha256") || name.startsWith(".")) continue;
      if (present.has(name.slice(0, -".sha256".length))) continue;
      const file = join(dir, name);
      checks.push({
        id: "checksums",
        status: "warn",
        message: `${displayPath(paths, file)} names a file that does not exist.`,
        fix: `rm ${shellQuote(file)}`,
      });
    }
  }
  return checks;
}

/** state.json read as every state-changing command reads it. */
export async function checkState(paths: ProjectPaths): Promise<Check> {
  try {
    const state = await readState(paths);
    const active = state.active ? `active session ${state.active.name ?? state.active.key}` : "";
    const stack = state.stack.length > 0 ? `, ${state.stack.length} on the stack` : "";
    return {
      id: "state",
      status: "ok",
      message: `${basename(paths.state)}: ${active || "no active session"}${stack}.`,
    };
  } catch (error) {
    return failure("state", error);
  }
}
