/**
 * The tree a push commits: the remote's, with the files it sends added. Only the folders that gain
 * files are made again, each by git from git's own listing of the folder; every other entry keeps
 * its object.
 */
import { join } from "../../kernel/path.ts";
import { gitFailure, streamGit } from "../../git/run/run.ts";
import { dropScratchDir, makeScratchDir } from "../../disk/files/confine/scratch.ts";
import { git, gitOk, type TreeEntry } from "./refs.ts";

/**
 * The tree of `treeish`'s entries (one level) and `added`: git's listing goes to mktree as git
 * writes it (the same format), never held nor parsed into an entry each, unless it holds a
 * submodule entry (mktree): that one is listed again and made as mktree says.
 */
async function mktreeOver(root: string, treeish: string, added: TreeEntry[]): Promise<string> {
  const records = added.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`);
  const piped = { gitlink: false };
  const made = await git(root, ["mktree", "-z"], {
    stdin: listingThen(root, treeish, new TextEncoder().encode(records.join("")), piped),
  });
  if (!piped.gitlink) {
    if (made.code !== 0) throw gitFailure(["mktree", "-z"], made);
    return made.stdout.trim();
  }
  const listed = await gitOk(root, ["ls-tree", "-z", treeish]);
  const entries = listed.split("\0").filter(Boolean).map((record) => {
    const tab = record.indexOf("\t");
    const [mode, type, sha] = record.slice(0, tab).split(" ");
    return { mode, type, sha, path: record.slice(tab + 1) };
  });
  return await mktree(root, [...entries, ...added]);
}

/** What a submodule entry's record begins with (`-z`: after a NUL, or the listing's first). */
const GITLINK = new TextEncoder().encode("160000 ");

/**
 * `git ls-tree -z treeish`'s output as it comes, then `more`; stops early, `piped.gitlink` set,
 * at a submodule entry.
 */
async function* listingThen(
  root: string,
  treeish: string,
  more: Uint8Array,
  piped: { gitlink: boolean },
) {
  // The last bytes of the chunk before: a record's start may fall between two.
  let tail = new Uint8Array([0]);
  for await (const chunk of streamGit(root, ["ls-tree", "-z", treeish])) {
    const seen = new Uint8Array(tail.length + chunk.length);
    seen.set(tail);
    seen.set(chunk, tail.length);
    for (let at = seen.indexOf(0); at !== -1; at = seen.indexOf(0, at + 1)) {
      if (GITLINK.every((b, i) => seen[at + 1 + i] === b)) {
        piped.gitlink = true;
        return;
      }
    }
    tail = seen.slice(-GITLINK.length);
    yield chunk;
  }
  yield more;
}

/**
 * A tree object of `entries`. NUL-separated (`-z`), so an entry whose name holds a line break —
 * which someone else's push may have put there — is carried over as it is instead of making
 * every later push fail.
 */
async function mktree(root: string, entries: TreeEntry[]): Promise<string> {
  // mktree refuses a submodule entry naming a blob (a forged remote's); git's index keeps it as
  // it is, as a push keeps every entry it does not send. The index holds no folder: each is read
  // into it whole, and written back as the same tree.
  if (entries.some((e) => e.mode === "160000")) {
    const temp = await makeScratchDir("mpm-sync-tree-");
    try {
      const env = { GIT_INDEX_FILE: join(temp, "index") };
      for (const e of entries.filter((e) => e.type === "tree")) {
        await gitOk(root, ["read-tree", `--prefix=${e.path}/`, e.sha], { env });
      }
      const info = entries.filter((e) => e.type !== "tree")
        .map((e) => `${e.mode} ${e.sha}\t${e.path}\0`).join("");
      await gitOk(root, ["update-index", "-z", "--index-info"], { stdin: info, env });
      return (await gitOk(root, ["write-tree"], { env })).trim();
    } finally {
      await dropScratchDir(temp);
    }
  }
  const records = entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`);
  return (await gitOk(root, ["mktree", "-z"], { stdin: records.join("") })).trim();
}

/**
 * A tree: `base` (a listing from listTree, kept as it is) plus `additions` (`dir/name` blobs).
 * Only the folders that gain files are rebuilt; every other entry keeps its object. `lean`: the
 * folders whose records `base` leaves out (a lean reading: remote.ts) are listed by git at its
 * commit, whole, instead.
 */
export async function buildTree(
  root: string,
  base: TreeEntry[],
  additions: { path: string; sha: string }[],
  lean?: { commit: string; dirs: readonly string[] },
): Promise<string> {
  const byGit = (dir: string) => lean?.dirs.includes(dir) === true;
  const dirs = new Map<string, TreeEntry[]>();
  for (const { path, sha } of additions) {
    const slash = path.indexOf("/");
    const dir = path.slice(0, slash);
    if (!dirs.has(dir)) {
      dirs.set(
        dir,
        byGit(dir)
          ? []
          : base.filter((e) =>
            e.path.startsWith(`${dir}/`) && !e.path.includes("/", dir.length + 1)
          ).map((e) => ({ ...e, path: e.path.slice(dir.length + 1) })),
      );
    }
    dirs.get(dir)!.push({ mode: "100644", type: "blob", sha, path: path.slice(slash + 1) });
  }
  const top = base.filter((e) => !e.path.includes("/") && !dirs.has(e.path));
  const built = await Promise.all(
    [...dirs].map(async ([dir, entries]) => ({
      mode: "040000",
      type: "tree",
      sha: byGit(dir) && base.some((e) => e.path === dir && e.type === "tree")
        ? await mktreeOver(root, `${lean!.commit}:${dir}`, entries)
        : await mktree(root, entries),
      path: dir,
    })),
  );
  return await mktree(root, [...top, ...built]);
}
