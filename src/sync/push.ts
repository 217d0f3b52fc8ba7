/**
 * `mpm sync push`: sends what the remote lacks as a new commit on its `refs/mpm/sessions`. A push
 * someone else beat is never forced: fetch, plan again against their commit, commit with both
 * parents, push again (a few times, with jittered backoff).
 */
import { join } from "../kernel/path.ts";
import { forDisk, type TextFields } from "../disk/files/written.ts";
import { checksumLine } from "../kernel/hashing/checksum.ts";
import { MpmError } from "../kernel/errors.ts";
import { dropScratchDir, makeScratchDir, writeScratchFile } from "../disk/files/confine/scratch.ts";
import { KINDS } from "./plan/kinds.ts";
import { type Kind, TREE_DIRS, treePath } from "./plan/plan.ts";
import {
  commitTree,
  fetchSessions,
  isAncestor,
  pushSessions,
  SYNC_REF,
  syncRefs,
  type SyncSetup,
  trackingRef,
  updateRef,
  writeBlobs,
} from "./remote/refs.ts";
import {
  advanceLocalRef,
  bare,
  type Moved,
  outgoing,
  pushSources,
  quietReport,
  startSync,
  type SyncOptions,
  type SyncReport,
} from "./pull.ts";
import type { LocalFile, LocalSide } from "./local/local.ts";
import { recheckFor } from "./recheck.ts";
import {
  keepQuiet,
  type Knowing,
  knowLocal,
  type Learned,
  localSide,
  seenRemote,
} from "./sync_record.ts";
import { answerAt, quietFrom, type QuietReport, stampsFor } from "./quiet/quiet_answer.ts";
import { vaultLook } from "./quiet/stamps.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { readBytesIfExists } from "../disk/read/read.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { readRemote, type RemoteSide } from "./remote/remote.ts";
import { machineName } from "../sessions/store/records/snapshot/machine.ts";
import { outgoingCopies, withoutCopies } from "./remote/transcripts.ts";
import { leanSources, pausedLook, pausedSources } from "./push_sources.ts";
import type { SnapshotSessions } from "./plan/copy_plan.ts";
import type { SyncConfig } from "./plan/plan.ts";
import { buildTree } from "./remote/tree_build.ts";

const MAX_ATTEMPTS = 5;

export async function pushSync(
  root: string,
  setup: SyncSetup,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const { paths, config, kinds, report } = await startSync(
    root,
    setup.remote,
    options.dryRun ?? false,
  );
  const refs = await syncRefs(root, setup.remote);
  const localRef = refs.local;
  options.progress?.(`Fetching ${SYNC_REF} from ${setup.remote}…`);
  let base = await fetchSessions(root, setup.remote, refs.tracking);
  // Nothing changed on either side since a push that moved nothing: its answer stands, and
  // neither side's files are read, nor listed.
  const quiet = base !== null && !report.dry_run
    ? await quietFrom(paths, "push", setup.remote, base)
    : undefined;
  if (quiet !== undefined) {
    await advanceLocalRef(root, localRef, base!);
    options.quiet?.(quiet.stamps);
    return quietReport("push", setup.remote, base!, quiet.answer);
  }
  // Another mpm's record too (an upgrade's): what this push sends it checks again (recheckFor).
  // A record that is the local side is held as its files' identities; the files a push may send
  // are read from it once the remote is read (push_sources.ts).
  const known = await knowLocal(paths, kinds, { ...options, older: true, lean: "push" });
  // After pauses alone, the quiet push's answer stands but for the new snapshots: neither side is
  // listed at the first attempt (push_sources.ts pausedSources).
  const paused = base !== null && !report.dry_run
    ? await pausedSources(root, known, config, setup.remote, base)
    : undefined;
  let full: Awaited<ReturnType<typeof fullSide>> | undefined;
  let rejected: string | null = null;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    report.attempts = attempt;
    if (attempt > 1) {
      options.progress?.(`Fetching ${SYNC_REF} from ${setup.remote}…`);
      base = await fetchSessions(root, setup.remote);
    }
    const fast = attempt === 1 ? paused : undefined;
    let local: LocalSide, remote: RemoteSide, sources: LocalFile[];
    let counted = 0, sessions: SnapshotSessions[] = [];
    if (fast) {
      ({ local, remote, sources } = fast);
      counted = fast.answer.in_both;
      report.excluded = [...fast.answer.excluded];
      report.refused = [...fast.answer.refused];
    } else {
      full ??= await fullSide(paths, known, config, report);
      local = full.local;
      // Lean: the remote's files the same as the local ones are counted, not held (outgoing).
      remote = await readRemote(root, base, local, kinds, setup.remote, { lean: "push" });
      const { unread } = full;
      if (unread) full.sources = [...full.sources, ...await unread.more(remote, full.sources)];
      full.sources = await full.recheck({
        sources: full.sources,
        remote,
        heldBack: full.heldBack,
        report,
      });
      sources = full.sources;
      counted = unread?.inBoth ?? 0;
      sessions = unread?.sessions() ?? [];
    }
    const out = outgoing(kinds, sources, remote, local);
    const { moved, held } = out;
    const inBoth = out.inBoth + counted;
    report.remote_commit = base;
    report.moved = bare(moved);
    // Planned anew at each attempt: what it holds back is that attempt's.
    report.held_back = [...fast?.answer.held_back ?? full!.heldBack, ...held];
    report.in_both = inBoth;
    report.anonymous = setup.identity.anonymous && moved.length > 0;
    // The vault's copies that go with the snapshots this push may send
    // (sync/remote/transcripts.ts), and the vault's look before they are read: a copy that grows
    // meanwhile changes the look the answers below are kept against, so the next push reads it.
    const vault = await vaultLook(paths);
    const copies = await outgoingCopies(
      root,
      paths,
      [...sources.filter((f) => f.kind === "session"), ...sessions],
      remote.entries,
      setup.remote,
      report.dry_run,
    );
    report.transcripts.moved = copies.send;
    // After pauses, the copies of the snapshots before them stand as the answer had them, while
    // the vault looks the same (else none of them holds more than the remote's: push_sources.ts).
    const before = fast?.vaultSame ? fast.answer.transcripts : undefined;
    report.transcripts.refused = byId(before?.refused ?? [], copies.refused);
    report.transcripts.kept = byId(before?.kept ?? [], copies.held);
    if ((moved.length === 0 && copies.send.length === 0) || report.dry_run) {
      if (!report.dry_run && base) {
        await advanceLocalRef(root, localRef, base);
        const stamps = await stampsFor(paths, { ...known, vault }, "push", setup.remote, base);
        // Kept: the quiet door may give this answer from the next push on.
        if (await keepQuiet(paths, known, local, { quiet: [{ stamps, report }] })) {
          options.quiet?.(stamps);
        }
      } else if (!report.dry_run) await keepQuiet(paths, known, local);
      return report;
    }
    options.progress?.(`Pushing ${moved.length} files to ${setup.remote}…`);
    const additions = [...await writeMovedBlobs(root, moved), ...copies.additions];
    // A copy that holds more than the remote's replaces it, files and all.
    const kept = withoutCopies(remote.entries, new Set(copies.send));
    const lean = base === null ? undefined : { commit: base, dirs: Object.values(TREE_DIRS) };
    const tree = await buildTree(root, kept, additions, lean);
    const parents = [base, rejected].filter((p): p is string => p !== null);
    if (attempt === 1 && localRef && localRef !== base) {
      if (!base || !(await isAncestor(root, localRef, base))) parents.push(localRef);
    }
    const message = await forDisk(COMMIT_TEXT, commitMessage(moved, copies.send.length));
    const commit = await commitTree(
      root,
      tree,
      parents,
      message,
      setup.identity,
      setup.sign,
    );
    if (await pushSessions(root, setup.remote, commit) === "pushed") {
      await updateRef(root, SYNC_REF, commit, localRef);
      // The remote holds it now, as the next fetch would say: the quiet door can answer the next
      // sync from this push's answers (best effort: another fetch may have moved the ref on).
      await updateRef(root, trackingRef(setup.remote), commit, base);
      report.remote_commit = commit;
      const next = await afterPush(paths, { ...known, vault }, {
        base,
        commit,
        report,
        inBoth,
        moved,
        look: fast ? pausedLook(known) ?? null : known.folders,
      });
      if (await keepQuiet(paths, known, local, next)) options.next?.(next.quiet ?? []);
      return report;
    }
    rejected = commit;
    await new Promise((r) => setTimeout(r, attempt * 80 * (0.5 + Math.random())));
  }
  throw new MpmError(
    `${setup.remote} rejected the push ${MAX_ATTEMPTS} times: others are pushing sessions now.`,
    "Run `mpm sync push` again in a moment; nothing was lost.",
  );
}

/**
 * The local side read in full, and what a push may send of it (every attempt but a paused first):
 * the report's lists start again from what the files say.
 */
async function fullSide(
  paths: ProjectPaths,
  known: Knowing,
  config: SyncConfig,
  report: SyncReport,
) {
  [report.excluded, report.held_back, report.refused] = [[], [], []];
  const local = await localSide(paths, known);
  const unread = local.index ? leanSources(known, local, config, report) : undefined;
  const sources = unread ? [] : pushSources(local, config, report);
  return { local, unread, sources, heldBack: [...report.held_back], recheck: recheckFor(known) };
}

/** `before`'s entries, then `now`'s of other ids. */
function byId<T extends { id: string }>(before: readonly T[], now: readonly T[]): T[] {
  const ids = new Set(now.map((c) => c.id));
  return [...before.filter((c) => !ids.has(c.id)), ...now];
}

/**
 * What a push that moved knows of the syncs after it at its `commit`, the remote being what it
 * read at `base` and what it sent: the next push's answer (what it sent now in both, the rest as
 * it found it), the next pull's when the last pull's at `base` stands, and, when the last
 * complete pull took `base`, the remote's ids at `commit`, so that the next pull lists only what
 * others pushed since.
 */
async function afterPush(
  paths: ProjectPaths,
  known: Knowing & { vault: string },
  sent: {
    base: string | null;
    commit: string;
    report: SyncReport;
    inBoth: number;
    moved: Moved[];
    /** The folders' look the files this push compared were as (pull answers kept at it count). */
    look: string | null;
  },
): Promise<Learned> {
  const { report, commit } = sent;
  // Parsed afresh from the record: its ids are added to here.
  const seen = seenRemote(known, report.remote);
  const pulled = seen !== undefined && seen.commit === sent.base ? seen : undefined;
  for (const m of pulled ? sent.moved : []) pulled!.ids[m.kind].add(m.as);
  const next: QuietReport = {
    in_both: sent.inBoth + sent.moved.length,
    excluded: report.excluded,
    held_back: report.held_back,
    refused: report.refused,
    transcripts: { ...report.transcripts, moved: [], incoming: [] },
  };
  const stamps = await stampsFor(paths, known, "push", report.remote, commit);
  const quiet = [{ stamps, report: next }];
  // The next pull's too, from the last pull's at `base`: nothing to take but what this push sent
  // as it is here, in both now. Not when vault copies went (the pull compares them).
  const asIs = report.transcripts.moved.length === 0 && sent.moved.every((m) => m.as === m.id);
  const pull = sent.base !== null && sent.look !== null && asIs
    ? await answerAt(paths, { ...stamps, op: "pull", commit: sent.base, folders: sent.look })
    : undefined;
  if (pull !== undefined) {
    quiet.push({
      stamps: { ...stamps, op: "pull" },
      report: { ...pull, in_both: pull.in_both + sent.moved.length },
    });
  }
  return {
    quiet,
    ...(pulled ? { pulled: { remote: report.remote, seen: { ...pulled, commit } } } : {}),
  };
}

/**
 * Writes the blobs of what is pushed; a renamed file's new text goes through a temp folder. Each
 * file is checked against the identity it was planned with (its blob id, or for a renamed one
 * its sha256): one changed since it was verified is not sent.
 */
async function writeMovedBlobs(
  root: string,
  moved: (Moved & { item: LocalFile })[],
): Promise<{ path: string; sha: string }[]> {
  const temp = await makeScratchDir("mpm-sync-");
  const changed = (file: string) =>
    new MpmError(`${file} changed while mpm was pushing it.`, "Run the push again.");
  try {
    const files: string[] = [];
    const expected: (string | undefined)[] = [];
    for (const [i, { kind, as, item }] of moved.entries()) {
      if (as === item.id) {
        files.push(item.file, `${item.file}.sha256`);
        expected.push(item.blob, undefined);
        continue;
      }
      // One renamed file at a time, read again: the push holds none of the others' bytes.
      const bytes = await readBytesIfExists(item.file);
      if (bytes === undefined || sha256Hex(bytes) !== item.sha256) throw changed(item.file);
      const text = KINDS[kind].rename(new TextDecoder().decode(bytes), as, item.sha256);
      await writeScratchFile(join(temp, `${i}.json`), text);
      await writeScratchFile(join(temp, `${i}.sha256`), checksumLine(text, `${as}.json`));
      files.push(join(temp, `${i}.json`), join(temp, `${i}.sha256`));
      expected.push(undefined, undefined);
    }
    const shas = await writeBlobs(root, files);
    for (const [i, blob] of expected.entries()) {
      // A checkpoint replaced (--force) since it was verified: its new bytes were not checked.
      if (blob !== undefined && blob !== shas[i]) throw changed(files[i]);
    }
    return moved.flatMap(({ kind, as }, i) => [
      { path: treePath(kind, as, "json"), sha: shas[2 * i] },
      { path: treePath(kind, as, "sha256"), sha: shas[2 * i + 1] },
    ]);
  } finally {
    await dropScratchDir(temp);
  }
}

/** The sync commit's message is free text: the host name in it is redacted as records keep it. */
const COMMIT_TEXT: TextFields = { free: [""], exact: [] };

function commitMessage(moved: Moved[], transcripts: number): string {
  const count = (kind: Kind, noun: string) => {
    const n = moved.filter((m) => m.kind === kind).length;
    return n ? [`${n} ${noun}${n === 1 ? "" : "s"}`] : [];
  };
  const copies = transcripts ? [`${transcripts} transcript${transcripts === 1 ? "" : "s"}`] : [];
  // Redacted with the message (a host name can look like a key), or a placeholder when it
  // cannot be read.
  const host = machineName() ?? "unknown host";
  return `mpm sync: ${
    [
      ...count("session", "snapshot"),
      ...count("checkpoint", "checkpoint"),
      ...count("handoff", "handoff"),
      ...copies,
    ]
      .join(", ")
  } from ${host}`;
}
