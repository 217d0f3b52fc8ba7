/**
 * Restoring a vaulted Claude Code conversation where `claude --resume <id>` finds it, all checked
 * and planned before a byte is written. A copy not the person's own (sealed here, or signed with
 * their key) needs `--from-teammate`.
 */
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { basename, join, relative } from "../../kernel/path.ts";
import { removeFile } from "../../disk/files/atomic.ts";
import { writeAtomicStream } from "../../disk/files/stream.ts";
import { type ProjectPaths, projectPaths } from "../../disk/paths.ts";
import { isProcessAlive } from "../../disk/process.ts";
import { LEFTOVER_AGE_MS } from "../../disk/sweep.ts";
import { type Identity, isOwnSender, lastSentBy } from "../../git/history/sender.ts";
import { readSigners, type Signers } from "../../git/history/signature.ts";
import { claudeConfigDir, hasUserConfig } from "../../claude/settings/config/config_dir.ts";
import { claudeCodeVersion } from "../../claude/settings/program/claude_version.ts";
import {
  foldFacts,
  isTestedClient,
  noFacts,
  relocateLine,
  type Relocation,
  restoreNoteLine,
  TESTED_CLIENTS,
} from "../../claude/transcript/restore_lines.ts";
import {
  claudeProjectFolder,
  type PlacedFile,
  PlaceError,
  type Placement,
  placeTranscripts,
  planPlacement,
  projectFolderName,
} from "../../claude/transcript/restore_place.ts";
import { mainTranscriptName } from "../../claude/transcript/transcript_names.ts";
import { lastActivity, mainKey, type Manifest, sizeProblem } from "../records/manifest.ts";
import { listVault, pickEntry, readManifest, sealedHere, writeManifest } from "../records/store.ts";
import { withVaultLock } from "../copy/copy.ts";
import { vaultedLines } from "../records/read.ts";
import {
  checkoutMove,
  type CopyOrigin,
  type RestoreReport,
  type RestoreRequest,
  type SessionRequest,
  shellWord,
} from "./restore_types.ts";
import { restorePlaced } from "./restore_placed.ts";
import { agentNamed } from "../../agents/agent.ts";
import { agentOf } from "../../kernel/agent_name.ts";

/** The record a selector names, or with none the newest copy sealed here. */
export async function pickCopy(
  paths: ProjectPaths,
  selector?: string,
  session?: SessionRequest,
  root?: string,
): Promise<Manifest> {
  const entries = await listVault(paths);
  const held = entries.flatMap((e) =>
    e.manifest && !e.manifest.dropped && e.manifest.files.length > 0 ? [e.manifest] : []
  );
  const newest = (list: Manifest[]) =>
    list.sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)))[0];
  const sealed = held.filter(sealedHere);
  if (session !== undefined) {
    const linked = held.filter((m) => m.keys.includes(session.key));
    if (linked.length > 0) return newest(linked.filter(sealedHere)) ?? newest(linked);
    throw await noneLinked(session, held, root);
  }
  if (selector === undefined) {
    const found = newest(sealed);
    if (found) return found;
    if (held.length > 0) {
      throw new NothingToDo(
        `The vault holds no conversation this machine's mpm copied or pulled: its ${held.length} ` +
          "copy(ies) came with the repository.",
        "`mpm vault list` shows them; `mpm vault restore ID --from-teammate` restores one anyway.",
      );
    }
    throw new NothingToDo(
      "The vault holds no conversation to restore.",
      "`mpm sync pull` brings the copies pushed from your other machine.",
    );
  }
  const ofSession = held.filter((m) => m.keys.includes(selector));
  if (ofSession.length > 0) return newest(ofSession.filter(sealedHere)) ?? newest(ofSession);
  const entry = pickEntry(entries, selector);
  if (entry.error) throw entry.error;
  const manifest = entry.manifest!;
  if (manifest.dropped || manifest.files.length === 0) {
    throw new NothingToDo(
      `The vault holds nothing of Claude session ${manifest.claude_session_id} (it was dropped).`,
    );
  }
  return manifest;
}

/** Why a session has no conversation to restore, with the command that restores an unlinked one. */
async function noneLinked(
  session: SessionRequest,
  held: Manifest[],
  root: string | undefined,
): Promise<NothingToDo> {
  const named = new Set(await session.claudeIds());
  const copy = held.filter((m) => named.has(m.claude_session_id))
    .sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)))[0];
  if (copy === undefined) {
    return new NothingToDo(
      `Session ${session.key} has no vaulted Claude conversation.`,
      "The vault copies a conversation when Claude Code ends it, or at `mpm vault sync`.",
    );
  }
  const id = copy.claude_session_id;
  const origin = root === undefined ? "elsewhere" : (await copyOrigin(root, copy)).origin;
  const flag = origin === "here" || origin === "you" ? "" : " --from-teammate";
  const whose = copy.keys.length === 0 ? "no session" : "another session";
  return new NothingToDo(
    `Session ${session.key} has no vaulted Claude conversation linked to it: its snapshots name ` +
      `Claude session ${id}, whose copy in the vault is linked to ${whose}.`,
    `\`mpm vault restore ${id}${flag}\` restores it by its id.`,
  );
}

/** Where the copy came from; `signers` read once for many copies. */
export async function copyOrigin(
  root: string,
  manifest: Manifest,
  signers?: Signers,
): Promise<{ origin: CopyOrigin; sender: string | null }> {
  if (!sealedHere(manifest)) return { origin: "elsewhere", sender: null };
  if (!manifest.imported) return { origin: "here", sender: null };
  const known = signers ?? await readSigners(root);
  const remote = manifest.imported.from;
  const refs = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(remote) && !remote.includes("..")
    ? [`refs/mpm/remotes/${remote}/sessions`, "refs/mpm/sessions"]
    : ["refs/mpm/sessions"];
  let sent: Identity | null = null;
  for (const ref of refs) {
    sent = await lastSentBy(root, ref, `vault/${manifest.claude_session_id}.json`, known);
    if (sent !== null) break;
  }
  // The person's only when the ref's commit for it is signed with their key and recorded at import.
  const recorded = manifest.imported.sender;
  const sender = typeof recorded === "string" ? recorded : sent?.email ?? null;
  const own = sent !== null && isOwnSender(sent, known) &&
    (typeof recorded !== "string" || recorded === sent.email);
  return { origin: own ? "you" : "teammate", sender };
}

/** Which copies a pull brought from a push signed with this checkout's key. */
export async function sentWithOwnKeyCopies(
  root: string,
  ids: Iterable<string>,
): Promise<Set<string>> {
  const mine = new Set<string>();
  const paths = projectPaths(root);
  let signers: Signers | undefined;
  for (const id of new Set(ids)) {
    const manifest = await readManifest(paths, id).catch(() => undefined);
    if (!manifest?.imported) continue;
    signers ??= await readSigners(root);
    if ((await copyOrigin(root, manifest, signers)).origin === "you") mine.add(id);
  }
  return mine;
}

/** Marks an imported copy `restored`, so copying it again once gone on with keeps whose it is. */
async function markRestored(paths: ProjectPaths, id: string, now: Date): Promise<void> {
  await withVaultLock(paths, async () => {
    const current = await readManifest(paths, id);
    if (current?.imported && !current.restored) {
      await writeManifest(paths, {
        ...current,
        restored: now.toISOString(),
        restored_after: current.last_entry,
      }, { own: sealedHere(current) });
    }
  }, { command: "vault restore" });
}

/** The other machine's Claude Code folder and project folder name; null when unknown. */
export function otherClaudeFolders(
  transcript: string | null,
  id: string,
): { config: string; folder: string } | null {
  if (transcript === null || transcript.includes("[REDACTED")) return null;
  const found = transcript.match(/^(\/.*[^/])\/projects\/([^/]+)\/([^/]+)$/);
  if (found === null || found[3] !== mainTranscriptName(id)) return null;
  return { config: found[1], folder: found[2] };
}

/** A v4-shaped id that is the same for the same conversation and leaf: a restore is repeatable. */
function noteUuid(id: string, leaf: string | null): string {
  const h = sha256Hex(`mpm restore note ${id} ${leaf ?? ""}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${
    h.slice(20, 32)
  }`;
}

function untested(versions: readonly string[]): string[] {
  return versions.filter((v) => !isTestedClient(v));
}

/** Why a file name is one a killed restore left: mpm's temp name for a transcript. */
const LEFTOVER = /^\.(?:[A-Za-z0-9_-]{1,100}\.jsonl)\.(\d{1,10})\.\d{1,24}\.tmp$/;

/** Removes a killed restore's temp files once their writer is gone and they are a minute old. */
async function sweepLeftovers(folder: string, id: string, root: string): Promise<void> {
  const now = Date.now();
  const sweep = async (dir: string, depth: number): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory && depth > 0 && depth < 5) await sweep(path, depth + 1);
      const found = entry.isFile ? entry.name.match(LEFTOVER) : null;
      if (found === null) continue;
      const info = await Deno.lstat(path).catch(() => undefined);
      const age = now - (info?.mtime?.getTime() ?? now);
      if (!info?.isFile || age < LEFTOVER_AGE_MS || isProcessAlive(Number(found[1]))) continue;
      await removeFile(path, { root }).catch(() => false);
    }
  };
  await sweep(folder, 0);
  await sweep(join(folder, id, "subagents"), 1);
}

export async function restoreConversation(request: RestoreRequest): Promise<RestoreReport> {
  const { paths, root } = request;
  if (!hasUserConfig(request.home, request.vars)) {
    throw new MpmError(
      "There is no home folder, so mpm cannot tell where Claude Code keeps transcripts.",
      "Set HOME or CLAUDE_CONFIG_DIR.",
    );
  }
  const manifest = await pickCopy(paths, request.selector, request.session, root);
  const id = manifest.claude_session_id;
  const { origin, sender } = await copyOrigin(root, manifest);
  if (origin === "elsewhere" && !request.fromTeammate) {
    throw new MpmError(
      `The vault's copy of Claude session ${id} was not written by this machine's mpm (it came ` +
        "with the repository): mpm restores it only with --from-teammate.",
      "While Claude Code still has the transcript, the next `mpm vault sync` copies it again as yours.",
    );
  }
  if (origin === "teammate" && !request.fromTeammate) {
    throw new MpmError(
      `The vault's copy of Claude session ${id} came from a teammate (${
        sender ?? "an unknown author"
      }), not from you: mpm restores it only with --from-teammate.`,
      "A copy counts as yours when the `mpm sync push` that sent it was signed with your own " +
        "signing key (git's `gpg.format ssh` and `user.signingkey`), not for its email.",
    );
  }
  const tooLarge = sizeProblem(manifest);
  if (tooLarge !== null) {
    throw new MpmError(
      `The vault's copy of Claude session ${id} is not restored: ${tooLarge}.`,
      "Run `mpm doctor`; a copy someone else made may have been altered.",
    );
  }
  // An agent that keeps a conversation in one file of its own puts it back through the seam.
  const agent = agentOf(manifest.agent);
  const place = agentNamed(agent).transcripts.place;
  if (place !== null) {
    return await restorePlaced(request, manifest, agent, place, { origin, sender });
  }
  const facts = noFacts();
  let lines = 0;
  for await (const read of vaultedLines(paths, manifest, 0)) {
    for (const line of read) foldFacts(facts, line);
    lines += read.length;
  }
  if (lines === 0) {
    // Claude Code had written nothing yet when it was copied: no conversation to resume.
    throw new NothingToDo(
      `The vault's copy of Claude session ${id} holds no conversation: its transcript was empty.`,
      "Nothing to restore; `mpm vault list` shows the copies that hold one.",
    );
  }
  if (facts.cwd === null) {
    throw new MpmError(
      `The vault's copy of Claude session ${id} names no folder it ran in, so it cannot be moved.`,
    );
  }
  const installed = await (request.clientVersion ?? (() => claudeCodeVersion(request.vars)))();
  const wrong = untested([...facts.versions, ...(installed ? [installed] : [])]);
  if (wrong.length > 0 && !request.force) {
    throw new MpmError(
      `mpm has not tested restoring transcripts with Claude Code ${wrong.join(", ")} (only ${
        TESTED_CLIENTS.map((c) => c.version).join(", ")
      }).`,
      `\`mpm vault restore ${id.slice(0, 8)} --force\` tries anyway.`,
    );
  }
  const { move, cwd } = checkoutMove(facts.cwd, root, request.cwd);
  const home = request.home ?? "";
  const configRoot = claudeConfigDir(home, request.vars);
  let folder: string;
  try {
    folder = await claudeProjectFolder(home, request.vars, cwd);
  } catch (error) {
    if (error instanceof PlaceError) throw new MpmError(error.message, error.hint);
    throw error;
  }
  const rel = relative(configRoot, folder);
  if (rel.startsWith("..") || rel.startsWith("/")) {
    throw new MpmError(
      `Claude Code's folder for this checkout, ${folder}, is not inside ${configRoot}.`,
      "Check CLAUDE_CONFIG_DIR.",
    );
  }
  const mainPath = join(folder, mainTranscriptName(id));
  // The other machine's folders, as its system prompt names them (resent on `--resume`).
  const other = otherClaudeFolders(manifest.transcript, id);
  const config = other && other.config !== configRoot
    ? { from: other.config, to: configRoot }
    : null;
  const relocation: Relocation = {
    paths: [move, ...(config ? [config] : [])],
    names: [{ from: other?.folder ?? projectFolderName(facts.cwd), to: basename(folder) }],
  };
  const note = restoreNoteLine({
    here: origin === "here",
    sessionId: facts.leaf?.sessionId ?? id,
    parentUuid: facts.leaf?.uuid ?? null,
    move,
    uuid: noteUuid(id, facts.leaf?.uuid ?? null),
    at: manifest.last_entry ?? manifest.last_vaulted,
    version: facts.leaf?.version ?? null,
  });
  const textOf = (n: number) =>
    async function* (): AsyncGenerator<string> {
      for await (const lines of vaultedLines(paths, manifest, n)) {
        yield lines.map((line) => relocateLine(line, relocation) + "\n").join("");
      }
      if (n === 0) yield note + "\n";
    };
  const files: PlacedFile[] = manifest.files.map((file, n) => ({
    rel: n === 0 ? mainTranscriptName(id) : file.source,
    text: textOf(n),
  }));
  let placed: Placement[];
  try {
    // Every name checked and every file judged before anything is written.
    placed = await planPlacement(mainPath, id, files);
  } catch (error) {
    if (error instanceof PlaceError) throw new MpmError(error.message, error.hint);
    throw error;
  }
  // A subagent's transcript Claude Code still has is its own: kept, and the rest goes on.
  const kept = placed[0].outcome === "kept" ? placed[0] : undefined;
  if (kept) {
    throw new MpmError(
      `Claude Code already has a transcript of ${id} at ${kept.path} that the vault's copy does ` +
        "not continue: mpm leaves it as it is.",
      `\`claude --resume ${id}\` opens Claude Code's own; move that file away to restore the ` +
        "vault's copy.",
    );
  }
  if (!request.dryRun) {
    await sweepLeftovers(folder, id, configRoot);
    try {
      placed = await placeTranscripts(files, placed, async (path, text) => {
        await writeAtomicStream(path, text, { root: configRoot });
      });
    } catch (error) {
      if (error instanceof PlaceError) throw new MpmError(error.message, error.hint);
      throw error;
    }
  }
  const status = request.dryRun
    ? "dry-run"
    : placed.every((p) => p.outcome === "unchanged")
    ? "already"
    : "restored";
  if (status === "restored" && manifest.imported) await markRestored(paths, id, request.now);
  return {
    id,
    session: mainKey(manifest),
    status,
    transcript: mainPath,
    cwd,
    moved: move,
    claude_config: config,
    origin,
    sender,
    files: placed.map((p) => ({ file: p.rel, outcome: p.outcome })),
    client_versions: facts.versions,
    installed_client: installed,
    command: `${cwd === request.cwd ? "" : `cd ${shellWord(cwd)} && `}claude --resume ${id}`,
  };
}
