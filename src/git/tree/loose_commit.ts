/**
 * HEAD's tree and subject read from git's object store without a git process, when the commit is
 * a loose object: one zlib-deflated file under `objects/`, as every commit made or fetched here
 * stays until git packs it. A pause needs only these two facts of HEAD's commit; a packed commit,
 * a replaced one, or a message in another encoding is left to `git log`.
 */
import { join } from "../../kernel/path.ts";
import { findGitDirs } from "../run/root.ts";
import { gitVars } from "../run/run.ts";

export interface CommitFacts {
  tree: string;
  /** The subject as `git log --format=%s` gives it. */
  subject: string;
}

/** A commit object is a few hundred bytes; a larger file is left to git. */
const MAX_OBJECT_BYTES = 1024 * 1024;

/** The tree and subject of `commit`, read from its loose object; undefined where git must say. */
export async function looseCommitFacts(
  root: string,
  commit: string,
): Promise<CommitFacts | undefined> {
  const vars = gitVars();
  if (vars.GIT_OBJECT_DIRECTORY || vars.GIT_REPLACE_REF_BASE) return undefined;
  const dirs = await findGitDirs(root);
  if (!dirs || mayReplace(dirs.commonDir)) return undefined;
  const file = join(dirs.commonDir, "objects", commit.slice(0, 2), commit.slice(2));
  try {
    if (Deno.statSync(file).size > MAX_OBJECT_BYTES) return undefined;
    const deflated = await Deno.readFile(file);
    const inflated = new Response(
      new Blob([deflated]).stream().pipeThrough(new DecompressionStream("deflate")),
    );
    return commitFacts(new Uint8Array(await inflated.arrayBuffer()));
  } catch {
    return undefined;
  }
}

/** Whether `git replace` may stand another commit in for one (then log shows that one). */
function mayReplace(commonDir: string): boolean {
  try {
    Deno.statSync(join(commonDir, "refs", "replace"));
    return true;
  } catch {
    // No folder of replacements; packed ones are listed in packed-refs.
  }
  try {
    return Deno.readTextFileSync(join(commonDir, "packed-refs")).includes(" refs/replace/");
  } catch {
    return false;
  }
}

/** git's blank: only spaces, tabs and line ends (its isspace). */
const BLANK = /^[ \t\r\n]*$/;

/** The facts of a loose commit object's bytes (`commit <size>\0` and the commit). Pure. */
export function commitFacts(object: Uint8Array): CommitFacts | undefined {
  const nul = object.indexOf(0);
  const header = new TextDecoder().decode(object.subarray(0, nul));
  const size = header.match(/^commit (\d+)$/)?.[1];
  if (nul < 0 || size === undefined || Number(size) !== object.length - nul - 1) return undefined;
  const text = new TextDecoder().decode(object.subarray(nul + 1));
  const end = text.indexOf("\n\n");
  const headers = (end < 0 ? text : text.slice(0, end)).split("\n");
  const tree = headers[0].match(/^tree ([0-9a-f]{40}|[0-9a-f]{64})$/)?.[1];
  if (tree === undefined) return undefined;
  // log re-encodes a message written in another encoding; that is git's to do.
  const encoding = headers.find((line) => line.startsWith("encoding "));
  if (encoding && !/^encoding utf-?8$/i.test(encoding)) return undefined;
  return { tree, subject: end < 0 ? "" : subjectOf(text.slice(end + 2)) };
}

/**
 * The subject of a commit message as git's `%s` gives it: past leading blank lines, the first
 * paragraph's lines, each without trailing blanks, joined by a space. Pure.
 */
export function subjectOf(message: string): string {
  const lines = message.split("\n");
  let i = 0;
  while (i < lines.length && BLANK.test(lines[i])) i++;
  const subject: string[] = [];
  for (; i < lines.length && !BLANK.test(lines[i]); i++) {
    subject.push(lines[i].replace(/[ \t\r]+$/, ""));
  }
  return subject.join(" ");
}
