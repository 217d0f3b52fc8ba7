/**
 * One search of the project, as `mpm search` and `mpm mcp` both run it: every source read at
 * once (src/search/sources.ts), the hits newest first, and only the shown ones read in full.
 */
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import { adoptOldThreadsFolder } from "../disk/threads.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { readSeen } from "../vault/seen.ts";
import { plainMatcher, regexMatcher } from "./match.ts";
import { newestFirst, type SearchResult } from "./render.ts";
import {
  contextHits,
  errorHits,
  type Hit,
  type Scope,
  snapshotHits,
  transcriptHits,
} from "./sources.ts";

export async function search(env: Env, query: string, flags: {
  regex: boolean;
  tools: boolean;
  since: string | null;
  limit: number;
}): Promise<SearchResult> {
  const matcher = flags.regex ? regexMatcher(query) : plainMatcher(query);
  const root = await findProjectRoot(env.cwd);
  const paths = projectPaths(root);
  await adoptOldThreadsFolder(paths);
  const scope: Scope = {
    matcher,
    since: flags.since,
    tools: flags.tools,
    root,
    paths,
    home: homeDir(env),
    vars: env.vars,
    seen: await readSeen(paths),
    notes: [],
  };
  const found = await Promise.all([
    snapshotHits(scope),
    contextHits(scope),
    errorHits(scope),
    transcriptHits(scope),
  ]);
  const hits = newestFirst(found.flat());
  const shown = await checked(hits, flags.limit, scope.notes);
  return {
    query,
    regex: flags.regex,
    tools: flags.tools,
    since: flags.since,
    total: hits.length - shown.left,
    hits: shown.hits,
    notes: scope.notes,
  };
}

/**
 * The newest `limit` hits (0: all) that pass their full read: a snapshot is shown only once its
 * checksum and schema are checked, and one that fails is left out and said. Only what is shown is
 * checked: a word in a thousand snapshots costs a thousand cheap looks and `limit` full reads.
 */
async function checked(hits: Hit[], limit: number, notes: string[]) {
  const verdicts = new Map<string, Promise<string | null>>();
  const out: Hit[] = [];
  let left = 0;
  for (const hit of hits) {
    if (limit !== 0 && out.length >= limit) break;
    if (hit.check) {
      const key = `${hit.source}\0${hit.session}`;
      if (!verdicts.has(key)) verdicts.set(key, hit.check());
      const problem = await verdicts.get(key)!;
      if (problem !== null) {
        if (!notes.includes(problem)) notes.push(problem);
        left++;
        continue;
      }
    }
    out.push(hit);
  }
  return { hits: out, left };
}
