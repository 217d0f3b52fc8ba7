/**
 * `mpm vault restore` and `mpm resume --conversation` for a Codex conversation: the vault's copy
 * of a rollout written back where this machine's Codex finds it (agents/codex/rollout_place.ts),
 * its paths moved from the checkout it ran in to this one, never over a rollout Codex already
 * has, so `codex resume <id>` continues it. Who may restore it was decided by restore.ts, as for
 * a Claude Code conversation.
 */
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import { writeAtomicStream } from "../../disk/files/atomic.ts";
import { codexHome } from "../../agents/codex/rollout_files.ts";
import {
  foldRolloutFacts,
  moveRolloutLine,
  rolloutAt,
  type RolloutFacts,
  RolloutPlaceError,
  rolloutTarget,
} from "../../agents/codex/rollout_place.ts";
import { mainKey, type Manifest } from "../records/manifest.ts";
import { vaultedLines } from "../records/read.ts";
import {
  checkoutMove,
  type CopyOrigin,
  type RestoreReport,
  type RestoreRequest,
  shellWord,
} from "./restore_types.ts";

export async function restoreRollout(
  request: RestoreRequest,
  manifest: Manifest,
  origin: { origin: CopyOrigin; sender: string | null },
): Promise<RestoreReport> {
  const id = manifest.claude_session_id;
  const codex = codexHome(request.home, request.vars);
  if (codex === null) {
    throw new MpmError(
      "There is no home folder, so mpm cannot tell where Codex keeps its sessions.",
      "Set HOME or CODEX_HOME.",
    );
  }
  let target: string;
  try {
    target = rolloutTarget(codex, id, manifest.files[0].source);
  } catch (error) {
    if (error instanceof RolloutPlaceError) throw new MpmError(error.message, error.hint);
    throw error;
  }
  const facts: RolloutFacts = { cwd: null, versions: [] };
  const lines: string[] = [];
  for await (const read of vaultedLines(request.paths, manifest, 0)) {
    for (const line of read) {
      foldRolloutFacts(facts, line);
      lines.push(line);
    }
  }
  if (lines.length === 0) {
    throw new NothingToDo(
      `The vault's copy of Codex session ${id} holds no conversation: its rollout was empty.`,
      "Nothing to restore; `mpm vault list` shows the copies that hold one.",
    );
  }
  if (facts.cwd === null) {
    throw new MpmError(
      `The vault's copy of Codex session ${id} names no folder it ran in, so it cannot be moved.`,
    );
  }
  const { move, cwd } = checkoutMove(facts.cwd, request.root, request.cwd);
  const text = lines.map((line) => moveRolloutLine(line, move) + "\n").join("");
  const there = await rolloutAt(target, text);
  if (there === "other") {
    throw new MpmError(
      `Codex already has a rollout of ${id} at ${target}: mpm leaves it as it is.`,
      `\`codex resume ${id}\` opens Codex's own; move that file away to restore the vault's copy.`,
    );
  }
  if (there === "absent" && !request.dryRun) {
    await writeAtomicStream(
      target,
      (async function* () {
        yield text;
      })(),
      { root: codex },
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
    agent: "codex",
    command: `${cwd === request.cwd ? "" : `cd ${shellWord(cwd)} && `}codex resume ${id}`,
  };
}
