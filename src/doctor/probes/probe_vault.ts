/**
 * What `mpm doctor` reads of the vault: the hooks' transcripts, what the vault holds, checksums.
 */
import { join } from "../../kernel/path.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { readRetention } from "../../claude/settings/config/retention.ts";
import {
  defaultTranscriptPath,
  type FileFacts,
  subagentTranscripts,
  transcriptAt,
  transcriptFacts,
} from "../../claude/transcript/transcript_files.ts";
import { basename } from "../../kernel/path.ts";
import { readSeen, sawConversation } from "../../vault/copy/seen.ts";
import { listVault, vaultNames, verifyCopy } from "../../vault/records/store.ts";
import { idOfName, type Manifest, storedBytes } from "../../vault/records/manifest.ts";
import { readVaultConfig } from "../../vault/copy/config.ts";
import type { CopyFacts, SeenFacts, VaultFacts } from "../judges/judge_vault.ts";

async function factsOf(path: string): Promise<FileFacts | undefined> {
  return await transcriptFacts(path).catch(() => undefined);
}

/** Bytes of the transcript at `mainPath` (and its subagents') that `copy` does not hold. */
async function pendingOf(mainPath: string, id: string, copy: Manifest | undefined) {
  const rels = [basename(mainPath), ...await subagentTranscripts(mainPath, id)];
  let pending = 0;
  for (const rel of rels) {
    const facts = await factsOf(transcriptAt(mainPath, rel));
    if (facts === undefined) continue;
    const file = copy?.files.find((f) => f.source === rel);
    const held = file ? file.source_bytes + file.partial_bytes : 0;
    if (facts.size > held) pending += facts.size - (file?.source_bytes ?? 0);
  }
  return pending;
}

export async function probeVault(
  paths: ProjectPaths,
  home: string | undefined,
  vars: Readonly<Record<string, string | undefined>>,
  now: Date,
): Promise<VaultFacts | null> {
  const [seen, listed, names] = await Promise.all([
    readSeen(paths),
    listVault(paths),
    vaultNames(paths),
  ]);
  if (seen.size === 0 && listed.length === 0) return null;
  const [retention, config] = await Promise.all([
    readRetention(home, vars),
    readVaultConfig(paths),
  ]);
  const held = new Map(listed.flatMap((e) => e.manifest ? [[e.id, e.manifest] as const] : []));
  const seenFacts: SeenFacts[] = [];
  const sourceThere = new Map<string, boolean>();
  for (const s of seen.values()) {
    const mainPath = s.path ??
      (home === undefined ? null : defaultTranscriptPath(home, vars, paths.root, s.id));
    const facts = mainPath === null ? undefined : await factsOf(mainPath);
    // Only an unsealed line's, or no conversation's, and gone: nothing.
    if (!(s.own && sawConversation(s)) && facts === undefined) continue;
    const copy = held.get(s.id);
    sourceThere.set(s.id, facts !== undefined);
    const dropped = copy?.dropped != null && (facts?.size ?? 0) <= copy.dropped.source_bytes;
    seenFacts.push({
      id: s.id,
      there: facts !== undefined,
      mtime: facts?.mtime?.toISOString() ?? null,
      pending: facts === undefined || mainPath === null || dropped
        ? 0
        : await pendingOf(mainPath, s.id, copy?.dropped ? undefined : copy),
      copied: copy !== undefined && !copy.dropped,
      dropped,
    });
  }
  const copies: CopyFacts[] = [];
  for (const entry of listed) {
    if (entry.manifest?.dropped) continue;
    const problem = entry.error?.message ??
      (entry.manifest ? await verifyCopy(paths, entry.manifest) : null);
    copies.push({
      id: entry.id,
      bytes: entry.manifest ? storedBytes(entry.manifest) : 0,
      problem,
      sourceThere: sourceThere.get(entry.id) ?? false,
      files: names.filter((n) => idOfName(n) === entry.id).map((n) => join(paths.vault, n)),
    });
  }
  return {
    now,
    retention,
    seen: seenFacts,
    copies,
    limitBytes: config.limitBytes,
    configProblem: config.problem,
  };
}
