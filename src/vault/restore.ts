/**
 * Restoring a vaulted conversation (`mpm vault restore`, `mpm resume --conversation`): the
 * vault's copy of a Claude session written back where this machine's Claude Code looks for it,
 * so `claude --resume <id>` opens it with its history. The copy's paths are moved from the
 * checkout it ran in to this one, and a last entry tells the model that its redacted values
 * stay redacted (src/claude/transcript/restore_lines.ts); the files are placed by the Claude
 * Code adapter (restore_place.ts), which never replaces a transcript Claude Code wrote unless
 * it is the start of the restored one.
 *
 * Refused without being asked: a copy a teammate sent (`fromTeammate`), and a transcript or an
 * installed client of a version restores were not tested with (`force`). A copy is the
 * person's own when this vault made it, or when the `mpm sync` commit that last brought it was
 * authored with this checkout's git identity (the same email): the same person on another
 * machine. Anyone can set any email, so this guards against a mistake, not against a teammate
 * who means to pass for you.
 */
import { MpmError, NothingToDo } from "../kernel/errors.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { relative } from "../kernel/path.ts";
import { writeAtomic } from "../disk/files/atomic.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { lastSender, sentByMe } from "../git/history/sender.ts";
import { claudeConfigDir, hasUserConfig } from "../claude/settings/config_dir.ts";
import { claudeCodeVersion } from "../claude/settings/claude_version.ts";
import {
  isTestedClient,
  moveLine,
  type PathMove,
  restoreNoteLine,
  TESTED_CLIENTS,
  transcriptFacts,
} from "../claude/transcript/restore_lines.ts";
import {
  claudeProjectFolder,
  PlaceError,
  type Placement,
  placeTranscripts,
  planPlacement,
} from "../claude/transcript/restore_place.ts";
import { lastActivity, mainKey, type Manifest } from "./manifest.ts";
import { listVault, pickEntry, readManifest, writeManifest } from "./store.ts";
import { withVaultLock } from "./copy.ts";
import { vaultedLines } from "./read.ts";

type Vars = Readonly<Record<string, string | undefined>>;

export interface RestoreRequest {
  /** This checkout's root, and the folder the command runs in. */
  root: string;
  cwd: string;
  paths: ProjectPaths;
  home: string | undefined;
  vars: Vars;
  /** A Claude session id (or its start), an mpm session key, or none: the newest copy. */
  selector?: string;
  fromTeammate: boolean;
  force: boolean;
  /** Say what would be written; write nothing. */
  dryRun?: boolean;
  /** The installed Claude Code's version (by default `claude --version`). */
  clientVersion?: () => Promise<string | null>;
  /** The run's clock, for the copy's `restored` mark. */
  now: Date;
}

/** Who the copy came from: this vault, the same person elsewhere, or a teammate. */
export type CopyOrigin = "here" | "you" | "teammate";

export interface RestoreReport {
  id: string;
  session: string | null;
  /** `restored`: written; `already`: Claude Code has it as restored; `dry-run`. */
  status: "restored" | "already" | "dry-run";
  transcript: string;
  /** The folder to run `claude --resume` in. */
  cwd: string;
  moved: PathMove;
  origin: CopyOrigin;
  /** The sender's git email, for a copy `mpm sync pull` brought. */
  sender: string | null;
  files: { file: string; outcome: Placement["outcome"] }[];
  client_versions: string[];
  installed_client: string | null;
  command: string;
}

/** `text` as one word for a POSIX shell. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The vault record a selector names: a Claude id or its start, an mpm session key, or none. */
export async function pickCopy(paths: ProjectPaths, selector?: string): Promise<Manifest> {
  const entries = await listVault(paths);
  const held = entries.flatMap((e) =>
    e.manifest && !e.manifest.dropped && e.manifest.files.length > 0 ? [e.manifest] : []
  );
  const newest = (list: Manifest[]) =>
    list.sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)))[0];
  if (selector === undefined) {
    const found = newest(held);
    if (found) return found;
    throw new NothingToDo(
      "The vault holds no conversation to restore.",
      "`mpm sync pull` brings the copies pushed from your other machine.",
    );
  }
  const ofSession = held.filter((m) => m.keys.includes(selector));
  if (ofSession.length > 0) return newest(ofSession);
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

/**
 * Where the copy came from: made by this vault, or brought by `mpm sync pull` in a commit whose
 * author is this checkout's git identity (the same person), or anyone else's.
 */
export async function copyOrigin(
  root: string,
  manifest: Manifest,
): Promise<{ origin: CopyOrigin; sender: string | null }> {
  if (!manifest.imported) return { origin: "here", sender: null };
  // Recorded at import: the commit that sent this copy, not a later one that sent another.
  const recorded = manifest.imported.sender;
  if (typeof recorded === "string") {
    return { origin: await sentByMe(root, recorded) ? "you" : "teammate", sender: recorded };
  }
  const remote = manifest.imported.from;
  const refs = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(remote) && !remote.includes("..")
    ? [`refs/mpm/remotes/${remote}/sessions`, "refs/mpm/sessions"]
    : ["refs/mpm/sessions"];
  let sender: string | null = null;
  for (const ref of refs) {
    sender = await lastSender(root, ref, `vault/${manifest.claude_session_id}.json`);
    if (sender !== null) break;
  }
  return { origin: await sentByMe(root, sender) ? "you" : "teammate", sender };
}

/**
 * Notes on an imported copy that it was put back for Claude Code here (manifest.ts `restored`),
 * so that copying the conversation again, once gone on with, keeps whose it is.
 */
async function markRestored(paths: ProjectPaths, id: string, now: Date): Promise<void> {
  await withVaultLock(paths, async () => {
    const current = await readManifest(paths, id);
    if (current?.imported && !current.restored) {
      await writeManifest(paths, { ...current, restored: now.toISOString() });
    }
  }, { command: "vault restore" });
}

/**
 * The path move from the checkout the conversation ran in to this one. The conversation ran in
 * `ran` (its first `cwd`); when this command runs in a folder below the root and `ran` ends in
 * the same folder, the other checkout's root is what comes before it and the conversation
 * continues here; otherwise `ran` was the other checkout's root.
 */
export function checkoutMove(
  ran: string,
  root: string,
  cwd: string,
): { move: PathMove; cwd: string } {
  const rel = relative(root, cwd);
  const below = rel !== "" && !rel.startsWith("..") ? rel : "";
  const trimmed = ran.replace(/\/+$/, "") || "/";
  if (below !== "" && trimmed.endsWith(`/${below}`)) {
    return { move: { from: trimmed.slice(0, -below.length - 1), to: root }, cwd };
  }
  return { move: { from: trimmed, to: root }, cwd: root };
}

async function copiedLines(paths: ProjectPaths, manifest: Manifest, file: number) {
  const out: string[] = [];
  for await (const lines of vaultedLines(paths, manifest, file)) out.push(...lines);
  return out;
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

export async function restoreConversation(request: RestoreRequest): Promise<RestoreReport> {
  const { paths, root } = request;
  if (!hasUserConfig(request.home, request.vars)) {
    throw new MpmError(
      "There is no home folder, so mpm cannot tell where Claude Code keeps transcripts.",
      "Set HOME or CLAUDE_CONFIG_DIR.",
    );
  }
  const manifest = await pickCopy(paths, request.selector);
  const id = manifest.claude_session_id;
  const { origin, sender } = await copyOrigin(root, manifest);
  if (origin === "teammate" && !request.fromTeammate) {
    throw new MpmError(
      `The vault's copy of Claude session ${id} came from a teammate (${
        sender ?? "an unknown author"
      }), not from you: mpm restores it only with --from-teammate.`,
      "A copy counts as yours when the `mpm sync push` that sent it used your git email.",
    );
  }
  const main = await copiedLines(paths, manifest, 0);
  const facts = transcriptFacts(main);
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
  let folder: string;
  try {
    folder = await claudeProjectFolder(home, request.vars, cwd);
  } catch (error) {
    if (error instanceof PlaceError) throw new MpmError(error.message, error.hint);
    throw error;
  }
  const mainPath = `${folder}/${id}.jsonl`;
  const moved = main.map((line) => moveLine(line, move));
  const note = restoreNoteLine({
    sessionId: facts.leaf?.sessionId ?? id,
    parentUuid: facts.leaf?.uuid ?? null,
    move,
    uuid: noteUuid(id, facts.leaf?.uuid ?? null),
    at: manifest.last_entry ?? manifest.last_vaulted,
    version: facts.leaf?.version ?? null,
  });
  const files = [{ rel: `${id}.jsonl`, text: [...moved, note].map((l) => l + "\n").join("") }];
  for (const [n, file] of manifest.files.entries()) {
    if (n === 0) continue;
    const lines = (await copiedLines(paths, manifest, n)).map((line) => moveLine(line, move));
    files.push({ rel: file.source, text: lines.map((l) => l + "\n").join("") });
  }
  const configRoot = claudeConfigDir(home, request.vars);
  let placed: Placement[];
  try {
    placed = request.dryRun
      ? await planPlacement(mainPath, files)
      : await placeTranscripts(mainPath, id, files, (path, text) =>
        writeAtomic(path, text, { root: configRoot }));
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
    origin,
    sender,
    files: placed.map((p) => ({ file: p.rel, outcome: p.outcome })),
    client_versions: facts.versions,
    installed_client: installed,
    command: `${cwd === request.cwd ? "" : `cd ${shellWord(cwd)} && `}claude --resume ${id}`,
  };
}
