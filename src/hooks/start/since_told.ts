/**
 * SessionStart's choice of parts (told.ts): all of them, or only what changed since a text the
 * conversation carries. Nothing here fails the hook: what cannot be read is left out.
 */

import { readHistorySince } from "../../git/history/history.ts";
import type { GitStatus } from "../../git/tree/porcelain.ts";
import { ago, shortTime } from "../../sessions/report/render_report.ts";
import type { ContextPart } from "../../context/inject/assemble.ts";
import { sessionReads } from "../../sessions/store/state/state_store.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { type NewCommit, sinceParts, type ToldFacts, toldOf } from "./told.ts";
import type { Told } from "../../sessions/store/claude/told_store.ts";

export interface ChooseInput {
  root: string;
  paths: ProjectPaths;
  /** The branch part's `git status` (its HEAD): "none" without git, null when it was not read. */
  status: GitStatus | "none" | "failed" | null;
  /** What the conversation was told (null or absent: nothing mpm remembers). */
  since: Told | null | undefined;
  now: Date;
  facts: ToldFacts | null;
  /** The full text's parts, in order. */
  parts: ContextPart[];
  /** Which of them is the session part (-1: none). */
  sessionAt: number;
}

export interface Chosen {
  /** The parts to inject; null when nothing changed since (one line says so instead). */
  parts: ContextPart[] | null;
  /** What they tell, to remember with the text. */
  told: Told;
  /** When the conversation was told before, in words; "" without `since`. */
  sinceWhen: string;
}

/** Commits are listed as new ones instead. */
const isCommits = (part: ContextPart) => part.source === "git log";

/** How many of the newest snapshots are looked through for the one told last time. */
const NEW_SNAPSHOTS_LOOKED_AT = 1_000;

export async function chooseParts(input: ChooseInput): Promise<Chosen> {
  const others = input.parts.filter((_, i) => i !== input.sessionAt);
  const remembered = others.filter((part) => !isCommits(part));
  // The listing as this process read it already (the session store remembers it).
  const entries = await sessionReads(input.paths).entries().catch(() => null);
  const status = input.status;
  const statusHead = typeof status === "object" && status !== null ? status.head : null;
  const since = input.since;
  let head = statusHead;
  let newCommits: NewCommit[] | null = null;
  if (since?.head) {
    const history = await readHistorySince(input.root, since.head).catch(() => null);
    head = history?.current_commit ?? statusHead;
    if (history && history.paused_commit_exists && !history.history_rewritten) {
      newCommits = history.new_commits.map((c) => ({
        sha: c.sha,
        subject: c.subject,
        author: c.author,
        ago: ago(new Date(c.date), input.now),
      }));
    }
  }
  const told = toldOf({
    at: input.now,
    listed: entries?.slice(0, 1)[0]?.id ?? null,
    head,
    facts: input.facts,
    parts: remembered,
  });
  if (!since) return { parts: input.parts, told, sinceWhen: "" };
  const sinceWhen = `${shortTime(since.at)}, ${ago(new Date(since.at), input.now)}`;
  // The newest few are what a start since can have added; past them it cannot say.
  const ids = entries?.slice(0, NEW_SNAPSHOTS_LOOKED_AT).map((e) => e.id) ?? null;
  const newSnapshots = ids === null
    ? null
    : since.listed === null
    ? ids
    : ids.includes(since.listed)
    ? ids.slice(0, ids.indexOf(since.listed))
    : null;
  const parts = sinceParts({
    since,
    sinceWhen,
    now: told,
    facts: input.facts,
    newSnapshots,
    newCommits,
    parts: remembered,
  });
  return { parts: parts.length > 0 ? parts : null, told, sinceWhen };
}
