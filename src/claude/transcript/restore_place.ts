/**
 * Putting a transcript back where Claude Code looks, under its own names, never over one that is
 * not its start; subagents first, the main transcript last.
 */
import { dirname, join, relative } from "../../kernel/path.ts";
import { claudeConfigDir } from "../settings/config/config_dir.ts";
import { transcriptAt } from "./transcript_files.ts";
import {
  isClaudeSessionId,
  isSubagentTranscriptName,
  mainTranscriptName,
} from "./transcript_names.ts";
import { isRestoreNote } from "./restore_lines.ts";

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

/** Where Claude Code keeps `cwd`'s transcripts; a hashed name over 200 characters is only found. */
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
  /** Its text, in pieces, afresh at each call: it is read to compare and again to write. */
  text: () => AsyncIterable<string>;
}

/** What happened to each file: written, already there as restored, or kept (Claude Code's). */
export interface Placement {
  rel: string;
  path: string;
  outcome: "written" | "unchanged" | "kept";
  /** The file found there when planned (size and time), to tell whether it changed since. */
  found: string | null;
}

export type WriteFile = (path: string, text: AsyncIterable<string>) => Promise<void>;

/** Where `rel` goes beside `mainPath`, or PlaceError for a name Claude Code does not give. */
export function placedPath(mainPath: string, id: string, rel: string, index: number): string {
  const named = index === 0 ? rel === mainTranscriptName(id) : isSubagentTranscriptName(id, rel);
  const path = transcriptAt(mainPath, rel);
  const inside = relative(dirname(mainPath), path);
  if (!isClaudeSessionId(id) || !named || inside.startsWith("..") || inside.startsWith("/")) {
    throw new PlaceError(
      `The vault's copy of Claude session ${id} names ${
        JSON.stringify(rel)
      } as a transcript, which is not a name Claude Code gives one: mpm restores nothing of it.`,
      "Run `mpm doctor`; a copy someone else made may have been altered.",
    );
  }
  return path;
}

interface Line {
  line: string;
  ended: boolean;
}

async function* linesOf(pieces: AsyncIterable<string>): AsyncGenerator<Line> {
  let held = "";
  for await (const piece of pieces) {
    held += piece;
    let at = 0;
    for (let nl = held.indexOf("\n"); nl >= 0; nl = held.indexOf("\n", at)) {
      yield { line: held.slice(at, nl), ended: true };
      at = nl + 1;
    }
    held = held.slice(at);
  }
  if (held !== "") yield { line: held, ended: false };
}

const READ_BYTES = 1024 * 1024;

async function* fileText(path: string): AsyncGenerator<string> {
  using file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(READ_BYTES);
  for (;;) {
    const got = await file.read(buffer);
    if (got === null) break;
    yield decoder.decode(buffer.subarray(0, got), { stream: true });
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

/** Whether `existing` equals `restored`, is its prefix, or neither, as both stream. */
async function startsWith(
  existing: AsyncIterable<string>,
  restored: AsyncIterable<string>,
  skip: (line: string) => boolean,
): Promise<{ how: "equal" | "prefix" | "no"; skipped: number }> {
  const e = linesOf(existing);
  const r = linesOf(restored);
  let skipped = 0;
  const next = async (it: AsyncGenerator<Line>, count: boolean) => {
    for (;;) {
      const got = await it.next();
      if (got.done) return undefined;
      if (!skip(got.value.line)) return got.value;
      if (count) skipped++;
    }
  };
  try {
    for (;;) {
      const a = await next(e, true);
      const b = await next(r, false);
      if (a === undefined) return { how: b === undefined ? "equal" : "prefix", skipped };
      if (b === undefined) return { how: "no", skipped };
      if (a.line === b.line && a.ended === b.ended) continue;
      // Claude Code's last line cut short (a line being written when it stopped).
      if (!a.ended && b.line.startsWith(a.line) && (await next(e, true)) === undefined) {
        return { how: "prefix", skipped };
      }
      return { how: "no", skipped };
    }
  } finally {
    await Promise.all([e.return(undefined), r.return(undefined)]);
  }
}

/** The outcome for a file Claude Code has at `path` against the restored text (`mayReplace`). */
async function judge(path: string, file: PlacedFile): Promise<Placement["outcome"]> {
  const raw = await startsWith(fileText(path), file.text(), () => false);
  if (raw.how === "equal") return "unchanged";
  if (raw.how === "prefix") return "written";
  // Restored once (its note), continued by Claude Code, restored again from a longer copy.
  const plain = await startsWith(fileText(path), file.text(), isRestoreNote);
  return plain.skipped > 0 && plain.how !== "no" ? "written" : "kept";
}

async function look(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

function stamp(info: Deno.FileInfo): string {
  return `${info.size} ${info.mtime?.getTime() ?? ""}`;
}

async function planOne(path: string, file: PlacedFile): Promise<Placement> {
  const info = await look(path);
  if (info === undefined) return { rel: file.rel, path, outcome: "written", found: null };
  if (!info.isFile) {
    throw new PlaceError(
      `${path} is not a regular file.`,
      "Move it out of the way, then restore again.",
    );
  }
  return { rel: file.rel, path, outcome: await judge(path, file), found: stamp(info) };
}

/** Which files would be written and which kept, without writing. */
export async function planPlacement(
  mainPath: string,
  id: string,
  files: readonly PlacedFile[],
): Promise<Placement[]> {
  const where = files.map((file, i) => placedPath(mainPath, id, file.rel, i));
  const out: Placement[] = [];
  for (const [i, file] of files.entries()) out.push(await planOne(where[i], file));
  return out;
}

/** Writes the plan, subagents first; a file changed since the plan is judged again first. */
export async function placeTranscripts(
  files: readonly PlacedFile[],
  plan: Placement[],
  write: WriteFile,
): Promise<Placement[]> {
  const order = [...plan.keys()].sort((a, b) => (a === 0 ? 1 : 0) - (b === 0 ? 1 : 0));
  for (const i of order) {
    if (plan[i].outcome !== "written") continue;
    const info = await look(plan[i].path);
    if ((info === undefined ? null : stamp(info)) !== plan[i].found) {
      plan[i] = await planOne(plan[i].path, files[i]);
      if (plan[i].outcome !== "written") continue;
    }
    await write(plan[i].path, files[i].text());
  }
  return plan;
}
