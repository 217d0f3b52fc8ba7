/**
 * The parts of SessionStart's text that come from the project itself: its context file, the
 * commits since the pause, the branch and the summary file, each bounded.
 */
import { isAbsolute, join, normalize } from "../../kernel/path.ts";
import { errorText } from "../../kernel/errors.ts";
import { shown } from "../../kernel/safe_text/shown.ts";
import { type Commit, recentCommits } from "../../git/history/history.ts";
import { lastCommits } from "../../git/history/head_facts.ts";
import type { GitStatus } from "../../git/tree/porcelain.ts";
import { snapshotWrittenAt } from "../../sessions/store/state/peek.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { type ContextPart, truncationNote } from "../../context/inject/assemble.ts";
import { contextLocation, readContext } from "../../context/files.ts";
import { readWorkSummary, withoutEmptySections } from "../../sessions/store/claude/work_summary.ts";
import { inertDocument, inertLine, openFence } from "../../kernel/safe_text/inert.ts";
import type { KeptCommits, StartRecord } from "./record/start_record.ts";
import { MAX_START_CHARS } from "./config/start_config.ts";

/**
 * `git status` as the branch part read it, for the parts that can use it: the status, "none"
 * (no git or no repository: readStatus's null) or "failed" (git failed otherwise).
 */
export type StatusRead = GitStatus | "none" | "failed";

/** A project file read with the context file's care (inside the project, text, ≤ 1 MiB). */
export async function projectFile(root: string, file: string): Promise<string | undefined> {
  const clean = normalize(file);
  if (isAbsolute(file) || clean.startsWith("..") || clean.includes("\0")) {
    throw new Error(`${file} is not a path inside the project`);
  }
  const shown = clean.split("\\").join("/");
  const read = await readContext({
    root,
    path: join(root, clean),
    shown,
    partition: null,
  });
  return read?.text;
}

export async function contextPart(
  root: string,
  partition: string | null,
  warnings: string[],
  files: string[],
): Promise<ContextPart | null> {
  try {
    const at = contextLocation(root, partition);
    files.push(at.path);
    const read = await readContext(at);
    if (read === undefined) return null;
    return { title: "Context file", source: at.shown, text: inertDocument(read.text, SHOWN) };
  } catch (error) {
    warnings.push(`the context file was not read (${errorText(error)}).`);
    return null;
  }
}

/**
 * The last commits: the part kept for HEAD, else `git log`'s answer (`got`; null: it failed),
 * else recentCommits; `keep` takes what git said for the next start at the same HEAD.
 */
export async function commitsPart(
  input: { root: string; count: number; keep: StartRecord | null },
  status: StatusRead | null,
  got: CommitsRead | null,
): Promise<ContextPart | null> {
  const { root, count } = input;
  const read = status ?? "failed";
  let commits: Commit[] | null = null;
  if (read === "failed") commits = await recentCommits(root, count).catch(() => null);
  else if (read !== "none" && read.head !== null) {
    if (got && "kept" in got && got.kept.head === read.head) {
      return { title: got.kept.title, source: "git log", text: got.kept.text };
    }
    // Kept for another commit than git status names (HEAD moved meanwhile): git is asked now.
    commits = got && "commits" in got
      ? got.commits
      : await lastCommits(root, count).catch(() => null);
    if (commits && input.keep) {
      const part = commitsPartOf(commits);
      if (part) {
        input.keep.commits = { head: read.head, count, title: part.title, text: shown(part.text) };
      }
      return part;
    }
  }
  return commits ? commitsPartOf(commits) : null;
}

/** The commits part of `commits`, newest first; null for none. */
function commitsPartOf(commits: Commit[]): ContextPart | null {
  if (commits.length === 0) return null;
  // A subject is one line, however long: cut, so the commits after it still fit.
  const lines = commits.map((c) =>
    `- ${c.sha.slice(0, 7)} ${inertLine(c.subject, MAX_SUBJECT_CHARS)} ` +
    `(${inertLine(c.author, MAX_NAME_CHARS)}, ${c.date.slice(0, 10)})`
  );
  const title = commits.length === 1 ? "Last commit" : `Last ${commits.length} commits`;
  return { title, source: "git log", text: lines.join("\n") };
}

/** A file is made inert as far as it can be shown: SessionStart never gives more than this. */
export const SHOWN = { shown: MAX_START_CHARS };

/** How much of a commit subject, and of a name (author, branch, upstream), a line keeps. */
const MAX_SUBJECT_CHARS = 300;
const MAX_NAME_CHARS = 120;

export function branchPart(status: StatusRead): ContextPart | null {
  if (typeof status !== "object") return null;
  const name = (text: string) => inertLine(text, MAX_NAME_CHARS);
  const where = status.branch ? `Branch: ${name(status.branch)}` : "Detached HEAD";
  const head = status.head ? ` at ${status.head.slice(0, 7)}` : " (no commit yet)";
  const upstream = status.upstream
    ? status.ahead_behind
      ? `Upstream: ${name(status.upstream)}, ${status.ahead_behind.ahead} ahead, ` +
        `${status.ahead_behind.behind} behind`
      : `Upstream: ${name(status.upstream)} (gone)`
    : "Upstream: none";
  const counts = [
    [status.staged.length, "staged"],
    [status.modified.length, "modified"],
    [status.deleted.length, "deleted"],
    [status.untracked.length, "untracked"],
    [status.conflicted.length, "conflicted"],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${n} ${what}`);
  const tree = counts.length ? `Uncommitted: ${counts.join(", ")}` : "Working tree clean";
  return {
    title: "Branch status",
    source: "git status",
    text: [where + head, upstream, tree].join("\n"),
  };
}

/**
 * The progressive summary of the session (`mpm summary`, written by the SessionEnd hook), its
 * headings two levels down so they sit under the part's own. Cut like any part when room is short.
 */
export async function summaryPart(
  paths: ProjectPaths,
  key: string,
  snapshot: string | null,
): Promise<ContextPart | null> {
  const summary = await readWorkSummary(paths, key);
  if (!summary) return null;
  // A pause newer than the summary would be contradicted by it: left out until the next exit.

  if (snapshot !== null && summary.written !== null) {
    const at = await snapshotWrittenAt(paths, snapshot).catch(() => undefined);
    if (at !== undefined && at > summary.written) return null;
  }
  return {
    title: "Summary of the work so far",
    source: summary.file,
    text: inertDocument(withoutEmptySections(summary.text), SHOWN),
  };
}

/**
 * The first `max` lines of a file; the rest is counted in a truncation note (after the code
 * fence the cut left open, if any, is closed).
 */
export function head(text: string, max: number, source: string): string {
  const lines = text.replace(/\r\n/g, "\n").replace(/\s+$/, "").split("\n");
  if (lines.length <= max) return lines.join("\n");
  const kept = lines.slice(0, max);
  const open = openFence(kept);
  return [...kept, ...(open ? [open] : []), truncationNote(lines.length - max, source)].join("\n");
}

/** The commits part's source: the part kept for the commit HEAD was at, or `git log`'s commits. */
export type CommitsRead = { kept: KeptCommits } | { commits: Commit[] };
