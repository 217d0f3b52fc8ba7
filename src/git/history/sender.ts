/**
 * Who sent what `mpm sync pull` brought: the author of the commit that last changed a file in
 * the sessions ref, compared with this checkout's own git identity. The same email is the same
 * person on another machine; any other is a teammate. Anyone can set any email, so this tells a
 * mistake from the person's own work, never a teammate from an impostor.
 */
import { runGit } from "../run/run.ts";

/** mpm's stand-in author for a commit made with no git identity: nobody's. */
const NOBODY = "mpm@localhost";

/** The email (lower case) in a git identity line ("Name <email> 1700000000 +0000"), or null. */
export function emailOf(ident: string): string | null {
  return ident.match(/<([^>]*)>/)?.[1]?.trim().toLowerCase() || null;
}

/** The author email of the newest commit of `ref` that changed `path`, or null. */
export async function lastSender(root: string, ref: string, path: string): Promise<string | null> {
  const out = await runGit(root, ["log", "-1", "--format=%ae", ref, "--", path]);
  return out?.code === 0 ? out.stdout.trim().toLowerCase() || null : null;
}

/** Whether `sender` is this checkout's own git identity. */
export async function sentByMe(root: string, sender: string | null): Promise<boolean> {
  if (sender === null || sender === NOBODY) return false;
  const own = await runGit(root, ["var", "GIT_AUTHOR_IDENT"]);
  return own?.code === 0 && emailOf(own.stdout) === sender;
}

/** A git identity: the email (lower case) and the name. */
export interface Identity {
  email: string;
  name: string;
}

/** This checkout's own git identity (`git var GIT_AUTHOR_IDENT`), or null when it has none. */
export async function ownIdentity(root: string): Promise<Identity | null> {
  const own = await runGit(root, ["var", "GIT_AUTHOR_IDENT"]);
  if (own?.code !== 0) return null;
  const email = emailOf(own.stdout);
  if (email === null || email === NOBODY) return null;
  return { email, name: own.stdout.replace(/<[^>]*>.*$/s, "").trim() };
}

/**
 * Who last sent each file under `folder` of `ref`: one `git log` for all of them (a pull brings
 * thousands of files; a process each would take seconds). Paths are the ref's own
 * (`sessions/<id>.json`); null for a file mpm's stand-in author sent last (nobody's). With
 * `since` (a commit the ref holds), only what the commits after it sent. An empty map when the
 * ref does not exist.
 */
export async function senders(
  root: string,
  ref: string,
  folder: string,
  since?: string,
): Promise<Map<string, Identity | null>> {
  const out = await runGit(root, [
    "log",
    "--no-renames",
    "--format=%x00%ae%x00%an",
    "--name-only",
    since === undefined ? ref : `${since}..${ref}`,
    "--",
    `${folder}/`,
  ]);
  const found = new Map<string, Identity | null>();
  if (out?.code !== 0) return found;
  let who: Identity | null = null;
  for (const line of out.stdout.split("\n")) {
    if (line.startsWith("\0")) {
      const [, email, name] = line.split("\0");
      const lower = email.trim().toLowerCase();
      who = lower === "" || lower === NOBODY ? null : { email: lower, name: name.trim() };
    } else if (line !== "" && !found.has(line)) found.set(line, who);
  }
  return found;
}

/** The commit `ref` names, or null when there is none. */
export async function refCommit(root: string, ref: string): Promise<string | null> {
  const out = await runGit(root, ["rev-parse", "--verify", "-q", `${ref}^{commit}`]);
  return out?.code === 0 ? out.stdout.trim() || null : null;
}

/** Whether commit `older` is `newer` or one of its ancestors. */
export async function isAncestor(root: string, older: string, newer: string): Promise<boolean> {
  const out = await runGit(root, ["merge-base", "--is-ancestor", older, newer]);
  return out?.code === 0;
}
