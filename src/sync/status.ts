/**
 * `mpm sync status`: what a push would send and a pull would import, read as they read (push.ts,
 * pull.ts) and nothing written. A record that is the local side is held as its files'
 * identities, as a push holds it: only the files the remote does not hold as they are here are
 * read (push_sources.ts), so a store of any size is looked at in a few MB. Right after a push and
 * a pull that moved nothing, whose answers still stand, it reads neither side.
 */
import { fetchSessions, SYNC_REF, type SyncSetup } from "./refs.ts";
import { readRemote } from "./remote.ts";
import { knowLocal, localSide } from "./sync_record.ts";
import { compareCopies } from "./transcripts.ts";
import { pushAll } from "../kernel/lists.ts";
import { recheckFor } from "./recheck.ts";
import { leanSources } from "./push_sources.ts";
import { quietFrom, type QuietReport, type QuietStamps } from "./quiet/quiet_answer.ts";
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
  const copies = (r: QuietReport) =>
    r.transcripts.moved.length + r.transcripts.incoming.length + r.transcripts.refused.length +
    r.transcripts.kept.length;
  const answers = [push.answer, pull.answer];
  if (answers.some((r) => r.refused.length > 0 || copies(r) > 0)) return undefined;
  const answer = {
    in_both: pull.answer.in_both,
    excluded: push.answer.excluded,
    held_back: push.answer.held_back,
  };
  return { answer, stamps: push.stamps };
}
