/**
 * Who sent each file of `refs/mpm/sessions`, kept for the ref's commit it was read at
 * (`.claude-mpm/cache/senders.json`): `mpm board` names the person of every pulled snapshot, and
 * reading that from git walks every commit's whole tree (seconds for a team's 60,000 files). Kept,
 * the next board asks git only for the commits pulled since.
 *
 * Kept by the store's rule for caches (cache.ts): sealed with this machine's key, or a file a
 * repository brought in could say any snapshot is anyone's.
 */
import { array, object, optional, type Out, string } from "../../../kernel/check.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { cached, type CacheKind, keep } from "./cache.ts";

/**
 * For the ref at `ref`: `people`, one "email\tname" each (an empty string: nobody, mpm's stand-in
 * author), and `files`, one "path\tindex" line each into `people`. Two strings, not a record of
 * 60,000 members: read and checked in a few milliseconds.
 */
const sendersFields = {
  ref: string(),
  signers: optional(string()),
  people: array(string()),
  files: string(),
};
export const keptSendersCheck = object(sendersFields, "strip");
export type KeptSenders = Out<typeof keptSendersCheck>;

const SENDERS: CacheKind<KeptSenders> = {
  file: "senders.json",
  check: keptSendersCheck,
  maxBytes: 32 * 1024 * 1024,
};

/** The senders this machine kept, for whatever commit they were read at; else null. */
export function keptSenders(paths: ProjectPaths): Promise<KeptSenders | null> {
  return cached(paths, SENDERS, () => true);
}

/** Keeps the senders for the next board; best effort. */
export function keepSenders(paths: ProjectPaths, value: KeptSenders): Promise<void> {
  return keep(paths, SENDERS, value);
}

/** The senders of a board's window (the files from `from` on), kept beside the whole. */
export const keptRecentSendersCheck = object({ ...sendersFields, from: string() }, "strip");
export type KeptRecentSenders = Out<typeof keptRecentSendersCheck>;

const RECENT: CacheKind<KeptRecentSenders> = {
  file: "senders-recent.json",
  check: keptRecentSendersCheck,
  maxBytes: 32 * 1024 * 1024,
};

/**
 * Where a board keeps senders: the whole (senders.json) and its window's (senders-recent.json),
 * so that a board of a long history reads a few thousand files' senders, not all of them.
 */
export function boardSendersCache(paths: ProjectPaths) {
  return {
    read: () => keptSenders(paths),
    write: (kept: KeptSenders) => keepSenders(paths, kept),
    recent: {
      read: () => cached(paths, RECENT, () => true),
      write: (kept: KeptRecentSenders) => keep(paths, RECENT, kept),
    },
  };
}

/** Who the kept senders say sent one file of the ref: the email its push claims, and whether verified. */
export interface KeptSender {
  email: string;
  verified: boolean;
}

/**
 * Who sent `path` of the ref (`sessions/<id>.json`) as this machine last read it from git, with
 * no git run (SessionStart's own part): null when the senders kept do not name it, or name
 * nobody (mpm's stand-in author). The file's line is found in the text, not by unpacking all.
 */
export async function keptSenderOf(
  paths: ProjectPaths,
  path: string,
): Promise<KeptSender | null> {
  const kept = await keptSenders(paths);
  if (kept === null) return null;
  const line = `${path}\t`;
  const start = kept.files.startsWith(line) ? 0 : kept.files.indexOf(`\n${line}`) + 1;
  if (start === 0 && !kept.files.startsWith(line)) return null;
  const end = kept.files.indexOf("\n", start);
  const index = Number(kept.files.slice(start + line.length, end < 0 ? undefined : end));
  const person = Number.isInteger(index) ? kept.people[index] : undefined;
  const [email, , , verified] = (person ?? "").split("\t");
  return email ? { email, verified: verified === "1" } : null;
}
