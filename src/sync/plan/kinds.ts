/**
 * The kinds of file `mpm sync` moves — snapshots, checkpoints and Claude's handoffs — and what
 * differs between them: which ids are valid, how a file is verified and decoded, how it is
 * renamed when its id is taken, which renderings are rebuilt beside it, and how large one may
 * be. Pure.
 */
import { checkValue, object, optional, string } from "../../kernel/check.ts";
import {
  type Checkpoint,
  checkpointText,
  decodeCheckpoint,
  isCheckpointName,
  MAX_NAME_LENGTH,
} from "../../checkpoints/checkpoint.ts";
import { parseChecksumLine, sha256Hex, sha256HexAsync } from "../../kernel/hashing/checksum.ts";
// json_record.ts, not decode.ts: mpm's own records need none of claude-mpm's layouts (nor zod).
import { isMpmRecord, parseJsonFile } from "../../sessions/store/records/snapshot/json_record.ts";
import { IntegrityError } from "../../kernel/errors.ts";
import { forDisk, type TextFields } from "../../disk/files/written.ts";
import { isSessionId, SUFFIX_LETTERS } from "../../kernel/ids.ts";
import { renderCheckpointMarkdown } from "../../checkpoints/render.ts";
import { renderMarkdown } from "../../sessions/store/snapshots/render_md.ts";
import { yamlPieces } from "../../kernel/format/yaml.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import { ownSnapshot, type Snapshot, snapshotText } from "../../kernel/snapshot.ts";
import {
  type ClaudeHandoff,
  claudeHandoffText,
  decodeClaudeHandoff,
  isHandoffId,
} from "../../sessions/store/records/handoff/claude_record.ts";
import { renderHandoffFile } from "../../sessions/store/snapshots/claude_render.ts";
import { type IdLookup, type Kind, nextFreeId, type Origin } from "./plan.ts";

export interface KindSpec {
  kind: Kind;
  /** For messages: "snapshot", "checkpoint". */
  noun: string;
  isId: (id: string) => boolean;
  nextFreeId: (id: string, used: IdLookup) => string;
  /** The identity a renamed file had first, read from its parsed JSON. */
  originOf: (raw: unknown) => Origin | undefined;
  /** The file's text under `newId`, recording where it came from. */
  rename: (text: string, newId: string, sha256: string) => string;
  /** Validates a file's JSON (schema, newer schema, id inside = file id); IntegrityError if not. */
  decode: (raw: unknown, id: string, shown: string, projectPath: string) => unknown;
  /** The renderings rebuilt beside an imported file, by extension. */
  render: (record: unknown) => Record<string, string | Uint8Array>;
  /** Which of its fields are free text, which exact: the declaration its writer redacts by. */
  fields: TextFields;
  /**
   * The parsed record as this machine's writer would have written it (disk/files/written.ts, by
   * `fields`: a snapshot's branch and paths stay exact), keeping the identity it arrived with
   * (as a rename does), or undefined when there was nothing to redact.
   */
  clean: (raw: Raw, sha256: string) => Promise<Raw | undefined>;
  /** The largest file of the kind a pull reads (remote.ts has the default). */
  maxBytes?: number;
}

type Raw = Record<string, unknown>;

/**
 * What an import redacts: anything another machine (a hand edit, a forgery) left
 * in a record that this mpm would never have written, through the same writer and declaration
 * (`fields`) as this machine's own records of the kind. The first identity is kept as the file's
 * origin so that the next sync still knows the remote's unredacted file as this one.
 */
async function cleanRecord(
  fields: TextFields,
  raw: Raw,
  sha256: string,
  originOf: (raw: unknown) => Origin | undefined,
  withOrigin: (raw: Raw, origin: Origin, note: string) => Raw,
  idOf: (raw: Raw) => string,
): Promise<Raw | undefined> {
  const clean = await forDisk(fields, raw);
  if (sameJson(clean, raw)) return undefined;
  const origin = originOf(raw) ?? { id: idOf(raw), sha256 };
  return withOrigin(clean, origin, REDACTED_NOTE);
}

const REDACTED_NOTE = "Text that looked like a secret was redacted by mpm sync pull.";

/**
 * Whether two values parsed from JSON would be written as the same text (keys in the same order),
 * without writing either: a record of megabytes is compared in place, not as two more copies.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = Object.entries(a);
  const right = Object.entries(b);
  if (left.length !== right.length) return false;
  return left.every(([key, value], i) => key === right[i][0] && sameJson(value, right[i][1]));
}

const originCheck = object({
  session_id: optional(string()),
  name: optional(string()),
  handoff_id: optional(string()),
  sha256: string({ pattern: /^[0-9a-f]{64}$/ }),
}, "strip");

function parseOrigin(
  value: unknown,
  field: "session_id" | "name" | "handoff_id",
): Origin | undefined {
  const checked = checkValue(originCheck, value);
  const id = checked.ok ? checked.value[field] : undefined;
  return checked.ok && id !== undefined ? { id, sha256: checked.value.sha256 } : undefined;
}

function mismatch(shown: string, field: string, value: unknown, id: string): IntegrityError {
  return new IntegrityError(
    `${shown} names another ${field === "name" ? "checkpoint" : "session"} inside (${field} ${
      JSON.stringify(value)
    }, not ${id}).`,
    "It was moved or edited by hand; it is left where it is.",
  );
}

const NOTE = (oldId: string) => `Renamed from ${oldId} by mpm sync: another one had that id.`;

/**
 * yamlText's bytes, made in pieces (a field, or a run of a list's items, at a time): a snapshot
 * of a vendored tree's paths never becomes one more string of megabytes for the collector.
 */
function yamlBytes(record: unknown): Uint8Array {
  const encoder = new TextEncoder();
  const bytes: Uint8Array[] = [];
  for (const piece of yamlPieces(record)) bytes.push(encoder.encode(piece));
  return concatBytes(bytes);
}

export const SESSION_KIND: KindSpec = {
  kind: "session",
  noun: "snapshot",
  isId: isSessionId,
  nextFreeId,
  originOf: (raw) =>
    parseOrigin(
      (raw as { mpm?: { sync_origin?: unknown } } | null)?.mpm?.sync_origin,
      "session_id",
    ),
  rename: (text, newId, sha256) => {
    const raw = JSON.parse(text) as Record<string, unknown> & { mpm?: Record<string, unknown> };
    const oldId = String(raw.session_id);
    const mpm = { ...(raw.mpm ?? {}) };
    const first = SESSION_KIND.originOf(raw);
    mpm.sync_origin = { session_id: first?.id ?? oldId, sha256: first?.sha256 ?? sha256 };
    mpm.notes = [...(Array.isArray(mpm.notes) ? mpm.notes : []), NOTE(oldId)];
    return JSON.stringify({ ...raw, session_id: newId, mpm }, null, 2) + "\n";
  },
  decode: (raw, id, shown) => {
    if (!isMpmRecord(raw)) {
      throw new IntegrityError(`${shown} is not a snapshot mpm wrote (it has no schema_version).`);
    }
    const snapshot = ownSnapshot(raw, shown);
    if (snapshot.session_id !== id) throw mismatch(shown, "session_id", snapshot.session_id, id);
    return snapshot;
  },
  render: (record) => ({
    md: renderMarkdown(record as Snapshot),
    yaml: yamlBytes(record),
  }),
  fields: snapshotText,
  clean: (raw, sha256) =>
    cleanRecord(
      snapshotText,
      raw,
      sha256,
      (raw) => SESSION_KIND.originOf(raw),
      (raw, origin, note) => {
        const mpm = { ...((raw.mpm ?? {}) as Raw) };
        mpm.sync_origin = { session_id: origin.id, sha256: origin.sha256 };
        mpm.notes = [...(Array.isArray(mpm.notes) ? mpm.notes : []), note];
        return { ...raw, mpm };
      },
      (raw) => String(raw.session_id),
    ),
};

export const CHECKPOINT_KIND: KindSpec = {
  kind: "checkpoint",
  noun: "checkpoint",
  isId: isCheckpointName,
  nextFreeId: (name, used) => {
    for (let n = 2;; n++) {
      const suffix = `-${n}`;
      const candidate = name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
      if (!used.has(candidate)) return candidate;
    }
  },
  originOf: (raw) => parseOrigin((raw as { sync_origin?: unknown } | null)?.sync_origin, "name"),
  rename: (text, newId, sha256) => {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const first = CHECKPOINT_KIND.originOf(raw);
    const sync_origin = { name: first?.id ?? String(raw.name), sha256: first?.sha256 ?? sha256 };
    return JSON.stringify({ ...raw, name: newId, sync_origin }, null, 2) + "\n";
  },
  decode: (raw, id, shown) => {
    const record = decodeCheckpoint(JSON.stringify(raw), shown);
    if (record.name !== id) throw mismatch(shown, "name", record.name, id);
    return record;
  },
  render: (record) => ({ md: renderCheckpointMarkdown(record as Checkpoint) }),
  fields: checkpointText,
  clean: (raw, sha256) =>
    cleanRecord(
      checkpointText,
      raw,
      sha256,
      (raw) => CHECKPOINT_KIND.originOf(raw),
      (raw, origin) => ({ ...raw, sync_origin: { name: origin.id, sha256: origin.sha256 } }),
      (raw) => String(raw.name),
    ),
};

/**
 * A free id for a handoff whose id is taken by a different one (only a copy or a forgery can
 * take one): the same moment, the first free letters.
 */
function nextFreeHandoffId(id: string, used: IdLookup): string {
  const base = id.slice(0, -3);
  const n = SUFFIX_LETTERS.length;
  for (let i = 0; i < n ** 3; i++) {
    const letters = [i / (n * n), i / n, i].map((x) => SUFFIX_LETTERS[Math.floor(x) % n]);
    const candidate = `${base}${letters.join("")}`;
    if (candidate !== id && !used.has(candidate)) return candidate;
  }
  throw new IntegrityError(`Every id of ${base}… is taken.`);
}

/** Claude's handoffs: a record is at most a few KB (its text is capped at 6,000 characters). */
export const HANDOFF_KIND: KindSpec = {
  kind: "handoff",
  noun: "handoff",
  isId: isHandoffId,
  nextFreeId: nextFreeHandoffId,
  originOf: (raw) =>
    parseOrigin((raw as { sync_origin?: unknown } | null)?.sync_origin, "handoff_id"),
  rename: (text, newId, sha256) => {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const first = HANDOFF_KIND.originOf(raw);
    const sync_origin = {
      handoff_id: first?.id ?? String(raw.handoff_id),
      sha256: first?.sha256 ?? sha256,
    };
    return JSON.stringify({ ...raw, handoff_id: newId, sync_origin }, null, 2) + "\n";
  },
  decode: (raw, id, shown) => decodeClaudeHandoff(raw, id, shown),
  render: (record) => ({ md: renderHandoffFile(record as ClaudeHandoff) }),
  fields: claudeHandoffText,
  clean: (raw, sha256) =>
    cleanRecord(
      claudeHandoffText,
      raw,
      sha256,
      (raw) => HANDOFF_KIND.originOf(raw),
      (raw, origin) => ({ ...raw, sync_origin: { handoff_id: origin.id, sha256: origin.sha256 } }),
      (raw) => String(raw.handoff_id),
    ),
  maxBytes: 256 * 1024,
};

export const KINDS: Record<Kind, KindSpec> = {
  session: SESSION_KIND,
  checkpoint: CHECKPOINT_KIND,
  handoff: HANDOFF_KIND,
};

export interface Verified {
  text: string;
  sha256: string;
  origin?: Origin;
  record: unknown;
}

/**
 * A stored file's sha256: by WebCrypto past 64 KiB, where the pure one costs a pull of
 * multi-MB records about 250 ms of CPU each (the short ones stay synchronous and cheap).
 */
export function fileSha256(bytes: Uint8Array): Promise<string> {
  return bytes.length < 65_536 ? Promise.resolve(sha256Hex(bytes)) : sha256HexAsync(bytes);
}

/**
 * Checks one stored file as mpm would before trusting it: its checksum file is in sha256sum
 * format, names this file and matches its bytes; the bytes are UTF-8 JSON of the kind's schema
 * (not a newer one), and the id inside is the file's. Throws IntegrityError saying which failed.
 * `sha256`: the bytes' own, when the caller has it already (fileSha256).
 */
export function verifyFile(
  spec: KindSpec,
  id: string,
  json: Uint8Array,
  checksum: Uint8Array | undefined,
  shown: string,
  projectPath: string,
  known?: string,
): Verified {
  if (checksum === undefined) {
    throw new IntegrityError(`${shown} has no checksum file, so mpm cannot trust it.`);
  }
  const parsed = parseChecksumLine(new TextDecoder().decode(checksum));
  if (!parsed) throw new IntegrityError(`${shown}.sha256 is not in sha256sum format.`);
  if (parsed.name !== `${id}.json`) {
    throw new IntegrityError(`${shown}.sha256 is the checksum of another file (${parsed.name}).`);
  }
  const sha256 = known ?? sha256Hex(json);
  if (parsed.hex !== sha256) {
    throw new IntegrityError(
      `${shown} does not match its checksum: it was changed or damaged after mpm wrote it.`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    throw new IntegrityError(`${shown} is not UTF-8 text.`);
  }
  const raw = parseJsonFile(text, shown);
  const record = spec.decode(raw, id, shown, projectPath);
  const origin = spec.originOf(raw);
  return origin ? { text, sha256, origin, record } : { text, sha256, record };
}
