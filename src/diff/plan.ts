/** What a session changed (session_files.ts's rule), and what reverting it would do. Pure. */
import {
  type Entry,
  sameEntry,
  type SessionChanges,
  type SessionFile,
} from "../sessions/store/marks/session_files.ts";
import { notUtf8, shownPath } from "./names.ts";

export {
  type Entry,
  ownStretches,
  type PathChange,
  type Point,
  sameEntry,
  type SessionChanges,
  sessionChanges,
  type SessionFile,
  type Stretch,
} from "../sessions/store/marks/session_files.ts";

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

/** What `mpm revert` would do, or why not; an odd name or a file changed since stops it all (1). */
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
