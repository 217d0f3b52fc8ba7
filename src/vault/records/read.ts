/**
 * What the rest of mpm reads from the vault: a Claude session's copied transcript as lines
 * (`mpm replay`, `mpm summary`, when Claude Code's file is gone), and whether Claude Code still
 * has the transcript (`mpm search` offers `claude --resume` only then).
 */
import { codexHome, findRollout } from "../../agents/codex/rollout_files.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  defaultTranscriptPath,
  isClaudeSessionId,
  transcriptFacts,
} from "../../claude/transcript/transcript_files.ts";
import type { Manifest } from "./manifest.ts";
import { readManifest, sealedHere, streamText } from "./store.ts";

/** The vault's copy of Claude session `id`, when it holds one (a dropped copy holds nothing). */
export async function heldCopy(paths: ProjectPaths, id: string): Promise<Manifest | undefined> {
  if (!isClaudeSessionId(id)) return undefined;
  const manifest = await readManifest(paths, id);
  return manifest && !manifest.dropped && manifest.files.length > 0 ? manifest : undefined;
}

export interface VaultReadOptions {
  /** Only about the last this-many bytes (whole segments): a summary needs the end. */
  tailBytes?: number;
}

/**
 * The copied transcript's lines (`file` 0 is the main transcript), a segment at a time. Every
 * member is checked against its checksum before the first line comes: a damaged copy throws
 * VaultDamageError (exit 4) and serves nothing.
 */
export async function* vaultedLines(
  paths: ProjectPaths,
  manifest: Manifest,
  file = 0,
  options: VaultReadOptions = {},
): AsyncGenerator<string[]> {
  const copied = manifest.files[file];
  if (copied === undefined) return;
  let from = 0;
  if (options.tailBytes !== undefined) {
    let bytes = 0;
    from = copied.segments.length;
    while (from > 0 && bytes < options.tailBytes) bytes += copied.segments[--from].raw_bytes;
  }
  const stream = { data: copied.data, segments: copied.segments };
  for await (const text of streamText(paths, manifest.claude_session_id, stream, from)) {
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    yield lines;
  }
}

/**
 * Whether Claude Code still has the session's transcript — where the hooks saw it, else where
 * Claude Code keeps a project's transcripts — so `claude --resume <id>` would reopen it.
 */
export async function claudeStillHas(
  manifest: Pick<Manifest, "claude_session_id" | "transcript" | "imported" | "agent">,
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string | undefined>>,
): Promise<boolean> {
  if (manifest.agent === "codex") return await codexStillHas(manifest, home, vars);
  // A copy imported from another machine, or not sealed here, names a path there: only this
  // machine's counts.
  const candidates = [
    manifest.transcript !== null && !manifest.transcript.includes("[REDACTED") &&
      !manifest.imported && sealedHere(manifest as Manifest)
      ? manifest.transcript
      : null,
    home === undefined && !vars.CLAUDE_CONFIG_DIR
      ? null
      : defaultTranscriptPath(home ?? "", vars, root, manifest.claude_session_id),
  ];
  for (const path of candidates) {
    if (path !== null && await transcriptFacts(path).then((f) => f !== undefined, () => false)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether Codex still has the session's rollout — where the hooks saw it, else under
 * `$CODEX_HOME/sessions` — so `codex resume <id>` would reopen it.
 */
async function codexStillHas(
  manifest: Pick<Manifest, "claude_session_id" | "transcript" | "imported">,
  home: string | undefined,
  vars: Readonly<Record<string, string | undefined>>,
): Promise<boolean> {
  const own = manifest.transcript !== null && !manifest.transcript.includes("[REDACTED") &&
    !manifest.imported && sealedHere(manifest as Manifest);
  if (
    own && await transcriptFacts(manifest.transcript!).then((f) => f !== undefined, () => false)
  ) {
    return true;
  }
  const codex = codexHome(home, vars);
  return codex !== null && await findRollout(codex, manifest.claude_session_id) !== null;
}
