/**
 * The answers of the last pushes and pulls that moved nothing, and those a pull that imported
 * knows (`cache/sync-quiet.json`, small and read on its own), each with what it was worked out
 * from: the remote's commit, how the folders of the local files looked (stamps.ts folderLook),
 * sync.json and the vault. A sync that finds all of them as they were gives that answer again
 * after the fetch (sync_record.ts says the rest).
 */
import { array, checkValue, int, object, oneOf, type Out, string } from "../../kernel/check.ts";
import { cached, type CacheKind, keep } from "../../sessions/store/caches/cache.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { configNow, folderLook, vaultLook } from "./stamps.ts";
import { setTimes } from "../../disk/files/entries.ts";
import { RACY_MS } from "../../sessions/store/listing/listing_cache.ts";

const KIND_NAMES = ["session", "checkpoint", "handoff"] as const;

const quietCheck = object({
  /** "push" or "pull". */
  op: string(),
  remote: string(),
  /** The remote's commit the answer was worked out against. */
  commit: string(),
  /** sync.json's text, hashed ("" when there is none). */
  config: string(),
  /** How the vault looked (vaultLook). */
  vault: string(),
  /** How the folders of the synced files looked before they were read (quiet/stamps.ts folderLook). */
  folders: string(),
  /** The answer, as JSON: a SyncReport less its remote and commit. */
  report: string(),
}, "strip");
export type Quiet = Out<typeof quietCheck>;
/** What a quiet answer was worked out from (the quiet door compares them too: quiet_door.ts). */
export type QuietStamps = Omit<Quiet, "report">;

/** The answers of the last pushes and pulls that moved nothing: a small file, read on its own. */
const quietFileCheck = object({ root: string(), answers: array(quietCheck) }, "strip");

const SYNC_QUIET: CacheKind<Out<typeof quietFileCheck>> = {
  file: "sync-quiet.json",
  check: quietFileCheck,
  maxBytes: 16 * 1024 * 1024,
};

async function readQuiet(paths: ProjectPaths): Promise<Quiet[]> {
  const kept = await cached(paths, SYNC_QUIET, () => true);
  return kept !== null && kept.root === paths.root ? kept.answers : [];
}

const listedCheck = array(
  object({ kind: oneOf(KIND_NAMES), id: string(), reason: string() }, "strip"),
);
const copyListCheck = array(object({ id: string(), reason: string() }, "strip"));

/** What a push or pull that moved nothing answered: given again while nothing has changed. */
export const quietReportCheck = object({
  in_both: int("nonnegative"),
  excluded: listedCheck,
  held_back: listedCheck,
  refused: listedCheck,
  transcripts: object({
    moved: array(string()),
    incoming: array(string()),
    refused: copyListCheck,
    kept: copyListCheck,
  }, "strip"),
}, "strip");
export type QuietReport = Out<typeof quietReportCheck>;

/** The answer kept for `want`, when all it was made from is the same; else undefined. */
export function quietAnswer(
  answers: Quiet[],
  want: Omit<Quiet, "report">,
): QuietReport | undefined {
  const hit = answers.find((q) =>
    q.op === want.op && q.remote === want.remote && q.commit === want.commit &&
    q.config === want.config && q.vault === want.vault && q.folders === want.folders
  );
  return hit === undefined ? undefined : reportOf(hit);
}

function reportOf(hit: Quiet): QuietReport | undefined {
  try {
    const checked = checkValue(quietReportCheck, JSON.parse(hit.report));
    return checked.ok ? checked.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a quiet answer for `op` at `commit` is kept against: sync.json and the folders' look as
 * the sync took them before it read (`from`), the vault as `from` took it before reading it (a
 * push), else as it is now.
 */
export async function stampsFor(
  paths: ProjectPaths,
  from: { config: string; folders: string | null; vault?: string },
  op: "push" | "pull",
  remote: string,
  commit: string,
): Promise<QuietStamps> {
  return {
    op,
    remote,
    commit,
    config: from.config,
    vault: from.vault ?? await vaultLook(paths),
    folders: from.folders ?? "",
  };
}

/**
 * The answer of a pull with nothing new at the commit a complete pull just took whole, holding
 * `ids` (by kind): what that pull works out, since the record names the commit and its ids (it
 * lists no change, so it plans no file and reads no copy), given without working it out. Kept by
 * the pull that imported, against the look its writes left, so the next pull reads nothing (the
 * record keeps the ids of `kinds` only), less the `lacking` with no record.
 */
export function pulledAnswer<K extends string>(
  kinds: readonly K[],
  ids: Readonly<Record<K, { readonly size: number }>>,
  lacking: number,
): QuietReport {
  return {
    in_both: kinds.reduce((n, kind) => n + ids[kind].size, 0) - lacking,
    excluded: [],
    held_back: [],
    refused: [],
    transcripts: { moved: [], incoming: [], refused: [], kept: [] },
  };
}

/** The answer kept at exactly `stamps` (their look, not necessarily the folders' now). */
export async function answerAt(
  paths: ProjectPaths,
  stamps: QuietStamps,
): Promise<QuietReport | undefined> {
  return quietAnswer(await readQuiet(paths), stamps);
}

/**
 * The answer kept at `stamps` whatever the vault looked like then, and that look: what a push
 * after pauses compares the vault's copies by (push_sources.ts).
 */
export async function answerAnyVault(
  paths: ProjectPaths,
  want: Omit<QuietStamps, "vault">,
): Promise<{ report: QuietReport; vault: string } | undefined> {
  const hit = (await readQuiet(paths)).find((q) =>
    q.op === want.op && q.remote === want.remote && q.commit === want.commit &&
    q.config === want.config && q.folders === want.folders
  );
  const report = hit === undefined ? undefined : reportOf(hit);
  return report === undefined ? undefined : { report, vault: hit!.vault };
}

/**
 * The answer of a push with nothing new right after a pull that imported `added` files, each as
 * the remote holds it under its own id and one a push would send, and nothing else (pull.ts
 * proves it): the answer of the push that moved nothing at the commit the pull listed the changes
 * since, kept against the look the pull started from (`from`) and the vault as it is now, with
 * the imports in both. Undefined when no push kept one so: the push then works it out.
 */
export async function pushedAnswer(
  paths: ProjectPaths,
  from: Omit<QuietStamps, "op" | "vault">,
  vault: string,
  added: number,
): Promise<QuietReport | undefined> {
  const before = await answerAt(paths, { ...from, op: "push", vault });
  return before && { ...before, in_both: before.in_both + added };
}

/**
 * The answer of the last `op` that moved nothing, when the remote's commit, the local files'
 * folders, sync.json and the vault look as they did then, with those stamps; else undefined (the
 * sync works it out).
 * Nothing else is read: not the record of the files, not the files, not their folders' lists.
 */
export async function quietFrom(
  paths: ProjectPaths,
  op: "push" | "pull",
  remote: string,
  commit: string,
): Promise<{ answer: QuietReport; stamps: QuietStamps } | undefined> {
  const folders = folderLook(paths).look;
  const answers = await readQuiet(paths);
  if (!answers.some((q) => q.op === op && q.remote === remote && q.commit === commit)) {
    return undefined;
  }
  const [config, vault] = await Promise.all([configNow(paths), vaultLook(paths)]);
  const stamps = { op, remote, commit, config, vault, folders };
  const answer = quietAnswer(answers, stamps);
  return answer === undefined ? undefined : { answer, stamps };
}

/** An answer of a sync that moved nothing, with what it was worked out from. */
export interface KeptAnswer {
  stamps: QuietStamps;
  report: QuietReport;
}

/**
 * Keeps `quiet`'s answers beside the others' (one per operation and remote); the others only while
 * the files are the same (`same`). Best effort; nothing is written when nothing changed.
 */
export async function keepAnswer(
  paths: ProjectPaths,
  same: boolean,
  quiet: readonly KeptAnswer[] = [],
): Promise<void> {
  // Answers about other files are worth nothing: kept only while the files are the same.
  const before = await readQuiet(paths);
  const kept = same
    ? before.filter((q) =>
      !quiet.some(({ stamps }) => q.op === stamps.op && q.remote === stamps.remote)
    )
    : [];
  const answers = quiet.map(({ stamps, report }) => ({
    ...stamps,
    report: JSON.stringify({
      in_both: report.in_both,
      excluded: report.excluded,
      held_back: report.held_back,
      refused: report.refused,
      transcripts: report.transcripts,
    }),
  }));
  if (answers.length === 0 && kept.length === before.length) return;
  await keep(paths, SYNC_QUIET, { root: paths.root, answers: [...kept, ...answers].slice(-8) });
}

/**
 * The folders' look once a writer holding the store's lock has put files into `written` (folders
 * of syncFolders): each of those changed within RACY_MS has its mtime set RACY_MS back first, as
 * the listing index's writer does (listing_update.ts), so that a change made later, in the same
 * tick of the file system's clock, still changes the look. Null when the look is not settled even
 * so: a folder it did not write changed meanwhile. What changed between the look before the
 * writes and this one is the writer's own, as the lock keeps it.
 */
export async function lookAfterWriting(
  paths: ProjectPaths,
  written: readonly string[],
): Promise<string | null> {
  for (const dir of new Set(written)) {
    try {
      const info = await Deno.lstat(dir);
      const mtime = info.mtime?.getTime();
      if (!info.isDirectory || mtime === undefined || mtime <= Date.now() - RACY_MS) continue;
      const past = new Date(mtime - RACY_MS);
      await setTimes(dir, info.atime ?? past, past);
    } catch {
      return null;
    }
  }
  const after = folderLook(paths);
  return after.settled ? after.look : null;
}
