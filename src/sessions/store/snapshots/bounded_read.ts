/**
 * A snapshot read at a bounded cost (a teammate can push megabytes): past RECORD_READ_BYTES one
 * not sealed here reads only its head, marked elsewhere and `cut`: never verified, never own.
 */
import { jsonHead } from "../../../kernel/format/json_head.ts";
import { JsonSkim } from "../../../kernel/format/json_skim.ts";
import { printableDeep } from "../../../kernel/format/text.ts";
import { IntegrityError } from "../../../kernel/errors.ts";
import { jsonSealVerifiesOfBytes } from "../../../kernel/hashing/seal.ts";
import { ownSnapshot, type Snapshot, WRITTEN_ELSEWHERE } from "../../../kernel/snapshot.ts";
import { idTime } from "../../../kernel/ids.ts";
import { machineKey } from "../../../disk/machine_key.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";
import { dirname } from "../../../kernel/path.ts";
import { lstatIfExistsSync } from "../../../disk/read/stat.ts";
import { letGo } from "../../../disk/read/read.ts";
import { refuseLinkedFolder } from "../listing/store_folders.ts";
import { type LoadOptions, loadSnapshot, readStoredSync } from "./read_snapshot.ts";
import type { SessionEntry } from "../listing/listing.ts";

/** A record larger than this is read only this far unless this machine sealed it. */
export const RECORD_READ_BYTES = 256 * 1024;
/** How much of a larger record its head is looked for in, long strings passed over. */
const RECORD_SCAN_BYTES = 32 * 1024 * 1024;
const PIECE_BYTES = 256 * 1024;

export interface BoundedRead {
  snapshot: Snapshot;
  /** Set when only the head was read: the file's size, in bytes. */
  cut?: { bytes: number };
}

/** Why a record was read only in part, for a note beside what it showed. */
export function cutReason(id: string, bytes: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${id} is ${mb(bytes)}, more than the ${RECORD_READ_BYTES / 1024} KiB mpm reads of a ` +
    "record it did not seal: only its first part was read";
}

/** `entry` read within RECORD_READ_BYTES unless sealed here (checked only when `own`). */
export async function loadBounded(
  paths: ProjectPaths,
  entry: SessionEntry,
  options: { own: boolean } & LoadOptions,
): Promise<BoundedRead> {
  const size = entry.format === "json" ? lstatIfExistsSync(entry.file)?.size : undefined;
  const load = { keepPaths: options.keepPaths };
  if (size === undefined || size <= RECORD_READ_BYTES) {
    return { snapshot: await loadSnapshot(paths, entry, load) };
  }
  // The person's own large pause, read once: the bytes its seal was checked over are loaded.
  const own = options.own ? sealedHere(paths, entry) : undefined;
  if (own !== undefined) {
    try {
      return { snapshot: await loadSnapshot(paths, entry, { ...load, bytes: own }) };
    } finally {
      letGo(own);
    }
  }
  return { snapshot: headSnapshot(paths, entry), cut: { bytes: size } };
}

/** The record's bytes when this machine sealed it (its whole text hashed, nothing parsed). */
function sealedHere(paths: ProjectPaths, entry: SessionEntry): Uint8Array | undefined {
  const bytes = readStoredSync(entry.file, displayPath(paths, entry.file));
  if (bytes === undefined) return undefined;
  // The seal is the record's last member, found in its last bytes (the text is never decoded).
  const decoder = new TextDecoder();
  let tail = decoder.decode(bytes.subarray(Math.max(0, bytes.length - SEAL_TAIL)));
  let at = tail.lastIndexOf('"seal": "');
  // Not there (words of more than SEAL_TAIL after it): looked for in the whole.
  if (at < 0 && bytes.length > SEAL_TAIL) {
    at = (tail = decoder.decode(bytes)).lastIndexOf('"seal": "');
  }
  const seal = at < 0 ? undefined : tail.slice(at + 9, at + 9 + 64);
  if (seal !== undefined && jsonSealVerifiesOfBytes(bytes, seal, machineKey())) return bytes;
  letGo(bytes);
  return undefined;
}

/** The last bytes of a record its seal is looked for in: the `mpm` block's end. */
const SEAL_TAIL = 64 * 1024;

/** The record its first RECORD_READ_BYTES hold, checked as a snapshot, marked from elsewhere. */
export function headSnapshot(paths: ProjectPaths, entry: SessionEntry): Snapshot {
  const shown = displayPath(paths, entry.file);
  // Never through a link, as loadSnapshot: its folder, then the file (readStoredSync refuses).
  refuseLinkedFolder(paths, dirname(entry.file));
  if (lstatIfExistsSync(entry.file)?.isSymlink) readStoredSync(entry.file, shown);
  // Long strings passed over, not kept (so they cannot hide the files), within RECORD_SCAN_BYTES.
  const skim = new JsonSkim(RECORD_READ_BYTES);
  const piece = new Uint8Array(PIECE_BYTES);
  using file = Deno.openSync(entry.file, { read: true });
  for (let scanned = 0; scanned < RECORD_SCAN_BYTES;) {
    const n = file.readSync(piece);
    if (n === null || !skim.push(piece.subarray(0, n))) break;
    scanned += n;
  }
  const raw = jsonHead(new TextDecoder().decode(skim.bytes()));
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new IntegrityError(`${shown} is not a snapshot record.`);
  }
  const snapshot = printableDeep(ownSnapshot(skeleton(raw as Loose, entry), shown));
  (snapshot as { [WRITTEN_ELSEWHERE]?: boolean })[WRITTEN_ELSEWHERE] = true;
  return snapshot;
}

type Loose = Record<string, unknown>;

const str = (v: unknown, d: string | null = null) => typeof v === "string" ? v : d;
const strs = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const obj = (v: unknown): Loose =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? v as Loose : {};
const STATUSES = ["pending", "in_progress", "completed"];
const STATES = ["paused", "branched", "completed", "cancelled", "active"];

function todos(v: unknown) {
  return (Array.isArray(v) ? v : []).map(obj)
    .filter((t) => typeof t.content === "string" && STATUSES.includes(t.status as string))
    .map((t) => ({ content: t.content as string, status: t.status as string }));
}

/** The fields the board and SessionStart read, from what the head holds; the rest their defaults. */
function skeleton(raw: Loose, entry: SessionEntry): Loose & { schema_version: number } {
  const conversation = obj(raw.conversation);
  const git = raw.git_context === undefined || raw.git_context === null
    ? null
    : obj(raw.git_context);
  const status = obj(git?.status);
  const m = obj(raw.mpm);
  const t = obj(raw.todos);
  const origin = obj(m.sync_origin);
  const at = str(raw.paused_at) ?? idTime(entry.id)?.toISOString() ?? "";
  return {
    schema_version: 1,
    session_id: str(raw.session_id, entry.id),
    paused_at: at,
    conversation: {
      summary: str(conversation.summary, ""),
      accomplishments: strs(conversation.accomplishments),
      next_steps: strs(conversation.next_steps),
    },
    git_context: git && {
      branch: str(git.branch),
      commit: str(git.commit),
      commit_message: str(git.commit_message),
      upstream: str(git.upstream),
      status: {
        modified: strs(status.modified),
        staged: strs(status.staged),
        untracked: strs(status.untracked),
        deleted: strs(status.deleted),
        conflicted: strs(status.conflicted),
      },
      is_clean: git.is_clean === true,
      ahead_behind: null,
    },
    todos: { active: todos(t.active), completed: todos(t.completed) },
    version: str(raw.version, ""),
    build: str(raw.build, ""),
    project_path: str(raw.project_path, ""),
    mpm: {
      name: str(m.name),
      task: str(m.task),
      state: STATES.includes(m.state as string) ? m.state : "paused",
      ...(typeof m.key === "string" ? { key: m.key } : {}),
      ...(Array.isArray(m.work_files) ? { work_files: strs(m.work_files) } : {}),
      ...(typeof origin.session_id === "string"
        ? { sync_origin: { session_id: origin.session_id } }
        : {}),
    },
  };
}
