/**
 * What a session changed, and what reverting it would do: decided from its work-tree marks
 * (src/sessions/marks/) and the changes between consecutive ones, gathered by gather.ts. Pure.
 *
 * A session's marks cut time into stretches. A stretch from a pause (or any end) to the next
 * start or resume is a gap: the session was not being worked on, so what changed then is not
 * its own. Every other stretch is the session's (for the active session, the one up to now
 * too). A path is the session's when some stretch of its own changed it; it is shown from its
 * content when the first such stretch began to its content at the last mark (or now). Content
 * decides, not names or commits: a file edited by any means (Bash `sed` included), committed,
 * stashed, rebased, is compared by what it holds; one changed and changed back is not shown; a
 * file already dirty when the session began is not the session's unless it changed again.
 */
import type { TreeEntryOf } from "../git/objects/work_capture.ts";
import { notUtf8, shownPath } from "./names.ts";

/** A path's content in a tree (blob and mode); null where the path is absent. */
export type Entry = TreeEntryOf;

export interface PathChange {
  path: string;
  from: Entry | null;
  to: Entry | null;
}

/** One capture of the work tree, in time order: a mark, or the tree now. */
export interface Point {
  /** Work is the session's from this point on (a start or a resume). */
  opens: boolean;
  /** The tree now, for the active session: the stretch up to it is the session's. */
  now?: boolean;
}

/** Whether the stretch from `points[i]` to `points[i + 1]` is the session's, for each i. */
export function ownStretches(points: readonly Point[]): boolean[] {
  const own: boolean[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    own.push(points[i + 1].now === true || points[i].opens || !points[i + 1].opens);
  }
  return own;
}

export interface Stretch {
  own: boolean;
  changes: readonly PathChange[];
  /** Paths whose content is not known at one end (left out of a capture). */
  unknown: readonly string[];
}

export interface SessionFile {
  path: string;
  /** The content when the session first changed it; null: it did not exist. */
  start: Entry | null;
  /** Its content at the session's last mark (or now); null: it no longer exists. */
  end: Entry | null;
}

export interface SessionChanges {
  files: SessionFile[];
  /** Paths the session may have changed whose content could not be compared. */
  unknown: string[];
}

export function sameEntry(a: Entry | null, b: Entry | null): boolean {
  return a === null || b === null ? a === b : a.blob === b.blob && a.mode === b.mode;
}

const byPath = (a: { path: string }, b: { path: string }) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** The session's files, from its stretches in time order. */
export function sessionChanges(stretches: readonly Stretch[]): SessionChanges {
  const current = new Map<string, Entry | null>();
  const start = new Map<string, Entry | null>();
  const unknown = new Set<string>();
  const maybe = new Set<string>();
  for (const stretch of stretches) {
    for (const path of stretch.unknown) (stretch.own ? unknown : maybe).add(path);
    for (const change of stretch.changes) {
      if (stretch.own && !start.has(change.path)) start.set(change.path, change.from);
      current.set(change.path, change.to);
    }
  }
  // A path unknown only in a gap matters when the session changed it too.
  for (const path of maybe) if (start.has(path)) unknown.add(path);
  const files: SessionFile[] = [];
  for (const [path, from] of start) {
    if (unknown.has(path)) continue;
    const end = current.get(path) ?? null;
    if (!sameEntry(from, end)) files.push({ path, start: from, end });
  }
  return { files: files.sort(byPath), unknown: [...unknown].sort() };
}

export type FileStatus = "added" | "deleted" | "modified" | "mode";

export function fileStatus(file: SessionFile): FileStatus {
  if (file.start === null) return "added";
  if (file.end === null) return "deleted";
  return file.start.blob === file.end.blob ? "mode" : "modified";
}

/** Whether `path` is `spec` or inside folder `spec` ("." and "" name every path). */
export function withinSpec(path: string, spec: string): boolean {
  const folder = spec.replace(/\/+$/, "");
  return folder === "" || folder === "." || path === folder || path.startsWith(`${folder}/`);
}

export interface Selected extends SessionChanges {
  /** Specs that name none of the session's paths (compared or not). */
  outside: string[];
}

/** The session's changes under `specs` (all of them without any). */
export function selectPaths(changes: SessionChanges, specs: readonly string[]): Selected {
  if (specs.length === 0) return { ...changes, outside: [] };
  const hit = (path: string) => specs.some((spec) => withinSpec(path, spec));
  const all = [...changes.files.map((f) => f.path), ...changes.unknown];
  return {
    files: changes.files.filter((f) => hit(f.path)),
    unknown: changes.unknown.filter(hit),
    outside: specs.filter((spec) => !all.some((path) => withinSpec(path, spec))),
  };
}

/** What a path holds now, as far as a revert needs to know: an entry, or not known. */
export type Now = Entry | null | "unknown";

export interface RevertInput {
  /** The session, as named in messages. */
  label: string;
  selected: Selected;
  /** Whether paths were named (`-- PATHS`): then an uncompared one is refused, not passed over. */
  named: boolean;
  /** The session is active: its end is now, so nothing can have changed after it. */
  active: boolean;
  /** What each selected file holds now. */
  now: ReadonlyMap<string, Now>;
}

export interface Restore {
  path: string;
  /** What it holds now (kept in the revert's stash). */
  from: Entry | null;
  /** What it held when the session first changed it. */
  to: Entry | null;
}

export type RevertPlan =
  | { kind: "refuse"; code: 1 | 2 | 3; message: string; hint: string; paths: string[] }
  | { kind: "restore"; restore: Restore[]; passedOver: string[] };

/** Paths as a sentence lists them: "a", "a and b", "a, b and c", each on one line (shownPath). */
export function listed(paths: readonly string[]): string {
  const names = paths.map(shownPath);
  return names.length <= 1
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * What `mpm revert` would do, or why it will not: a path outside the session's changes is
 * refused (2), one it could not compare is refused when named, and a file named in bytes that
 * are not UTF-8 (which mpm cannot name on disk: it would write another name) or any file that
 * changed after the session ended (its content now is not its content at the session's end)
 * stops the whole revert (1), so nothing is half undone.
 */
export function planRevert(input: RevertInput): RevertPlan {
  const { label, selected } = input;
  if (selected.outside.length > 0) {
    return {
      kind: "refuse",
      code: 2,
      message: `${listed(selected.outside)} ${
        selected.outside.length === 1 ? "is" : "are"
      } not among the files session ${label} changed; mpm revert touches only those.`,
      hint: `\`mpm diff ${label} --stat\` lists them.`,
      paths: selected.outside,
    };
  }
  if (input.named && selected.unknown.length > 0) {
    return {
      kind: "refuse",
      code: 1,
      message: `${listed(selected.unknown)} could not be compared (a folder, or a file over ` +
        "32 MiB, when a mark was taken), so mpm revert will not restore it.",
      hint: "Restore it by hand; the other files can be named after `--`.",
      paths: selected.unknown,
    };
  }
  const unnamed = selected.files.filter((file) => notUtf8(file.path)).map((file) => file.path);
  if (unnamed.length > 0) {
    const one = unnamed.length === 1;
    return {
      kind: "refuse",
      code: 1,
      message: `${listed(unnamed)} ${one ? "is" : "are"} named in bytes that are not UTF-8, ` +
        "which mpm revert cannot restore exactly, so it leaves every file as it is.",
      hint: `Restore ${one ? "it" : "them"} with git (\`git checkout -- <path>\`), then name ` +
        "the other files after `--` to revert only those.",
      paths: unnamed,
    };
  }
  const changedSince = selected.files.filter((file) => {
    const now = input.now.get(file.path);
    return now === undefined || now === "unknown" || !sameEntry(now, file.end);
  }).map((file) => file.path);
  if (!input.active && changedSince.length > 0) {
    return {
      kind: "refuse",
      code: 1,
      message: `${listed(changedSince)} changed after session ${label} ended, so mpm revert ` +
        "leaves every file as it is.",
      hint: "`git diff` shows the later changes; name the other files after `--` to revert " +
        "only those.",
      paths: changedSince,
    };
  }
  if (selected.files.length === 0) {
    return {
      kind: "refuse",
      code: 3,
      message: `Session ${label} changed no file${input.named ? " among those named" : ""}: ` +
        "there is nothing to revert.",
      hint: `\`mpm diff ${label}\` shows what it changed.`,
      paths: [],
    };
  }
  return {
    kind: "restore",
    restore: selected.files.map((file) => ({
      path: file.path,
      from: (input.now.get(file.path) as Entry | null | undefined) ?? file.end,
      to: file.start,
    })),
    passedOver: selected.unknown,
  };
}
