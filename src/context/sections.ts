/**
 * The context file's sections (the guide's "Context Files"), what `mpm context init` writes, and
 * the `status` and `next-session` blocks `update` keeps. Only facts mpm knows, redacted.
 */
import { shown } from "../kernel/safe_text/shown.ts";
import { beginMarker, END_MARKER, type ManagedBlock, safeLine } from "./update.ts";
import type { SessionFacts } from "./facts.ts";
import { pushAll } from "../kernel/lists.ts";

export const SECTIONS = [
  "Current Work",
  "Architecture",
  "Recent Decisions",
  "Known Issues",
  "Dependencies",
  "Testing Notes",
  "Next Session",
] as const;

/** What the managed lines are made from: the session, the branch checked out, the clock. */
export interface ContextFacts {
  session: SessionFacts;
  /** The git branch checked out; null when detached or outside git. */
  branch: string | null;
  now: Date;
}

/** `2026-11-23 04:40 UTC`: minutes are enough, and UTC reads the same on every machine. */
export function stamp(now: Date): string {
  return now.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function statusText(session: SessionFacts): string {
  const total = session.openTodos.length + session.doneTodos;
  const todos = total > 0 ? ` (${session.doneTodos} of ${total} todos done)` : "";
  switch (session.state) {
    case "active":
      return `active${todos}`;
    case "paused":
      return `paused${todos}; \`mpm resume\` picks it up`;
    case "completed":
      return "completed; `mpm start NAME` begins the next session";
    case "cancelled":
      return "cancelled; `mpm start NAME` begins the next session";
    default:
      return "no mpm session; `mpm start NAME` begins one";
  }
}

/** The `status` block: the lines of Current Work that mpm keeps current. */
export function statusLines(facts: ContextFacts): string[] {
  return [
    `Status: ${statusText(facts.session)}`,
    `Branch: ${facts.branch ?? "(none: detached HEAD or not a git repository)"}`,
    `Last updated: ${stamp(facts.now)}`,
  ].map(clean);
}

/** The `next-session` block: the guide's "Continue with:" list, from the newest next steps. */
export function nextSessionLines(session: SessionFacts): string[] {
  if (session.nextSteps.length === 0) {
    return ["Continue with: (no next steps recorded yet; `mpm pause -n STEP` records them)"];
  }
  return ["Continue with:", ...session.nextSteps.map((step, i) => clean(`${i + 1}. ${step}`))];
}

export function managedBlocks(facts: ContextFacts): ManagedBlock[] {
  return [
    { name: "status", section: "Current Work", lines: statusLines(facts) },
    { name: "next-session", section: "Next Session", lines: nextSessionLines(facts.session) },
  ];
}

/** A whole new context file, written by `mpm context init`. */
export function initialContext(facts: ContextFacts, title = "Project Context"): string {
  const { session } = facts;
  const block = (name: string, lines: string[]) => [beginMarker(name), ...lines, END_MARKER];
  const current = [
    ...(session.name ? [clean(`Feature: ${session.name}`)] : []),
    ...(session.task ? [clean(`Task: ${session.task}`)] : []),
    ...block("status", statusLines(facts)),
  ];
  const issues = session.openTodos.map((todo) => clean(`- [ ] ${todo}`));
  const body: Record<string, string[]> = {
    "Current Work": current,
    "Known Issues": issues,
    "Next Session": block("next-session", nextSessionLines(session)),
  };
  const lines = [`# ${title}`];
  for (const section of SECTIONS) pushAll(lines, ["", `## ${section}`, ...(body[section] ?? [])]);
  return lines.join("\n") + "\n";
}

/** One line, redacted, never a marker. */
function clean(text: string): string {
  return safeLine(shown(text));
}
