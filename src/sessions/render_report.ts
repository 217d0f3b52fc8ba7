/**
 * The human resume report: the session's context, then everything that changed since the pause.
 */
import type { Changes } from "./changes.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import type { Style } from "../kernel/style.ts";

/** "2 hours ago", "3 days ago", "just now". */
export function ago(then: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (Number.isNaN(seconds)) return "at an unknown time";
  if (seconds < 0) return "in the future";
  if (seconds < 45) return "just now";
  const units: [number, string][] = [[86400 * 365, "year"], [86400 * 30, "month"], [86400, "day"], [
    3600,
    "hour",
  ], [60, "minute"]];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.round(seconds / size);
      return `${n} ${name}${n === 1 ? "" : "s"} ago`;
    }
  }
  return "just now";
}

/** Text of several lines (a summary, a note) as one row of a list. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** "2025-10-20 14:30:22 UTC" from an ISO time. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");
}

function section(s: Style, title: string, items: string[], bullet = "•"): string[] {
  if (items.length === 0) return [];
  return ["", s.bold(`${title} (${items.length}):`), ...items.map((i) => `  ${bullet} ${i}`)];
}

/** The context part: what the session was, without what changed. */
export function renderContext(snapshot: Snapshot, now: Date, s: Style): string[] {
  const { conversation: c, todos, mpm, git_context: git } = snapshot;
  const lines = [s.bold(`Session ${snapshot.session_id}`)];
  lines.push(
    `Paused: ${shortTime(snapshot.paused_at)} (${ago(new Date(snapshot.paused_at), now)})`,
  );
  if (mpm.name) lines.push(`Name: ${mpm.name}`);
  if (mpm.task) lines.push(`Task: ${mpm.task}`);
  if (mpm.parent) lines.push(`Parent session: ${mpm.parent}`);
  if (mpm.state !== "paused") lines.push(`State: ${mpm.state}`);
  if (git) {
    const where = git.branch ?? "detached HEAD";
    const commit = git.commit
      ? `${git.commit.slice(0, 7)} ${git.commit_message ?? ""}`.trim()
      : "no commit yet";
    lines.push(`Git: ${where} at ${commit}`);
  }
  lines.push(`Summary: ${c.summary}`);
  lines.push(...section(s, "Accomplishments", c.accomplishments));
  lines.push(...section(s, "Next steps", c.next_steps));
  const todoLines = [
    ...todos.active.map((t) =>
      `[ ] ${t.content}${t.status === "in_progress" ? " (in progress)" : ""}`
    ),
    ...todos.completed.map((t) => `[x] ${t.content}`),
  ];
  if (todoLines.length) {
    lines.push(
      "",
      s.bold(`Todos (${todos.active.length} open, ${todos.completed.length} done):`),
      ...todoLines.map((t) => `  ${t}`),
    );
  }
  return lines;
}

function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 7) : "(none)";
}

/** The changes part of the report. `null` changes: not a git repository. */
export function renderChanges(changes: Changes | null, now: Date, s: Style): string[] {
  const lines = ["", s.bold("Changes since pause:")];
  if (changes === null) return [...lines, "  Not a git repository: no change detection."];
  const { branch } = changes;
  if (branch.from !== branch.to) {
    lines.push(`  Branch: ${branch.from ?? "detached"} → ${branch.to ?? "detached"}`);
  }
  if (changes.history_rewritten) {
    lines.push(
      s.yellow(
        `  ⚠ History rewritten: the paused commit ${
          shortSha(changes.paused_commit)
        } is no longer in this branch's history (rebase, reset or amend).`,
      ),
    );
  }
  if (changes.new_commits.length) {
    lines.push("", `  New commits (${changes.new_commits.length}):`);
    for (const c of changes.new_commits) {
      lines.push(
        `    ${c.sha.slice(0, 7)} - ${c.subject} (${c.author}, ${ago(new Date(c.date), now)})`,
      );
    }
  } else {
    lines.push("  No new commits.");
  }
  if (changes.files.length) {
    lines.push("", `  Files changed by them (${changes.files.length}):`);
    for (const f of changes.files) lines.push(`    ${f.status.padEnd(2)} ${f.path}`);
  }
  if (changes.conflicts.length) {
    lines.push("", s.yellow(`  ⚠ Potential conflicts (${changes.conflicts.length}):`));
    for (const path of changes.conflicts) {
      lines.push(`    • ${path}: changed by new commits and uncommitted at pause`);
    }
  }
  if (changes.missing_files.length) {
    lines.push("", s.yellow(`  Missing files (${changes.missing_files.length}):`));
    for (const path of changes.missing_files) {
      lines.push(`    • ${path}: uncommitted at pause, gone now`);
    }
  }
  const tree = changes.working_tree;
  lines.push("", "  Working directory:");
  const kinds: [string, string[]][] = [
    ["Unmerged (resolve these first)", tree.conflicted],
    ["Staged", tree.staged],
    ["Modified", tree.modified],
    ["Deleted", tree.deleted],
    ["Untracked", tree.untracked],
  ];
  const shown = kinds.filter(([, paths]) => paths.length > 0);
  if (shown.length === 0) lines.push("    • No uncommitted changes");
  for (const [kind, paths] of shown) lines.push(`    • ${kind} (${paths.length}): ${list(paths)}`);
  if (changes.ahead_behind) {
    const { ahead, behind } = changes.ahead_behind;
    if (ahead || behind) lines.push(`    • ${ahead} ahead, ${behind} behind upstream`);
  }
  return lines;
}

function list(paths: string[], max = 5): string {
  return paths.slice(0, max).join(", ") +
    (paths.length > max ? `, and ${paths.length - max} more` : "");
}

export function renderResumeReport(
  snapshot: Snapshot,
  changes: Changes | null | undefined,
  now: Date,
  s: Style,
): string {
  const lines = renderContext(snapshot, now, s);
  if (changes !== undefined) lines.push(...renderChanges(changes, now, s));
  return lines.join("\n") + "\n";
}
