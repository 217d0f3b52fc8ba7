/** A copied transcript's lines, and whether the agent still has the transcript. */
import { agentNamed } from "../../agents/agent.ts";
import { agentOf } from "../../kernel/agent_name.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { isClaudeSessionId, transcriptFacts } from "../../claude/transcript/transcript_files.ts";
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

/** The copied transcript's lines, once every member passed its checksum (else VaultDamageError). */
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

/** Whether the agent still has the transcript, so its continue command would reopen it. */
export async function claudeStillHas(
  manifest: Pick<Manifest, "claude_session_id" | "transcript" | "imported" | "agent">,
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string | undefined>>,
): Promise<boolean> {
  // Only a path this machine's own sealed copy names counts.
  const own = manifest.transcript !== null && !manifest.transcript.includes("[REDACTED") &&
    !manifest.imported && sealedHere(manifest as Manifest);
  const there = (path: string | null) =>
    path !== null && transcriptFacts(path).then((f) => f !== undefined, () => false);
  if (own && await there(manifest.transcript)) return true;
  const where = { root, home, vars };
  const agent = agentNamed(agentOf(manifest.agent));
  if (await there(await agent.transcripts.find(manifest.claude_session_id, where))) return true;
  return false;
}
