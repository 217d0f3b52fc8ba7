/**
 * `mpm index`: the search index this machine keeps of the project's vault — where it is, how
 * much of the vault it holds, whether it can be used — and `--rebuild`, which makes it again
 * from the vault's files. A search keeps it up to date by itself; this is for the person who
 * wants to see it or start it afresh.
 */
import { MpmError } from "../kernel/errors.ts";
import { boolFlag, type Declared } from "../cli/command.ts";
import { json, text } from "../cli/output.ts";
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import { listVault } from "../vault/records/store.ts";
import type { Manifest } from "../vault/records/manifest.ts";
import { closeIndex, indexFile, inspectIndex, openIndex, openReadOnly, removeIndex } from "./db.ts";
import { type StreamName, updateIndex } from "./update.ts";
import { heldStreams, indexCounts } from "./query.ts";
import { docCounts } from "./docs.ts";
import { byteSize } from "../kernel/format/numbers.ts";

const WHY: Record<string, string> = {
  damaged: "it is damaged",
  schema: "another mpm version made it",
  locked: "another mpm holds it",
  unwritable: "its folder cannot be written",
  unavailable: "this machine has no key for mpm (no home folder?)",
};

export const indexCommand: Declared = {
  details: `mpm search answers from an index of the transcripts the vault holds, and of the
snapshots' and handoffs' words: SQLite (FTS5) in .claude-mpm/cache/, this machine's and this
clone's only, never committed or synced, built from the files and kept up to date by each search.
The files stay the truth: an index that is missing, damaged or made by another mpm is built again,
and until it is, search reads the files. --rebuild deletes it and builds it now from the vault
(prompts and answers; tool output too with --tools); the next search adds the snapshots.`,
  flags: [
    { name: "rebuild", description: "Delete the index and build it again from the vault." },
    { name: "tools", description: "With --rebuild: index tool calls and their output too." },
    { name: "json", description: "Print what the index holds as JSON." },
  ],
  examples: ["mpm index", "mpm index --rebuild", "mpm index --rebuild --tools"],
  run: async (env, parsed) => {
    const paths = projectPaths(await findProjectRoot(env.cwd));
    const entries = await listVault(paths);
    const manifests = entries.flatMap((e) => e.manifest && !e.manifest.dropped ? [e.manifest] : []);
    let problems: string[] = [];
    if (boolFlag(parsed, "rebuild")) {
      const file = await indexFile(paths);
      if (file !== null) await removeIndex(paths, file);
      const opened = await openIndex(paths);
      if (opened.db === null) {
        throw new MpmError(
          `The search index was not built: ${WHY[opened.why]} (${opened.detail}).`,
          "mpm search reads the files meanwhile; run `mpm doctor` to see what stops it.",
        );
      }
      const streams: StreamName[] = boolFlag(parsed, "tools") ? ["talk", "tools"] : ["talk"];
      try {
        const done = await updateIndex(opened.db, paths, { manifests, streams });
        problems = done.flatMap((s) => s.problem === null ? [] : [s.problem]);
      } finally {
        closeIndex(opened.db);
      }
    }
    const report = await describe(paths, manifests);
    if (boolFlag(parsed, "json")) return json({ ...report, problems });
    for (const problem of problems) env.warn(`mpm: ${problem} It was not indexed.`);
    return text(render(report));
  },
};

interface Report {
  file: string | null;
  state: "none" | "ok" | "unusable";
  why: string | null;
  bytes: number;
  copies: number;
  talk_indexed: number;
  tools_indexed: number;
  records: number;
  /** Snapshots and handoffs whose words the index holds (each search adds what changed). */
  snapshots: number;
  handoffs: number;
}

async function describe(
  paths: ReturnType<typeof projectPaths>,
  manifests: Manifest[],
): Promise<Report> {
  const health = await inspectIndex(paths);
  const report: Report = {
    file: health.file,
    state: health.state,
    why: health.state === "unusable" ? `${WHY[health.why]} (${health.detail})` : null,
    bytes: health.state === "ok" ? health.bytes : 0,
    copies: manifests.length,
    talk_indexed: 0,
    tools_indexed: 0,
    records: 0,
    snapshots: 0,
    handoffs: 0,
  };
  const db = health.state === "ok" ? await openReadOnly(health.file) : null;
  if (db !== null) {
    try {
      report.talk_indexed = heldStreams(db, manifests.map((m) => m.index.talk));
      report.tools_indexed = heldStreams(db, manifests.map((m) => m.index.tools));
      report.records = indexCounts(db).records;
      Object.assign(report, docCounts(db));
    } finally {
      closeIndex(db);
    }
  }
  return report;
}

function render(r: Report): string {
  const where = r.file === null ? "(none on this machine)" : r.file;
  if (r.state === "none") {
    return `No search index yet: the next mpm search builds it.\n  file: ${where}\n`;
  }
  if (r.state === "unusable") {
    return `The search index cannot be used: ${r.why}. mpm search reads the files and builds it ` +
      `again; mpm index --rebuild does it now.\n  file: ${where}\n`;
  }
  return [
    `Search index: ${byteSize(r.bytes)}, ${r.records} records.`,
    `  prompts and answers: ${r.talk_indexed} of ${r.copies} vaulted conversations`,
    `  tool calls and output: ${r.tools_indexed} of ${r.copies} (indexed by mpm search --tools)`,
    `  snapshots: ${r.snapshots}, handoffs: ${r.handoffs} (indexed by mpm search)`,
    `  file: ${where}`,
    "",
  ].join("\n");
}
