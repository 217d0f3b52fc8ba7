/**
 * Putting a transcript back where this machine's Claude Code looks for it:
 * `<config>/projects/<project folder>/<id>.jsonl`, its subagents' beside it. The project folder
 * is the folder Claude Code runs in with every character but letters and digits turned into `-`;
 * a name longer than 200 characters is cut there and given a hash of the client's own, so such a
 * folder is only found, never made. Nothing Claude Code wrote is lost: a transcript already there
 * is replaced only when it is the start of the restored one (restore_lines.ts, `mayReplace`),
 * checked again just before each write. The bytes go through the writer the caller hands in
 * (mpm's disk writer: atomic, 0600 in 0700 folders), subagents first and the main transcript
 * last, so `claude --resume` never finds the conversation without its subagents.
 */
import { join } from "../../kernel/path.ts";
import { claudeConfigDir } from "../settings/config_dir.ts";
import { isClaudeSessionId, transcriptAt } from "./transcript_files.ts";
import { mayReplace } from "./restore_lines.ts";

type Vars = Readonly<Record<string, string | undefined>>;

/** The longest project folder name Claude Code uses as it is. */
const MAX_FOLDER_NAME = 200;

/** Claude Code's project folder name for `cwd`, or its first 200 characters when longer. */
export function projectFolderName(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, "-");
}

/** Thrown when the transcript cannot be placed: one sentence and what to do. */
export class PlaceError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/**
 * The folder Claude Code keeps `cwd`'s transcripts in. A name over 200 characters ends in a hash
 * only the client computes: the folder it made is found by its first 200 characters, or the
 * restore is refused until Claude Code has run there once.
 */
export async function claudeProjectFolder(home: string, vars: Vars, cwd: string): Promise<string> {
  const projects = join(claudeConfigDir(home, vars), "projects");
  const name = projectFolderName(cwd);
  if (name.length <= MAX_FOLDER_NAME) return join(projects, name);
  const start = `${name.slice(0, MAX_FOLDER_NAME)}-`;
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(projects)) {
      if (entry.isDirectory && entry.name.startsWith(start)) found.push(entry.name);
    }
  } catch {
    // No projects folder yet.
  }
  if (found.length === 1) return join(projects, found[0]);
  throw new PlaceError(
    `${cwd} is too long a path for mpm to name Claude Code's folder for it.`,
    "Run `claude` once in this folder (it makes the folder), then restore again.",
  );
}

/** One transcript to place, named relative to the main one's folder (`<id>.jsonl` first). */
export interface PlacedFile {
  rel: string;
  text: string;
}

/** What happened to each file: written, already there as restored, or kept (Claude Code's). */
export interface Placement {
  rel: string;
  path: string;
  outcome: "written" | "unchanged" | "kept";
}

export type WriteFile = (path: string, text: string) => Promise<void>;

async function existingText(path: string): Promise<string | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (!info.isFile) {
    throw new PlaceError(
      `${path} is not a regular file.`,
      "Move it out of the way, then restore again.",
    );
  }
  return await Deno.readTextFile(path);
}

/**
 * Which files would be written and which are kept, without writing: a file is kept when Claude
 * Code has one there that is not the start of the restored one.
 */
export async function planPlacement(
  mainPath: string,
  files: readonly PlacedFile[],
): Promise<Placement[]> {
  const out: Placement[] = [];
  for (const file of files) {
    const path = transcriptAt(mainPath, file.rel);
    const existing = await existingText(path);
    const outcome = existing === undefined
      ? "written"
      : existing === file.text
      ? "unchanged"
      : mayReplace(existing, file.text)
      ? "written"
      : "kept";
    out.push({ rel: file.rel, path, outcome });
  }
  return out;
}

/**
 * Writes the files Claude Code lacks or holds only the start of: subagents first, the main
 * transcript last. A file kept in the plan is not written; each file is checked again just
 * before it is written, in case Claude Code wrote to it meanwhile.
 */
export async function placeTranscripts(
  mainPath: string,
  id: string,
  files: readonly PlacedFile[],
  write: WriteFile,
): Promise<Placement[]> {
  if (!isClaudeSessionId(id)) {
    throw new PlaceError(`${JSON.stringify(id)} is not a Claude session id.`, "Check the id.");
  }
  const plan = await planPlacement(mainPath, files);
  const order = [...plan.keys()].sort((a, b) => (a === 0 ? 1 : 0) - (b === 0 ? 1 : 0));
  for (const i of order) {
    if (plan[i].outcome !== "written") continue;
    const [again] = await planPlacement(mainPath, [files[i]]);
    plan[i] = again;
    if (again.outcome === "written") await write(again.path, files[i].text);
  }
  return plan;
}
