/**
 * What `mpm sync` moves, decided without I/O. Snapshots are immutable, so syncing is a union:
 * each side gets what it lacks and nothing is ever changed or removed.
 *
 * A file is known by its identity, `(id, sha256 of its bytes)`. New snapshot ids are unique across
 * machines (kernel/ids.ts), so a snapshot is never renamed unless its id really is taken by a
 * different file: then the incoming one is renamed to a free id, the id inside it rewritten, and
 * its `sync_origin` records the identity it had before (the first one, across repeated renames;
 * sync/plan/kinds.ts). Both identities then name the same file, so the next sync in either
 * direction sees it as present instead of renaming it again.
 */
import {
  array,
  boolean,
  checkValue,
  object,
  type Out,
  string,
  withDefault,
} from "../../kernel/check.ts";
import { errorText, UsageError } from "../../kernel/errors.ts";
import { compareNewestFirst, SUFFIX_LETTERS } from "../../kernel/ids.ts";

/** The identity a renamed file had before its first rename. */
export interface Origin {
  id: string;
  sha256: string;
}

/** One snapshot as the planner sees it. */
export interface SyncItem {
  id: string;
  /** sha256 of the file's bytes. */
  sha256: string;
  origin?: Origin;
}

export interface Transfer<T extends SyncItem> {
  item: T;
  /** The id it gets at the destination: its own, or a free `-N` one. */
  as: string;
}

export interface TransferPlan<T extends SyncItem> {
  /** What the destination lacks, oldest first. */
  transfers: Transfer<T>[];
  /** What the destination already holds, perhaps under another id. */
  present: T[];
}

/** The identities an item is known by: `id\0sha256`, and its origin's likewise. */
export function identities(item: SyncItem): string[] {
  const own = `${item.id}\0${item.sha256}`;
  return item.origin ? [own, `${item.origin.id}\0${item.origin.sha256}`] : [own];
}

/** Ids asked one at a time: a set, or a side too large to copy into one (local.ts LocalIndex). */
export interface IdLookup {
  has(id: string): boolean;
}

/** A destination asked by identity (`id\0sha256`) rather than listed: a store of any size. */
export interface Holdings {
  holds(identity: string): boolean;
}

export interface PlanOptions {
  /** Ids in use at the destination by files with no identity (markdown-only, damaged). */
  taken?: IdLookup;
  /** Ids a rename must not pick although the destination has them free (the source's damaged). */
  avoid?: IdLookup;
  /** Picks a free id for a rename (default: sessions' `-N`). */
  nextFreeId?: (id: string, used: IdLookup) => string;
}

const NONE: IdLookup = { has: () => false };

/**
 * Which of `source` the destination lacks, and under which id each lands. A rename never picks
 * an id either side uses, so it cannot collide with a later sync. A destination given as
 * Holdings is asked, never copied: its ids must then all be in `taken`.
 */
export function planTransfer<T extends SyncItem>(
  source: readonly T[],
  destination: readonly SyncItem[] | Holdings,
  options: PlanOptions = {},
): TransferPlan<T> {
  const taken = options.taken ?? NONE;
  const avoid = options.avoid ?? NONE;
  const listed = "holds" in destination ? [] : destination;
  const known = new Set(listed.flatMap(identities));
  const holds = (id: string) => known.has(id) || ("holds" in destination && destination.holds(id));
  // The ids this plan gives out and the destination's listed ones; the rest are asked.
  const given = new Set(listed.map((i) => i.id));
  const sourceIds = new Set(source.map((i) => i.id));
  const destinationIds: IdLookup = { has: (id) => given.has(id) || taken.has(id) };
  const used: IdLookup = {
    has: (id) => destinationIds.has(id) || avoid.has(id) || sourceIds.has(id),
  };
  const plan: TransferPlan<T> = { transfers: [], present: [] };
  // What the destination holds from the start is present whatever the order: only the rest is
  // sorted (a store of 60,000 sorts the few it lacks, not all of them).
  const lacking: T[] = [];
  for (const item of source) {
    if (identities(item).some(holds)) plan.present.push(item);
    else lacking.push(item);
  }
  // Originals before renamed copies, oldest first: the outcome does not depend on listing order.
  const ordered = lacking.sort((a, b) =>
    Number(a.origin !== undefined) - Number(b.origin !== undefined) ||
    compareNewestFirst(b.id, a.id) || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0)
  );
  for (const item of ordered) {
    const ids = identities(item);
    if (ids.some(holds)) {
      plan.present.push(item);
      continue;
    }
    const as = destinationIds.has(item.id)
      ? (options.nextFreeId ?? nextFreeId)(item.id, used)
      : item.id;
    given.add(as);
    for (const id of ids) known.add(id);
    known.add(`${as}\0${item.sha256}`);
    plan.transfers.push({ item, as });
  }
  return plan;
}

/**
 * A free id for a snapshot whose id is taken by a different one. A new id (`…-MMMxyz`, unique
 * across machines, so taken only by a forgery or a copy edited by hand) keeps its time and gets
 * the first free letters; an old one the first `<base>-N` (N ≥ 2), base being it without `-N`.
 */
export function nextFreeId(id: string, used: IdLookup): string {
  const fresh = id.match(/^(session-\d{8}-\d{6}-\d{3})[a-z]{3}$/);
  if (fresh) {
    const n = SUFFIX_LETTERS.length;
    for (let i = 0; i < n ** 3; i++) {
      const letters = [i / (n * n), i / n, i].map((x) => SUFFIX_LETTERS[Math.floor(x) % n]);
      const candidate = `${fresh[1]}${letters.join("")}`;
      if (candidate !== id && !used.has(candidate)) return candidate;
    }
  }
  const base = id.replace(/^(session-\d{8}-\d{6})(?:-\d+|-\d{3}[a-z]{3})$/, "$1");
  for (let n = 2;; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

// --- the ref's tree ----------------------------------------------------------------------------

export type Kind = "session" | "checkpoint" | "handoff";

/** Where each kind lives in the ref's tree (and under `.claude-mpm/`). */
export const TREE_DIRS: Record<Kind, string> = {
  session: "sessions",
  checkpoint: "checkpoints",
  handoff: "handoffs",
};

const KIND_OF_DIR: Record<string, Kind> = {
  sessions: "session",
  checkpoints: "checkpoint",
  handoffs: "handoff",
};

export interface TreeFile {
  kind: Kind;
  id: string;
  part: "json" | "sha256";
}

/**
 * `sessions/<id>.json`, `checkpoints/<name>.json`, `handoffs/<id>.json` or their `.sha256`; the
 * id is checked by the caller. Anything else (a future mpm's files, say) is kept in the tree but
 * not read.
 */
export function parseTreePath(path: string): TreeFile | undefined {
  const match = path.match(/^(sessions|checkpoints|handoffs)\/([^/]+)\.json(\.sha256)?$/);
  if (!match) return undefined;
  const kind = KIND_OF_DIR[match[1]];
  return { kind, id: match[2], part: match[3] ? "sha256" : "json" };
}

export function treePath(kind: Kind, id: string, part: TreeFile["part"]): string {
  return `${TREE_DIRS[kind]}/${id}.json${part === "sha256" ? ".sha256" : ""}`;
}

// --- .claude-mpm/sync.json ---------------------------------------------------------------------

/**
 * `.claude-mpm/sync.json` (optional):
 *
 *     { "exclude": ["session-202501*", "spike-*"], "include_checkpoints": true }
 *
 * `exclude`: globs (`*` any run of characters, `?` one) matched against a session's id and its
 * name; a match is never pushed (pull still imports what others pushed). `include_checkpoints`:
 * whether checkpoints are synced too (default true).
 */
export const SyncConfigSchema = object({
  exclude: withDefault(array(string()), []),
  include_checkpoints: withDefault(boolean, true),
}, "refuse");
export type SyncConfig = Out<typeof SyncConfigSchema>;

export function parseSyncConfig(text: string | undefined, file: string): SyncConfig {
  let raw: unknown = {};
  try {
    if (text !== undefined) raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON (${errorText(error)}).`,
      'Fix it, e.g. {"exclude": ["spike-*"]}, or remove it.',
    );
  }
  const parsed = checkValue(SyncConfigSchema, raw);
  if (!parsed.ok) {
    const issue = parsed.problem;
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new UsageError(
      `${file} is not a valid sync configuration (${where}${issue.message}).`,
      'It takes {"exclude": ["glob", ...], "include_checkpoints": true|false}.',
    );
  }
  return parsed.value;
}

function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) =>
    c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${body}$`, "s");
}

/** The `exclude` pattern a session matches by id or name, if any. */
export function excludedBy(
  config: SyncConfig,
  session: { id: string; name?: string | null },
): string | undefined {
  return config.exclude.find((glob) => {
    const re = globToRegExp(glob);
    return re.test(session.id) || (session.name ? re.test(session.name) : false);
  });
}
