/**
 * `mpm migrate`'s decisions, made before anything is touched: which record becomes which snapshot,
 * what is a duplicate, moved, removed or left, and what LATEST-SESSION.txt says. A link with a
 * session file's name is never read: named and left. Pure.
 */
import { checksumLine, sha256Hex } from "../kernel/hashing/checksum.ts";
import { compareNewestFirst } from "../kernel/ids.ts";
import {
  byText,
  type Collected,
  contentKey,
  DATA_KINDS,
  type DataKind,
  type LegacyRecord,
  type LinkFile,
  mpmOwnedIds,
  readOnly,
  shownPath,
  type SourceFile,
  type Where,
} from "./records.ts";
import {
  changesDisk,
  leavingPaths,
  orderSteps,
  type Plan,
  type RecordInfo,
  type Step,
  type Write,
} from "./steps.ts";
import { redactDeep } from "../kernel/safe_text/redact.ts";
import { renderMarkdown } from "../sessions/store/snapshots/render_md.ts";
import { yamlText } from "../kernel/format/yaml.ts";
import { serializeSnapshot, type Snapshot } from "../kernel/snapshot.ts";
import { shellQuote } from "../kernel/format/text.ts";
import { pushAll, sameItems } from "../kernel/lists.ts";

export interface PlanInput {
  collected: Collected;
  /** Every file name in sessions/ (mpm's own included). */
  sessionsNames: readonly string[];
  pauseExists: boolean;
  /** Entries of pause/ that are not regular files (folders, links): they stay, and so does it. */
  pauseKeeps: readonly string[];
  /** mpm's own snapshots sharing a base id with a record, to recognise one already imported. */
  own: ReadonlyMap<string, Snapshot>;
  /** Every file name in sessions/archive/: the ids of mpm's snapshots there stay taken. */
  archivedNames?: readonly string[];
  /** Symbolic links (or files too large) with a session file's name, in any folder read: left. */
  links?: readonly LinkFile[];
  /** Whether a `--from` record's project_path is this project (realpaths, so the caller's). */
  isThisProject: (projectPath: string) => boolean;
  /** Ids whose `.json.sha256` claim has no `.json` (a killed run): not mpm's; the claim goes. */
  staleClaims?: readonly string[];
  /** mpm's own complete snapshots whose `.md` or `.yaml` is missing (killed after the JSON). */
  unrendered?: readonly { snapshot: Snapshot; missing: readonly ("md" | "yaml")[] }[];
  /** Sessions the continued migration converted, by source digests: their copies are duplicates. */
  converted?: readonly Converted[];
}

export interface Converted {
  id: string;
  digests: Partial<Record<DataKind, string>>;
}

const PAUSE_DIR = "sessions/pause";
const WHERE_RANK: Record<Where, number> = { sessions: 0, pause: 1, from: 2, trusty: 3 };
// An mpm id: old `-N` or new `-MMMxyz` suffix (kernel/ids.ts).
const LATEST_LINE = /^session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?\n$/;

export function baseId(id: string): string {
  return id.match(/^session-\d{8}-\d{6}/)?.[0] ?? id;
}

function nextAttempt(id: string): string {
  const m = id.match(/^(session-\d{8}-\d{6})(?:-(\d+))?$/)!;
  return `${m[1]}-${Number(m[2] ?? 1) + 1}`;
}

/** Decides every step, richest records first, then sessions/, pause/, `--from`: copies last. */
export function planMigration(input: PlanInput): Plan {
  const { collected } = input;
  const stale = new Set(input.staleClaims ?? []);
  const ownIds = new Set([...mpmOwnedIds(input.sessionsNames)].filter((id) => !stale.has(id)));
  const archivedIds = mpmOwnedIds(input.archivedNames ?? []);
  const isOwn = (id: string) => ownIds.has(id) || archivedIds.has(id);
  const steps: Step[] = [];
  const candidates: LegacyRecord[] = [];
  const leftNames = new Set<string>();
  for (const link of input.links ?? []) {
    const id = link.name.replace(/\.[^.]+$/, "");
    // A link in place of mpm's own file is the store's to name (`mpm list`, `mpm doctor`).
    if (link.where === "sessions" && ownIds.has(id)) continue;
    steps.push({ kind: "invalid", record: linkInfo(link, id), message: linkRefusal(link) });
    if (link.where === "sessions") leftNames.add(link.name);
  }
  for (const record of collected.records) {
    if (record.error || !record.snapshot) {
      steps.push({ kind: "invalid", record: info(record), message: record.error ?? "unreadable" });
      if (record.where === "sessions") { for (const f of filesOf(record)) leftNames.add(f.name); }
      continue;
    }
    if (record.where === "from" && !input.isThisProject(record.snapshot.project_path)) {
      const path = record.snapshot.project_path;
      steps.push({
        kind: "skip",
        record: info(record),
        reason: path ? `it belongs to ${path}` : "it names no project",
      });
      continue;
    }
    candidates.push(record);
  }
  for (const name of input.sessionsNames) {
    const id = name.match(/^session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?(?=\.)/)?.[0];
    if (id && ownIds.has(id)) leftNames.add(name);
  }
  candidates.sort((a, b) =>
    richness(b) - richness(a) || WHERE_RANK[a.where] - WHERE_RANK[b.where] ||
    byText(a.primary.rel, b.primary.rel)
  );

  // An id is free unless mpm owns it, a kept record took it, or its files stay on disk.
  const kept: { record: LegacyRecord; id: string; key: string }[] = [];
  const ownKeys = new Map([...input.own].map(([id, snap]) => [id, contentKey(snap)]));
  const converted = input.converted ?? [];
  const taken = (id: string) =>
    isOwn(id) || kept.some((k) => k.id === id) ||
    [".json", ".json.sha256", ".md", ".yaml"].some((ext) => leftNames.has(`${id}${ext}`));
  const converts: Extract<Step, { kind: "convert" }>[] = [];
  for (const record of candidates) {
    const snapshot = redactDeep(record.snapshot!);
    const key = contentKey(snapshot);
    const twin = kept.find((k) => containsBytes(k.record, record))?.id ??
      converted.find((c) => isOwn(c.id) && copiesOf(c.digests, record))?.id;
    const base = baseId(snapshot.session_id);
    const same = kept.find((k) => baseId(k.id) === base && k.key === key)?.id ??
      [...ownKeys].find(([id, k]) => baseId(id) === base && k === key)?.[0];
    if (twin || same) {
      steps.push({
        kind: "duplicate",
        record: info(record),
        of: twin ?? same!,
        how: twin ? "identical-bytes" : "same-content",
        overwrites: [],
        removes: localFiles(record),
      });
      continue;
    }
    let id = snapshot.session_id;
    while (taken(id)) id = nextAttempt(id);
    kept.push({ record, id, key });
    const step = convert(record, snapshot, id);
    converts.push(step);
    steps.push(step);
  }

  const written = new Set(converts.flatMap((c) => c.writes.map((w) => w.rel)));
  for (const step of steps) {
    if (step.kind !== "convert" && step.kind !== "duplicate") continue;
    const all = step.removes;
    step.removes = all.filter((rel) => !written.has(rel));
    step.overwrites = all.filter((rel) => written.has(rel));
  }

  for (const id of stale) {
    const rel = `sessions/${id}.json.sha256`;
    const claimedAgain = converts.find((c) => c.writes.some((w) => w.rel === rel));
    if (claimedAgain) claimedAgain.overwrites.push(rel);
    else steps.push({ kind: "remove", rel, reason: "the claim of an interrupted write" });
  }
  for (const { snapshot, missing } of input.unrendered ?? []) {
    const id = snapshot.session_id;
    const writes = missing.map((ext) => ({
      rel: `sessions/${id}.${ext}`,
      text: ext === "md" ? renderMarkdown(snapshot) : yamlText(snapshot),
    }));
    steps.push({ kind: "render", id, writes });
  }

  const sessionsNames = new Set(input.sessionsNames);
  for (const file of collected.strayChecksums) {
    if (file.where === "from") continue;
    steps.push({ kind: "remove", rel: file.rel, reason: "checksum of a session that is gone" });
  }
  pushAll(steps, pauseOthers(collected, sessionsNames, written));

  const changed = steps.some(changesDisk);
  // LATEST-SESSION.txt names the newest record that reads.
  const listed = [...ownIds, ...kept.map((k) => k.id)].sort(compareNewestFirst);
  const latest = latestStep(collected.latest, listed[0] ?? null, changed);
  if (latest) steps.push(latest);

  if (input.pauseExists && input.pauseKeeps.length === 0) {
    const gone = new Set(steps.flatMap(leavingPaths));
    const inPause = [
      ...collected.records.filter((r) => r.where === "pause").flatMap(filesOf),
      ...collected.strayChecksums,
      ...collected.latest,
      ...collected.others,
    ].filter((f) => f.where === "pause");
    if (inPause.every((f) => gone.has(f.rel))) steps.push({ kind: "remove-dir", rel: PAUSE_DIR });
  }
  return { steps: orderSteps(steps), changes: steps.some(changesDisk) };
}

function convert(record: LegacyRecord, snapshot: Snapshot, id: string) {
  const legacy = snapshot.mpm.legacy as Record<string, unknown> | undefined;
  const final: Snapshot = {
    ...snapshot,
    session_id: id,
    mpm: {
      ...snapshot.mpm,
      ...(legacy
        ? {
          legacy: { ...legacy, files: filesOf(record).map(shownPath), checksum: record.checksum },
        }
        : {}),
    },
  };
  const json = serializeSnapshot(final);
  // In the order they are written: the record, then its checksum (apply.ts says why).
  const writes: Write[] = [
    { rel: `sessions/${id}.json`, text: json },
    { rel: `sessions/${id}.json.sha256`, text: checksumLine(json, `${id}.json`) },
    { rel: `sessions/${id}.md`, text: renderMarkdown(final) },
    { rel: `sessions/${id}.yaml`, text: yamlText(final) },
  ];
  return {
    kind: "convert" as const,
    record: info(record),
    id,
    besides: id === snapshot.session_id ? null : snapshot.session_id,
    redacted: contentKey(snapshot) !== contentKey(record.snapshot!),
    writes,
    overwrites: [] as string[],
    removes: localFiles(record),
  };
}

/** Non-session files of pause/ join the flat folder, unless a different file has their name. */
function pauseOthers(collected: Collected, names: Set<string>, written: Set<string>): Step[] {
  const inSessions = new Map(
    collected.others.filter((f) => f.where === "sessions").map((f) => [f.name, f]),
  );
  return collected.others.filter((f) => f.where === "pause").map((file): Step => {
    const to = `sessions/${file.name}`;
    const there = inSessions.get(file.name);
    if (there && sameItems(there.bytes, file.bytes)) {
      return { kind: "remove", rel: file.rel, reason: `identical to ${to}` };
    }
    if (names.has(file.name) || written.has(to)) {
      return { kind: "keep", rel: file.rel, reason: `a different ${to} exists` };
    }
    return { kind: "move", from: file.rel, to };
  });
}

function latestStep(files: SourceFile[], newest: string | null, changed: boolean): Step | null {
  const flat = files.find((f) => f.where === "sessions");
  const old = files.filter((f) => f.where === "pause").map((f) => f.rel);
  const current = flat && new TextDecoder().decode(flat.bytes);
  const legacyText = current !== undefined && !LATEST_LINE.test(current);
  if (!changed && old.length === 0 && !legacyText) return null;
  const text = newest ? `${newest}\n` : null;
  if (old.length === 0 && text === (current ?? null)) return null;
  return {
    kind: "latest",
    id: newest,
    write: text === null ? null : { rel: "sessions/LATEST-SESSION.txt", text },
    overwrites: flat && text !== null ? [flat.rel] : [],
    removes: [...old, ...(flat && text === null ? [flat.rel] : [])],
  };
}

function filesOf(record: LegacyRecord): SourceFile[] {
  return [...DATA_KINDS.flatMap((k) => record.data[k] ?? []), ...record.checksums];
}

function localFiles(record: LegacyRecord): string[] {
  return readOnly(record.where) ? [] : filesOf(record).map((f) => f.rel);
}

function info(record: LegacyRecord): RecordInfo {
  return {
    where: record.where,
    files: filesOf(record).map(shownPath),
    legacy_id: record.nameId,
    layout: record.layout ?? null,
    checksum: record.checksum,
  };
}

function linkInfo(link: LinkFile, id: string): RecordInfo {
  return {
    where: link.where,
    files: [shownPath(link)],
    legacy_id: id,
    layout: null,
    checksum: "none",
  };
}

/** Why a link (or a file too large) is left, and what to do about it. */
function linkRefusal(link: LinkFile): string {
  if (link.tooLarge) {
    const { size, limit } = link.tooLarge;
    return `${shownPath(link)} holds ${size} bytes, more than mpm reads of one file (${limit}), ` +
      "so it is left as it is: move it out of the folder to go on without it.";
  }
  return `${shownPath(link)} is a symbolic link, and mpm never reads a session through one: ` +
    `replace it with a copy of the file it points to, or remove it (rm ${
      shellQuote(link.path)
    }), then run \`mpm migrate\` again.`;
}

function richness(record: LegacyRecord): number {
  return DATA_KINDS.filter((k) => record.data[k]).length;
}

/** Whether every data file of `record` has the digest of the same kind of file in `digests`. */
function copiesOf(digests: Converted["digests"], record: LegacyRecord): boolean {
  return DATA_KINDS.every((k) => {
    const mine = record.data[k];
    return !mine || (digests[k] !== undefined && sha256Hex(mine.bytes) === digests[k]);
  });
}

/** Whether every data file of `small` is byte-identical to the same kind of file of `big`. */
function containsBytes(big: LegacyRecord, small: LegacyRecord): boolean {
  return DATA_KINDS.every((k) => {
    const mine = small.data[k];
    const theirs = big.data[k];
    return !mine || (theirs !== undefined && sameItems(mine.bytes, theirs.bytes));
  });
}
