/**
 * `mpm sync status`: what a push would send and a pull would import, read as they read (push.ts,
 * pull.ts) and nothing written. A record that is the local side is held as its files'
 * identities, as a push holds it: only the files the remote does not hold as they are here are
 * read (push_sources.ts), so a store of any size is looked at in a few MB. Right after a push and
 * a pull that moved nothing, whose answers still stand, it reads neither side; after pauses alone,
 * only the new snapshots.
 */
import { fetchSessions, SYNC_REF, type SyncSetup } from "./remote/refs.ts";
import { readRemote } from "./remote/remote.ts";
import { type Knowing, knowLocal, localSide } from "./sync_record.ts";
import { compareCopies } from "./remote/transcripts.ts";
import { pushAll } from "../kernel/lists.ts";
import { recheckFor } from "./recheck.ts";
import { leanSources, pausedAnswer, pausedSources } from "./push_sources.ts";
import { quietFrom, type QuietReport, type QuietStamps } from "./quiet/quiet_answer.ts";
import type { SyncConfig } from "./plan/plan.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import {
  bare,
  incoming,
  outgoing,
  pushSources,
  startSync,
  type SyncOptions,
  type SyncReport,
} from "./pull.ts";

export async function statusSync(
  root: string,
  setup: SyncSetup,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const { paths, config, kinds, report } = await startSync(root, setup.remote, true);
  options.progress?.(`Fetching ${SYNC_REF} from ${setup.remote}…`);
  const base = await fetchSessions(root, setup.remote);
  // A push and a pull that moved nothing at this commit, their answers standing: nothing moves.
  const quiet = base === null ? undefined : await quietStatus(paths, setup.remote, base);
  if (quiet !== undefined) {
    options.quiet?.({ ...quiet.stamps, op: "status" });
    return { ...report, ...quiet.answer, remote_commit: base };
  }
  // As a push reads: another mpm's record too, what would be sent checked again.
  const knowing = await knowLocal(paths, kinds, { ...options, older: true, lean: "push" });
  const paused = base === null
    ? undefined
    : await pausedStatus(root, knowing, config, report, base);
  if (paused !== undefined) return paused;
  const local = await localSide(paths, knowing);
  const unread = local.index ? leanSources(knowing, local, config, report) : undefined;
  const remote = await readRemote(root, base, local, kinds, setup.remote, { lean: "push" });
  report.remote_commit = base;
  report.refused = remote.refused;
  const sources = await recheckFor(knowing)({
    sources: unread ? await unread.more(remote, []) : pushSources(local, config, report),
    remote,
    heldBack: report.held_back,
    report,
  });
  const out = outgoing(kinds, sources, remote, local);
  report.moved = bare(out.moved);
  pushAll(report.held_back, out.held);
  report.transcripts = await compareCopies(
    root,
    paths,
    [...sources.filter((f) => f.kind === "session"), ...unread?.sessions() ?? []],
    remote.entries,
    setup.remote,
  );
  const { moved, inBoth } = incoming(kinds, remote, local);
  report.incoming = bare(moved);
  report.in_both = inBoth + remote.same;
  return report;
}

/**
 * The status while the last push and pull at `commit` moved nothing and their answers stand
 * (quiet_answer.ts): nothing to send or import, as many in both as the pull found, and what the
 * push held back or excluded. Undefined when either answer is missing or names a file or copy
 * refused, or a copy either way: the status is then worked out.
 */
async function quietStatus(
  paths: ProjectPaths,
  remote: string,
  commit: string,
): Promise<{ answer: Partial<SyncReport>; stamps: QuietStamps } | undefined> {
  const [push, pull] = await Promise.all([
    quietFrom(paths, "push", remote, commit),
    quietFrom(paths, "pull", remote, commit),
  ]);
  if (push === undefined || pull === undefined) return undefined;
  if (!plain(push.answer) || !plain(pull.answer)) return undefined;
  const answer = {
    in_both: pull.answer.in_both,
    excluded: push.answer.excluded,
    held_back: push.answer.held_back,
  };
  return { answer, stamps: push.stamps };
}

/** An answer that names no refused file and no copy either way: a status can stand on it. */
function plain(r: QuietReport): boolean {
  const { moved, incoming, refused, kept } = r.transcripts;
  return r.refused.length + moved.length + incoming.length + refused.length + kept.length === 0;
}

/**
 * The status after pauses alone (push_sources.ts pausedSources): the last push's and pull's plain
 * answers at `base`, kept against the look the record is whole at, stand for every file but the
 * new snapshots, which a push would send; the vault's copies are compared as a status compares
 * them. Neither side's records are listed. Undefined: worked out in full.
 */
async function pausedStatus(
  root: string,
  knowing: Knowing,
  config: SyncConfig,
  report: SyncReport,
  base: string,
): Promise<SyncReport | undefined> {
  const { paths, kinds } = knowing;
  // Whatever the vault looked like: the copies are compared below, the records stand.
  const pull = (await pausedAnswer(knowing, "pull", report.remote, base))?.report;
  if (pull === undefined || !plain(pull)) return undefined;
  const push = await pausedSources(root, knowing, config, report.remote, base);
  if (push === undefined || !plain(push.answer)) return undefined;
  const out = outgoing(kinds, push.sources, push.remote, push.local);
  return {
    ...report,
    remote_commit: base,
    moved: bare(out.moved),
    excluded: push.answer.excluded,
    held_back: [...push.answer.held_back, ...out.held],
    transcripts: await compareCopies(
      root,
      paths,
      push.sources,
      push.remote.entries,
      report.remote,
    ),
    incoming: [],
    in_both: pull.in_both,
  };
}
