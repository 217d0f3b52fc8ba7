/**
 * The one place a snapshot is redacted: save_snapshot.ts calls it right before the record is
 * written, so no text reaches disk without it, whatever built the snapshot. It walks every
 * string of the record — the words, todos, Claude's tasks, the session's name, task and notes,
 * mpm's own note, the reason, the commit subject, the handoff document, the context file's
 * text, and any field added later — and needs no list of them. It redacts as redactDeep does
 * (kernel/safe_text/redact.ts): a string under a secret-sounding name goes whole and what is
 * nested too deep is cut, which only a forged or hand-edited record meets; `mpm sync pull`
 * redacts each snapshot it imports here too, as a pause on this machine would have. Pure.
 * Redacting twice changes nothing, so words carried from a snapshot redacted when it was first
 * written come out as they went in.
 */
import { MAX_DEPTH, redactUnder, TOO_DEEP } from "../../../kernel/safe_text/redact.ts";
import type { Snapshot } from "../../../kernel/snapshot.ts";

/**
 * Fields kept exact, by their path in the record (array items share their array's path): ids and
 * keys that snapshots and transcripts are found by, hashes, times, and the branch, upstream and
 * paths that `resume`, `return` and `diff` hand back to git or compare with what git says. None
 * is text a person or Claude writes; a secret-looking branch or file name is named by
 * `mpm doctor` and held back by `mpm sync push` instead (tests/sessions/secret_names_test.ts).
 */
export const EXACT_FIELDS: ReadonlySet<string> = new Set([
  "session_id",
  "paused_at",
  "project_path",
  "git_context.branch",
  "git_context.commit",
  "git_context.upstream",
  "git_context.status",
  "git_context.blobs",
  "mpm.key",
  "mpm.parent",
  "mpm.claude_session_id",
  "mpm.carried.from",
  "mpm.carried.written_at",
  "mpm.context_file.file",
  "mpm.context_file.sha256",
  "mpm.handoff.written_at",
  "mpm.handoff.files",
  "mpm.handoff.context_file",
  "mpm.machine",
]);

/** The snapshot with every secret in its text replaced by `[REDACTED:<kind>]`. */
export function redactSnapshot(snapshot: Snapshot): Snapshot {
  return walk(snapshot, "", undefined, 0) as Snapshot;
}

function walk(value: unknown, path: string, key: string | undefined, depth: number): unknown {
  if (EXACT_FIELDS.has(path)) return value;
  if (typeof value === "string") return redactUnder(key, value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => walk(item, path, undefined, depth + 1));
  // fromEntries keeps the fields in their order (the record's bytes depend on it) and a
  // "__proto__" key an own property.
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => {
      const at = path ? `${path}.${name}` : name;
      return [name, walk(item, at, name, depth + 1)];
    }),
  );
}
