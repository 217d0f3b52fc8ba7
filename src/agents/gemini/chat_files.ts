/**
 * Where Gemini CLI 0.61.0 keeps chats, and how a vaulted one is put back, never over Gemini's own.
 */
import { isRecord as isObject } from "../../kernel/check.ts";
import { basename, join } from "../../kernel/path.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import type { PathMove } from "../../claude/transcript/restore_lines.ts";
import { changedLine, moveAll, refuseName, TranscriptPlaceError } from "../place/place_lines.ts";

type Vars = Readonly<Record<string, string | undefined>>;
type Json = Record<string, unknown>;

/** A Gemini session id as mpm takes one: a uuid, or at most a plain name. */
const SESSION_ID = /^[A-Za-z0-9_-]{8,100}$/;

/** A chat's file name: `session-<time>-<first 8 of the id>.jsonl`. */
const NAME = /^session-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}(?:-\d{2})?-([A-Za-z0-9_-]{8})\.jsonl$/;

/** A project's name in projects.json, as a folder name below `tmp/`. */
const PROJECT_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,200}$/;

/** The most project folders, and chats in one, looked through for a chat no hook recorded. */
export const MAX_PROJECTS_LOOKED = 1000;
export const MAX_CHATS_LOOKED = 5000;

/** The most bytes of projects.json read. */
const MAX_PROJECTS_BYTES = 1024 * 1024;

/** Gemini's folder: `$GEMINI_CLI_HOME/.gemini`, else `~/.gemini`; null with neither. */
export function geminiFolder(home: string, vars: Vars): string;
export function geminiFolder(home: string | undefined, vars: Vars): string | null;
export function geminiFolder(home: string | undefined, vars: Vars): string | null {
  const given = vars.GEMINI_CLI_HOME;
  const base = given !== undefined && given !== "" ? given : home;
  return base === undefined ? null : join(base, ".gemini");
}

/** Whether `name` is a chat's file name for session `id`. */
export function isChatName(name: string, id: string): boolean {
  return SESSION_ID.test(id) && name.match(NAME)?.[1] === id.slice(0, 8);
}

/** Why `source`, recorded as file `n` of session `id`, is not a name Gemini gives its chat. */
export function chatNameProblem(id: string, source: string, n: number): string | null {
  if (n > 0) return "a Gemini chat has no subagents' transcripts";
  if (!SESSION_ID.test(id)) return `${JSON.stringify(id)} is not a Gemini session id`;
  if (!isChatName(source, id)) {
    return `its chat is named ${JSON.stringify(source)}, not session-<time>-${
      id.slice(0, 8)
    }.jsonl`;
  }
  return null;
}

/** The name the vault records the chat at `path` by, or why it is no chat of `id`'s. */
export function chatSources(path: string, id: string): string[] | { problem: string } {
  const name = basename(path);
  return isChatName(name, id)
    ? [name]
    : { problem: `${name} is not named as Gemini names a chat of ${id}` };
}

/** The session id a chat's first line (its header) names, or null. */
async function headerId(path: string): Promise<string | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch {
    return null;
  }
  try {
    const buffer = new Uint8Array(4096);
    const read = await file.read(buffer);
    const text = new TextDecoder().decode(buffer.subarray(0, read ?? 0));
    const value = JSON.parse(text.split("\n")[0]);
    return isObject(value) && typeof value.sessionId === "string" ? value.sessionId : null;
  } catch {
    return null;
  } finally {
    file.close();
  }
}

async function entries(dir: string, limit: number): Promise<Deno.DirEntry[]> {
  const out: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      out.push(entry);
      if (out.length >= limit) break;
    }
  } catch {
    // A folder that cannot be read holds nothing mpm can take.
  }
  return out;
}

/** `id`'s chat, or null; of a resume's near-empty twin and the real one, the largest wins. */
export async function findChat(gemini: string, id: string): Promise<string | null> {
  if (!SESSION_ID.test(id)) return null;
  let best: { path: string; size: number } | null = null;
  const top = join(gemini, "tmp");
  for (const project of await entries(top, MAX_PROJECTS_LOOKED)) {
    if (!project.isDirectory) continue;
    const chats = join(top, project.name, "chats");
    for (const entry of await entries(chats, MAX_CHATS_LOOKED)) {
      if (!entry.isFile || !isChatName(entry.name, id)) continue;
      const path = join(chats, entry.name);
      if (await headerId(path) !== id) continue;
      const size = (await Deno.lstat(path)).size;
      if (best === null || size > best.size) best = { path, size };
    }
  }
  return best?.path ?? null;
}

/** The name `<gemini>/projects.json` gives folder `root`, or null. */
async function projectName(gemini: string, root: string): Promise<string | null> {
  let text: string;
  try {
    const file = join(gemini, "projects.json");
    if ((await Deno.lstat(file)).size > MAX_PROJECTS_BYTES) return null;
    text = await Deno.readTextFile(file);
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text);
    const name = isObject(value) && isObject(value.projects) ? value.projects[root] : undefined;
    return typeof name === "string" && PROJECT_NAME.test(name) ? name : null;
  } catch {
    return null;
  }
}

/** Where `id`'s chat goes: the chats folder Gemini named this checkout, if any yet. */
export async function chatTarget(
  gemini: string,
  id: string,
  source: string,
  root: string,
): Promise<string> {
  refuseName(chatNameProblem(id, source, 0));
  const name = await projectName(gemini, root);
  if (name === null) {
    throw new TranscriptPlaceError(
      `Gemini CLI has not named this folder yet (${root} is not in its projects.json), so there ` +
        "is no chats folder to put the conversation in.",
      "Run `gemini` here once, then run the command again.",
    );
  }
  return join(gemini, "tmp", name, "chats", source);
}

/** The folder a chat ran in, as its `<session_context>` names the workspace; null if none. */
export function foldChatFacts(facts: { cwd: string | null }, line: string): void {
  if (facts.cwd !== null || !line.includes("<session_context>")) return;
  const found = line.match(/Workspace Directories:\*\*\\n\s*- ([^\\"]+)\\n/);
  if (found !== null) facts.cwd = found[1].trim();
}

/** One chat line with paths moved and the header's `projectHash` made this folder's. */
export function moveChatLine(line: string, move: PathMove): string {
  if (move.from === move.to || !line.includes(move.from)) {
    if (!line.includes('"projectHash"') || move.from === move.to) return line;
  }
  return changedLine(line, (value) => {
    const out = moveAll(value, move, 12) as Json;
    if (typeof value.projectHash === "string") out.projectHash = sha256Hex(move.to);
    return out;
  });
}
