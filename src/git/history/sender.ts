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
