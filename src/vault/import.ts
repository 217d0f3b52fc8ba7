/**
 * A copy that came from elsewhere (`mpm sync pull`), written into this vault as a copy made here
 * is: every line redacted again, indexed anew for `mpm search`, compressed in fresh members each
 * with its sha256. The caller has checked the incoming members against their checksums; what it
 * hands over is their decompressed text. Written as a new generation of files, so the copy that
 * was here (a shorter one) stays whole until the new record replaces it.
 */
import { redact } from "../kernel/safe_text/redact.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { dataName, emptyManifest, type Manifest, type VaultFile } from "./manifest.ts";
import { unionKeys } from "./plan.ts";
import { buildSegment } from "./segment.ts";
import { gzip } from "./gzip.ts";
import { readManifest, writeManifest } from "./store.ts";
import { appendMember, removeUnnamed, withVaultLock } from "./copy.ts";

export interface IncomingCopy {
  /** The record as the other side has it (its schema checked). */
  manifest: Manifest;
  /** Each transcript's segments (`file` 0 the main one), decompressed and checked. */
  texts: (file: number) => AsyncIterable<string>;
}

const encoder = new TextEncoder();

export async function importCopy(
  paths: ProjectPaths,
  incoming: IncomingCopy,
  from: string,
  now: Date,
): Promise<void> {
  await withVaultLock(paths, () => importLocked(paths, incoming, from, now), {
    command: "sync pull",
  });
}

async function importLocked(
  paths: ProjectPaths,
  incoming: IncomingCopy,
  from: string,
  now: Date,
): Promise<void> {
  const source = incoming.manifest;
  const id = source.claude_session_id;
  const local = await readManifest(paths, id).catch(() => undefined);
  const manifest = emptyManifest(id, now.toISOString(), (local?.generation ?? 0) + 1);
  manifest.keys = unionKeys(local?.keys ?? [], source.keys);
  manifest.transcript = source.transcript === null ? null : redact(source.transcript);
  manifest.first_vaulted = source.first_vaulted;
  manifest.imported = { from, at: now.toISOString() };
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
      cut: theirs.cut === null ? null : redact(theirs.cut),
    };
    manifest.files.push(file);
    for await (const text of incoming.texts(n)) {
      const built = buildSegment(text, n, manifest.last_entry);
      const raw = encoder.encode(built.raw);
      const talk = encoder.encode(built.talk);
      const tools = encoder.encode(built.tools);
      await appendMember(paths, file, await gzip(raw), raw.length);
      if (talk.length) {
        await appendMember(paths, manifest.index.talk, await gzip(talk), talk.length);
      }
      if (tools.length) {
        await appendMember(paths, manifest.index.tools, await gzip(tools), tools.length);
      }
      file.lines += built.lines;
      if (built.first && (manifest.first_entry === null || built.first < manifest.first_entry)) {
        manifest.first_entry = built.first;
      }
      if (built.last && (manifest.last_entry === null || built.last > manifest.last_entry)) {
        manifest.last_entry = built.last;
      }
    }
  }
  manifest.last_vaulted = now.toISOString();
  await writeManifest(paths, manifest);
  await removeUnnamed(paths, manifest);
}
