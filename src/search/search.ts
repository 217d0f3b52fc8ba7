/**
 * One search, as `mpm search` and `mpm mcp` run it: every source at once, the newest `limit` held.
 */
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { readSeen } from "../vault/copy/seen.ts";
import { type Matcher, plainMatcher, regexMatcher, requiredText } from "./match.ts";
import { patternGuard } from "./pattern_guard.ts";
import type { SearchResult } from "./render.ts";
import { contextHits, errorHits, type Hit, type Scope } from "./sources.ts";
import { indexedHits } from "./indexed.ts";
import { keptHits, keptInOrder } from "./keep.ts";

export async function search(env: Env, query: string, flags: {
  regex: boolean;
  tools: boolean;
  since: string | null;
  limit: number;
}): Promise<SearchResult> {
  // A pattern runs where it can be stopped: one that backtracks for ever is refused instead.
  const guard = flags.regex ? patternGuard() : null;
  try {
    return await searchWith(
      env,
      query,
      flags,
      guard === null ? plainMatcher(query) : regexMatcher(query, guard.run),
    );
  } finally {
    guard?.close();
  }
}

async function searchWith(
  env: Env,
  query: string,
  flags: Parameters<typeof search>[2],
  matcher: Matcher,
): Promise<SearchResult> {
  const root = await findProjectRoot(env.cwd);
  const paths = projectPaths(root);
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
    kept: keptHits<Hit>(flags.limit),
  };
  await Promise.all([
    contextHits(scope),
    errorHits(scope),
    indexedHits(scope, flags.regex ? requiredText(query) : query),
  ]);
  return {
    query,
    regex: flags.regex,
    tools: flags.tools,
    since: flags.since,
    total: scope.kept.count,
    hits: keptInOrder(scope.kept),
    notes: scope.notes,
  };
}
