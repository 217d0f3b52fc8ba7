/**
 * Who sent each file of `refs/mpm/sessions`, kept for the ref's commit (`cache/senders.json`) so
 * `mpm board` asks git only for commits pulled since; sealed (cache.ts), or a repository could
 * say any snapshot is anyone's.
 */
import { array, object, optional, type Out, string } from "../../../kernel/check.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { cached, type CacheKind, keep } from "./cache.ts";

/** `people` ("email\tname"; "": mpm's stand-in) and `files` ("path\tindex"): two fast strings. */
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

/** Where a board keeps senders: the whole, and its window's (a long history's recent files). */
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

/** Who sent `path` of the ref as last read, found in the kept text; null: unnamed or nobody. */
export async function keptSenderOf(
  paths: ProjectPaths,
  path: string,
): Promise<KeptSender | null> {
  const kept = await keptSenders(paths);
  return kept === null ? null : senderIn(kept, path);
}

/**
 * Who `kept` says sent `path`: its last line for it, as unpacking reads them (a pull appends the
 * senders of the files it brought, so a file sent again has a later line, and the later wins).
 */
export function senderIn(kept: KeptSenders, path: string): KeptSender | null {
  const line = `${path}\t`;
  const after = kept.files.lastIndexOf(`\n${line}`);
  const start = after >= 0 ? after + 1 : kept.files.startsWith(line) ? 0 : -1;
  if (start < 0) return null;
  const end = kept.files.indexOf("\n", start);
  const index = Number(kept.files.slice(start + line.length, end < 0 ? undefined : end));
  const person = Number.isInteger(index) ? kept.people[index] : undefined;
  const [email, , , verified] = (person ?? "").split("\t");
  return email ? { email, verified: verified === "1" } : null;
}
