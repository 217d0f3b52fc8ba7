/**
 * The git plumbing behind `mpm sync`: snapshots live in a commit chain at `refs/mpm/sessions`,
 * built with hash-object, mktree and commit-tree, so nothing here reads or writes the user's
 * index, work tree, branches or stash. The remote's ref is fetched into mpm's private
 * `refs/mpm/remotes/<remote>/sessions` (force-updated: it only mirrors the remote) and pushed
 * without force, so a concurrent push is rejected, never overwritten.
 */
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import { quoted } from "../../kernel/format/text.ts";
import { parseCatFileBatch } from "../../git/tree/porcelain.ts";
import {
  gitFailure,
  type GitOptions,
  type GitOutput,
  gitVars,
  runGit,
  runGitBytes,
  streamGit,
} from "../../git/run/run.ts";
import { type CommitIdentity, commitIdentity, IDENTITY_KEYS } from "../plan/identity.ts";
import { findGitDirs, refCommitIn } from "../../git/run/root.ts";
import { commitObjectFacts } from "../../git/tree/commit_object.ts";
import { SIGNING_KEYS, type SigningConfig, signingOf } from "../../git/history/signature.ts";
import { plainBranch, remoteFromConfig, SYNC_REF, trackingRef } from "../quiet/stamps.ts";
import { type DoorConfig, takeDoorTip } from "../quiet/door_tip.ts";
import { readTextIfExistsSync } from "../../disk/read/read.ts";
import { join } from "../../kernel/path.ts";

export { SYNC_REF, trackingRef } from "../quiet/stamps.ts";

/** `git ARGS` in `root`; a non-zero exit is returned, not thrown; git missing is an MpmError. */
export async function git(
  root: string,
  args: string[],
  options: GitOptions = {},
): Promise<GitOutput> {
  const out = await runGit(root, args, options);
  if (out === null) {
    throw new MpmError("git could not be started.", "Install git and make sure it is on PATH.");
  }
  return out;
}

/** `git ARGS`'s output; a non-zero exit throws with git's words. */
export async function gitOk(
  root: string,
  args: string[],
  options: GitOptions = {},
): Promise<string> {
  const out = await git(root, args, options);
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout;
}

export interface SyncSetup {
  remote: string;
  /** Whose the commits a push makes are (identity.ts): the one decision its report tells. */
  identity: CommitIdentity;
  /**
   * Whether a push signs its commits: with the person's ssh signing key, where git is set to sign
   * with one (`gpg.format ssh`, `user.signingkey`), so a teammate's pull can verify who sent it.
   */
  sign: boolean;
  /**
   * How this checkout signs and checks signatures (git/history/signature.ts), read with the
   * remote's config: what a pull keeps of the teammates' senders asks git no more for it.
   */
  signing?: SigningConfig;
  /** The identity and signing records of git's config it was made from (`git config -z`). */
  config?: string;
}

/**
 * The remote to sync with: the one named, else the current branch's upstream remote, else
 * `origin`. No such remote is NothingToDo, with a hint. `known`: the remote and the identity and
 * signing records the quiet door kept while git's config is the same (door_tip.ts): git is not
 * asked.
 */
export async function resolveRemote(
  root: string,
  named?: string,
  known?: DoorConfig,
): Promise<SyncSetup> {
  if (known !== undefined) {
    return setupOf(known.remote, remoteFromConfig(known.config, undefined, undefined).values);
  }
  const pattern = `^(remote\\..+\\.url|branch\\..+\\.remote|${IDENTITY_KEYS}|${SIGNING_KEYS})$`;
  const [config, branch] = await Promise.all([
    git(root, ["config", "-z", "--get-regexp", pattern]),
    headBranch(root),
  ]);
  // Exit 1 means no key matched: no remotes, no identity.
  if (config.code !== 0 && config.code !== 1) throw gitFailure(["config"], config);
  const { remote, remotes, values } = remoteFromConfig(config.stdout, branch, named);
  if (remote === undefined) {
    throw new NothingToDo(
      named
        ? `There is no git remote named ${quoted(named)}.`
        : "This repository has no git remote to sync with (no upstream, no origin).",
      remotes.length
        ? `Name one of its remotes: ${remotes.join(", ")}.`
        : "Add the one your team shares: git remote add origin URL.",
    );
  }
  return setupOf(remote, values);
}

function setupOf(remote: string, values: Map<string, string>): SyncSetup {
  const signing = signingOf(values);
  const sign = signing.ssh && signing.key !== undefined;
  // The door keeps these (not the remotes' urls, which may hold a token) for the next run.
  const config = [...values].filter(([key]) => !/^(remote|branch)\./.test(key))
    .map(([key, value]) => `${key}\n${value}\0`).join("");
  return { remote, identity: commitIdentity(gitVars(), values), sign, signing, config };
}

/**
 * The checked-out branch ("" when HEAD is detached): from HEAD's file where it names a branch
 * plainly, else (a reftable repository, anything odd) asked of git.
 */
async function headBranch(root: string): Promise<string> {
  const dirs = await findGitDirs(root);
  const plain = plainBranch(dirs && readTextIfExistsSync(join(dirs.gitDir, "HEAD")));
  if (plain !== undefined) return plain;
  const out = await git(root, ["symbolic-ref", "-q", "--short", "HEAD"]);
  return out.code === 0 ? out.stdout.trim() : "";
}

/** A ref's commit, or null when it does not exist. */
export async function readRef(root: string, ref: string): Promise<string | null> {
  const out = await git(root, ["rev-parse", "-q", "--verify", `${ref}^{commit}`]);
  return out.code === 0 ? out.stdout.trim() : null;
}

/**
 * The commit `ref` names, read from git's files where they name one plainly and the object store
 * holds it as a commit (a tag or anything odd is peeled by git); undefined: ask git.
 */
async function commitFromFiles(root: string, ref: string): Promise<string | undefined> {
  const dirs = await findGitDirs(root);
  const id = dirs && refCommitIn(dirs, ref);
  if (id === undefined) return undefined;
  return (await commitObjectFacts(root, id)) === undefined ? undefined : id;
}

/**
 * This clone's `refs/mpm/sessions` and its tracking ref of `remote` (null: none): from their
 * files where both name a commit plainly, else by one `for-each-ref`.
 */
export async function syncRefs(
  root: string,
  remote: string,
): Promise<{ local: string | null; tracking: string | null }> {
  const tracking = trackingRef(remote);
  const [local, tracked] = await Promise.all([
    commitFromFiles(root, SYNC_REF),
    commitFromFiles(root, tracking),
  ]);
  if (local !== undefined && tracked !== undefined) return { local, tracking: tracked };
  const stdout = await gitOk(root, [
    "for-each-ref",
    "--format=%(objectname) %(objecttype) %(refname)",
    SYNC_REF,
    tracking,
  ]);
  const refs = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [sha, type, ...name] = line.split(" ");
    if (type === "commit") refs.set(name.join(" "), sha);
  }
  return { local: refs.get(SYNC_REF) ?? null, tracking: refs.get(tracking) ?? null };
}

/** What a fetch of the remote's ref found: its commit (null: none), and one known before it. */
export interface Fetched {
  commit: string | null;
  /**
   * The tracking ref's commit before the fetch, when the fetch moved it on by a fast-forward (or
   * left it): one of `commit`'s own, which git need not be asked again. Null when not known.
   */
  from: string | null;
}

/**
 * Fetches the remote's `refs/mpm/sessions` into mpm's tracking ref. Returns its commit, or null
 * when the remote has none yet (a stale tracking ref is then dropped). `have`: the tracking ref's
 * commit now; when the remote's ref still names it (one `ls-remote`, which costs half a fetch),
 * there is nothing to fetch and nothing is.
 */
export async function fetchSessions(
  root: string,
  remote: string,
  have?: string | null,
): Promise<string | null> {
  return (await fetchRef(root, remote, have, false)).commit;
}

/**
 * fetchSessions, telling too whether `have` is one of the fetched commit's: the fetch is asked
 * for a fast-forward first, which git grants only from an ancestor (a rewritten remote is then
 * fetched again, forced), so no `merge-base` need ask it later.
 */
export function fetchSessionsFrom(
  root: string,
  remote: string,
  have?: string | null,
): Promise<Fetched> {
  return fetchRef(root, remote, have, true);
}

async function fetchRef(
  root: string,
  remote: string,
  have: string | null | undefined,
  fastForward: boolean,
): Promise<Fetched> {
  const tracking = trackingRef(remote);
  const reach = `Check that you can reach ${remote}: git fetch ${remote}.`;
  // What the quiet door saw of the remote moments ago, else one ls-remote.
  let tip = have ? takeDoorTip(root, remote) : null;
  if (have && tip === undefined) {
    const args = ["ls-remote", "--quiet", remote, SYNC_REF];
    const out = await git(root, args);
    if (out.code !== 0) throw gitFailure(args, out, reach);
    // A pattern matches a ref's tail: only the line of the ref itself counts.
    tip = out.stdout.split("\n").find((l) => l.endsWith(`\t${SYNC_REF}`))?.split("\t")[0];
  }
  if (have && tip === have) return { commit: have, from: have };
  // The fast-forward is asked without --quiet: its refusal is told only in the summary it mutes.
  const fetch = (force: boolean) => [
    "fetch",
    ...(force ? ["--quiet"] : []),
    "--no-tags",
    "--no-write-fetch-head",
    "--no-recurse-submodules",
    "--no-auto-maintenance",
    remote,
    `${force ? "+" : ""}${SYNC_REF}:${tracking}`,
  ];
  // Forced at once where nothing asks what it moves on from.
  const force = !(fastForward && have);
  let args = fetch(force);
  let out = await git(root, args);
  // Not a fast-forward: the remote was rewritten, and is mirrored as it is now.
  const forced = !force && out.code !== 0 && /\(non-fast-forward\)/.test(out.stderr);
  if (forced) out = await git(root, args = fetch(true));
  if (out.code !== 0) {
    if (/couldn't find remote ref/i.test(out.stderr)) {
      await git(root, ["update-ref", "-d", tracking]);
      return { commit: null, from: null };
    }
    throw gitFailure(args, out, reach);
  }
  const commit = await commitFromFiles(root, tracking) ?? await readRef(root, tracking);
  return { commit, from: have && !force && !forced && commit !== null ? have : null };
}

export type PushOutcome = "pushed" | "rejected";

/**
 * Pushes `commit` to the remote's `refs/mpm/sessions`, never forced. "rejected" means someone
 * else pushed first (or holds the ref's lock): fetch, merge and try again.
 */
export async function pushSessions(
  root: string,
  remote: string,
  commit: string,
): Promise<PushOutcome> {
  const args = [
    "push",
    "--porcelain",
    "--no-verify",
    "--no-follow-tags",
    "--no-signed",
    "--recurse-submodules=no",
    remote,
    `${commit}:${SYNC_REF}`,
  ];
  const out = await git(root, args);
  const line = out.stdout.split("\n").find((l) => l.includes(`:${SYNC_REF}\t`));
  if (out.code === 0 && line && !line.startsWith("!")) return "pushed";
  const retry =
    /non-fast-forward|fetch first|stale info|cannot lock|failed to (update|lock)|incorrect old value|reference already exists/i;
  if (line?.startsWith("!") && retry.test(line)) return "rejected";
  if (retry.test(out.stderr) && !line) return "rejected";
  throw gitFailure(
    args,
    out,
    `Check that you can push to ${remote}: git push --dry-run ${remote}.`,
  );
}

export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
  /** A blob's size in bytes (from the listing, before anything is read); absent for trees. */
  size?: number;
}

/** Every entry of a commit's tree, subtrees included, with blob sizes (`ls-tree -r -t -l`). */
export async function listTree(root: string, commit: string): Promise<TreeEntry[]> {
  return await Array.fromAsync(treeEntries(root, commit));
}

/**
 * listTree's entries one at a time, as git lists them: a tree of any size is never held whole.
 * `only`: the top level's entries, and every entry under the folders it names.
 */
export async function* treeEntries(
  root: string,
  commit: string,
  only?: readonly string[],
): AsyncGenerator<TreeEntry> {
  const args = ["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", commit];
  if (only === undefined) return yield* listed(root, args);
  // An entry `only` names, folder or not (a forged remote's blob), is listed once: by the second.
  for await (const entry of listed(root, ["ls-tree", "-l", "-z", "--full-tree", commit])) {
    if (!only.includes(entry.path)) yield entry;
  }
  if (only.length > 0) yield* listed(root, [...args, "--", ...only]);
}

async function* listed(root: string, args: string[]): AsyncGenerator<TreeEntry> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of streamGit(root, args)) {
    const records = (rest + decoder.decode(chunk, { stream: true })).split("\0");
    rest = records.pop()!;
    for (const record of records) if (record) yield entryOf(record);
  }
  rest += decoder.decode();
  if (rest) yield entryOf(rest);
}

function entryOf(record: string): TreeEntry {
  const tab = record.indexOf("\t");
  // The size column is right-aligned with spaces ("-" for a tree).
  const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
  const entry: TreeEntry = { mode, type, sha, path: record.slice(tab + 1) };
  if (size !== undefined && /^\d+$/.test(size)) entry.size = Number(size);
  return entry;
}

/**
 * What a pull must look at between the remote commit it last reconciled (`from`) and the one it
 * fetched (`to`): when `to` descends from `from`, the paths of the entries added or changed on the
 * way (`diff-tree -r`) and of those removed, so a pull of a teammate's push looks at what the push
 * brought, not the whole store (their entries are asked by path: entriesAt). `links`: those of
 * the changed that are submodule entries now, which the whole listing holds as no file and
 * entriesAt would read as the object they name; `ids`: the object each changed path names now.
 * Null with no `from`, or a rewritten remote (`from` not an ancestor of `to`): the whole tree
 * must be listed.
 */
export async function listChanged(
  root: string,
  from: string | null,
  to: string,
  ancestor?: string | null,
): Promise<
  { changed: string[]; removed: string[]; links: string[]; ids: Map<string, string> } | null
> {
  if (from === to) return { changed: [], removed: [], links: [], ids: new Map() };
  if (from === null) return null;
  if (from !== ancestor && !(await isAncestor(root, from, to))) return null;
  const stdout = await gitOk(root, [
    "diff-tree",
    "-r",
    "-z",
    "--no-commit-id",
    "--no-renames",
    from,
    to,
  ]);
  // -z: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0" per changed entry.
  const fields = stdout.split("\0");
  const changed: string[] = [];
  const removed: string[] = [];
  const links: string[] = [];
  const ids = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, mode, , sha, status] = fields[i].slice(1).split(" ");
    if (status === "D") removed.push(fields[i + 1]);
    else changed.push(fields[i + 1]);
    if (status !== "D") ids.set(fields[i + 1], sha);
    if (status !== "D" && mode === "160000") links.push(fields[i + 1]);
  }
  return { changed, removed, links, ids };
}

/**
 * The entries of `commit`'s tree at `paths` (each a full path without a line break), blobs with
 * their sizes, from one `cat-file --batch-check`; a path the tree lacks is left out. The other
 * half of a pair a push changed only one half of is found so, without listing the tree. Modes
 * are the plain ones of their type (batch-check does not tell them; a pull does not read them).
 * `known`: the object a path names, where listChanged told it: asked by its id, which git finds
 * without reading the trees on the way (several times cheaper than by path in a large store).
 */
export async function entriesAt(
  root: string,
  commit: string,
  paths: readonly string[],
  known: ReadonlyMap<string, string> = new Map(),
): Promise<TreeEntry[]> {
  const asked = paths.filter((p) => !p.includes("\n"));
  if (asked.length === 0) return [];
  const stdout = await gitOk(
    root,
    ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
    { stdin: asked.map((p) => known.get(p) ?? `${commit}:${p}`).join("\n") + "\n" },
  );
  const lines = stdout.split("\n");
  const entries: TreeEntry[] = [];
  for (const [i, path] of asked.entries()) {
    // One line an asked path, in order: "<sha> <type> <size>", or "<name> missing".
    const [sha, type, size] = (lines[i] ?? "").split(" ");
    if (!/^[0-9a-f]{40,64}$/.test(sha) || (type !== "blob" && type !== "tree")) continue;
    const entry: TreeEntry = { mode: type === "blob" ? "100644" : "040000", type, sha, path };
    if (type === "blob" && /^\d+$/.test(size ?? "")) entry.size = Number(size);
    entries.push(entry);
  }
  return entries;
}

/**
 * Which of `paths` (record paths: no line break, nothing a pattern matches otherwise) are
 * submodule entries in `commit`'s tree, which entriesAt reads as the object they name.
 */
export async function linksAt(root: string, commit: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const stdout = await gitOk(root, ["ls-tree", "-z", "--full-tree", commit, "--", ...paths]);
  return stdout.split("\0").filter((r) => r.startsWith("160000 ")).map((r) => r.split("\t")[1]);
}

/** The entries of one folder of `commit`'s tree (`folder/name`, not its subfolders' files). */
export async function listFolder(
  root: string,
  commit: string,
  folder: string,
): Promise<TreeEntry[]> {
  const out = await git(root, ["ls-tree", "-l", "-z", `${commit}:${folder}`]);
  // No such folder: nothing in it.
  if (out.code !== 0) return [];
  return out.stdout.split("\0").filter(Boolean).map((record) => {
    const tab = record.indexOf("\t");
    const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
    const entry: TreeEntry = { mode, type, sha, path: `${folder}/${record.slice(tab + 1)}` };
    if (size !== undefined && /^\d+$/.test(size)) entry.size = Number(size);
    return entry;
  });
}

/**
 * The contents of many blobs, read by one `cat-file --batch`: views into git's output, which is
 * let go with the last of them (callers ask for a bounded batch: sync/remote/remote.ts).
 */
export async function readBlobs(root: string, shas: string[]): Promise<Map<string, Uint8Array>> {
  const blobs = new Map<string, Uint8Array>();
  const wanted = [...new Set(shas)];
  if (wanted.length === 0) return blobs;
  const args = ["cat-file", "--batch"];
  const out = await runGitBytes(root, args, { stdin: wanted.join("\n") + "\n" });
  if (out === null || out.code !== 0) {
    throw gitFailure(args, { code: out?.code ?? -1, stdout: "", stderr: out?.stderr ?? "" });
  }
  for (const [sha, bytes] of parseCatFileBatch(out.stdout)) blobs.set(sha, bytes);
  return blobs;
}

/** Writes files into the object store as blobs (no filters), in one process. */
export async function writeBlobs(root: string, files: string[]): Promise<string[]> {
  if (files.length === 0) return [];
  if (files.some((f) => f.includes("\n"))) throw new MpmError("A file name holds a line break.");
  const stdout = await gitOk(
    root,
    ["hash-object", "-w", "--no-filters", "--stdin-paths"],
    { stdin: files.join("\n") + "\n" },
  );
  return stdout.trim().split("\n");
}

/**
 * A commit of `tree` with `parents`, by `identity` (the repository's user, or mpm's stand-in),
 * signed with the user's signing key when `sign` (git's own `-S`: `user.signingkey`).
 */
export async function commitTree(
  root: string,
  tree: string,
  parents: string[],
  message: string,
  identity: CommitIdentity,
  sign = false,
): Promise<string> {
  const args = [
    "commit-tree",
    sign ? "-S" : "--no-gpg-sign",
    ...parents.flatMap((p) => ["-p", p]),
    "-m",
    message,
    tree,
  ];
  const out = await git(root, args, { env: identity.env });
  if (out.code !== 0 && sign) {
    throw gitFailure(
      args,
      out,
      "Nothing was pushed. Fix the key git signs with (git config user.signingkey), or unset " +
        "it to push unsigned.",
    );
  }
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout.trim();
}

/** Moves `ref` to `commit` only if it still points at `expected` (null: does not exist). */
export async function updateRef(
  root: string,
  ref: string,
  commit: string,
  expected: string | null,
): Promise<boolean> {
  const out = await git(root, ["update-ref", "-m", "mpm sync", ref, commit, expected ?? ""]);
  return out.code === 0;
}

export async function isAncestor(root: string, ancestor: string, of: string): Promise<boolean> {
  const out = await git(root, ["merge-base", "--is-ancestor", ancestor, of]);
  return out.code === 0;
}
