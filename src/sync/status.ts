/**
 * `mpm sync status`: what a push would send and a pull would import, read as they read (push.ts,
 * pull.ts) and nothing written. A record that is the local side is held as its files'
 * identities, as a push holds it: only the files the remote does not hold as they are here are
 * read (push_sources.ts), so a store of any size is looked at in a few MB.
 */
import { fetchSessions, SYNC_REF, type SyncSetup } from "./refs.ts";
import { readRemote } from "./remote.ts";
import { knowLocal, localSide } from "./sync_record.ts";
import { compareCopies } from "./transcripts.ts";
import { pushAll } from "../kernel/lists.ts";
import { recheckFor } from "./recheck.ts";
import { leanSources } from "./push_sources.ts";
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
  // As a push reads: another mpm's record too, what would be sent checked again.
  const knowing = await knowLocal(paths, kinds, { ...options, older: true, lean: "push" });
  const [local, base] = await Promise.all([
    localSide(paths, knowing),
    fetchSessions(root, setup.remote),
  ]);
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
