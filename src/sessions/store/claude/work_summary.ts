/**
 * The session's progressive summary, `threads/<key>/summary.md`, written at SessionEnd (rendered
 * by replay/summarize.ts), pointed at by `mpm resume`, injected by SessionStart. Sealed with this
 * machine's key; one not sealed here (a clone's, edited by hand) is never told as the work so far.
 */
import { dirname, join } from "../../../kernel/path.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { writeAtomic } from "../../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { printable } from "../../../kernel/format/text.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";
import { markdownSealed, sealMarkdown } from "../../../kernel/hashing/line_seal.ts";
import { isSessionKey, summaryFile } from "./claude_sessions.ts";
import { refuseLinkedFolder } from "../listing/store_folders.ts";
import { pushAll } from "../../../kernel/lists.ts";

/** A summary is a few kilobytes; anything far larger is not one mpm wrote, and is not read. */
const MAX_SUMMARY_BYTES = 512 * 1024;
/** The heading summary.md puts Layer 2's first list under (src/replay/summary.ts). */
const WHAT_WAS_DONE = /^###\s+what was done\s*$/i;

/** The file as shown to people (project-relative, `/`), or null for a key that is no name. */
export function workSummaryShown(key: string): string | null {
  return isSessionKey(key) ? `.claude-mpm/threads/${key}/summary.md` : null;
}

export interface WorkSummary {
  /** Project-relative path, e.g. `.claude-mpm/threads/s-1a2b/summary.md`. */
  file: string;
  text: string;
  /** When the file was last written (its mtime, ms), or null where the system does not say. */
  written: number | null;
}

/** Where the session's summary is kept: `threads/<key>/summary.md`. */
export function workSummaryFile(paths: ProjectPaths, key: string): string {
  return join(paths.threads, key, "summary.md");
}

export async function readWorkSummary(
  paths: ProjectPaths,
  key: string,
): Promise<WorkSummary | undefined> {
  const file = workSummaryShown(key);
  if (file === null) return undefined;
  const path = workSummaryFile(paths, key);
  refuseLinkedFolder(paths, dirname(path));
  try {
    const info = await lstatIfExists(path);
    if (!info?.isFile || info.size > MAX_SUMMARY_BYTES) return undefined;
    const raw = new TextDecoder("utf-8", { fatal: true }).decode(await Deno.readFile(path));
    const text = await ownSummaryText(raw);
    if (text === null || text.trim() === "") return undefined;
    return { file, text, written: info.mtime?.getTime() ?? null };
  } catch {
    return undefined;
  }
}

/** The summary's text when this machine sealed it (or can seal nothing), else null. */
async function ownSummaryText(raw: string): Promise<string | null> {
  // Made now where there is none: without one, a clone's summary would be read as it is.
  const key = await ensureMachineKey();
  if (key === null) return raw;
  return await markdownSealed(raw, key, "work-summary");
}

/** Writes the summary of `key` (markdown), sealed with this machine's key; returns its path. */
export async function writeWorkSummary(
  paths: ProjectPaths,
  key: string,
  markdown: string,
): Promise<string> {
  const path = summaryFile(paths, key);
  refuseLinkedFolder(paths, dirname(path));
  const machine = await ensureMachineKey();
  const text = machine === null ? markdown : await sealMarkdown(markdown, machine, "work-summary");
  await writeAtomic(path, text, { root: paths.base });
  return path;
}

/** Layer 2's "What was done" bullets (at most `max`), and how many more there are. */
export function whatWasDone(markdown: string, max: number): { lines: string[]; more: number } {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const start = lines.findIndex((l) => WHAT_WAS_DONE.test(l.trim()));
  if (start < 0) return { lines: [], more: 0 };
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line)) break;
    const item = /^-\s+(.*)$/.exec(line.trim())?.[1]?.trim();
    if (item && item !== "(nothing)") items.push(item);
  }
  return { lines: items.slice(0, max), more: Math.max(0, items.length - max) };
}

/** What the summary puts under a heading that has nothing (src/replay/summary.ts). */
const NOTHING = "- (nothing)";

/** The summary without sections that say only "(nothing)": what SessionStart gives Claude. Pure. */
export function withoutEmptySections(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const level = (line: string) => /^(#{1,6})\s/.exec(line)?.[1].length ?? 0;
  const empty = new Array<boolean>(lines.length).fill(false);
  // From the end: a heading is empty when its lines and every heading under it are.
  const dropped = new Set<number>();
  for (let i = lines.length - 1; i >= 0; i--) {
    const own = level(lines[i]);
    if (own === 0) continue;
    let j = i + 1;
    let nothing = true;
    for (; j < lines.length; j++) {
      const under = level(lines[j]);
      if (under !== 0 && under <= own) break;
      if (under !== 0) nothing &&= empty[j];
      else if (!dropped.has(j)) {
        const text = lines[j].trim();
        if (text !== "" && text !== NOTHING) nothing = false;
      }
    }
    empty[i] = nothing && own > 1;
    if (empty[i]) { for (let k = i; k < j; k++) dropped.add(k); }
  }
  const kept = lines.filter((_, i) => !dropped.has(i));
  return kept.join("\n").replace(/\n{3,}/g, "\n\n");
}

/** The lines `mpm resume` prints: where the summary is, and what was done, bounded. */
export function summaryPointer(summary: WorkSummary, max = 5): string[] {
  const done = whatWasDone(summary.text, max);
  const out = [`Summary of the work so far: ${summary.file}`];
  // The file is mpm's own, but a line quoted from it may carry a transcript's control bytes.
  pushAll(out, [
    ...done.lines.map((l) => `  - ${printable(l.length > 200 ? `${l.slice(0, 199)}…` : l)}`),
  ]);
  if (done.more > 0) out.push(`  … ${done.more} more in the file`);
  return out;
}
