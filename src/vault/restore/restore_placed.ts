/**
 * Restoring a one-file conversation (Codex, Gemini) through the seam, never over the agent's own
 * file.
 */
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import { agentLabel, type AgentName } from "../../kernel/agent_name.ts";
import { writeAtomicStream } from "../../disk/files/stream.ts";
import { agentNamed, type PlaceFacts, type TranscriptPlace } from "../../agents/agent.ts";
import { mainKey, type Manifest } from "../records/manifest.ts";
import { vaultedLines } from "../records/read.ts";
import {
  checkoutMove,
  type CopyOrigin,
  type RestoreReport,
  type RestoreRequest,
  shellWord,
} from "./restore_types.ts";

/** Nothing, the same bytes, or another file (the agent's own, left alone). */
async function fileAt(path: string, text: string): Promise<"absent" | "same" | "other"> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "absent";
    throw error;
  }
  if (!info.isFile) return "other";
  const encoded = new TextEncoder().encode(text);
  if (info.size !== encoded.length) return "other";
  return await Deno.readTextFile(path) === text ? "same" : "other";
}

export async function restorePlaced(
  request: RestoreRequest,
  manifest: Manifest,
  agentName: AgentName,
  place: TranscriptPlace,
  origin: { origin: CopyOrigin; sender: string | null },
): Promise<RestoreReport> {
  const id = manifest.claude_session_id;
  const agent = agentNamed(agentName);
  const label = agentLabel(agentName);
  const where = { root: request.root, home: request.home, vars: request.vars };
  const folder = place.folder(where);
  if (folder === null) {
    throw new MpmError(
      `There is no home folder, so mpm cannot tell where ${label} keeps its sessions.`,
      place.homeHint,
    );
  }
  let target: string;
  try {
    target = await place.target(folder, id, manifest.files[0].source, where);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const hint = "hint" in error && typeof error.hint === "string"
      ? error.hint
      : "Run `mpm doctor`; a copy someone else made may have been altered.";
    throw new MpmError(error.message, hint);
  }
  const facts: PlaceFacts = { cwd: null, versions: [] };
  const lines: string[] = [];
  for await (const read of vaultedLines(request.paths, manifest, 0)) {
    for (const line of read) {
      place.fold(facts, line);
      lines.push(line);
    }
  }
  if (lines.length === 0) {
    throw new NothingToDo(
      `The vault's copy of ${label} session ${id} holds no conversation: its ${place.noun} was empty.`,
      "Nothing to restore; `mpm vault list` shows the copies that hold one.",
    );
  }
  if (facts.cwd === null && place.movesPaths) {
    throw new MpmError(
      `The vault's copy of ${label} session ${id} names no folder it ran in, so it cannot be moved.`,
    );
  }
  // A file whose agent records no folder it ran in is put back as it is.
  const { move, cwd } = checkoutMove(facts.cwd ?? request.root, request.root, request.cwd);
  const text = lines.map((line) => place.move(line, move) + "\n").join("");
  const there = await fileAt(target, text);
  const command = agent.continueCommand(id);
  if (there === "other") {
    throw new MpmError(
      `${label} already has a ${place.noun} of ${id} at ${target}: mpm leaves it as it is.`,
      `\`${command}\` opens ${label}'s own; move that file away to restore the vault's copy.`,
    );
  }
  if (there === "absent" && !request.dryRun) {
    await writeAtomicStream(
      target,
      (async function* () {
        yield text;
      })(),
      { root: folder },
    );
  }
  return {
    id,
    session: mainKey(manifest),
    status: request.dryRun ? "dry-run" : there === "same" ? "already" : "restored",
    transcript: target,
    cwd,
    moved: move,
    claude_config: null,
    origin: origin.origin,
    sender: origin.sender,
    files: [{
      file: manifest.files[0].source,
      outcome: there === "same" ? "unchanged" : "written",
    }],
    client_versions: facts.versions,
    installed_client: null,
    agent: agentName,
    command: `${cwd === request.cwd ? "" : `cd ${shellWord(cwd)} && `}${command}`,
  };
}
