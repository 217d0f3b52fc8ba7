/**
 * What a push sends, and `status` says it would, checked by this mpm when the sync record's lines
 * passed another's (sync_record.ts `checked`: an upgrade's first syncs take the older record).
 */
import { basename, dirname } from "../kernel/path.ts";
import { isIntegrityProblem, type LocalFile, readLocal } from "./local/local.ts";
import type { RemoteSide } from "./remote/remote.ts";
import type { Listed, SyncReport } from "./pull.ts";
import type { Knowing } from "./sync_record.ts";
import { madeBy } from "../sessions/store/caches/cache.ts";

/** What checkedAgain asks of each plan: the sources, the remote read, where what fails goes. */
type Run = { sources: LocalFile[]; remote: RemoteSide; heldBack: Listed[]; report: SyncReport };

/**
 * The sources a push (or `status`) may send, each time it plans against the remote: as they are
 * when this mpm made the record's lines, else checked again (checkedAgain), each file once a
 * run. Those a sync read this run (the grown path's) this mpm checked already.
 */
export function recheckFor(known: Knowing): (run: Run) => Promise<LocalFile[]> {
  if (known.checked === madeBy()) return (run) => Promise.resolve(run.sources);
  const checked = new Set(known.grown?.map((f) => f.file));
  return (run) => checkedAgain(known, { ...run, checked });
}

/**
 * The sources a push may send when the record's lines passed another mpm's checks (an upgrade's
 * first pushes): each the remote does not hold as it is here is read and checked again by this
 * one (once a run: `checked`), and one that fails now stays, held back or refused as any push
 * that reads it says. A file the remote holds goes nowhere, so it is not read.
 */
async function checkedAgain(
  known: Knowing,
  run: Run & { checked: Set<string> },
): Promise<LocalFile[]> {
  const held = run.remote.sameAs;
  const unsure = run.sources.filter((f) =>
    !run.checked.has(f.file) && held?.get(`${f.kind}/${f.id}`) !== f.blob
  );
  const folders = Map.groupBy(unsure, (f) => `${f.kind}\0${dirname(f.file)}`);
  const again = new Map<string, LocalFile>();
  for (const group of folders.values()) {
    const only = { dir: dirname(group[0].file), names: group.map((f) => basename(f.file)) };
    // Read, not known: the record's identity of it is what is checked again.
    const { known: _, ...reading } = known.options;
    const read = await readLocal(known.paths, [group[0].kind], { ...reading, only });
    for (const file of read.files) again.set(file.file, file);
  }
  return run.sources.filter((f) => {
    const fresh = again.get(f.file);
    if (fresh === undefined) return true;
    run.checked.add(f.file);
    // The side holds it as read now: the record keeps its new line, or none with a problem.
    for (const key of ["origin", "session", "claudeSession", "problem", "foreign"]) {
      delete (f as unknown as Record<string, unknown>)[key];
    }
    Object.assign(f, fresh);
    if (f.problem === undefined) return true;
    const listed = { kind: f.kind, id: f.id, reason: f.problem.message };
    (isIntegrityProblem(f) ? run.report.refused : run.heldBack).push(listed);
    return false;
  });
}
