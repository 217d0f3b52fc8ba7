/**
 * The handoff document (the guide's "Handoff Protocol": From, Completed, Files, Needs, Acceptance
 * criteria, To), kept in a snapshot's `mpm.handoff` so it travels with it. Pure.
 */
import { array, checkValue, nullable, object, type Out, string } from "../../../kernel/check.ts";
import { pushAll } from "../../../kernel/lists.ts";

const strings = array(string());

export const handoffCheck = object({
  /** Who hands the work over: the session's name (or key) and the machine. */
  from: string(),
  /** Who it is for (`--to`); null when nobody was named. */
  to: nullable(string()),
  written_at: string(),
  summary: string(),
  /** The session's accomplishments and completed todos. */
  completed: strings,
  /** Files changed since the session started (committed or not), `/`-separated. */
  files: strings,
  /** What the receiver is asked for (`--needs`), then the open todos. */
  needs: strings,
  acceptance: strings,
  /** The context file's "Current Work" section, as the person wrote it. */
  current_work: nullable(string()),
  /** The context file it came from (`.claude/context.md` or a partition). */
  context_file: nullable(string()),
}, "keep");

export type Handoff = Out<typeof handoffCheck>;

export interface HandoffInput {
  from: string;
  to?: string;
  now: Date;
  summary: string;
  accomplishments: readonly string[];
  doneTodos: readonly string[];
  openTodos: readonly string[];
  files: readonly string[];
  needs: readonly string[];
  acceptance: readonly string[];
  contextText?: string;
  contextFile?: string;
}

/** The document before redaction: it leaves only in the snapshot that keeps it, redacted. */
export function buildHandoff(input: HandoffInput): Handoff {
  const work = input.contextText === undefined ? null : currentWork(input.contextText);
  return {
    from: input.from,
    to: input.to?.trim() ? input.to.trim() : null,
    written_at: input.now.toISOString(),
    summary: input.summary,
    completed: unique([...input.accomplishments, ...input.doneTodos]),
    files: unique(input.files).sort(),
    needs: unique([...input.needs, ...input.openTodos]),
    acceptance: [...input.acceptance],
    current_work: work,
    context_file: work === null ? null : input.contextFile ?? null,
  };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items.map((i) => i.trim()).filter((i) => i !== ""))];
}

/** The context file's "## Current Work" body without mpm's markers; null when none or empty. */
export function currentWork(text: string): string | null {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const start = lines.findIndex((l) => /^##\s+current work\s*$/i.test(l.trim()));
  if (start < 0) return null;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,2}\s/.test(line)) break;
    if (/^\s*<!--\s*mpm:/.test(line)) continue;
    body.push(line);
  }
  const joined = body.join("\n").trim();
  return joined === "" ? null : joined;
}

function bullets(items: readonly string[], none: string): string[] {
  return items.length === 0 ? [`- ${none}`] : items.map((i) => `- ${i.replaceAll("\n", " ")}`);
}

/** The guide's layout, ending with the command that takes the work up by snapshot id. */
export function renderHandoffMarkdown(doc: Handoff, snapshotId: string): string {
  const to = doc.to ?? "whoever picks this up";
  const lines = [
    `# Handoff: ${doc.from} → ${to}`,
    "",
    `## From: ${doc.from}`,
    `Written: ${doc.written_at}`,
    "",
    doc.summary,
    "",
    "Completed:",
    ...bullets(doc.completed, "nothing recorded"),
    "",
    "Files:",
    ...bullets(doc.files, "no files changed"),
    "",
  ];
  if (doc.current_work !== null) {
    lines.push(
      `### Current Work (${doc.context_file ?? "context file"})`,
      "",
      doc.current_work,
      "",
    );
  }
  pushAll(lines, [
    `## Needs from ${to}:`,
    ...bullets(doc.needs, "nothing named"),
    "",
    "## Acceptance Criteria:",
    ...bullets(doc.acceptance, "none given"),
    "",
    `## To: ${to}`,
    // The receiver is another person: their mpm takes up a teammate's work only when asked.
    `Resume with: mpm resume ${snapshotId} --from-teammate`,
    "",
  ]);
  return lines.join("\n");
}

/** The handoff a snapshot carries, if a valid one. */
export function handoffOf(mpm: Record<string, unknown>): Handoff | null {
  if (mpm.handoff === undefined || mpm.handoff === null) return null;
  const checked = checkValue(handoffCheck, mpm.handoff);
  return checked.ok ? checked.value : null;
}
