/**
 * Who sent what `mpm sync pull` brought, and what the commit's signature proves (an email proves
 * nothing).
 */
import { runGit, runGitInto } from "../run/run.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import { findGitDirs, refCommitIn } from "../run/root.ts";
import { SIGNATURE_FORMAT, signedBy, type Signers } from "./signature.ts";

/** The ref `mpm sync pull` fills (SYNC_REF of sync/remote/refs.ts, a floor above: named twice). */
export const SESSIONS_REF = "refs/mpm/sessions";

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

/** A git identity: the email (lower case) and the name; for a sender, what its signature proves. */
export interface Identity {
  email: string;
  name: string;
  /** The key of a good signature on the commit that sent it (signature.ts); null or absent: none. */
  key?: string | null;
  /** The allowed signers give that key to this email. */
  verified?: boolean;
}

/** Whether a sender is the person: signed by this checkout's own key, never by email. */
export function isOwnSender(sender: Identity | null, signers: Pick<Signers, "own">): boolean {
  return sender !== null && signers.own !== null && sender.key === signers.own;
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
 * Who last sent each record (`.json`) under `folder` of `ref`, in one `git log` read as it comes
 * (a long history's output is never held whole); `since` limits it.
 */
export function senders(
  root: string,
  ref: string,
  folder: string,
  since?: string,
  signers?: Pick<Signers, "config">,
): Promise<Map<string, Identity | null>> {
  return sentIn(
    root,
    ref,
    folder,
    since,
    signers,
    (who) => who.email === "" || who.email === NOBODY ? null : who,
  );
}

/**
 * Who last sent each record (`.json`) under `folder` of `ref`, as lastSentBy names one (mpm's
 * stand-in too), in one `git log`: a resume passing thousands of pulled records asks git once.
 */
export function lastSentByEach(
  root: string,
  ref: string,
  folder: string,
  signers: Pick<Signers, "config">,
): Promise<Map<string, Identity | null>> {
  return sentIn(root, ref, folder, undefined, signers, (who) => who);
}

async function sentIn(
  root: string,
  ref: string,
  folder: string,
  since: string | undefined,
  signers: Pick<Signers, "config"> | undefined,
  named: (who: Identity) => Identity | null,
): Promise<Map<string, Identity | null>> {
  const found = new Map<string, Identity | null>();
  let who: Identity | null = null;
  const decoder = new TextDecoder();
  // A line as git wrote it: a commit's (after a NUL) decoded whole; a path decoded only when it
  // names a record, each its own string (not a slice keeping git's whole answer alive).
  const take = (line: Uint8Array) => {
    if (line[0] === 0) {
      const [, email, name, status, key, principal] = decoder.decode(line).split("\0");
      const lower = email.trim().toLowerCase();
      const signed = signers ? signedBy(status ?? "", key ?? "", principal ?? "", lower) : {};
      who = named({ email: lower, name: name.trim(), ...signed });
    } else if (endsWithRecord(line)) {
      const path = decoder.decode(line);
      if (!found.has(path)) found.set(path, who);
    }
  };
  let rest = new Uint8Array(0);
  const out = await runGitInto(root, [
    ...signers?.config ?? [],
    "log",
    "--no-renames",
    `--format=%x00%ae%x00%an${signers ? `%x00${SIGNATURE_FORMAT}` : ""}`,
    "--name-only",
    since === undefined ? ref : `${since}..${ref}`,
    "--",
    `${folder}/`,
  ], (chunk) => {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      take(
        rest.length === 0
          ? chunk.subarray(start, end)
          : concatBytes([rest, chunk.subarray(start, end)]),
      );
      rest = new Uint8Array(0);
      start = end + 1;
    }
    rest = concatBytes([rest, chunk.subarray(start)]);
  });
  if (out?.code !== 0) return new Map();
  take(rest);
  return found;
}

const RECORD_END = new TextEncoder().encode(".json");

function endsWithRecord(line: Uint8Array): boolean {
  const at = line.length - RECORD_END.length;
  return at >= 0 && RECORD_END.every((b, i) => line[at + i] === b);
}

/** Who sent each file of a ref's folder, by its path there; null: nobody (mpm's stand-in). */
export type Senders = Map<string, Identity | null>;

/** Senders kept for commit `ref`: `people` "email\tname\tkey\tverified", `files` "path\tindex". */
export interface KeptSenders {
  ref: string;
  /** The allowed signers the signatures were checked against (signature.ts `stamp`). */
  signers?: string;
  people: string[];
  files: string;
}

/** The kept senders of the files from `from` on (as text): a board's window of them. */
export interface KeptRecentSenders extends KeptSenders {
  from: string;
}

/** Where senders are kept between runs (sessions/store/caches/senders_cache.ts). */
export interface SendersCache {
  read: () => Promise<KeptSenders | null>;
  write: (kept: KeptSenders) => Promise<void>;
  /** A window's files kept beside the whole, so a board reads thousands, not all. */
  recent?: {
    read: () => Promise<KeptRecentSenders | null>;
    write: (kept: KeptRecentSenders) => Promise<void>;
  };
}

/**
 * Who sent each `.json` under `folder`, cached so only newer commits are asked. `head`: `ref`'s
 * commit, and `since` one of its ancestors, where the caller knows them (a pull that just moved
 * the ref): git is not asked them.
 */
export async function keptSendersOf(
  root: string,
  ref: string,
  folder: string,
  cache: SendersCache,
  signers: Signers,
  options: { from?: string; head?: string; since?: string } = {},
): Promise<Senders> {
  const { from } = options;
  const recent = from === undefined ? undefined : cache.recent;
  const [near, fromFiles] = await Promise.all([
    recent?.read() ?? null,
    options.head ?? findGitDirs(root).then((dirs) => dirs && refCommitIn(dirs, ref)),
  ]);
  // A pull moved the ref on from the window's commit: its few files join the window alone, the
  // store's whole (read, added to and written, it grew a pull's memory) waits for one who asks.
  if (
    from !== undefined && near !== null && near.ref === options.since &&
    options.head !== undefined &&
    near.signers === signers.stamp && from >= near.from
  ) {
    const added = await senders(root, ref, folder, near.ref, signers);
    const moved = { ...recentOf(appended(near, options.head, added), from), signers: near.signers };
    await recent?.write(moved);
    return new KeptSendersMap(moved, from, from);
  }
  // The ref's files naming the kept commit is enough, with no git process.
  let read: KeptSenders | null | undefined;
  let head: string | null;
  if (fromFiles !== undefined && near !== null && near.ref === fromFiles) head = fromFiles;
  else {
    read = await cache.read();
    head = options.head ??
      (fromFiles !== undefined && fromFiles === read?.ref ? fromFiles : await refCommit(root, ref));
  }
  if (head === null) return new Map();
  // The window's senders kept for this very commit and these signers: the whole is not read.
  if (from !== undefined && near?.ref === head && near.signers === signers.stamp) {
    if (from >= near.from) return new KeptSendersMap(near, from, near.from);
  }
  if (read === undefined) read = await cache.read();
  // Kept against other allowed signers (or by an mpm that read no signature): read anew.
  const kept = read?.signers === signers.stamp ? read : null;
  // Kept for this very commit: nothing to add, so only what is asked for is unpacked.
  if (kept !== null && kept.ref === head && from !== undefined) {
    await recent?.write(recentOf(kept, from));
    return new KeptSendersMap(kept, from);
  }
  if (kept !== null && kept.ref !== head && from !== undefined) {
    // Who sent what since the kept commit, added after its lines (a later line wins): a pull's
    // few, without unpacking the store's thousands.
    const since = kept.ref === options.since || await isAncestor(root, kept.ref, head);
    if (since) {
      const added = await senders(root, ref, folder, kept.ref, signers);
      const packed = { ...appended(kept, head, added), signers: signers.stamp };
      await cache.write(packed);
      const near = recentOf(packed, from);
      await recent?.write(near);
      return new KeptSendersMap(near, from, from);
    }
  }
  let known = kept ? unpackSenders(kept) : new Map<string, Identity | null>();
  if (kept?.ref !== head) {
    const since = kept && (kept.ref === options.since || await isAncestor(root, kept.ref, head))
      ? kept.ref
      : undefined;
    const found = await senders(root, ref, folder, since, signers);
    // Read whole (none kept, or a rewritten ref): git's answer is the map, not copied into one.
    if (since === undefined) known = found;
    else for (const [path, who] of found) known.set(path, who);
    const packed = { ...packSenders(head, known), signers: signers.stamp };
    await cache.write(packed);
    if (from !== undefined) await recent?.write(recentOf(packed, from));
  }
  return known;
}

/** `kept` at commit `ref`, with the `.json` files `added` lines sent after its own. */
function appended(kept: KeptSenders, ref: string, added: Senders): KeptSenders {
  const { people, files } = packSenders(
    ref,
    new Map([...added].filter(([p]) => p.endsWith(".json"))),
  );
  const index = new Map(kept.people.map((p, i) => [p, i]));
  const all = [...kept.people];
  const at = people.map((p) => index.get(p) ?? all.push(p) - 1);
  const lines = files === "" ? [] : files.split("\n").map((line) => {
    const tab = line.lastIndexOf("\t");
    return `${line.slice(0, tab)}\t${at[Number(line.slice(tab + 1))]}`;
  });
  return { ref, people: all, files: [kept.files, ...lines].filter((t) => t !== "").join("\n") };
}

/** The kept senders of the files from `from` on (a line sorts as its path: see KeptSendersMap). */
function recentOf(kept: KeptSenders, from: string): KeptRecentSenders {
  const files = kept.files.split("\n").filter((line) => line >= from).join("\n");
  return { ...kept, files, from };
}

/** Whether `sent` can say who sent `path` (a window's senders only from its `floor` on). */
export function answers(sent: Senders, path: string): boolean {
  return !(sent instanceof KeptSendersMap) || sent.floor === undefined || path >= sent.floor;
}

/** The kept form: each person once, each file a line naming its person's index. */
function packSenders(ref: string, known: Senders): KeptSenders {
  const people: string[] = [];
  const index = new Map<string, number>();
  const files: string[] = [];
  for (const [path, who] of known) {
    const key = who ? `${who.email}\t${who.name}\t${who.key ?? ""}\t${who.verified ? 1 : 0}` : "";
    let at = index.get(key);
    if (at === undefined) index.set(key, at = people.push(key) - 1);
    files.push(`${path}\t${at}`);
  }
  return { ref, people, files: files.join("\n") };
}

function peopleOf(kept: KeptSenders): (Identity | null)[] {
  return kept.people.map((p): Identity | null => {
    const [email, name, key, verified] = p.split("\t");
    return email ? { email, name: name ?? "", key: key || null, verified: verified === "1" } : null;
  });
}

/** One kept "path\tindex" line into `known`. */
function unpackLine(known: Senders, line: string, people: (Identity | null)[]): void {
  const tab = line.lastIndexOf("\t");
  const who = people[Number(line.slice(tab + 1))];
  if (tab > 0 && who !== undefined) known.set(line.slice(0, tab), who);
}

function unpackSenders(kept: KeptSenders): Senders {
  const people = peopleOf(kept);
  const known: Senders = new Map();
  for (const line of kept.files.split("\n")) unpackLine(known, line, people);
  return known;
}

/** Kept senders unpacked as asked; answers as the whole would. */
export class KeptSendersMap extends Map<string, Identity | null> {
  readonly #from: string;
  #rest: (() => void) | null;
  /** Whether any file was sent by someone (not mpm's stand-in), asked without unpacking. */
  readonly anyone: boolean;

  /** `floor`: `kept` holds only the files from it on. */
  constructor(kept: KeptSenders, from: string, readonly floor?: string) {
    super();
    this.#from = from;
    this.anyone = kept.people.some((p) => p !== "");
    const people = peopleOf(kept);
    const lines = kept.files.split("\n");
    // A line sorts as its path against `from`: the tab sorts before any path character.
    for (const line of lines) if (line >= from) unpackLine(this, line, people);
    this.#rest = () => {
      for (const line of lines) if (line < from) unpackLine(this, line, people);
    };
  }

  /** How many files are unpacked so far. */
  get unpacked(): number {
    return super.size;
  }

  #all(): void {
    const rest = this.#rest;
    this.#rest = null;
    rest?.();
  }

  override get(path: string): Identity | null | undefined {
    if (path < this.#from) this.#all();
    return super.get(path);
  }

  override has(path: string): boolean {
    if (path < this.#from) this.#all();
    return super.has(path);
  }

  override get size(): number {
    this.#all();
    return super.size;
  }

  override keys(): MapIterator<string> {
    this.#all();
    return super.keys();
  }

  override values(): MapIterator<Identity | null> {
    this.#all();
    return super.values();
  }

  override entries(): MapIterator<[string, Identity | null]> {
    this.#all();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Identity | null]> {
    return this.entries();
  }

  override forEach(
    fn: (value: Identity | null, key: string, map: Map<string, Identity | null>) => void,
    self?: unknown,
  ): void {
    this.#all();
    super.forEach(fn, self);
  }
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

/** Who sent the newest commit of `ref` changing `path`; null when none did. */
export async function lastSentBy(
  root: string,
  ref: string,
  path: string,
  signers: Pick<Signers, "config">,
): Promise<Identity | null> {
  const out = await runGit(root, [
    ...signers.config,
    "log",
    "-1",
    `--format=%ae%x00%an%x00${SIGNATURE_FORMAT}`,
    ref,
    "--",
    path,
  ]);
  if (out?.code !== 0 || out.stdout.trim() === "") return null;
  const [email, name, status, key, principal] = out.stdout.trim().split("\0");
  const lower = email.trim().toLowerCase();
  return { email: lower, name: name ?? "", ...signedBy(status, key ?? "", principal ?? "", lower) };
}
