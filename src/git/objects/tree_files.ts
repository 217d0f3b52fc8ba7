/** Single files where `git status` speaks of folders, and what a commit held at a path. */
import { isMpmPath } from "../tree/porcelain.ts";
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";
import { relative, sep } from "../../kernel/path.ts";

const LS_OTHERS = ["ls-files", "-z", "--others", "--exclude-standard", "--full-name"];

/** The untracked files under folders `git status` reported as `dir/`. */
export async function untrackedFilesUnder(
  root: string,
  dirs: readonly string[],
): Promise<string[] | null> {
  if (dirs.length === 0) return [];
  // One listing of every untracked file, filtered here: no pathspec to quote, no length limit.
  const out = await runGit(root, LS_OTHERS);
  if (out === null || isNotRepo(out)) return null;
  if (out.code !== 0) throw gitFailure(LS_OTHERS, out);
  const prefixes = dirs.map((d) => (d.endsWith("/") ? d : `${d}/`));
  return out.stdout.split("\0").filter((path) =>
    path !== "" && !isMpmPath(path) && prefixes.some((prefix) => path.startsWith(prefix))
  );
}

/** Whether git's index holds the file at `path` (inside the work tree at `root`); false without git. */
export async function gitTracks(root: string, path: string): Promise<boolean> {
  const inside = relative(root, path).split(sep).join("/");
  const out = await runGit(root, ["--literal-pathspecs", "ls-files", "-z", "--", inside]);
  return out !== null && out.code === 0 && out.stdout !== "";
}

/** What a commit holds at a path: a blob (file or link), a commit (submodule) or a tree. */
export interface TreeEntry {
  oid: string;
  type: "blob" | "commit" | "tree";
}

const OBJECT_LINE = /^([0-9a-f]{40}|[0-9a-f]{64}) (blob|commit|tree)$/;
const OBJECT_NAME = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** The object each path names in `commit`, by `cat-file --batch-check` (or `ls-tree -z`). */
export async function entriesAt(
  root: string,
  commit: string,
  paths: readonly string[],
): Promise<Map<string, TreeEntry | null> | null> {
  if (!OBJECT_NAME.test(commit)) return null;
  const asked = paths.filter((path) => !LINE_BREAK.test(path));
  const input = [`${commit}^{commit}`, ...asked.map((path) => `${commit}:${path}`)]
    .map((line) => `${line}\n`).join("");
  const args = ["cat-file", "--batch-check=%(objectname) %(objecttype)"];
  const out = await runGit(root, args, { stdin: input });
  if (out === null || isNotRepo(out)) return null;
  if (out.code !== 0) throw gitFailure(args, out);
  const lines = out.stdout.split("\n");
  if (!/^[0-9a-f]+ commit$/.test(lines[0] ?? "")) return null;
  const entries = new Map<string, TreeEntry | null>();
  asked.forEach((path, i) => {
    const match = lines[i + 1]?.match(OBJECT_LINE);
    entries.set(path, match ? { oid: match[1], type: match[2] as TreeEntry["type"] } : null);
  });
  const broken = paths.filter((path) => LINE_BREAK.test(path));
  const listed = await Promise.all(broken.map((path) => listedEntry(root, commit, path)));
  broken.forEach((path, i) => {
    if (listed[i] !== undefined) entries.set(path, listed[i]);
  });
  return entries;
}

/** A line break in a name: `cat-file --batch-check` reads one name a line. */
const LINE_BREAK = /[\n\r]/;

/** `ls-tree -z`'s line: mode, type, object id, a tab, and the path as it is. */
const LISTED = /^[0-7]+ (blob|commit|tree) ([0-9a-f]{40}|[0-9a-f]{64})\t([\s\S]*)$/;

/** What `commit` holds at one path, by `ls-tree -z`, one path a call; undefined without git. */
async function listedEntry(
  root: string,
  commit: string,
  path: string,
): Promise<TreeEntry | null | undefined> {
  // git names a folder it did not expand `dir/`; ls-tree would list what is in it.
  const name = path.replace(/\/+$/, "");
  const args = ["--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", name];
  const out = await runGit(root, args);
  if (out === null) return undefined;
  if (out.code !== 0) throw gitFailure(args, out);
  for (const line of out.stdout.split("\0")) {
    const match = line.match(LISTED);
    if (match && match[3] === name) return { oid: match[2], type: match[1] as TreeEntry["type"] };
  }
  return null;
}
