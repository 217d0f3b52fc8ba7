/**
 * Named stashes for `mpm branch --stash` and `mpm return`, found again by message, not position.
 */
import { gitMissing, MpmError } from "../../kernel/errors.ts";
import { gitFailure, type GitOutput, isNotRepo, runGit } from "../run/run.ts";
import { findGitDirs, mayHoldRef } from "../run/root.ts";
import { basename, join } from "../../kernel/path.ts";
import { shellQuote } from "../../kernel/format/text.ts";
import { shown } from "../../kernel/safe_text/shown.ts";
import { switchHint } from "./switch_hint.ts";

/** How much of git's own words a failed stash quotes: one line, this many characters at most. */
const SAID_MAX = 200;

/** Stashes all uncommitted work, untracked included, under `message`; false when none. */
export async function stashPushNamed(root: string, message: string): Promise<boolean> {
  const args = ["stash", "push", "--include-untracked", "-m", message];
  const out = await runGit(root, args);
  if (out === null) throw gitMissing();
  if (out.code !== 0) throw stashFailure(out, await stashFacts(root));
  return !/No local changes to save/.test(out.stdout + out.stderr);
}

/** What may explain a failed `git stash push`, read after it failed. */
export interface StashFacts {
  /** The index's lock file, when it exists: another git command holds the index, or crashed. */
  lock: string | null;
  /** Paths added with `git add -N` (intent to add), which git stash cannot save. */
  intentToAdd: string[];
}

async function stashFacts(root: string): Promise<StashFacts> {
  const dirs = await findGitDirs(root);
  const lock = dirs ? join(dirs.gitDir, "index.lock") : null;
  const held = lock !== null && (await Deno.lstat(lock).then(() => true, () => false));
  // Index against work tree, an intent-to-add entry is the only kind that reads as added.
  const out = await runGit(root, ["diff-files", "--name-only", "-z", "--diff-filter=A"]);
  const intentToAdd = out?.code === 0 ? out.stdout.split("\0").filter((p) => p !== "") : [];
  return { lock: held ? lock : null, intentToAdd };
}

/** A failed `git stash push` as one sentence naming its cause and the step that fits. Pure. */
export function stashFailure(out: GitOutput, facts: StashFacts): MpmError {
  const said = `${out.stderr}\n${out.stdout}`.split("\n").map((line) => line.trim())
    .find((line) => line !== "");
  const quoted = said === undefined
    ? undefined
    : shown(said.replace(/^(error|fatal): /, ""), { as: "printable", max: SAID_MAX });
  const lockSaid = said?.match(/Unable to create '([^']+\.lock)': File exists/)?.[1];
  const lock = lockSaid ?? facts.lock;
  if (lock !== undefined && lock !== null && (lockSaid !== undefined || quoted === undefined)) {
    // The hint a refused `git switch` gets for the same lock (switch_hint.ts).
    return new MpmError(
      `git stash could not run: the index is locked (${lock} exists).`,
      switchHint(`Unable to create '${lock}': File exists.`),
    );
  }
  const cause = quoted === undefined
    ? `git stash failed without saying why (exit code ${out.code}).`
    : `git stash failed: ${quoted.replace(/[.:]?$/, ".")}`;
  const paths = facts.intentToAdd.map((path) => shown(path, { as: "printable" }));
  if (paths.length > 0) {
    const one = paths.length === 1;
    const named = one ? paths[0] : `${paths[0]} and ${paths.length - 1} more`;
    return new MpmError(
      cause,
      `${named} ${one ? "was" : "were"} added with \`git add -N\` (intent to add), which git ` +
        `stash cannot save: commit ${one ? "it" : "them"}, or make ${one ? "it" : "them"} ` +
        `untracked again (\`git rm --cached -- ${paths.map(shellQuote).join(" ")}\`), then ` +
        "try again.",
    );
  }
  return new MpmError(cause, switchHint(out.stderr));
}

/** The commit that stash `ref` is (`stash@{N}`), which git keeps until it is collected. */
export async function stashCommit(root: string, ref: string): Promise<string | null> {
  checkRef(ref);
  const out = await runGit(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (out === null) throw gitMissing();
  return out.code === 0 ? out.stdout.trim() : null;
}

/** Whether git still holds commit `id` (a dropped stash stays until collected). */
export async function commitExists(root: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(id)) return false;
  const out = await runGit(root, ["cat-file", "-e", `${id}^{commit}`]);
  return out?.code === 0;
}

/** The newest stash made with `message`, as `stash@{N}`; undefined when there is none. */
export async function findStashByMessage(
  root: string,
  message: string,
): Promise<string | undefined> {
  const out = await stashList(root);
  if (out === null || isNotRepo(out) || out.code !== 0) return undefined;
  const subjects = out.stdout.split("\0");
  // Subjects read "On BRANCH: MESSAGE"; a branch name cannot contain a colon.
  const index = subjects.findIndex((subject) => {
    const colon = subject.indexOf(": ");
    return subject.startsWith("On ") && colon >= 0 && subject.slice(colon + 2) === message;
  });
  return index < 0 ? undefined : `stash@{${index}}`;
}

/** The paths in stash `ref`'s untracked part, which `git stash apply` will not overwrite. */
export async function stashUntrackedPaths(root: string, ref: string): Promise<string[]> {
  checkRef(ref);
  const part = await runGit(root, ["rev-parse", "--verify", "--quiet", `${ref}^3^{tree}`]);
  if (part === null) throw gitMissing();
  if (part.code !== 0) return [];
  const args = ["ls-tree", "-r", "-z", "--name-only", part.stdout.trim()];
  const out = await runGit(root, args);
  if (out === null) throw gitMissing();
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout.split("\0").filter((path) => path !== "");
}

export interface StashResult {
  /** True when git applied the stash without a conflict. */
  applied: boolean;
  /** False when only the files were restored: the caller must say so. */
  index: boolean;
  /** git's explanation when it did not apply (conflicts, files that would be overwritten). */
  message: string;
}

/** Applies stash `ref` and keeps it, with `--index` where git allows it. */
export async function stashApply(root: string, ref: string): Promise<StashResult> {
  checkRef(ref);
  let index = true;
  let out = await stash(root, ["apply", "--index", "--quiet", ref]);
  // A stash whose staged part no longer applies can still restore the files themselves.
  if (out.code !== 0 && /try without --index/i.test(out.stderr)) {
    index = false;
    out = await stash(root, ["apply", "--quiet", ref]);
  }
  if (out.code === 0) return { applied: true, index, message: "" };
  if (isNotRepo(out) || /is not a stash|not a valid reference|unknown revision/i.test(out.stderr)) {
    throw gitFailure(["stash"], out);
  }
  // git puts the conflicts on stdout and its verdict on stderr: the user needs both.
  const lines = `${out.stdout}\n${out.stderr}`.split("\n").map((line) => line.trim());
  return { applied: false, index, message: lines.filter(Boolean).join("\n") };
}

function checkRef(ref: string): void {
  if (!/^(stash@\{\d+\}|[0-9a-f]{4,64})$/i.test(ref)) {
    throw new MpmError(`"${ref}" is not a stash.`);
  }
}

/** Drops stash `ref` (found by its message a moment ago). */
export async function stashDrop(root: string, ref: string): Promise<void> {
  checkRef(ref);
  const out = await stash(root, ["drop", "--quiet", ref]);
  if (out.code !== 0) throw gitFailure(["stash", "drop"], out);
}

export interface StashEntry {
  /** `stash@{N}`: its position now. */
  ref: string;
  /** The message it was made with (the part after "On BRANCH: "). */
  message: string;
  /** Whether the stash is the listing worktree's (worktrees share one list); absent: this one's. */
  here?: boolean;
  /** The linked worktree the message names (its name under `.git/worktrees/`), else null. */
  worktree?: string | null;
}

const OWNER = / \(worktree ([^()]+)\)$/;

/** `message` marked as made in linked worktree `worktree` (null: the main one, unmarked). */
export function ownedBy(message: string, worktree: string | null): string {
  return worktree === null ? message : `${message} (worktree ${worktree})`;
}

/** The linked worktree's name under `.git/worktrees/`; null for the main one. */
export async function worktreeName(root: string): Promise<string | null> {
  const dirs = await findGitDirs(root);
  if (dirs === undefined || dirs.gitDir === dirs.commonDir) return null;
  return basename(dirs.gitDir);
}

/** Every stash, newest first; [] without git, a repository or any stash. */
export async function listStashes(root: string): Promise<StashEntry[]> {
  const out = await stashList(root);
  if (out === null || isNotRepo(out) || out.code !== 0) return [];
  const self = await worktreeName(root);
  return out.stdout.split("\0").filter((s) => s !== "").map((subject, i) => {
    const colon = subject.indexOf(": ");
    const message = colon >= 0 ? subject.slice(colon + 2) : subject;
    const worktree = message.match(OWNER)?.[1] ?? null;
    return { ref: `stash@{${i}}`, message, here: worktree === self, worktree };
  });
}

/** `git stash list`'s subjects; no process when there is no stash ref. */
async function stashList(root: string): Promise<GitOutput | null> {
  const dirs = await findGitDirs(root);
  if (dirs && !(await mayHoldRef(dirs, "refs/stash"))) return { code: 0, stdout: "", stderr: "" };
  return await runGit(root, ["stash", "list", "-z", "--format=%gs"]);
}

async function stash(root: string, args: string[]): Promise<GitOutput> {
  const out = await runGit(root, ["stash", ...args]);
  if (out === null) throw gitMissing();
  return out;
}
