/**
 * A claude-mpm session that exists only as markdown ("Session Pause Document", session-resume-*.md)
 * read as a Snapshot. Tolerant: headings classified by their words, what is missing defaulted;
 * only a file naming no session id is refused.
 */
import { basename } from "../kernel/path.ts";
import { canonicalIdAndTime, legacyIdFromName } from "./ids.ts";
import {
  finishSnapshot,
  gitStatusFromPorcelainPaths,
  isAutoPauseTask,
  type LegacyContext,
  summarySource,
  taskFrom,
} from "./layouts.ts";
import { SCHEMA_VERSION, type Snapshot, type Todo } from "../kernel/snapshot.ts";
import { pushAll } from "../kernel/lists.ts";

type Kind = "summary" | "done" | "next" | "todo" | "progress" | "finished" | "commits" | "other";

interface Section {
  kind: Kind;
  lines: string[];
}

interface Field {
  value: string;
  /** The paragraph or list under a field with no value on its own line (`**Summary**:`). */
  block: string[];
}

interface Commit {
  sha: string;
  message: string;
  author?: string;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FIELD = /^\s*(?:[-*]\s+)?\*\*([^*]+?)(?::\*\*|\*\*\s*:)\s*(.*?)\s*$/;
const ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[([ xX~/-])\]\s+)?(.*\S)\s*$/;
const GENERIC_TITLES = new Set(["claude mpm session pause document"]);

/** A heading that only says what the file is ("Session Pause - 2025-12-09"). */
function isGenericTitle(title: string): boolean {
  const rest = title.toLowerCase()
    .replace(/session-\d{8}-\d{6}(?:-\d+)?/g, "")
    .replace(/\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?)?/g, "")
    .replace(/\b(?:claude|mpm|session|pause[ds]?|document|notes?|resume|of|at|on)\b/g, "")
    .replace(/[^a-z0-9]+/g, "");
  return GENERIC_TITLES.has(title.toLowerCase()) || rest === "";
}

/** Heading words to section kinds; the first rule that matches wins. */
const KINDS: [RegExp, Kind][] = [
  [/resume instructions|validation|quick resume|reminder|active context|metadata|version/, "other"],
  [/git|branch|repositor/, "other"],
  [/commit/, "commits"],
  [/in[- ]?progress/, "progress"],
  [
    /(tasks?|todos?|to-?dos?)\b.*(complete|done|finished)|(complete|done|finished).*\b(tasks?|todos?)/,
    "finished",
  ],
  [/\b(tasks?|todos?|to-?dos?)\b/, "todo"],
  [/accomplish|complete|done|finished|achieve/, "done"],
  [
    /next|to resume|remaining|pending|to verify|recommended|follow[- ]?up|open items|blocked/,
    "next",
  ],
  [/summary|overview|working on|current (work|state|focus)/, "summary"],
];

function classify(title: string, parent: Kind | undefined): Kind {
  const text = title.toLowerCase();
  if (/primary task/.test(text)) return "summary";
  return KINDS.find(([pattern]) => pattern.test(text))?.[1] ?? parent ?? "other";
}

/** Strips emphasis and a whole-item code span: "**x** (Priority: high)" -> "x (Priority: high)". */
function clean(text: string): string {
  const plain = text.replace(/\*\*(.+?)\*\*/g, "$1").replace(/__(.+?)__/g, "$1").trim();
  const code = plain.match(/^`([^`]*)`$/);
  return code ? code[1] : plain;
}

function parseCommit(text: string, withAuthor: boolean): Commit | undefined {
  const m = text.match(/^`?([0-9a-f]{7,40})`?\s*(?:[-–—:]\s*)?(.*)$/i);
  if (!m) return undefined;
  const tail = withAuthor ? m[2].match(/^(.*?)\s+\(([^()]*)\)$/) : null;
  return tail ? { sha: m[1], message: tail[1], author: tail[2] } : { sha: m[1], message: m[2] };
}

function scan(text: string) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const fields = new Map<string, Field>();
  const sections: Section[] = [];
  let title: string | undefined;
  let h2: Kind | undefined;
  let section: Section = { kind: "other", lines: [] };
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = line.match(HEADING);
    if (heading) {
      const level = heading[1].length;
      if (level === 1) title ??= heading[2];
      const kind = level === 1 ? "other" : classify(heading[2], level > 2 ? h2 : undefined);
      if (level === 2) h2 = kind;
      section = { kind, lines: [] };
      sections.push(section);
      continue;
    }
    const field = line.match(FIELD);
    if (field) {
      const key = field[1].trim().toLowerCase();
      if (!fields.has(key)) fields.set(key, { value: field[2], block: field[2] ? [] : block(i) });
      continue;
    }
    section.lines.push(line);
  }
  return { fields, sections, title };

  function block(at: number): string[] {
    let i = at + 1;
    while (i < lines.length && lines[i].trim() === "") i++;
    const found: string[] = [];
    for (; i < lines.length && lines[i].trim() !== ""; i++) {
      if (HEADING.test(lines[i]) || FIELD.test(lines[i])) break;
      found.push(lines[i]);
    }
    return found;
  }
}

/** Top-level list items only: indented ones are details of the item above. */
function items(lines: string[]): { text: string; box?: string }[] {
  return lines.flatMap((line) => {
    const m = line.match(ITEM);
    return m && m[1].length < 2 ? [{ text: clean(m[3]), box: m[2] }] : [];
  });
}

const BOX_STATUS: Record<string, Todo["status"]> = {
  " ": "pending",
  x: "completed",
  X: "completed",
  "~": "in_progress",
  "/": "in_progress",
  "-": "in_progress",
};
const KIND_STATUS: Partial<Record<Kind, Todo["status"]>> = {
  todo: "pending",
  progress: "in_progress",
  finished: "completed",
};

/** Parses a markdown-only session into a valid Snapshot (layout "claude-mpm-md"). */
export function parseMarkdownSession(text: string, context: LegacyContext): Snapshot {
  const { fields, sections, title } = scan(text);
  const field = (...keys: string[]) => {
    const found = keys.map((k) => fields.get(k)).find((f) => f !== undefined);
    return found && { value: clean(found.value), block: found.block };
  };

  const accomplishments: string[] = [];
  const nextSteps: string[] = [];
  const todos: Todo[] = [];
  const commits: Commit[] = [];
  for (const { kind, lines } of sections) {
    if (kind === "commits") {
      pushAll(commits, items(lines).flatMap((i) => parseCommit(i.text, false) ?? []));
      continue;
    }
    if (kind === "other" || kind === "summary") continue;
    for (const { text: content, box } of items(lines)) {
      if (kind === "done") accomplishments.push(content);
      if (kind === "next") nextSteps.push(content);
      const status = box !== undefined
        ? (box === " " && kind === "progress" ? "in_progress" : BOX_STATUS[box])
        : KIND_STATUS[kind];
      if (status) todos.push({ content, status });
    }
  }

  const summaryField = field("summary");
  const paragraph = sections.filter((s) => s.kind === "summary")
    .map((s) => s.lines.join("\n").trim().split(/\n\s*\n/)[0]).find((p) => p);
  const summary = summaryField?.value ||
    summaryField?.block.join("\n").trim() ||
    paragraph ||
    (title && !isGenericTitle(title) ? clean(title) : "");

  const primaryTask = field("primary task")?.value;
  const phase = field("current phase")?.value;
  const pausedText = field("paused at", "paused", "date", "created", "generated", "timestamp")
    ?.value;
  const idField = field("session id")?.value;
  const titleId = title?.match(/session-\d{8}-\d{6}(?:-\d+)?/)?.[0];
  const rawId = idField || (legacyIdFromName(context.fileName) ? "" : titleId ?? "");
  const { session_id, paused_at } = canonicalIdAndTime(rawId, pausedText, {
    fileName: context.fileName,
    // An auto-pause's paused_at is its last action, minutes after its (UTC) id: not a zone.
    idIsUtc: isAutoPauseTask(primaryTask),
  });
  const usage = field("context")?.value.match(
    /([\d,]+)\s*\/\s*([\d,]+)\s*tokens(?:\s*\((\d+(?:\.\d+)?)%\))?/,
  );
  const [tokens, window] = [usage?.[1], usage?.[2]].map((n) => Number(n?.replace(/,/g, "")));
  const isResumeFile = basename(context.fileName).startsWith("session-resume-");

  return finishSnapshot({
    schema_version: SCHEMA_VERSION,
    session_id,
    paused_at,
    conversation: {
      summary,
      accomplishments,
      next_steps: nextSteps,
      ...(primaryTask ? { primary_task: primaryTask } : {}),
      ...(phase ? { current_phase: phase } : {}),
    },
    git_context: gitFrom(text, field, commits),
    todos: {
      active: todos.filter((t) => t.status !== "completed"),
      completed: todos.filter((t) => t.status === "completed"),
    },
    version: field("version")?.value || "unknown",
    build: "unknown",
    project_path: field("project", "working directory")?.value || context.projectPath,
    mpm: {
      state: "paused",
      task: taskFrom(primaryTask),
      context_usage: tokens > 0 && window > 0
        ? { tokens, window, percent: Number(usage?.[3] ?? (tokens / window) * 100) }
        : null,
      summary_source: isResumeFile ? "auto" : summarySource(summary),
      notes: isAutoPauseTask(primaryTask) ? [primaryTask] : [],
      legacy: {
        tool: "claude-mpm",
        layout: "claude-mpm-md",
        session_id: rawId || basename(context.fileName).replace(/\.md$/, ""),
        paused_at: pausedText ?? null,
        file: context.fileName,
      },
    },
  }, context.fileName);
}

function gitFrom(
  text: string,
  field: (...keys: string[]) => { value: string; block: string[] } | undefined,
  sectionCommits: Commit[],
): Record<string, unknown> | null {
  if (/^\s*\*not a git repository\*\s*$/im.test(text)) return null;
  const branchField = field("branch", "current branch");
  const listed = (key: string) => items(field(key)?.block ?? []).map((i) => i.text);
  const modified = listed("modified files");
  const untracked = listed("untracked files");
  // The pause document lists `git log` output, newest first, so its first entry is HEAD.
  const head = items(field("recent commits")?.block ?? [])
    .flatMap((i) => parseCommit(i.text, true) ?? []);
  const recent = [...head, ...sectionCommits];
  if (!branchField && recent.length === 0 && modified.length === 0) return null;
  const status = field("status")?.value;
  return {
    branch: branchField?.value || null,
    commit: head[0]?.sha ?? null,
    commit_message: head[0]?.message ?? null,
    detached: branchField !== undefined && branchField.value === "",
    upstream: null,
    status: { ...gitStatusFromPorcelainPaths(modified), untracked },
    is_clean: status ? /clean/i.test(status) : modified.length === 0 && untracked.length === 0,
    ahead_behind: null,
    recent_commits: recent,
  };
}
