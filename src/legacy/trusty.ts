/**
 * What trusty-mpm (`tm`, claude-mpm's Rust successor) writes when it pauses, read as Snapshots:
 * `.trusty-mpm/sessions/[<id>/]session-YYYYMMDD-HHMMSS.md` (its `## ` sections) and
 * `sessions-log.jsonl`, which says which session a snapshot belongs to. Pure.
 */
import { basename } from "../kernel/path.ts";
import { IntegrityError } from "../kernel/errors.ts";
import { sessionIdFor } from "../kernel/ids.ts";
import { SCHEMA_VERSION, type Snapshot, type Todo } from "../kernel/snapshot.ts";
import { parseLegacyTime } from "./ids.ts";
import { finishSnapshot, type LegacyContext } from "./layouts.ts";

export interface TrustyLogEntry {
  session_id: string;
  event: string;
  snapshot: string;
  timestamp: string;
}

/** The log's entries in file order; lines that are not such an object are counted, not read. */
export function parseTrustyLog(text: string): { entries: TrustyLogEntry[]; bad: number } {
  const entries: TrustyLogEntry[] = [];
  let bad = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const raw = JSON.parse(line);
      const fields = ["session_id", "event", "snapshot", "timestamp"] as const;
      if (raw && typeof raw === "object" && fields.every((f) => typeof raw[f] === "string")) {
        entries.push({
          session_id: raw.session_id,
          event: raw.event,
          snapshot: raw.snapshot,
          timestamp: raw.timestamp,
        });
      } else bad++;
    } catch {
      bad++;
    }
  }
  return { entries, bad };
}

/** The session each snapshot's newest `pause` line names, by its path under `sessions/`. */
export function attributions(entries: readonly TrustyLogEntry[]): Map<string, TrustyLogEntry> {
  const owner = new Map<string, TrustyLogEntry>();
  for (const entry of entries) if (entry.event === "pause") owner.set(entry.snapshot, entry);
  return owner;
}

type Kind = "summary" | "completed" | "progress" | "next" | "git" | "tmux" | "context";

const SECTIONS: [RegExp, Kind][] = [
  [/^summary\b/, "summary"],
  [/^completed\b/, "completed"],
  [/^in progress\b/, "progress"],
  [/^next steps\b/, "next"],
  [/^git context\b/, "git"],
  [/^tmux window\b/, "tmux"],
  [/^context\b/, "context"],
];

/** The body of each `## ` section trusty-mpm names, the first of a name winning (as trusty's). */
function sections(lines: readonly string[]): Map<Kind, string[]> {
  const found = new Map<Kind, string[]>();
  let current: string[] | null = null;
  for (const line of lines) {
    const heading = line.match(/^##\s+(.*?)\s*$/);
    if (heading) {
      const kind = SECTIONS.find(([pattern]) => pattern.test(heading[1].toLowerCase()))?.[1];
      current = kind && !found.has(kind) ? [] : null;
      if (kind && current) found.set(kind, current);
      continue;
    }
    if (/^#\s/.test(line)) current = null;
    else current?.push(line);
  }
  return found;
}

const ITEM = /^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)\s*$/;

/** Top-level list items (what is indented under one joins it); and the prose outside any list. */
function items(body: readonly string[]): { items: string[]; prose: string } {
  const found: string[] = [];
  const prose: string[] = [];
  let open = false;
  for (const line of body) {
    const item = line.match(ITEM);
    if (item) {
      found.push(item[1]);
      open = true;
    } else if (line.trim() === "") {
      open = false;
    } else if (open && /^\s/.test(line)) {
      // An indented line belongs to the item above: a wrapped line, or a detail under it.
      const detail = line.match(/^\s+(?:[-*+]|\d+[.)])\s+(.*\S)\s*$/);
      found[found.length - 1] += detail ? `; ${detail[1]}` : ` ${line.trim()}`;
    } else {
      open = false;
      prose.push(line.trim());
    }
  }
  return { items: found, prose: prose.join("\n").trim() };
}

function text(body: readonly string[] | undefined): string {
  return (body ?? []).join("\n").trim();
}

/** `Branch: …`, `Last commit: …`, `Uncommitted changes: …` (any case), as a git context. */
function gitContext(body: readonly string[] | undefined): Record<string, unknown> | null {
  if (!body) return null;
  const field = (name: string) =>
    body.map((line) => line.match(new RegExp(`^\\s*${name}\\s*:\\s*(.*?)\\s*$`, "i"))?.[1])
      .find((value) => value !== undefined);
  const branch = field("branch");
  const last = field("last commit")?.match(/^([0-9a-f]{7,64})\b\s*(.*)$/i);
  const uncommitted = field("uncommitted changes");
  if (branch === undefined && !last && uncommitted === undefined) return null;
  const detached = branch === "HEAD";
  return {
    branch: branch && !detached ? branch : null,
    commit: last?.[1] ?? null,
    commit_message: last?.[2] || null,
    detached,
    upstream: null,
    status: { modified: [], staged: [], untracked: [], deleted: [], renamed: [], conflicted: [] },
    is_clean: uncommitted === undefined || /^clean$/i.test(uncommitted),
    ahead_behind: null,
    ...(uncommitted !== undefined ? { uncommitted_summary: uncommitted } : {}),
  };
}

export interface TrustyContext extends LegacyContext {
  /** The path under `sessions/` the log names it by (`x.md` or `<session>/x.md`). */
  logPath: string;
  /** Its newest `pause` line in `sessions-log.jsonl`, if any. */
  logged?: TrustyLogEntry;
}

/** A trusty-mpm session id as mpm's session key: `tm-<id>` when it is a plain name. */
export function trustyKey(id: string | undefined): string | undefined {
  return id && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,96}$/.test(id) && !id.includes("..")
    ? `tm-${id}`
    : undefined;
}

/** One trusty-mpm pause as a valid Snapshot; a file naming no time at all is refused. */
export function parseTrustySession(source: string, context: TrustyContext): Snapshot {
  const lines = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  const title = lines.map((line) => line.match(/^#\s+Session Pause\s*-\s*(.+?)\s*$/i)?.[1])
    .find((t) => t !== undefined);
  const stem = basename(context.logPath).replace(/\.md$/, "");
  const named = stem.match(/^session-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/);
  const fromName = named
    ? parseLegacyTime(`${named[1]}-${named[2]}-${named[3]}T${named[4]}:${named[5]}:${named[6]}Z`)
    : undefined;
  const time = parseLegacyTime(title) ?? parseLegacyTime(context.logged?.timestamp) ?? fromName;
  if (!time) {
    throw new IntegrityError(
      `${context.fileName} names no time (no "# Session Pause - TIME" title, log line or ` +
        "session-YYYYMMDD-HHMMSS name), so it cannot be placed among the sessions.",
    );
  }
  const found = sections(lines);
  const completed = items(found.get("completed") ?? []);
  const progress = items(found.get("progress") ?? []);
  const next = items(found.get("next") ?? []);
  const summary = text(found.get("summary"));
  const notes = [
    ...(progress.prose ? [`In progress: ${progress.prose}`] : []),
    ...(completed.prose ? [`Completed: ${completed.prose}`] : []),
    ...(next.prose ? [`Next steps: ${next.prose}`] : []),
    ...(text(found.get("context")) ? [`Context: ${text(found.get("context"))}`] : []),
    ...(/^>\s*FALLBACK SNAPSHOT/im.test(source)
      ? ["Written by hand (trusty-mpm's fallback snapshot), not by its pause tool."]
      : []),
  ];
  const todos: Todo[] = progress.items.map((content) => ({ content, status: "in_progress" }));
  const key = trustyKey(context.logged?.session_id ?? context.logPath.split("/").at(-2));
  const tmux = text(found.get("tmux"));
  return finishSnapshot({
    schema_version: SCHEMA_VERSION,
    session_id: fromName ? stem : sessionIdFor(time),
    paused_at: time.toISOString(),
    conversation: {
      summary,
      accomplishments: completed.items,
      next_steps: next.items,
    },
    git_context: gitContext(found.get("git")),
    todos: { active: todos, completed: [] },
    version: "unknown",
    build: "unknown",
    project_path: context.projectPath,
    mpm: {
      state: "paused",
      summary_source: summary === "" ? "default" : "user",
      notes,
      ...(key ? { key } : {}),
      legacy: {
        tool: "trusty-mpm",
        layout: "trusty-mpm-md",
        session_id: stem,
        paused_at: title ?? context.logged?.timestamp ?? null,
        file: context.fileName,
        trusty_session: context.logged?.session_id ?? null,
        ...(tmux ? { tmux_window: tmux } : {}),
      },
    },
  }, context.fileName);
}
