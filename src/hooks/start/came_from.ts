/**
 * SessionStart in a linked worktree with no mpm session of its own — `claude --worktree NAME`
 * makes `.claude/worktrees/NAME` on a branch `worktree-NAME` — tells the main tree's current work,
 * marked as the work this worktree came from: the worktree's own store is empty, and without it
 * Claude would know nothing of what the worktree was made for. It is told as the main tree's, never
 * as this worktree's own: what happens here is recorded in the worktree's own `.claude-mpm/`
 * (hooks/events/end_decision.ts), and the main tree's work goes on there untouched.
 *
 * A worktree `mpm branch NAME --worktree` made has an active session of its own, whose context
 * names its parent already (context.ts): nothing is added there. The main tree's store is only
 * read: its digest when current, else its state and snapshots (start_digest.ts), never written.
 */
import { mainWorktreeOf, type ProjectPaths, projectPaths } from "../../disk/paths.ts";
import type { ContextPart } from "../../context/inject/assemble.ts";
import { inertLine } from "../../kernel/safe_text/inert.ts";
import { join } from "../../kernel/path.ts";
import { sessionReads } from "../../sessions/store/state/state_store.ts";
import { contextFromFacts } from "./context.ts";
import { currentDigest, readStartFacts } from "./start_digest.ts";

/** How much of the main tree's path the part's first line keeps. */
const MAX_PATH_CHARS = 300;

/** The part, or null: not a linked worktree, one with a session of its own, or no work there. */
export async function cameFromPart(
  input: { root: string; paths: ProjectPaths; now: Date },
): Promise<ContextPart | null> {
  const main = await mainWorktreeOf(input.root);
  if (main === undefined) return null;
  const own = await sessionReads(input.paths).state().catch(() => null);
  if (own?.active) return null;
  const mainPaths = projectPaths(main);
  const facts = await currentDigest(mainPaths).catch(() => null) ??
    (await readStartFacts(mainPaths).catch(() => null))?.facts;
  const session = facts?.session;
  if (!session) return null;
  const text = contextFromFacts(session.facts, {
    history: null,
    branchNow: undefined,
    now: input.now,
    warnings: [],
  });
  // Its heading and the paragraph under it speak of this project's own work: dropped here.
  const body = text.replace(/^# [^\n]*\n+[^\n]*\n+/, "").replace(/^## /gm, "### ");
  const where = inertLine(main, MAX_PATH_CHARS);
  const intro = `This folder is a git worktree of ${where}, with no mpm session of its own. ` +
    "Below is the work in that main tree, which this worktree came from; it goes on there, " +
    "and what is done here is recorded in this worktree's own .claude-mpm/, not as that work.";
  return {
    title: "The work this worktree came from (mpm, the main tree's)",
    source: join(main, session.source),
    text: `${intro}\n\n${body}`,
  };
}
