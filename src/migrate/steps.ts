/** A migration plan's steps: their order, what they change or take, the manifest's log. */
import type { LegacyLayout } from "../legacy/layouts.ts";
import { byText, type Checksum, type Where } from "./records.ts";

export interface RecordInfo {
  where: Where;
  files: string[];
  legacy_id: string;
  layout: LegacyLayout | null;
  checksum: Checksum;
}

export interface Write {
  /** Relative to `.claude-mpm/`. */
  rel: string;
  text: string;
}

/** Every path below is relative to `.claude-mpm/`; `--from` files are never changed. */
export type Step =
  | {
    kind: "convert";
    record: RecordInfo;
    id: string;
    /** The id it would have had, taken by a different session (both are kept). */
    besides: string | null;
    /** Whether secrets were redacted from it on the way. */
    redacted: boolean;
    writes: Write[];
    overwrites: string[];
    removes: string[];
  }
  | {
    kind: "duplicate";
    record: RecordInfo;
    of: string;
    how: "identical-bytes" | "same-content";
    /** Its files that a kept session's new files replace. */
    overwrites: string[];
    removes: string[];
  }
  | { kind: "skip"; record: RecordInfo; reason: string }
  | { kind: "invalid"; record: RecordInfo; message: string }
  | { kind: "move"; from: string; to: string }
  | { kind: "remove"; rel: string; reason: string }
  | { kind: "keep"; rel: string; reason: string }
  | {
    kind: "latest";
    id: string | null;
    write: Write | null;
    overwrites: string[];
    removes: string[];
  }
  | { kind: "remove-dir"; rel: string }
  /** Renderings of an mpm snapshot that an interrupted write left without them. */
  | { kind: "render"; id: string; writes: Write[] };

export interface Plan {
  steps: Step[];
  changes: boolean;
}

/** One entry of the backup manifest's log. */
export interface Move {
  action: string;
  from: string[];
  to: string[];
}

/** Sessions oldest first, then loose files, the pointer, the folder. */
const ORDER: Record<Step["kind"], number> = {
  convert: 0,
  duplicate: 0,
  skip: 0,
  invalid: 0,
  move: 1,
  remove: 1,
  keep: 1,
  render: 1,
  latest: 2,
  "remove-dir": 3,
};

function sortId(step: Step): string {
  switch (step.kind) {
    case "convert":
      return `${step.id} 0`;
    case "duplicate":
      return `${step.of} 1`;
    case "skip":
    case "invalid":
      return `${step.record.legacy_id} 2`;
    case "move":
      return step.from;
    case "remove":
    case "keep":
    case "remove-dir":
      return step.rel;
    case "render":
      return step.id;
    case "latest":
      return "";
  }
}

export function orderSteps(steps: Step[]): Step[] {
  return steps.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || byText(sortId(a), sortId(b)));
}

export function changesDisk(step: Step): boolean {
  switch (step.kind) {
    case "convert":
    case "move":
    case "remove":
    case "latest":
    case "remove-dir":
    case "render":
      return true;
    case "duplicate":
      return step.removes.length > 0;
    default:
      return false;
  }
}

/** The local files a step takes away from where they are. */
export function leavingPaths(step: Step): string[] {
  switch (step.kind) {
    case "convert":
    case "duplicate":
    case "latest":
      return step.removes;
    case "move":
      return [step.from];
    case "remove":
      return [step.rel];
    default:
      return [];
  }
}

/** Every file the plan removes or overwrites: what a backup must hold. */
export function originalsOf(plan: Plan): string[] {
  const rels = plan.steps.flatMap((step) => [
    ...leavingPaths(step),
    ...("overwrites" in step ? step.overwrites : []),
  ]);
  return [...new Set(rels)];
}

/** The manifest's human log: one entry per step that changes something. */
export function movesOf(plan: Plan): Move[] {
  return plan.steps.flatMap((step): Move[] => {
    switch (step.kind) {
      case "convert":
        return [{
          action: "convert",
          from: step.record.files,
          to: step.writes.map((w) => `.claude-mpm/${w.rel}`),
        }];
      case "duplicate":
        return step.removes.length
          ? [{ action: `duplicate of ${step.of}`, from: step.record.files, to: [] }]
          : [];
      case "move":
        return [{
          action: "move",
          from: [`.claude-mpm/${step.from}`],
          to: [`.claude-mpm/${step.to}`],
        }];
      case "remove":
        return [{ action: `remove (${step.reason})`, from: [`.claude-mpm/${step.rel}`], to: [] }];
      case "latest":
        return [{
          action: "rewrite LATEST-SESSION.txt",
          from: [...step.overwrites, ...step.removes].map((rel) => `.claude-mpm/${rel}`),
          to: step.write ? [`.claude-mpm/${step.write.rel}`] : [],
        }];
      case "remove-dir":
        return [{ action: "remove empty folder", from: [`.claude-mpm/${step.rel}/`], to: [] }];
      case "render":
        return [{
          action: "render",
          from: [`.claude-mpm/sessions/${step.id}.json`],
          to: step.writes.map((w) => `.claude-mpm/${w.rel}`),
        }];
      default:
        return [];
    }
  });
}

/** What carrying out `plan` would do in a few words ("1 duplicate to remove"); "" if nothing. */
export function workSummary(plan: Plan): string {
  const converts = plan.steps.filter((s) => s.kind === "convert");
  const n = (count: number, one: string, many = `${one}s`) =>
    `${count} ${count === 1 ? one : many}`;
  const from = (tool: string, count: number) => count ? n(count, `${tool} session`) : "";
  const trusty = converts.filter((s) => s.record.where === "trusty").length;
  const sessions = [from("claude-mpm", converts.length - trusty), from("trusty-mpm", trusty)]
    .filter(Boolean).join(" and ");
  // A duplicate of another tool's (or of a `--from` folder's) is only read: nothing to remove.
  const duplicates = plan.steps.filter((s) => s.kind === "duplicate" && s.removes.length).length;
  const other =
    plan.steps.filter((s) => !["convert", "duplicate", "skip", "keep", "invalid"].includes(s.kind))
      .length;
  return [
    sessions && `${sessions} to convert`,
    duplicates ? n(duplicates, "duplicate") + " to remove" : "",
    other ? n(other, "other change") + " (old layouts, leftovers)" : "",
  ].filter(Boolean).join(", ");
}
