/** What `mpm handoff save|show|list|--reuse` print, and their JSON. Pure; every text printable. */
import { printable, printableDeep } from "../../kernel/format/text.ts";
import type { Style } from "../../kernel/format/style.ts";
import { ago, rowLine, shortTime } from "../report/render_report.ts";
import {
  type ClaudeHandoff,
  handoffChars,
  STARTUP_WINDOW_MS,
} from "../store/records/handoff/claude_record.ts";
import { gitLine, type PersonWords, renderHandoffFile } from "../store/snapshots/claude_render.ts";
import type { Given, StoredHandoff } from "../store/state/claude_store.ts";
import { pushAll } from "../../kernel/lists.ts";

function cutLines(record: ClaudeHandoff): string[] {
  if (record.cut.length === 0) return [];
  const parts = record.cut.map((c) => `${c.chars} characters of "${c.section}"`);
  return [`  Cut:          over 6,000 characters, so mpm left out ${parts.join(", ")}`];
}

export function savedLines(
  saved: { record: ClaudeHandoff; file: string; name: string | null },
  s: Style,
): string[] {
  const r = printableDeep(saved.record);
  const line = r.line === null
    ? "none yet (the handoff goes with the next conversation's work)"
    : saved.name
    ? `${printable(saved.name)} (${r.line})`
    : r.line;
  return [
    `${s.green("✓")} Saved Claude's handoff ${s.bold(r.handoff_id)} (${
      handoffChars(r.handoff)
    } characters)`,
    `  Session:      ${line}`,
    `  Follows:      ${r.previous ?? "nothing: it is the first of its session"}`,
    `  Git:          ${gitLine(r)}`,
    `  Saved:        ${saved.file}`,
    ...cutLines(r),
    "",
    "Now run /clear: the next conversation starts from your own words, then this handoff " +
    "(given once; `mpm handoff --reuse` gives it again).",
  ];
}

/** What is said of a handoff this machine did not write: not this person's, never given. */
export const NOT_WRITTEN_HERE = "not written by mpm on this machine (it came with the " +
  "repository or from a teammate): never given to Claude";

/** Whom a handoff went to, in words. */
export function givenText(given: Given | null, now: Date): string {
  if (given === null) return "not given yet: the next /clear gives it";
  const who = given.claude_session
    ? `Claude session ${given.claude_session.slice(0, 8)}`
    : "a start";
  const how = given.source ? ` (${given.source})` : "";
  const when = given.given_at ? ` ${ago(new Date(given.given_at), now)}` : "";
  return printable(`given to ${who}${how}${when}`);
}

export function listRows(
  stored: readonly StoredHandoff[],
  given: ReadonlyMap<string, Given | null>,
) {
  return stored.map((h, i) => {
    const r = h.record ? printableDeep(h.record) : undefined;
    return {
      index: i + 1,
      handoff_id: h.id,
      written_at: r?.written_at ?? null,
      line: r?.line ?? null,
      previous: r?.previous ?? null,
      goal: r?.handoff.goal ?? null,
      next_step: r?.handoff.next_step ?? null,
      given: given.get(h.id) ?? null,
      written_here: h.own,
      file: `.claude-mpm/handoffs/${h.id}.md`,
      ...(h.error ? { error: h.error.message } : {}),
    };
  });
}

export function listLines(
  root: string,
  stored: readonly StoredHandoff[],
  given: ReadonlyMap<string, Given | null>,
  line: string | null,
  now: Date,
  s: Style,
): string[] {
  const lines = [s.bold(`Handoffs from Claude in ${root} (newest first):`), ""];
  for (const [i, h] of stored.entries()) {
    if (!h.record) {
      lines.push(`  [${i + 1}] ${s.red(h.id)} ${s.red("✗ unreadable")}: ${h.error!.message}`, "");
      continue;
    }
    const r = printableDeep(h.record);
    const mine = r.line !== null && r.line === line ? ", this session" : "";
    lines.push(
      `  [${i + 1}] ${s.cyan(r.handoff_id)} - ${shortTime(r.written_at)} (${
        ago(new Date(r.written_at), now)
      }) [session ${r.line ?? "none"}${mine}]`,
      `      Goal: ${rowLine(r.handoff.goal)}`,
      `      Next: ${rowLine(r.handoff.next_step)}`,
      s.dim(
        `      ${r.previous ? `follows ${r.previous}; ` : ""}${
          h.own ? givenText(given.get(r.handoff_id) ?? null, now) : NOT_WRITTEN_HERE
        }`,
      ),
      "",
    );
  }
  lines.push("Show one with: mpm handoff show N (or its id)");
  return lines;
}

/** `show`: the person's words first, then Claude's handoff, then whom it was given to. */
export function showLines(
  record: ClaudeHandoff,
  person: PersonWords | null,
  given: Given | null,
  now: Date,
  own = true,
): string[] {
  const lines: string[] = [];
  if (person) {
    const p = printableDeep(person);
    pushAll(lines, [
      `Your words (${p.from}, ${shortTime(p.written_at)}):`,
      `  Summary: ${p.summary.replaceAll("\n", "\n           ")}`,
      ...p.next_steps.map((n, i) => `  ${i === 0 ? "Next:   " : "        "} ${rowLine(n)}`),
      "",
    ]);
  }
  lines.push(printable(renderHandoffFile(record)).trimEnd(), "");
  lines.push(own ? `It was ${givenText(given, now)}.` : `It was ${NOT_WRITTEN_HERE}.`);
  return lines;
}

/** `--reuse`: what the next start does with the handoff now. */
export function reuseLines(record: ClaudeHandoff, was: Given | null, now: Date): string[] {
  const fresh = now.getTime() - new Date(record.written_at).getTime() <= STARTUP_WINDOW_MS;
  const when = fresh
    ? "the next /clear, or a new Claude Code session within 4 hours of it,"
    : "the next /clear";
  return was === null ? [`${record.handoff_id} has not been given yet: ${when} starts from it.`] : [
    `✓ ${record.handoff_id} will be given again (it was ${givenText(was, now)}):`,
    `  ${when} starts from it.`,
  ];
}
