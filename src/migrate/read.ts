/**
 * What `mpm migrate` reads: this project's sessions/ and pause/ (mpm's own only to recognise a
 * re-import), `--from` and trusty-mpm's folder, never through a link, for plan.ts to decide.
 */
import { join, resolve } from "../kernel/path.ts";
import {
  decodeSnapshot,
  isMpmRecord,
  parseJsonFile,
} from "../sessions/store/records/snapshot/decode.ts";
import { UsageError } from "../kernel/errors.ts";
import { realPathOr } from "../disk/read/stat.ts";
import { baseId, type Converted, planMigration } from "./plan.ts";
import {
  classifyName,
  collectRecords,
  collectTrusty,
  type LinkFile,
  mpmOwnedIds,
  type SourceFile,
  type Where,
} from "./records.ts";
import type { Plan } from "./steps.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { parseChecksumLine, sha256Hex } from "../kernel/hashing/checksum.ts";
import { pushAll } from "../kernel/lists.ts";
import { MAX_READ_BYTES } from "../disk/read/read.ts";

interface Listing {
  files: string[];
  others: string[];
  /** Those of them that are symbolic links. */
  links: string[];
}

async function listFolder(dir: string): Promise<Listing | undefined> {
  const listing: Listing = { files: [], others: [], links: [] };
  try {
    for await (const entry of Deno.readDir(dir)) {
      (entry.isFile ? listing.files : listing.others).push(entry.name);
      if (entry.isSymlink) listing.links.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
  listing.files.sort();
  listing.links.sort();
  return listing;
}

/** The links in `listing` that `wanted` takes for a session file's name. */
function linksIn(
  listing: Listing | undefined,
  dir: string,
  where: Where,
  rel: (name: string) => string,
  wanted: (name: string) => boolean = (name) => classifyName(name).kind === "data",
): LinkFile[] {
  return (listing?.links ?? []).filter(wanted).map((name) => ({
    where,
    name,
    rel: rel(name),
    path: join(dir, name),
  }));
}

/** `--from` may name `~/.claude-mpm`, its `sessions/`, or the home folder holding them. */
export async function fromSessions(paths: ProjectPaths, from: string): Promise<string> {
  const given = resolve(paths.root, from);
  if (!(await listFolder(given))) {
    const what = (await Deno.stat(given).catch(() => null)) ? "not a folder" : "no such folder";
    throw new UsageError(
      `--from ${from}: ${what}.`,
      "Give claude-mpm's global folder, e.g. ~/.claude-mpm.",
    );
  }
  const candidates = [join(given, "sessions"), join(given, ".claude-mpm", "sessions")];
  let dir = given;
  for (const candidate of candidates) {
    if (await listFolder(candidate)) {
      dir = candidate;
      break;
    }
  }
  if (realPathOr(dir) === realPathOr(paths.sessions)) {
    throw new UsageError(
      "--from names this project's own sessions folder.",
      "Run `mpm migrate` without --from to migrate it.",
    );
  }
  return dir;
}

/**
 * A few files at a time: a folder of thousands must not exhaust the open-file limit. One larger
 * than mpm reads of a file is not read but put in `left`: converted, it would be a snapshot that
 * `mpm list` calls unreadable.
 */
async function readFiles(
  dir: string,
  names: string[],
  where: Where,
  rel: (n: string) => string,
  left: LinkFile[],
) {
  const files: SourceFile[] = [];
  for (let i = 0; i < names.length; i += 32) {
    const read = await Promise.all(
      names.slice(i, i + 32).map(async (name) => {
        const path = join(dir, name);
        const size = (await Deno.stat(path)).size;
        return {
          name,
          path,
          size,
          bytes: size > MAX_READ_BYTES ? null : await Deno.readFile(path),
        };
      }),
    );
    for (const { name, path, size, bytes } of read) {
      const file = { where, name, rel: rel(name) };
      if (bytes) files.push({ ...file, bytes });
      else left.push({ ...file, path, tooLarge: { size, limit: MAX_READ_BYTES } });
    }
  }
  return files;
}

const TRUSTY_SNAPSHOT = /^session-.+\.md$/;

/** A folder that is a folder, not a link to one elsewhere: another tool's files are only read here. */
async function isRealFolder(path: string): Promise<boolean> {
  return (await Deno.lstat(path).catch(() => null))?.isDirectory ?? false;
}

/** trusty-mpm's pauses in this project, in `.trusty-mpm/sessions/` and its session folders. */
async function readTrusty(
  root: string,
): Promise<{ files: SourceFile[]; links: LinkFile[]; log?: string }> {
  const base = join(root, ".trusty-mpm");
  const dir = join(base, "sessions");
  const none = { files: [], links: [] };
  if (!(await isRealFolder(base)) || !(await isRealFolder(dir))) return none;
  const top = await listFolder(dir);
  if (!top) return none;
  const rel = (sub: string) => (name: string) => `.trusty-mpm/sessions/${sub}${name}`;
  const isSnapshot = (name: string) => TRUSTY_SNAPSHOT.test(name);
  const links = linksIn(top, dir, "trusty", rel(""), isSnapshot);
  const files = await readFiles(dir, top.files.filter(isSnapshot), "trusty", rel(""), links);
  for (const sub of top.others.sort()) {
    const at = join(dir, sub);
    if (!(await isRealFolder(at))) continue;
    const listing = await listFolder(at);
    const names = listing?.files.filter(isSnapshot) ?? [];
    pushAll(files, await readFiles(at, names, "trusty", rel(`${sub}/`), links));
    pushAll(links, linksIn(listing, at, "trusty", rel(`${sub}/`), isSnapshot));
  }
  const log = top.files.includes("sessions-log.jsonl")
    ? await Deno.readTextFile(join(dir, "sessions-log.jsonl"))
    : undefined;
  return { files, links, log };
}

interface Claims {
  /** Ids mpm owns: a claim beside mpm's own `.json` (one that fails it is `mpm list`'s to report). */
  complete: Set<string>;
  /** Those whose `.json` matches the claim. */
  verified: Set<string>;
  /** Ids whose claim has no `.json`, or only claude-mpm's (of the same id) that it does not verify. */
  stale: string[];
}

/** Ids a pause claimed (`<id>.json.sha256` first): one without mpm's `.json` is not mpm's yet. */
async function readClaims(dir: string, names: readonly string[]): Promise<Claims> {
  const claims: Claims = { complete: new Set(), verified: new Set(), stale: [] };
  const present = new Set(names);
  for (const id of mpmOwnedIds(names)) {
    // Renderings beside a claim with no .json: mpm's record went missing, never claude-mpm's.
    const rendered = present.has(`${id}.md`) || present.has(`${id}.yaml`);
    const found = present.has(`${id}.json`)
      ? await claimState(dir, id)
      : rendered
      ? "mpm"
      : "stale";
    if (found === "stale") claims.stale.push(id);
    else claims.complete.add(id);
    if (found === "verified") claims.verified.add(id);
  }
  return claims;
}

async function claimState(dir: string, id: string): Promise<"verified" | "mpm" | "stale"> {
  const bytes = await Deno.readFile(join(dir, `${id}.json`)).catch(() => undefined);
  if (bytes === undefined) return "stale";
  const claim = await Deno.readTextFile(join(dir, `${id}.json.sha256`)).catch(() => "");
  if (parseChecksumLine(claim)?.hex === sha256Hex(bytes)) return "verified";
  try {
    return isMpmRecord(JSON.parse(new TextDecoder().decode(bytes))) ? "mpm" : "stale";
  } catch {
    return "stale"; // not JSON at all: no record of mpm's
  }
}

/** mpm's own `<id>.json` in `dir`, to compare with; undefined when it does not read. */
async function readOwn(dir: string, id: string, root: string): Promise<Snapshot | undefined> {
  try {
    const file = join(dir, `${id}.json`);
    const raw = parseJsonFile(await Deno.readTextFile(file), file);
    return decodeSnapshot(raw, { file, projectPath: root });
  } catch {
    return undefined;
  }
}

/** Lists and reads everything, and decides. Changes nothing. */
export async function planProject(
  paths: ProjectPaths,
  fromDir: string | null,
  converted: readonly Converted[] = [],
): Promise<Plan> {
  const sessions = await listFolder(paths.sessions);
  const pause = await listFolder(paths.legacyPause);
  const archive = await listFolder(paths.archive);
  const claims = await readClaims(paths.sessions, sessions?.files ?? []);
  const owned = new Set(claims.complete.keys());
  const stale = new Set(claims.stale);
  const pauseNames = new Set(pause?.files ?? []);
  // mpm's own snapshots are not read (but a few compared below); an orphan checksum beside one is.
  const local = (sessions?.files ?? []).filter((name) => {
    const kind = classifyName(name);
    if (kind.kind === "other") return pauseNames.has(name);
    if (kind.kind === "latest") return true;
    // A stale claim is not a checksum claude-mpm left: planMigration takes it over or removes it.
    if (stale.has(kind.id) && name === `${kind.id}.json.sha256`) return false;
    return !owned.has(kind.id) || (kind.kind === "checksum" && name.startsWith("."));
  });
  const links = [
    ...linksIn(sessions, paths.sessions, "sessions", (n) => `sessions/${n}`),
    ...linksIn(pause, paths.legacyPause, "pause", (n) => `sessions/pause/${n}`),
  ];
  const files = [
    ...await readFiles(paths.sessions, local, "sessions", (n) => `sessions/${n}`, links),
    ...await readFiles(
      paths.legacyPause,
      pause?.files ?? [],
      "pause",
      (n) => `sessions/pause/${n}`,
      links,
    ),
  ];
  if (fromDir) {
    for (const dir of [fromDir, join(fromDir, "pause")]) {
      const listing = await listFolder(dir);
      const names = listing?.files.filter((n) => {
        const kind = classifyName(n).kind;
        return kind === "data" || kind === "checksum";
      }) ?? [];
      pushAll(files, await readFiles(dir, names, "from", (n) => join(dir, n), links));
      pushAll(links, linksIn(listing, dir, "from", (n) => join(dir, n)));
    }
  }
  const collected = collectRecords(files, paths.root);
  const trusty = await readTrusty(paths.root);
  pushAll(collected.records, collectTrusty(trusty.files, trusty.log, paths.root));
  pushAll(links, trusty.links);

  const here = realPathOr(paths.root);
  const matches = new Map<string, boolean>();
  for (const record of collected.records) {
    const path = record.where === "from" ? record.snapshot?.project_path : undefined;
    if (path && !matches.has(path)) matches.set(path, realPathOr(path) === here);
  }
  const bases = new Set(
    collected.records.flatMap((r) => r.snapshot ? [baseId(r.snapshot.session_id)] : []),
  );
  const own = new Map<string, Snapshot>();
  const unrendered: { snapshot: Snapshot; missing: ("md" | "yaml")[] }[] = [];
  const names = new Set(sessions?.files ?? []);
  for (const id of claims.complete) {
    const missing = (["md", "yaml"] as const).filter((ext) =>
      claims.verified.has(id) && !names.has(`${id}.${ext}`)
    );
    if (!bases.has(baseId(id)) && missing.length === 0) continue;
    const snapshot = await readOwn(paths.sessions, id, paths.root);
    if (!snapshot) continue;
    own.set(id, snapshot);
    if (missing.length > 0) unrendered.push({ snapshot, missing });
  }
  // Those `mpm prune` archived were imported as much as those still in sessions/.
  const archived = new Set(archive?.files ?? []);
  for (const id of mpmOwnedIds(archive?.files ?? [])) {
    if (own.has(id) || !bases.has(baseId(id)) || !archived.has(`${id}.json`)) continue;
    const snapshot = await readOwn(paths.archive, id, paths.root);
    if (snapshot) own.set(id, snapshot);
  }
  return planMigration({
    archivedNames: archive?.files ?? [],
    links,
    staleClaims: claims.stale,
    unrendered,
    collected,
    sessionsNames: sessions?.files.concat(sessions.others) ?? [],
    pauseExists: pause !== undefined,
    pauseKeeps: pause?.others ?? [],
    own,
    converted,
    isThisProject: (path) => matches.get(path) ?? false,
  });
}
