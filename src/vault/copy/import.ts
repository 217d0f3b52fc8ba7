/**
 * A pulled copy written in as one made here (redacted, indexed, a new generation); this machine's
 * own copy is never replaced.
 */
import { agentOf } from "../../kernel/agent_name.ts";
import { IntegrityError } from "../../kernel/errors.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  dataName,
  emptyManifest,
  FINGERPRINT_BYTES,
  type Manifest,
  type Stream,
  type VaultFile,
} from "../records/manifest.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import { unionKeys } from "./plan.ts";
import { buildSegment, vaultText } from "./segment.ts";
import { gzip } from "../records/gzip.ts";
import { readManifest, sealedHere, streamText, writeManifest } from "../records/store.ts";
import { appendMember } from "./copy_file.ts";
import { removeUnnamed, withVaultLock } from "./copy.ts";

export interface IncomingCopy {
  /** The record as the other side has it (its schema checked). */
  manifest: Manifest;
  /** Each transcript's checked text (`file` 0 the main one), in pieces of whole lines. */
  texts: (file: number) => AsyncIterable<string>;
}

const encoder = new TextEncoder();

/** About the text one imported member holds; pieces are redacted and indexed as they come. */
export const MEMBER_RAW_BYTES = 1024 * 1024;

/** The remote's copy is another transcript than the one here: it is not taken, and the copy stays. */
export class OtherTranscriptError extends IntegrityError {}

export interface ImportOptions {
  now: Date;
  /** The git email of the commit whose copy this is (sender.ts), or null when none is known. */
  sender: string | null;
  /** The sessions of this machine (`threads/<key>/`, the active one): never taken from `keys`. */
  localKeys: ReadonlySet<string>;
}

export async function importCopy(
  paths: ProjectPaths,
  incoming: IncomingCopy,
  from: string,
  options: ImportOptions,
): Promise<void> {
  await withVaultLock(paths, () => importLocked(paths, incoming, from, options), {
    command: "sync pull",
  });
}

/** The text the incoming transcript must begin with; OtherTranscriptError for our own copy. */
async function requiredStart(paths: ProjectPaths, local: Manifest | undefined) {
  if (local === undefined || local.dropped || local.files.length === 0) return null;
  // A record this machine did not seal (a clone's, a teammate's) is kept as an imported one is.
  if (!local.imported && sealedHere(local)) {
    throw new OtherTranscriptError(
      "this machine's own copy of that Claude session stays; a pull never replaces it.",
    );
  }
  const main = local.files[0];
  if (main.source_bytes >= FINGERPRINT_BYTES) return null;
  let text = "";
  for await (const part of streamText(paths, local.claude_session_id, main)) text += part;
  return text;
}

async function importLocked(
  paths: ProjectPaths,
  incoming: IncomingCopy,
  from: string,
  options: ImportOptions,
): Promise<void> {
  const { now } = options;
  const source = incoming.manifest;
  const id = source.claude_session_id;
  const local = await readManifest(paths, id).catch(() => undefined);
  let start = await requiredStart(paths, local);
  const manifest = emptyManifest(id, now.toISOString(), (local?.generation ?? 0) + 1);
  manifest.keys = unionKeys(
    local?.keys ?? [],
    source.keys.filter((k) => !options.localKeys.has(k)),
  );
  manifest.transcript = source.transcript === null ? null : vaultText(source.transcript);
  manifest.first_vaulted = source.first_vaulted;
  manifest.imported = { from, at: now.toISOString(), sender: options.sender };
  if (agentOf(source.agent) !== "claude-code") manifest.agent = agentOf(source.agent);
  for (const [n, theirs] of source.files.entries()) {
    const file: VaultFile = {
      source: theirs.source,
      data: dataName(id, manifest.generation, n),
      segments: [],
      // How far into the source the other side's copy goes: what a later sync compares.
      source_bytes: theirs.source_bytes,
      source_mtime: theirs.source_mtime,
      head_sha256: theirs.head_sha256,
      tail_sha256: theirs.tail_sha256,
      lines: 0,
      partial_bytes: theirs.partial_bytes,
      skipped_lines: theirs.skipped_lines,
      cut: theirs.cut === null ? null : vaultText(theirs.cut),
    };
    manifest.files.push(file);
    // What each stream holds that no member does yet: written once about a member's worth.
    const pending = [
      { stream: file as Stream, parts: [] as Uint8Array[], bytes: 0 },
      { stream: manifest.index.talk, parts: [] as Uint8Array[], bytes: 0 },
      { stream: manifest.index.tools, parts: [] as Uint8Array[], bytes: 0 },
    ];
    const flush = async () => {
      for (const p of pending) {
        if (p.bytes === 0) continue;
        const raw = concatBytes(p.parts);
        p.parts = [];
        p.bytes = 0;
        await appendMember(paths, p.stream, await gzip(raw), raw.length);
      }
    };
    for await (const text of incoming.texts(n)) {
      const built = buildSegment(text, n, manifest.last_entry, agentOf(manifest.agent));
      if (n === 0 && start !== null && start !== "") {
        // Each side redacted the same lines the same way: the text here is where the new begins.
        const part = start.slice(0, built.raw.length);
        if (!built.raw.startsWith(part)) {
          await removeUnnamed(paths, local!);
          throw new OtherTranscriptError(
            "the remote's copy does not begin as the one imported here; it was not taken.",
          );
        }
        start = start.slice(part.length);
      }
      for (const [i, part] of [built.raw, built.talk, built.tools].entries()) {
        if (part === "") continue;
        const bytes = encoder.encode(part);
        pending[i].parts.push(bytes);
        pending[i].bytes += bytes.length;
      }
      if (pending[0].bytes >= MEMBER_RAW_BYTES) await flush();
      file.lines += built.lines;
      if (built.first && (manifest.first_entry === null || built.first < manifest.first_entry)) {
        manifest.first_entry = built.first;
      }
      if (built.last && (manifest.last_entry === null || built.last > manifest.last_entry)) {
        manifest.last_entry = built.last;
      }
    }
    await flush();
    if (n === 0 && start !== null && start !== "") {
      await removeUnnamed(paths, local!);
      throw new OtherTranscriptError(
        "the remote's copy is shorter than the one imported here begins; it was not taken.",
      );
    }
  }
  manifest.last_vaulted = now.toISOString();
  await writeManifest(paths, manifest);
  await removeUnnamed(paths, manifest);
}
